//! Property tests: encode/decode round trips, and the canonical check refusing
//! every reordering and re-spacing of valid events.

use ledger_core::event::Event;
use ledger_core::jcs;
use ledger_core::leaf::Leaf;
use ledger_core::vectors::base_world;
use proptest::prelude::*;
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

/// Byte offsets just after a structural `,` or `:` (outside strings).
fn token_gaps(bytes: &[u8]) -> Vec<usize> {
    let mut out = vec![0, bytes.len()];
    let mut in_str = false;
    let mut escaped = false;
    for (i, &b) in bytes.iter().enumerate() {
        if in_str {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_str = false,
                _ => {}
            }
        } else if b == b'"' {
            in_str = true;
        } else if matches!(b, b',' | b':' | b'{' | b'[') {
            out.push(i + 1);
        }
    }
    out
}

fn write_obj_in_order(v: &serde_json::Value, order_seed: u64, out: &mut Vec<u8>) -> bool {
    // Writes `v` canonically except that the top-level members are rotated by
    // `order_seed`; returns whether the order differs from the canonical one.
    let serde_json::Value::Object(map) = v else {
        return false;
    };
    let mut keys: Vec<&String> = map.keys().collect();
    keys.sort_by(|a, b| jcs::cmp_utf16(a, b));
    let n = keys.len();
    let rot = (order_seed as usize) % n.max(1);
    let mut rotated: Vec<&String> = keys[rot..].to_vec();
    rotated.extend_from_slice(&keys[..rot]);
    if order_seed % 2 == 1 {
        rotated.reverse();
    }
    out.push(b'{');
    for (i, k) in rotated.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend(jcs::encode(&serde_json::Value::String((*k).clone())).unwrap());
        out.push(b':');
        out.extend(jcs::encode(&map[*k]).unwrap());
    }
    out.push(b'}');
    rotated != keys
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
    fn any_whitespace_is_refused(i in 0usize..1000, gap in 0usize..1000, ws in prop::sample::select(vec![" ", "\n", "\t", "\r", "  "])) {
        let evs = events();
        let bytes = &evs[i % evs.len()];
        let gaps = token_gaps(bytes);
        let at = gaps[gap % gaps.len()];
        let mut spaced = bytes[..at].to_vec();
        spaced.extend_from_slice(ws.as_bytes());
        spaced.extend_from_slice(&bytes[at..]);
        let err = jcs::check(&spaced).unwrap_err();
        prop_assert_eq!(err.offset, at);
        prop_assert!(Event::decode(&spaced).is_err());
    }

    #[test]
    fn any_reordering_is_refused(i in 0usize..1000, seed in 1u64..1000) {
        let evs = events();
        let bytes = &evs[i % evs.len()];
        let v: serde_json::Value = serde_json::from_slice(bytes).unwrap();
        let mut out = Vec::new();
        if write_obj_in_order(&v, seed, &mut out) {
            prop_assert!(jcs::check(&out).is_err());
            prop_assert!(Event::decode(&out).is_err());
            // Same content, so it parses to the same value: only the form is wrong.
            let back: serde_json::Value = serde_json::from_slice(&out).unwrap();
            prop_assert_eq!(back, v);
        }
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
