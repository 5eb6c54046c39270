//! The witness vectors (`spec/log.md` section 7): a cosignature from a
//! fixed key, checkpoint and time; `add-checkpoint` requests with the
//! answer to each, one per rule of the section's table, against a stated
//! record and log list; and log lists accepted and refused.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use serde_json::{Value, json};

use super::pretty;
use crate::crypto::SecretKey;
use crate::hash::{Hash, hex_encode, leaf_hash};
use crate::merkle::{MemoryTree, prove_consistency, tree_hash};
use crate::note::{Checkpoint, NoteKey, sign_checkpoint, split_note};
use crate::witness::{AddCheckpoint, Cosigner, LogList, Witness, cosignature_message};
use crate::world::named_key;

/// The origin of the vectors' log.
pub const LOG_ORIGIN: &str = "example.org/log";
/// The vectors' witness name.
pub const WITNESS_NAME: &str = "example.net/witness";
/// The time of every vector's cosignature, seconds since the epoch
/// (2026-01-05T08:00:00Z).
pub const TIME: u64 = 1_767_600_000;

fn log_key() -> SecretKey {
    named_key("witness vectors: log")
}

fn witness_key() -> SecretKey {
    named_key("witness vectors: witness")
}

fn log_list() -> String {
    let nk = NoteKey::new(LOG_ORIGIN, log_key().public()).unwrap_or_else(|e| panic!("{e}"));
    format!(
        "# The log of the witness vectors.\nlogs/v0\n\nvkey {}\nqpd 86400\ncontact ops@example.org\n",
        nk.vkey()
    )
}

/// The vectors' witness over `list`.
fn witness(list: &str) -> Witness {
    let cosigner = Cosigner::new(WITNESS_NAME, witness_key()).unwrap_or_else(|e| panic!("{e}"));
    let logs: LogList = list.parse().unwrap_or_else(|e| panic!("{e}"));
    Witness::new(cosigner, logs)
}

/// A tree of `n` leaves `leaf <i>`, from a `salt`.
fn tree(n: u64, salt: &str) -> MemoryTree {
    let mut t = MemoryTree::new();
    for i in 0..n {
        t.append(leaf_hash(format!("{salt}leaf {i}").as_bytes()));
    }
    t
}

fn checkpoint(origin: &str, size: u64, t: &MemoryTree) -> Checkpoint {
    Checkpoint {
        origin: origin.into(),
        size,
        root: tree_hash(size, t).unwrap_or_else(|e| panic!("{e}")),
    }
}

fn signed(cp: &Checkpoint, key: &SecretKey) -> String {
    sign_checkpoint(cp, key).unwrap_or_else(|e| panic!("{e}"))
}

fn proof(m: u64, n: u64, t: &MemoryTree) -> Vec<Hash> {
    prove_consistency(m, n, t).unwrap_or_else(|e| panic!("{e}"))
}

fn request(old: u64, proof: Vec<Hash>, note: String) -> String {
    AddCheckpoint::new(old, proof, note)
        .unwrap_or_else(|e| panic!("{e}"))
        .to_string()
}

/// Every witness vector: `(path relative to spec/vectors, contents)`.
pub fn witness_vectors(out: &mut Vec<(String, String)>) {
    cosignature_vector(out);
    add_checkpoint_vectors(out);
    log_list_vectors(out);
}

fn cosignature_vector(out: &mut Vec<(String, String)>) {
    let t = tree(13, "");
    let note = signed(&checkpoint(LOG_ORIGIN, 13, &t), &log_key());
    let w = witness(&log_list());
    let text = split_note(&note)
        .map(|(t, _)| t.to_string())
        .unwrap_or_default();
    let cosigned = w
        .add_checkpoint(request(0, vec![], note.clone()).as_bytes(), None, TIME)
        .unwrap_or_else(|e| panic!("{e}"));
    let log_vkey = NoteKey::new(LOG_ORIGIN, log_key().public()).unwrap_or_else(|e| panic!("{e}"));
    let v = json!({
        "description": "a cosignature/v1 line (spec/log.md section 7): the witness key from its seed, its name and vkey (type 0x04), the checkpoint note of a log, the time; the exact message signed (the note text after the two header lines) and the line, and the cosigned note any C2SP note verifier opens with either vkey",
        "witness_name": WITNESS_NAME,
        "witness_seed_hex": hex_encode(&witness_key().seed()),
        "witness_public_key_hex": hex_encode(&witness_key().public().0),
        "witness_vkey": w.key().vkey(),
        "log_vkey": log_vkey.vkey(),
        "checkpoint": note,
        "text": text,
        "time": TIME,
        "message": cosignature_message(&text, TIME),
        "line": cosigned.line,
        "cosigned_note": format!("{note}{}", cosigned.line),
    });
    out.push(("cosignature/cosignature.json".into(), pretty(&v)));
}

/// One request case: its name, what it shows, the list, the record before,
/// and the body.
struct Case {
    name: &'static str,
    description: &'static str,
    list: String,
    record: Option<String>,
    body: String,
}

fn add_checkpoint_vectors(out: &mut Vec<(String, String)>) {
    let list = log_list();
    let w = witness(&list);
    let key = log_key();
    let t = tree(20, "");
    let note = |n: u64| signed(&checkpoint(LOG_ORIGIN, n, &t), &key);
    let first = |n: u64| {
        w.add_checkpoint(request(0, vec![], note(n)).as_bytes(), None, TIME - 60)
            .map(|c| c.record)
            .unwrap_or_else(|e| panic!("{e}"))
    };
    let (r8, r13) = (Some(first(8)), Some(first(13)));
    let good = request(8, proof(8, 13, &t), note(13));
    let mut bad_proof = proof(8, 13, &t);
    bad_proof[0].0[0] ^= 1;
    let other = tree(8, "other ");
    let other_root = signed(&checkpoint(LOG_ORIGIN, 8, &other), &key);
    let bad_sig = {
        let n = note(13);
        let (text, sigs) = split_note(&n).unwrap_or_else(|e| panic!("{e}"));
        let mut blob = sigs[0].key_hash.to_be_bytes().to_vec();
        let mut sig = sigs[0].sig.clone();
        sig[10] ^= 0x40;
        blob.extend_from_slice(&sig);
        format!("{text}\n\u{2014} {LOG_ORIGIN} {}\n", B64.encode(blob))
    };
    let with_other_cosig = {
        let stranger = Cosigner::new("example.com/another-witness", named_key("stranger"))
            .unwrap_or_else(|e| panic!("{e}"));
        let n = note(13);
        let text = split_note(&n)
            .map(|(t, _)| t.to_string())
            .unwrap_or_default();
        let line = stranger.cosign(&text, TIME).unwrap_or_default();
        format!("{n}{line}")
    };
    let hash_line = format!("{}\n", Hash::empty().to_base64());
    let cp13 = note(13);
    let empty_root_wrong = Checkpoint {
        origin: LOG_ORIGIN.into(),
        size: 0,
        root: t.root(),
    };
    let unsigned_text = {
        let text = format!("{LOG_ORIGIN}\n13\n");
        let nk = NoteKey::new(LOG_ORIGIN, key.public()).unwrap_or_else(|e| panic!("{e}"));
        let mut blob = nk.key_hash.to_be_bytes().to_vec();
        blob.extend_from_slice(&key.sign_raw(text.as_bytes()));
        format!("{text}\n\u{2014} {LOG_ORIGIN} {}\n", B64.encode(blob))
    };
    let l = || list.clone();
    let cases = vec![
        Case {
            name: "200-first-use",
            description: "nothing cosigned yet, old 0, no proof: the checkpoint is trusted on first use",
            list: l(),
            record: None,
            body: request(0, vec![], note(8)),
        },
        Case {
            name: "200-consistent",
            description: "the cosigned checkpoint has size 8; a consistency proof from 8 to 13",
            list: l(),
            record: r8.clone(),
            body: good.clone(),
        },
        Case {
            name: "200-same-checkpoint",
            description: "the checkpoint cosigned last again (old equals the size, no proof): cosigned again at the new time",
            list: l(),
            record: r8.clone(),
            body: request(8, vec![], note(8)),
        },
        Case {
            name: "200-empty-tree",
            description: "a checkpoint of size 0 with the empty tree's root",
            list: l(),
            record: None,
            body: request(0, vec![], note(0)),
        },
        Case {
            name: "200-other-cosignature-ignored",
            description: "the checkpoint carries another witness's cosignature: ignored, and not kept in the record",
            list: l(),
            record: r8.clone(),
            body: request(8, proof(8, 13, &t), with_other_cosig),
        },
        Case {
            name: "400-no-old-line",
            description: "the body does not start with `old <size>`",
            list: l(),
            record: r8.clone(),
            body: good.replacen("old 8\n", "", 1),
        },
        Case {
            name: "400-old-leading-zero",
            description: "the old size has a leading zero",
            list: l(),
            record: r8.clone(),
            body: good.replacen("old 8\n", "old 08\n", 1),
        },
        Case {
            name: "400-64-proof-lines",
            description: "64 consistency proof lines: C2SP allows at most 63",
            list: l(),
            record: r8.clone(),
            body: format!("old 8\n{}\n{cp13}", hash_line.repeat(64)),
        },
        Case {
            name: "400-proof-line-not-a-hash",
            description: "a proof line that is base64 of 31 bytes",
            list: l(),
            record: r8.clone(),
            body: format!("old 8\n{}\n\n{cp13}", B64.encode([0u8; 31])),
        },
        Case {
            name: "400-no-empty-line",
            description: "no empty line between the proof and the checkpoint",
            list: l(),
            record: r8.clone(),
            body: good.replacen("\n\n", "\n", 1),
        },
        Case {
            name: "400-not-a-checkpoint",
            description: "a signed note whose text lacks the root line",
            list: l(),
            record: r8.clone(),
            body: format!("old 8\n\n{unsigned_text}"),
        },
        Case {
            name: "400-old-larger-than-size",
            description: "old 14 for a checkpoint of size 13 (checked after the signature, as C2SP orders it)",
            list: l(),
            record: r8.clone(),
            body: request(14, vec![], note(13)),
        },
        Case {
            name: "403-bad-signature",
            description: "the line from the log's key (its name and key hash) does not verify",
            list: l(),
            record: r8.clone(),
            body: request(8, proof(8, 13, &t), bad_sig),
        },
        Case {
            name: "403-wrong-key",
            description: "signed by another key under the log's name: the line is ignored, so no signature from the log's key",
            list: l(),
            record: r8.clone(),
            body: request(
                8,
                proof(8, 13, &t),
                signed(&checkpoint(LOG_ORIGIN, 13, &t), &named_key("not the log")),
            ),
        },
        Case {
            name: "404-unknown-origin",
            description: "a checkpoint of a log the list does not name",
            list: l(),
            record: None,
            body: request(
                0,
                vec![],
                signed(&checkpoint("example.org/other", 8, &t), &key),
            ),
        },
        Case {
            name: "404-empty-list",
            description: "with an empty log list every well-formed request is a 404",
            list: "logs/v0\n".into(),
            record: None,
            body: request(0, vec![], note(8)),
        },
        Case {
            name: "409-stale",
            description: "the witness cosigned size 13 already; a request from 8 gets the witness's size",
            list: l(),
            record: r13.clone(),
            body: good.clone(),
        },
        Case {
            name: "409-nothing-cosigned",
            description: "nothing cosigned yet, old 8: the witness's size is 0",
            list: l(),
            record: None,
            body: good.clone(),
        },
        Case {
            name: "422-bad-proof",
            description: "the consistency proof from 8 to 13 with one bit flipped",
            list: l(),
            record: r8.clone(),
            body: request(8, bad_proof, note(13)),
        },
        Case {
            name: "422-proof-from-zero",
            description: "old 0 with a non-empty proof",
            list: l(),
            record: None,
            body: request(0, proof(8, 13, &t), note(13)),
        },
        Case {
            name: "422-same-size-other-root",
            description: "the size cosigned last with another root: a fork",
            list: l(),
            record: r8.clone(),
            body: request(8, vec![], other_root),
        },
        Case {
            name: "422-empty-tree-wrong-root",
            description: "a checkpoint of size 0 whose root is not SHA-256 of the empty string",
            list: l(),
            record: None,
            body: request(0, vec![], signed(&empty_root_wrong, &key)),
        },
    ];
    for c in cases {
        let w = witness(&c.list);
        let answer = w.add_checkpoint(c.body.as_bytes(), c.record.as_deref(), TIME);
        let (status, content_type, response, after) = match &answer {
            Ok(ok) => (
                200,
                crate::witness::TEXT_MEDIA_TYPE,
                ok.line.clone(),
                Some(ok.record.clone()),
            ),
            Err(e) => (e.status(), e.content_type(), e.body(), c.record.clone()),
        };
        let expected = c.name[..3].parse::<u16>().unwrap_or_default();
        assert_eq!(status, expected, "vector {}: {answer:?}", c.name);
        let v = json!({
            "description": c.description,
            "witness_seed_hex": hex_encode(&witness_key().seed()),
            "witness_name": WITNESS_NAME,
            "witness_vkey": w.key().vkey(),
            "log_list": c.list,
            "record": c.record,
            "time": TIME,
            "body": c.body,
            "status": status,
            "content_type": content_type,
            "response": response,
            "record_after": after,
        });
        out.push((
            format!("cosignature/add-checkpoint/{}.json", c.name),
            pretty(&v),
        ));
    }
}

fn log_list_vectors(out: &mut Vec<(String, String)>) {
    let vkey = NoteKey::new(LOG_ORIGIN, log_key().public())
        .unwrap_or_else(|e| panic!("{e}"))
        .vkey();
    let other = NoteKey::new("example.com/log2", named_key("log2").public())
        .unwrap_or_else(|e| panic!("{e}"))
        .vkey();
    let witness_vkey = witness(&log_list()).key().vkey();
    let cases: Vec<(&str, &str, String)> = vec![
        (
            "valid",
            "comments, blank lines and indentation are skipped; the second log names an origin other than its key name",
            format!(
                "# a list\n  logs/v0\n\n# first\nvkey {vkey}\nqpd 86400\ncontact ops@example.org\n\n   vkey {other}\norigin a legacy origin line\nqpd 24\ncontact sysadmin (at) example.com | https://example.com/#contact\n"
            ),
        ),
        ("valid-empty", "a list of no log", "logs/v0\n".into()),
        (
            "no-header",
            "the first line is not logs/v0",
            format!("vkey {vkey}\nqpd 1\ncontact x\n"),
        ),
        (
            "out-of-order",
            "contact before qpd",
            format!("logs/v0\nvkey {vkey}\ncontact x\nqpd 1\n"),
        ),
        (
            "qpd-zero",
            "qpd is 1 to 2^31 - 1",
            format!("logs/v0\nvkey {vkey}\nqpd 0\ncontact x\n"),
        ),
        (
            "qpd-too-large",
            "qpd is 1 to 2^31 - 1",
            format!("logs/v0\nvkey {vkey}\nqpd 2147483648\ncontact x\n"),
        ),
        (
            "qpd-fraction",
            "qpd is an integer",
            format!("logs/v0\nvkey {vkey}\nqpd 0.5\ncontact x\n"),
        ),
        (
            "duplicate-origin",
            "two logs with one origin",
            format!(
                "logs/v0\nvkey {vkey}\nqpd 1\ncontact x\nvkey {other}\norigin {LOG_ORIGIN}\nqpd 1\ncontact y\n"
            ),
        ),
        (
            "unknown-keyword",
            "a keyword the format does not have",
            format!("logs/v0\nvkey {vkey}\nqpd 1\nemail x\n"),
        ),
        (
            "incomplete",
            "the last log has no contact",
            format!("logs/v0\nvkey {vkey}\nqpd 1\n"),
        ),
        (
            "cosignature-vkey",
            "a vkey of type 0x04 (a witness's) is not a log's key",
            format!("logs/v0\nvkey {witness_vkey}\nqpd 1\ncontact x\n"),
        ),
        (
            "second-header",
            "logs/v0 twice",
            "logs/v0\nlogs/v0\n".into(),
        ),
    ];
    for (name, description, text) in cases {
        let parsed = text.parse::<LogList>();
        let result: Value = match &parsed {
            Ok(list) => json!({
                "ok": true,
                "logs": list.logs().iter().map(|l| json!({
                    "origin": l.origin, "vkey": l.key.vkey(), "qpd": l.qpd, "contact": l.contact,
                })).collect::<Vec<_>>(),
            }),
            Err(e) => json!({"ok": false, "line": e.line, "error": e.to_string()}),
        };
        assert_eq!(
            parsed.is_ok(),
            name.starts_with("valid"),
            "log list vector {name}: {parsed:?}"
        );
        let mut v = json!({"description": description, "text": text});
        if let (Some(m), Some(r)) = (v.as_object_mut(), result.as_object()) {
            m.extend(r.clone());
        }
        out.push((format!("cosignature/log-list/{name}.json"), pretty(&v)));
    }
}
