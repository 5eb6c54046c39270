//! The sled store's event index: event hash to entry index, kept beside
//! sled rather than in it (`spec/storage.md`, "The index").
//!
//! Every entry adds one lookup key, and event hashes are random, so in a
//! B-tree they land on a different page each time, and sled rewrites pages
//! and keeps a page-table slot per page in memory (at 1,018,511 entries,
//! moving this index and the per-figure keys out shrank sled's file from
//! 582 to 225 MB; `ARCHITECTURE.md`, "Storage"). Here the hashes sit in
//! a flat file, `index/events.hashes`, 32 bytes per entry at `32 × index`,
//! and memory holds a compact table of 8 bytes per entry that names the
//! candidate entries for a hash; the file confirms the candidate. The file
//! is appended without syncing and, like the Merkle hashes file, is checked
//! against the journal at every start-up and rewritten if it differs.

use std::path::Path;
use std::sync::RwLock;

use ledger_core::hash::Hash;
use ledger_core::state::StateError;

use crate::hashfile::HashFile;

/// Bits of the entry index in a table word; the rest is the fingerprint.
const INDEX_BITS: u32 = 40;
const INDEX_MASK: u64 = (1 << INDEX_BITS) - 1;
/// Shards, chosen by the hash's first two bytes.
const SHARDS: usize = 1 << 16;

/// Entries the index can hold (2^40, about 1.1 × 10^12).
pub const MAX_ENTRIES: u64 = 1 << INDEX_BITS;

/// The shard (bytes 0-1) and the 24-bit fingerprint (bytes 2-4) of a hash:
/// 40 bits in all, so a hash not in a log of n entries finds a candidate
/// with probability n / 2^40 and costs one 32-byte read to rule it out.
fn split(h: &Hash) -> (usize, u64) {
    let shard = usize::from(u16::from_be_bytes([h.0[0], h.0[1]]));
    let fp = (u64::from(h.0[2]) << 16) | (u64::from(h.0[3]) << 8) | u64::from(h.0[4]);
    (shard, fp)
}

/// Each shard is a sorted list of `fingerprint << 40 | index` words.
struct Table {
    shards: Vec<Vec<u64>>,
}

impl Table {
    fn new() -> Table {
        Table {
            shards: vec![Vec::new(); SHARDS],
        }
    }

    fn candidates(&self, h: &Hash) -> impl Iterator<Item = u64> + '_ {
        let (s, fp) = split(h);
        let v = &self.shards[s];
        let lo = v.partition_point(|w| w >> INDEX_BITS < fp);
        v[lo..]
            .iter()
            .take_while(move |w| *w >> INDEX_BITS == fp)
            .map(|w| w & INDEX_MASK)
    }

    fn insert(&mut self, h: &Hash, index: u64) {
        let (s, fp) = split(h);
        let word = (fp << INDEX_BITS) | index;
        let v = &mut self.shards[s];
        if let Err(p) = v.binary_search(&word) {
            v.insert(p, word);
        }
    }

    /// Builds the table for `hashes` (entry `i` has hash `hashes[i]`).
    fn build(hashes: impl Iterator<Item = Hash>) -> Table {
        let mut t = Table::new();
        for (i, h) in hashes.enumerate() {
            let (s, fp) = split(&h);
            t.shards[s].push((fp << INDEX_BITS) | i as u64);
        }
        for v in &mut t.shards {
            v.sort_unstable();
            v.shrink_to_fit();
        }
        t
    }
}

/// The event index: the hashes file and the table over it.
pub struct EventIndex {
    file: HashFile,
    table: RwLock<Table>,
}

impl EventIndex {
    /// Opens (or creates) the hashes file at `path` and builds the table
    /// from every whole hash in it.
    ///
    /// # Errors
    /// I/O.
    pub fn open(path: &Path) -> Result<EventIndex, StateError> {
        let file = HashFile::open(path)?;
        let table = Table::build(file.read_all()?.into_iter());
        Ok(EventIndex {
            file,
            table: RwLock::new(table),
        })
    }

    fn table_mut(&self) -> Result<std::sync::RwLockWriteGuard<'_, Table>, StateError> {
        self.table
            .write()
            .map_err(|_| StateError("event index lock poisoned".into()))
    }

    /// Bytes on disk.
    pub fn disk_bytes(&self) -> u64 {
        self.file.disk_bytes()
    }

    /// The entry whose event hash is `h`.
    ///
    /// # Errors
    /// I/O.
    pub fn get(&self, h: &Hash) -> Result<Option<u64>, StateError> {
        let candidates: Vec<u64> = self
            .table
            .read()
            .map_err(|_| StateError("event index lock poisoned".into()))?
            .candidates(h)
            .collect();
        for i in candidates {
            if self.file.read(i)?.as_ref() == Some(h) {
                return Ok(Some(i));
            }
        }
        Ok(None)
    }

    /// Records that entry `index` has event hash `h`, for each pair: the
    /// file first, so a reader that finds the table word can confirm it.
    /// A run of consecutive entries (a group commit's) is one write.
    /// Recording the same pairs again is harmless (replay after a crash).
    ///
    /// # Errors
    /// An index beyond `MAX_ENTRIES`; I/O.
    pub fn put(&self, items: &[(Hash, u64)]) -> Result<(), StateError> {
        if let Some((_, index)) = items.iter().find(|(_, i)| *i >= MAX_ENTRIES) {
            return Err(StateError(format!(
                "entry {index} is beyond the event index's limit of {MAX_ENTRIES} entries"
            )));
        }
        let mut rest = items;
        while let Some((_, first)) = rest.first() {
            let run = rest
                .iter()
                .zip(*first..)
                .take_while(|((_, i), want)| i == want)
                .count();
            let hashes: Vec<Hash> = rest[..run].iter().map(|(h, _)| *h).collect();
            self.file.write(*first, &hashes)?;
            rest = &rest[run..];
        }
        let mut t = self.table_mut()?;
        for (h, index) in items {
            t.insert(h, *index);
        }
        Ok(())
    }

    /// Makes the index hold exactly `events` (the event hashes of the
    /// indexed entries, in order), rewriting it if the file differs from
    /// them anywhere. Returns whether it rewrote.
    ///
    /// # Errors
    /// I/O.
    pub fn repair(&self, events: &[Hash]) -> Result<bool, StateError> {
        let have = self.file.read_all()?;
        let n = events.len() as u64;
        if have.len() >= events.len() && have[..events.len()] == *events {
            if have.len() > events.len() {
                // Hashes of entries a crash kept out of the index: dropped;
                // catching up writes them again.
                self.file.truncate(n)?;
                *self.table_mut()? = Table::build(events.iter().copied());
            }
            return Ok(false);
        }
        self.file.write(0, events)?;
        self.file.truncate(n)?;
        *self.table_mut()? = Table::build(events.iter().copied());
        Ok(true)
    }

    /// Empties the index.
    ///
    /// # Errors
    /// I/O.
    pub fn clear(&self) -> Result<(), StateError> {
        self.file.truncate(0)?;
        *self.table_mut()? = Table::new();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ledger_core::hash::sha256;
    use std::path::PathBuf;

    fn dir(tag: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("madini-events-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    fn h(i: u64) -> Hash {
        sha256(&i.to_be_bytes())
    }

    #[test]
    fn finds_what_it_holds_and_nothing_else_across_reopen_and_repair() {
        let d = dir("basic");
        let path = d.join("events.hashes");
        let ix = EventIndex::open(&path).unwrap();
        let items: Vec<(Hash, u64)> = (0..5000).map(|i| (h(i), i)).collect();
        ix.put(&items[..3000]).unwrap();
        ix.put(&items[2000..]).unwrap();
        for i in (0..5000).step_by(7) {
            assert_eq!(ix.get(&h(i)).unwrap(), Some(i));
        }
        assert_eq!(ix.get(&h(5000)).unwrap(), None);
        // Runs with gaps between them are each written where they belong.
        let gaps: Vec<(Hash, u64)> = [7000u64, 7001, 7002, 6000, 6001, 9000]
            .into_iter()
            .map(|i| (h(i), i))
            .collect();
        ix.put(&gaps).unwrap();
        for (hash, i) in &gaps {
            assert_eq!(ix.get(hash).unwrap(), Some(*i));
            assert_eq!(ix.file.read(*i).unwrap(), Some(*hash));
        }
        ix.file.truncate(5000).unwrap();
        drop(ix);
        let ix = EventIndex::open(&path).unwrap();
        assert_eq!(ix.file.count().unwrap(), 5000);
        assert_eq!(ix.get(&h(4999)).unwrap(), Some(4999));
        // Repair to a shorter prefix drops the rest, from file and table.
        let events: Vec<Hash> = (0..4000).map(h).collect();
        assert!(!ix.repair(&events).unwrap());
        assert_eq!(ix.file.count().unwrap(), 4000);
        assert_eq!(ix.get(&h(4500)).unwrap(), None);
        // A damaged hash is found and rewritten.
        ix.file.write(17, &[Hash([0u8; 32])]).unwrap();
        assert!(ix.repair(&events).unwrap());
        assert_eq!(ix.get(&h(17)).unwrap(), Some(17));
        ix.clear().unwrap();
        assert_eq!(ix.get(&h(1)).unwrap(), None);
        let _ = std::fs::remove_dir_all(&d);
    }

    #[test]
    fn a_fingerprint_collision_is_settled_by_the_file() {
        let d = dir("collide");
        let ix = EventIndex::open(&d.join("events.hashes")).unwrap();
        // Two hashes equal in their first five bytes: same shard and
        // fingerprint, told apart only by the file.
        let a = h(1);
        let mut b = a;
        b.0[31] ^= 1;
        ix.put(&[(a, 0), (b, 1)]).unwrap();
        assert_eq!(ix.get(&a).unwrap(), Some(0));
        assert_eq!(ix.get(&b).unwrap(), Some(1));
        let mut c = a;
        c.0[20] ^= 1;
        assert_eq!(ix.get(&c).unwrap(), None);
        let _ = std::fs::remove_dir_all(&d);
    }
}
