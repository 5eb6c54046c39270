//! Parses arbitrary bytes as a C2SP tlog-witness `add-checkpoint` body
//! (`spec/log.md` section 7): whatever parses re-encodes to the same bytes,
//! and a witness following the log of the cosignature vectors answers it
//! without panicking; a body it cosigns gets a line that verifies.
#![no_main]
use ledger_core::note::split_note;
use ledger_core::witness::{AddCheckpoint, Cosigner, Witness, verify_cosignature};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(req) = AddCheckpoint::parse(data) {
        assert_eq!(req.to_string().as_bytes(), data);
        assert!(req.proof().len() <= ledger_core::witness::MAX_PROOF_LINES);
    }
    // The log of `spec/vectors/cosignature/`, so its bodies are seeds.
    let log = ledger_core::world::named_key("witness vectors: log").public();
    let vkey = ledger_core::note::NoteKey::new("example.org/log", log).unwrap();
    let list = format!("logs/v0\nvkey {vkey}\nqpd 1\ncontact x\n");
    let cosigner = Cosigner::new(
        "example.net/witness",
        ledger_core::world::named_key("witness vectors: witness"),
    )
    .unwrap();
    let w = Witness::new(cosigner, list.parse().unwrap());
    if let Ok(c) = w.add_checkpoint(data, None, 1) {
        let req = AddCheckpoint::parse(data).unwrap();
        let (text, _) = split_note(req.note()).unwrap();
        assert_eq!(verify_cosignature(text, &c.line, w.key()), Ok(1));
    }
});
