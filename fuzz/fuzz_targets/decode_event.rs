//! Decodes arbitrary bytes as an event; whatever decodes must re-encode to the same bytes.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let canonical = ledger_core::jcs::check(data).is_ok();
    if let Ok(ev) = ledger_core::event::Event::decode(data) {
        assert!(canonical);
        assert_eq!(ev.encode().expect("encodes"), data);
    }
});
