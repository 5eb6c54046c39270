//! Property tests: encode/decode round trips over the base log's events and
//! over events generated from them, and the canonical check refusing every
//! reordering of object members (at any depth) and whitespace at any token
//! boundary of valid events.

use ledger_core::event::Event;
use ledger_core::jcs::{self, JcsErrorKind};
use ledger_core::leaf::Leaf;
use ledger_core::vectors::base_world;
use proptest::prelude::*;
use serde_json::Value;
use std::cmp::Ordering;
use std::sync::OnceLock;

fn events() -> &'static Vec<Vec<u8>> {
    static EVENTS: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    EVENTS.get_or_init(|| {
        base_world()
            .accepted
            .iter()
            .map(|e| e.bytes.clone())
            .collect()
    })
}

/// Every byte offset between two tokens of canonical JSON, and both ends:
/// after and before every string, number, literal and `{ } [ ] : ,`.
fn token_boundaries(bytes: &[u8]) -> Vec<usize> {
    let mut out = vec![0];
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                i += 1;
                while bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
            }
            b'-' | b'0'..=b'9' => {
                i += 1;
                while i < bytes.len() && bytes[i].is_ascii_digit() {
                    i += 1;
                }
            }
            b't' | b'f' => {
                while i < bytes.len() && bytes[i].is_ascii_alphabetic() {
                    i += 1;
                }
            }
            _ => i += 1,
        }
        out.push(i);
    }
    out
}

/// Writes `v` as canonical JSON, except that the members of the objects at
/// nesting `level` (every level for `None`; the event itself is level 1) are
/// written in the order `seeds` shuffle them into. Returns the byte offset of
/// the first member name that is not above the one before it: where the
/// canonical check must stop, if anywhere.
fn write_shuffled(v: &Value, level: Option<usize>, seeds: &[u64]) -> (Vec<u8>, Option<usize>) {
    struct W<'a> {
        level: Option<usize>,
        seeds: std::iter::Cycle<std::slice::Iter<'a, u64>>,
        out: Vec<u8>,
        first_bad: Option<usize>,
    }
    impl W<'_> {
        fn value(&mut self, v: &Value, depth: usize) {
            match v {
                Value::Object(map) => {
                    let mut keys: Vec<&String> = map.keys().collect();
                    keys.sort_by(|a, b| jcs::cmp_utf16(a, b));
                    if self.level.is_none_or(|l| l == depth + 1) {
                        // Fisher-Yates, driven by the seeds.
                        for i in (1..keys.len()).rev() {
                            let s = *self.seeds.next().unwrap_or(&0);
                            keys.swap(i, (s % (i as u64 + 1)) as usize);
                        }
                    }
                    self.out.push(b'{');
                    for (i, k) in keys.iter().enumerate() {
                        if i > 0 {
                            self.out.push(b',');
                            if jcs::cmp_utf16(keys[i - 1], k) != Ordering::Less
                                && self.first_bad.is_none()
                            {
                                self.first_bad = Some(self.out.len());
                            }
                        }
                        self.out
                            .extend(jcs::encode(&Value::String((*k).clone())).unwrap());
                        self.out.push(b':');
                        self.value(&map[*k], depth + 1);
                    }
                    self.out.push(b'}');
                }
                Value::Array(items) => {
                    self.out.push(b'[');
                    for (i, item) in items.iter().enumerate() {
                        if i > 0 {
                            self.out.push(b',');
                        }
                        self.value(item, depth + 1);
                    }
                    self.out.push(b']');
                }
                scalar => self.out.extend(jcs::encode(scalar).unwrap()),
            }
        }
    }
    let mut w = W {
        level,
        seeds: seeds.iter().cycle(),
        out: Vec::new(),
        first_bad: None,
    };
    w.value(v, 0);
    (w.out, w.first_bad)
}

/// Checks that a shuffled writing of `bytes` is refused exactly where the
/// first member is out of order, and is otherwise byte for byte canonical.
/// Returns whether anything was out of order.
fn check_shuffled(bytes: &[u8], level: Option<usize>, seeds: &[u64]) -> bool {
    let v: Value = serde_json::from_slice(bytes).unwrap();
    let (out, first_bad) = write_shuffled(&v, level, seeds);
    // Same content, so it parses to the same value: only the form differs.
    assert_eq!(serde_json::from_slice::<Value>(&out).unwrap(), v);
    match first_bad {
        None => {
            assert_eq!(out, bytes);
            false
        }
        Some(at) => {
            let err = jcs::check(&out).unwrap_err();
            assert_eq!((err.offset, err.kind), (at, JcsErrorKind::KeyOrder));
            assert!(Event::decode(&out).is_err());
            true
        }
    }
}

/// A replacement for one leaf of an event's JSON: a string, an integer, or
/// dropping the member (which only an optional field survives).
#[derive(Clone, Debug)]
enum Edit {
    Str(String),
    Int(i64),
    Drop,
}

fn edit() -> impl Strategy<Value = Edit> {
    const SAFE: i64 = (1 << 53) - 1;
    prop_oneof![
        // Ids, tag ids, site ids, countries and currencies.
        "[A-Za-z0-9][A-Za-z0-9._:+-]{0,20}".prop_map(Edit::Str),
        "[A-Z]{2,3}".prop_map(Edit::Str),
        "[A-Z]{2}-[0-9]\\.[0-9]{4}[+-][0-9]{2}\\.[0-9]{4}-[0-9]{5}".prop_map(Edit::Str),
        "[A-Z]{2}[0-9]{2}-[0-9]{1,12}".prop_map(Edit::Str),
        // Text: any printable characters, including quotes, backslashes,
        // non-ASCII and characters outside the BMP; and anything at all.
        "\\PC{1,40}".prop_map(Edit::Str),
        "[\"\\\\/\u{7f}\u{e9}\u{2028}\u{ffff}\u{10000}\u{1d11e} a-z\n]{1,12}".prop_map(Edit::Str),
        any::<String>().prop_map(Edit::Str),
        // Integers: small, around the bounds, anywhere in the safe range.
        (0i64..=10_001).prop_map(Edit::Int),
        (-180_000_000i64..=180_000_000).prop_map(Edit::Int),
        (-SAFE..=SAFE).prop_map(Edit::Int),
        Just(Edit::Int(SAFE)),
        Just(Edit::Drop),
    ]
}

/// Paths to the leaves and members of `v`, in document order.
fn leaf_paths(v: &Value, path: &mut Vec<Value>, out: &mut Vec<Vec<Value>>) {
    match v {
        Value::Object(map) => {
            for (k, x) in map {
                path.push(Value::String(k.clone()));
                if !x.is_object() && !x.is_array() {
                    out.push(path.clone());
                } else {
                    out.push(path.clone());
                    leaf_paths(x, path, out);
                }
                path.pop();
            }
        }
        Value::Array(items) => {
            for (i, x) in items.iter().enumerate() {
                path.push(Value::from(i));
                out.push(path.clone());
                leaf_paths(x, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

/// Applies `e` at `path`; false when it does not apply there.
fn apply_edit(v: &mut Value, path: &[Value], e: &Edit) -> bool {
    let (last, parents) = path.split_last().unwrap();
    let mut at = v;
    for p in parents {
        at = match p {
            Value::String(k) => &mut at[k.as_str()],
            Value::Number(i) => &mut at[i.as_u64().unwrap() as usize],
            _ => unreachable!(),
        };
    }
    if let Edit::Drop = e {
        return match (at, last) {
            (Value::Object(m), Value::String(k)) => m.remove(k.as_str()).is_some(),
            (Value::Array(items), Value::Number(i)) => {
                items.remove(i.as_u64().unwrap() as usize);
                true
            }
            _ => false,
        };
    }
    let slot = match last {
        Value::String(k) => &mut at[k.as_str()],
        Value::Number(i) => &mut at[i.as_u64().unwrap() as usize],
        _ => unreachable!(),
    };
    match e {
        Edit::Str(s) if slot.is_string() => *slot = Value::String(s.clone()),
        Edit::Int(n) if slot.is_number() => *slot = Value::from(*n),
        _ => return false,
    }
    true
}

/// An event generated from a base event: each edit in turn is applied to the
/// next leaf (cycling through them) and kept if the event still decodes, so
/// the result is a valid event of the same shape with arbitrary values.
fn generated_event(base: &[u8], edits: &[Edit]) -> Vec<u8> {
    let mut v: Value = serde_json::from_slice(base).unwrap();
    let mut paths = Vec::new();
    leaf_paths(&v, &mut Vec::new(), &mut paths);
    let mut bytes = base.to_vec();
    for (i, e) in edits.iter().enumerate() {
        let path = &paths[i % paths.len()];
        // The type and version stay: another type would be another shape.
        if matches!(&path[0], Value::String(k) if k == "type" || k == "v") {
            continue;
        }
        let mut w = v.clone();
        if !apply_edit(&mut w, path, e) {
            continue;
        }
        let Ok(b) = jcs::encode(&w) else { continue };
        if Event::decode(&b).is_ok() {
            v = w;
            bytes = b;
            // A dropped member shifts the paths after it.
            paths.clear();
            leaf_paths(&v, &mut Vec::new(), &mut paths);
        }
    }
    bytes
}

#[test]
fn shuffles_reach_every_nesting_level() {
    // Deterministic companion of `any_member_order_is_refused`: reversing the
    // members at each level alone is refused for every event that has an
    // object with two members there, and the base log has such objects at
    // levels 1 to 4 (the event; a record such as `site`; an actor in the
    // `authorities` list, an array being a level too; that actor's `contact`).
    let mut refused_at = std::collections::BTreeMap::new();
    for bytes in events() {
        for level in 1..=6 {
            // Seeds of 0 turn each object's members into one cycle, never
            // the identity.
            if check_shuffled(bytes, Some(level), &[0]) {
                *refused_at.entry(level).or_insert(0) += 1;
            }
        }
    }
    for level in 1..=4 {
        assert!(
            refused_at.get(&level).is_some_and(|n| *n > 0),
            "no object with two members at level {level}: {refused_at:?}"
        );
    }
}

#[test]
fn generated_events_cover_every_type() {
    // The generator keeps the type, so edits of every base event give events
    // of every type; a fixed set of edits changes most leaves of every one.
    let edits = [
        Edit::Str("Zz9".into()),
        Edit::Int(7),
        Edit::Str("é \" \\ 𝄞".into()),
        Edit::Drop,
    ];
    let mut types = std::collections::BTreeSet::new();
    let mut changed = 0;
    for bytes in events() {
        let many: Vec<Edit> = edits.iter().cycle().take(80).cloned().collect();
        let g = generated_event(bytes, &many);
        let ev = Event::decode(&g).unwrap();
        assert_eq!(ev.encode().unwrap(), g);
        types.insert(ev.type_name());
        changed += usize::from(g != *bytes);
    }
    assert_eq!(types.len(), ledger_core::event::EVENT_TYPES.len());
    assert!(changed * 10 >= events().len() * 9, "{changed} changed");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn decode_encode_round_trips(i in 0usize..1000) {
        let evs = events();
        let bytes = &evs[i % evs.len()];
        let ev = Event::decode(bytes).unwrap();
        prop_assert_eq!(&ev.encode().unwrap(), bytes);
        prop_assert_eq!(Event::decode(&ev.encode().unwrap()).unwrap(), ev);
    }

    #[test]
    fn generated_events_round_trip(i in 0usize..1000, edits in prop::collection::vec(edit(), 1..60)) {
        let evs = events();
        let bytes = generated_event(&evs[i % evs.len()], &edits);
        let ev = Event::decode(&bytes).unwrap();
        let again = ev.encode().unwrap();
        prop_assert_eq!(&again, &bytes, "encode(decode(bytes)) is not bytes");
        prop_assert_eq!(Event::decode(&again).unwrap(), ev);
    }

    #[test]
    fn any_whitespace_is_refused(
        i in 0usize..1000,
        gap in 0usize..10_000,
        ws in prop::sample::select(vec![" ", "\n", "\t", "\r", "  ", "\r\n"]),
    ) {
        let evs = events();
        let bytes = &evs[i % evs.len()];
        let gaps = token_boundaries(bytes);
        let at = gaps[gap % gaps.len()];
        let mut spaced = bytes[..at].to_vec();
        spaced.extend_from_slice(ws.as_bytes());
        spaced.extend_from_slice(&bytes[at..]);
        let err = jcs::check(&spaced).unwrap_err();
        prop_assert_eq!((err.offset, err.kind), (at, JcsErrorKind::Whitespace));
        prop_assert!(Event::decode(&spaced).is_err());
    }

    #[test]
    fn whitespace_before_closing_and_separating_tokens_is_refused(i in 0usize..1000, pick in 0usize..10_000) {
        // The boundaries right before `:` `,` `}` `]`, which the uniform
        // choice above reaches only some of the time.
        let evs = events();
        let bytes = &evs[i % evs.len()];
        let before: Vec<usize> = token_boundaries(bytes)
            .into_iter()
            .filter(|&p| matches!(bytes.get(p), Some(b':' | b',' | b'}' | b']')))
            .collect();
        let at = before[pick % before.len()];
        let mut spaced = bytes[..at].to_vec();
        spaced.push(b' ');
        spaced.extend_from_slice(&bytes[at..]);
        let err = jcs::check(&spaced).unwrap_err();
        prop_assert_eq!((err.offset, err.kind), (at, JcsErrorKind::Whitespace));
    }

    #[test]
    fn any_member_order_is_refused(
        i in 0usize..1000,
        level in prop::option::of(1usize..=6),
        seeds in prop::collection::vec(any::<u64>(), 1..64),
    ) {
        let evs = events();
        check_shuffled(&evs[i % evs.len()], level, &seeds);
    }

    #[test]
    fn pretty_printing_is_refused(i in 0usize..1000) {
        let evs = events();
        let v: serde_json::Value = serde_json::from_slice(&evs[i % evs.len()]).unwrap();
        let pretty = serde_json::to_vec_pretty(&v).unwrap();
        prop_assert!(Event::decode(&pretty).is_err());
    }

    #[test]
    fn leaves_round_trip(time in 0u64..(1u64 << 53), prev in any::<[u8; 32]>(), sig in prop::collection::vec(any::<u8>(), 64), event in prop::collection::vec(any::<u8>(), 2..2000)) {
        let leaf = Leaf { record_time: time, prev_leaf: ledger_core::hash::Hash(prev), signature: sig.try_into().unwrap(), event };
        prop_assert_eq!(Leaf::decode(&leaf.encode()).unwrap(), leaf);
    }

    #[test]
    fn decoders_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        let _ = jcs::check(&bytes);
        let _ = Event::decode(&bytes);
        let _ = Leaf::decode(&bytes);
        let _ = ledger_core::note::Checkpoint::parse_body(&String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn mutated_events_never_panic(i in 0usize..1000, pos in 0usize..2000, byte in any::<u8>()) {
        let evs = events();
        let mut bytes = evs[i % evs.len()].clone();
        let p = pos % bytes.len();
        bytes[p] = byte;
        let _ = Event::decode(&bytes);
    }
}
