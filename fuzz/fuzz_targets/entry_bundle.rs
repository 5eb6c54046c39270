//! Parses arbitrary bytes as an entry bundle (`spec/log.md` section 6), its
//! width taken from the first byte; whatever parses holds exactly that many
//! leaves and re-encodes to the same bytes, and checking it against the
//! level-0 tile of its own leaf hashes succeeds.
#![no_main]
use ledger_core::hash::leaf_hash;
use ledger_core::tiles::{Tile, check_entry_bundle, encode_entry_bundle, parse_entry_bundle};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&w, bytes)) = data.split_first() else {
        return;
    };
    let Some(tile) = Tile::entries(7, u16::from(w) + 1) else {
        return;
    };
    if let Ok(leaves) = parse_entry_bundle(&tile, bytes) {
        assert_eq!(leaves.len(), usize::from(tile.width));
        assert_eq!(encode_entry_bundle(&tile, &leaves).unwrap(), bytes);
        let level0: Vec<u8> = leaves.iter().flat_map(|l| leaf_hash(l).0).collect();
        assert!(check_entry_bundle(&tile, bytes, &level0).is_ok());
    }
});
