//! Parses arbitrary text as a C2SP tile path (`spec/log.md` section 6);
//! whatever parses must be in canonical form: formatting it gives the input.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(s) = std::str::from_utf8(data)
        && let Ok(tile) = s.parse::<ledger_core::tiles::Tile>()
    {
        assert_eq!(tile.to_string(), s);
        assert!((1..=256).contains(&tile.width));
    }
});
