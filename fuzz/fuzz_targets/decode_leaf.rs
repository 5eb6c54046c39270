//! Decodes arbitrary bytes as a leaf; whatever decodes must re-encode to the same bytes.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(leaf) = ledger_core::leaf::Leaf::decode(data) {
        assert_eq!(leaf.encode(), data);
    }
});
