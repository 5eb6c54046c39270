//! C2SP tlog-tiles (`spec/log.md` section 6): tile paths, hash tiles read
//! from stored hashes, entry bundles, and `TileHashReader`, which checks
//! fetched tiles against a checkpoint before handing out a hash, as Go's
//! `tlog.TileHashReader` does.
//!
//! No I/O: a server reads stored hashes through `merkle::HashReader`, a
//! reader fetches tiles through `TileSource`.

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;
use std::sync::{Arc, Mutex};

use crate::hash::{Hash, leaf_hash, node_hash};
use crate::leaf::{LeafError, LeafRef, MAX_LEAF_BYTES};
use crate::merkle::{HashReader, TreeError};

/// Tile height (`spec/log.md` section 6): a full tile holds `2^HEIGHT`
/// hashes or entries.
pub const HEIGHT: u32 = 8;
/// Hashes, or entries, in a full tile.
pub const FULL_WIDTH: u16 = 1 << HEIGHT;
/// Bytes of a full hash tile.
pub const FULL_HASH_TILE_BYTES: usize = 32 * FULL_WIDTH as usize;
/// The highest level a tile path may name (C2SP: 0 to 63).
pub const MAX_LEVEL: u8 = 63;

// Every leaf fits an entry bundle's 16-bit length.
const _: () = assert!(MAX_LEAF_BYTES <= u16::MAX as usize);

/// What a tile holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TileKind {
    /// Hashes of tree level `8 * L` (`tile/<L>/...`).
    Hashes(u8),
    /// Leaves (`tile/entries/...`).
    Entries,
}

/// One tile: a hash tile or an entry bundle, at its width. `Tile::hashes`,
/// `Tile::entries` and `FromStr` make only tiles that can exist; the fields
/// are public for struct updates (`Tile { width: 256, ..t }`), and every
/// function here also takes a tile made by hand with another width or an
/// index near `u64::MAX` without panicking.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Tile {
    /// Hashes (with the tile level) or entries.
    pub kind: TileKind,
    /// The tile's index within its level.
    pub n: u64,
    /// Hashes or entries it holds: 1 to 255 for a partial tile, 256 for a
    /// full one.
    pub width: u16,
}

impl Tile {
    /// Hash tile `n` of `level`, `width` hashes wide; `None` for a level
    /// above 63 or a width outside 1 to 256.
    pub fn hashes(level: u8, n: u64, width: u16) -> Option<Tile> {
        (level <= MAX_LEVEL && (1..=FULL_WIDTH).contains(&width)).then_some(Tile {
            kind: TileKind::Hashes(level),
            n,
            width,
        })
    }

    /// Entry bundle `n`, `width` entries; `None` for a width outside 1 to
    /// 256.
    pub fn entries(n: u64, width: u16) -> Option<Tile> {
        (1..=FULL_WIDTH).contains(&width).then_some(Tile {
            kind: TileKind::Entries,
            n,
            width,
        })
    }

    /// Whether the tile is full (256 wide).
    pub fn is_full(&self) -> bool {
        self.width == FULL_WIDTH
    }

    /// The tile level `L`: the tile's hashes are of tree level `8 L`; entry
    /// bundles are level 0.
    pub fn level(&self) -> u8 {
        match self.kind {
            TileKind::Hashes(l) => l,
            TileKind::Entries => 0,
        }
    }

    /// The smallest tree that holds every hash or entry of this tile,
    /// `(256 n + width) 256^L`; `None` when that is beyond any tree
    /// (2^64 leaves or more), or for a width or level no tile has.
    pub fn required_size(&self) -> Option<u64> {
        if !(1..=FULL_WIDTH).contains(&self.width) || self.level() > MAX_LEVEL {
            return None;
        }
        let top = self
            .n
            .checked_mul(u64::from(FULL_WIDTH))?
            .checked_add(u64::from(self.width))?;
        let shift = HEIGHT * u32::from(self.level());
        if shift >= 64 {
            return None;
        }
        let size = top.checked_shl(shift)?;
        (size >> shift == top).then_some(size)
    }

    /// Whether a node whose latest checkpoint has `size` leaves serves this
    /// tile (`spec/log.md` section 6, "What a node serves").
    pub fn served_at(&self, size: u64) -> bool {
        self.required_size().is_some_and(|r| r <= size)
    }

    /// For a hash tile, the tree level of its hashes (`8 L`) and the index
    /// of its first hash at that level (`256 n`): hash `i` is the stored
    /// hash at that level, index `256 n + i`. `None` for an entry bundle,
    /// or a tile no tree holds.
    pub fn hash_range(&self) -> Option<(u8, u64)> {
        let TileKind::Hashes(l) = self.kind else {
            return None;
        };
        self.required_size()?;
        Some(((HEIGHT * u32::from(l)) as u8, self.first_leaf()))
    }

    /// Index of the first leaf this tile covers; for entry bundles the
    /// index of its first entry.
    fn first_leaf(&self) -> u64 {
        self.n.saturating_mul(u64::from(FULL_WIDTH))
    }
}

/// The path of Go's `Tile.Path` and C2SP (`tile/0/x001/234.p/5`), without
/// a leading slash.
impl fmt::Display for Tile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            TileKind::Hashes(l) => write!(f, "tile/{l}/")?,
            TileKind::Entries => f.write_str("tile/entries/")?,
        }
        write_index(f, self.n)?;
        if !self.is_full() {
            write!(f, ".p/{}", self.width)?;
        }
        Ok(())
    }
}

fn write_index(f: &mut fmt::Formatter<'_>, n: u64) -> fmt::Result {
    if n >= 1000 {
        write_index_groups(f, n / 1000)?;
    }
    write!(f, "{:03}", n % 1000)
}

fn write_index_groups(f: &mut fmt::Formatter<'_>, n: u64) -> fmt::Result {
    if n >= 1000 {
        write_index_groups(f, n / 1000)?;
    }
    write!(f, "x{:03}/", n % 1000)
}

/// A tile path that is not well formed (`spec/log.md` section 6, "Paths").
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("malformed tile path {path:?}: {why}")]
pub struct PathError {
    /// The path as given.
    pub path: String,
    /// Which rule it breaks.
    pub why: &'static str,
}

/// Reads a tile path (`tile/<L>/<N>[.p/<W>]` or `tile/entries/<N>[.p/<W>]`,
/// no leading slash). Well formed means: encoding the result again gives
/// the same bytes, as Go's `tlog.ParseTilePath` checks.
impl FromStr for Tile {
    type Err = PathError;
    fn from_str(path: &str) -> Result<Tile, PathError> {
        let bad = |why| PathError {
            path: path.to_string(),
            why,
        };
        let mut parts: Vec<&str> = path.split('/').collect();
        if parts.len() < 3 || parts[0] != "tile" {
            return Err(bad("a tile path is tile/<L>/<N> or tile/entries/<N>"));
        }
        let kind = if parts[1] == "entries" {
            TileKind::Entries
        } else {
            let l = decimal(parts[1], 2).ok_or_else(|| bad("the level is 0 to 63"))?;
            let l = u8::try_from(l)
                .ok()
                .filter(|l| *l <= MAX_LEVEL)
                .ok_or_else(|| bad("the level is 0 to 63"))?;
            TileKind::Hashes(l)
        };
        let mut width = FULL_WIDTH;
        let last = parts.len() - 1;
        if let Some(group) = parts[last - 1].strip_suffix(".p") {
            let w = decimal(parts[last], 3)
                .and_then(|w| u16::try_from(w).ok())
                .filter(|w| (1..FULL_WIDTH).contains(w))
                .ok_or_else(|| bad("a partial tile's width is 1 to 255"))?;
            width = w;
            parts[last - 1] = group;
            parts.pop();
        }
        let groups = &parts[2..];
        let mut n: u64 = 0;
        for (i, g) in groups.iter().enumerate() {
            let digits = if i + 1 < groups.len() {
                g.strip_prefix('x')
                    .ok_or_else(|| bad("every group of the index but the last starts with x"))?
            } else {
                g
            };
            if digits.len() != 3 || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad("the index is written in groups of three digits"));
            }
            let v = u64::from(digits.parse::<u16>().map_err(|_| bad("index group"))?);
            n = n
                .checked_mul(1000)
                .and_then(|n| n.checked_add(v))
                .ok_or_else(|| bad("the index is too large"))?;
        }
        let tile = Tile { kind, n, width };
        if tile.to_string() != path {
            return Err(bad("not in canonical form (leading zeros or groups)"));
        }
        Ok(tile)
    }
}

/// A decimal of at most `max_digits` digits, no sign; leading zeros are
/// left to the canonical-form check.
fn decimal(s: &str, max_digits: usize) -> Option<u64> {
    if s.is_empty() || s.len() > max_digits || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// The width of tile `n` of `level` in a tree of `size` leaves (256 for a
/// full tile), or `None` if the tree holds none of it.
pub fn width_at(size: u64, level: u8, n: u64) -> Option<u16> {
    let shift = HEIGHT * u32::from(level);
    if shift >= 64 {
        return None;
    }
    let at_level = size >> shift;
    let start = n.checked_mul(u64::from(FULL_WIDTH))?;
    let have = at_level.checked_sub(start).filter(|h| *h > 0)?;
    Some(have.min(u64::from(FULL_WIDTH)) as u16)
}

/// The tiles to publish when a log grows from `old` to `new` leaves: the
/// hash tiles and entry bundles that became full, then the partial tiles of
/// `new` (`spec/log.md` section 6, "Which tiles exist"). From 0, every tile
/// of the tree. Level by level, hash tiles before entry bundles.
pub fn new_tiles(old: u64, new: u64) -> Vec<Tile> {
    let mut out = Vec::new();
    let old = old.min(new);
    for level in 0..=MAX_LEVEL {
        let shift = HEIGHT * u32::from(level);
        if shift >= 64 || new >> shift == 0 {
            break;
        }
        push_level(&mut out, old >> shift, new >> shift, |n, w| {
            Tile::hashes(level, n, w)
        });
    }
    push_level(&mut out, old, new, Tile::entries);
    out
}

/// The tiles of one level between `old` and `new` hashes at that level.
fn push_level(out: &mut Vec<Tile>, old: u64, new: u64, make: impl Fn(u64, u16) -> Option<Tile>) {
    let full = u64::from(FULL_WIDTH);
    for n in old / full..new / full {
        out.extend(make(n, FULL_WIDTH));
    }
    let w = (new % full) as u16;
    if w > 0 {
        out.extend(make(new / full, w));
    }
}

/// The partial tiles of a tree of `size` leaves (hash tiles and entry
/// bundles): the ones its checkpoint makes a log serve, and whose hashes
/// combine to the tree's root.
pub fn partial_tiles(size: u64) -> Vec<Tile> {
    new_tiles(size, size)
}

/// Why a hash tile could not be read or did not check.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TileError {
    /// Asked for the hashes of an entry bundle, or the reverse.
    #[error("{tile} is not a {want}")]
    Kind {
        /// The tile.
        tile: Tile,
        /// What was needed.
        want: &'static str,
    },
    /// The tile is beyond the tree (`spec/log.md`: the node answers 404).
    #[error("{tile} is not in a tree of {size} leaves")]
    NotInTree {
        /// The tile.
        tile: Tile,
        /// The tree size.
        size: u64,
    },
    /// Fetched bytes of the wrong length.
    #[error("{tile} is {got} bytes; it must be {want}")]
    Size {
        /// The tile.
        tile: Tile,
        /// Bytes received.
        got: usize,
        /// Bytes its width makes.
        want: usize,
    },
    /// A full tile whose hashes do not hash to its parent's.
    #[error("{tile} does not match the checkpoint of tree size {size}")]
    Mismatch {
        /// The tile.
        tile: Tile,
        /// The checkpoint's tree size.
        size: u64,
    },
    /// The partial tiles of the checkpoint's size do not give its root (one
    /// or more of them is wrong; which one cannot be told).
    #[error("the partial tiles of tree size {size} ({tiles}) do not give the checkpoint's root")]
    Root {
        /// The checkpoint's tree size.
        size: u64,
        /// The tiles, by path, separated by commas.
        tiles: String,
    },
    /// The source could not give the tile.
    #[error("{tile}: {reason}")]
    Fetch {
        /// The tile.
        tile: Tile,
        /// The source's reason.
        reason: String,
    },
    /// An entry bundle did not parse or check.
    #[error(transparent)]
    Entries(#[from] EntryBundleError),
    /// Stored hashes could not be read (a server reading its own tree).
    #[error(transparent)]
    Tree(#[from] TreeError),
}

/// Reads hash tile `tile` of a tree of `size` leaves from its stored
/// hashes: `W` hashes of tree level `8 L`, indexes `256 n` onwards, 32
/// bytes each (`spec/log.md` section 6, "Contents").
///
/// # Errors
/// `Kind` for an entry bundle, `NotInTree` for a tile the tree of `size`
/// does not hold, `Tree` when a stored hash cannot be read.
pub fn read_hash_tile(
    tile: &Tile,
    size: u64,
    reader: &(impl HashReader + ?Sized),
) -> Result<Vec<u8>, TileError> {
    if tile.kind == TileKind::Entries {
        return Err(TileError::Kind {
            tile: *tile,
            want: "hash tile",
        });
    }
    let Some((tree_level, first)) = tile.hash_range().filter(|_| tile.served_at(size)) else {
        return Err(TileError::NotInTree { tile: *tile, size });
    };
    let mut out = Vec::with_capacity(32 * usize::from(tile.width));
    for i in 0..u64::from(tile.width) {
        out.extend_from_slice(&reader.read_hash(tree_level, first + i)?.0);
    }
    Ok(out)
}

/// Why an entry bundle was refused. Each names the bundle or the entry by
/// its index in the log.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EntryBundleError {
    /// Not an entry bundle.
    #[error("{0} is not an entry bundle")]
    NotEntries(Tile),
    /// An entry's length or bytes are cut short, or missing altogether.
    #[error("{tile}: entry {entry} is cut short")]
    Truncated {
        /// The bundle.
        tile: Tile,
        /// The entry's index in the log.
        entry: u64,
    },
    /// Bytes after the bundle's last entry.
    #[error("{tile}: {bytes} bytes after its last entry, {last}")]
    Extra {
        /// The bundle.
        tile: Tile,
        /// Bytes left over.
        bytes: usize,
        /// The index of the last entry.
        last: u64,
    },
    /// An entry that is not a leaf (`spec/log.md` section 1).
    #[error("{tile}: entry {entry}: {error}")]
    Leaf {
        /// The bundle.
        tile: Tile,
        /// The entry's index in the log.
        entry: u64,
        /// Why it is not a leaf.
        error: LeafError,
    },
    /// An entry whose leaf hash is not the level-0 tile's.
    #[error("{tile}: entry {entry} does not match its hash in tile/0")]
    Mismatch {
        /// The bundle.
        tile: Tile,
        /// The entry's index in the log.
        entry: u64,
    },
    /// Encoding: a number of leaves other than the bundle's width.
    #[error("{tile} holds {want} entries, not {got}")]
    Count {
        /// The bundle.
        tile: Tile,
        /// Leaves given.
        got: usize,
        /// The width.
        want: usize,
    },
    /// Encoding: a leaf longer than a 16-bit length holds.
    #[error("{tile}: entry {entry} is {len} bytes; an entry is at most 65535")]
    TooLong {
        /// The bundle.
        tile: Tile,
        /// The entry's index in the log.
        entry: u64,
        /// Its length.
        len: usize,
    },
    /// Checking: the level-0 tile given is not `32 W` bytes.
    #[error("{tile}: the level-0 tile to check it against is {got} bytes, not {want}")]
    HashTile {
        /// The bundle.
        tile: Tile,
        /// Bytes given.
        got: usize,
        /// Bytes wanted.
        want: usize,
    },
}

/// Encodes entry bundle `tile` from its leaves: each leaf's length as a
/// big-endian `u16`, then the leaf (`spec/log.md` section 6).
///
/// # Errors
/// `NotEntries`, `Count` unless exactly `tile.width` leaves are given,
/// `TooLong` for a leaf above 65 535 bytes.
pub fn encode_entry_bundle<B: AsRef<[u8]>>(
    tile: &Tile,
    leaves: &[B],
) -> Result<Vec<u8>, EntryBundleError> {
    if tile.kind != TileKind::Entries {
        return Err(EntryBundleError::NotEntries(*tile));
    }
    if leaves.len() != usize::from(tile.width) {
        return Err(EntryBundleError::Count {
            tile: *tile,
            got: leaves.len(),
            want: usize::from(tile.width),
        });
    }
    let total: usize = leaves.iter().map(|l| 2 + l.as_ref().len()).sum();
    let mut out = Vec::with_capacity(total);
    for (i, leaf) in leaves.iter().enumerate() {
        let leaf = leaf.as_ref();
        let len = u16::try_from(leaf.len()).map_err(|_| EntryBundleError::TooLong {
            tile: *tile,
            entry: tile.first_leaf().saturating_add(i as u64),
            len: leaf.len(),
        })?;
        out.extend_from_slice(&len.to_be_bytes());
        out.extend_from_slice(leaf);
    }
    Ok(out)
}

/// Reads entry bundle `tile`: exactly `tile.width` entries, each a length
/// and that many bytes, each a leaf `LeafRef::parse` accepts, and no byte
/// after the last.
///
/// # Errors
/// `NotEntries`, `Truncated`, `Extra`, `Leaf`, each naming the entry.
pub fn parse_entry_bundle<'a>(
    tile: &Tile,
    bytes: &'a [u8],
) -> Result<Vec<&'a [u8]>, EntryBundleError> {
    if tile.kind != TileKind::Entries {
        return Err(EntryBundleError::NotEntries(*tile));
    }
    let first = tile.first_leaf();
    let mut out = Vec::with_capacity(usize::from(tile.width));
    let mut rest = bytes;
    for i in 0..u64::from(tile.width) {
        let entry = first.saturating_add(i);
        let truncated = EntryBundleError::Truncated { tile: *tile, entry };
        let (len, tail) = rest.split_first_chunk::<2>().ok_or(truncated.clone())?;
        let len = usize::from(u16::from_be_bytes(*len));
        if tail.len() < len {
            return Err(truncated);
        }
        let (leaf, tail) = tail.split_at(len);
        LeafRef::parse(leaf).map_err(|error| EntryBundleError::Leaf {
            tile: *tile,
            entry,
            error,
        })?;
        out.push(leaf);
        rest = tail;
    }
    if !rest.is_empty() {
        return Err(EntryBundleError::Extra {
            tile: *tile,
            bytes: rest.len(),
            last: first.saturating_add(u64::from(tile.width).saturating_sub(1)),
        });
    }
    Ok(out)
}

/// Reads entry bundle `tile` and checks every entry against `level0`, the
/// authentic hashes of level-0 tile `tile.n` at the same width.
///
/// # Errors
/// As `parse_entry_bundle`; `HashTile` for a `level0` of the wrong length;
/// `Mismatch` naming the first entry whose leaf hash differs.
pub fn check_entry_bundle<'a>(
    tile: &Tile,
    bytes: &'a [u8],
    level0: &[u8],
) -> Result<Vec<&'a [u8]>, EntryBundleError> {
    let want = 32 * usize::from(tile.width);
    if level0.len() != want {
        return Err(EntryBundleError::HashTile {
            tile: *tile,
            got: level0.len(),
            want,
        });
    }
    let entries = parse_entry_bundle(tile, bytes)?;
    for (i, (leaf, h)) in entries.iter().zip(level0.chunks_exact(32)).enumerate() {
        if leaf_hash(leaf).0 != h {
            return Err(EntryBundleError::Mismatch {
                tile: *tile,
                entry: tile.first_leaf().saturating_add(i as u64),
            });
        }
    }
    Ok(entries)
}

/// The root of a perfect tree whose leaves are the hashes in `data` (a
/// power of two of them), built with the node hash of RFC 6962: what a full
/// tile hashes to in its parent, and any aligned part of a tile.
fn perfect_root(data: &[u8]) -> Hash {
    let mut level: Vec<Hash> = data
        .chunks_exact(32)
        .map(|c| {
            let mut h = [0u8; 32];
            h.copy_from_slice(c);
            Hash(h)
        })
        .collect();
    while level.len() > 1 {
        level = level
            .chunks_exact(2)
            .map(|p| node_hash(&p[0], &p[1]))
            .collect();
    }
    level.pop().unwrap_or_default()
}

/// Where a reader gets tiles: a web server, a directory, a cache. The bytes
/// are untrusted; `TileHashReader` checks them.
pub trait TileSource {
    /// The bytes served for `tile`.
    ///
    /// # Errors
    /// Why they could not be had, in the source's words.
    fn read_tile(&self, tile: &Tile) -> Result<Vec<u8>, String>;
}

impl<F: Fn(&Tile) -> Result<Vec<u8>, String>> TileSource for F {
    fn read_tile(&self, tile: &Tile) -> Result<Vec<u8>, String> {
        self(tile)
    }
}

/// The stored hashes of a tree of `size` leaves with root `root` (a
/// verified checkpoint's), read from the hash tiles of a `TileSource` and
/// checked as `spec/log.md` section 6, "Reading tiles", says: the partial
/// tiles against the root when the reader is made, every full tile against
/// its parent when it is first needed. Every hash it hands out is therefore
/// the tree's, and `merkle`'s proofs and roots can be computed over it.
pub struct TileHashReader<S> {
    size: u64,
    root: Hash,
    source: S,
    /// Checked hash tiles, by (level, index).
    tiles: Mutex<Checked>,
}

/// Hash tiles already checked, by (level, index).
type Checked = HashMap<(u8, u64), Arc<Vec<u8>>>;

impl<S: TileSource> TileHashReader<S> {
    /// Fetches the partial hash tiles of `size` and checks that they give
    /// `root`.
    ///
    /// # Errors
    /// `Fetch`, `Size`, `Root` (the partial tiles do not give the root; for
    /// size 0, a root other than the empty tree's).
    pub fn new(size: u64, root: Hash, source: S) -> Result<TileHashReader<S>, TileError> {
        let r = TileHashReader {
            size,
            root,
            source,
            tiles: Mutex::new(HashMap::new()),
        };
        let partial: Vec<Tile> = partial_tiles(size)
            .into_iter()
            .filter(|t| t.kind != TileKind::Entries)
            .collect();
        for t in &partial {
            let data = r.fetch(t)?;
            r.cache().insert((t.level(), t.n), Arc::new(data));
        }
        let computed = crate::merkle::tree_hash(size, &r)?;
        if computed != root {
            r.cache().clear();
            return Err(TileError::Root {
                size,
                tiles: partial
                    .iter()
                    .map(Tile::to_string)
                    .collect::<Vec<_>>()
                    .join(", "),
            });
        }
        Ok(r)
    }

    /// The tree size.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// The root the tiles were checked against.
    pub fn root(&self) -> Hash {
        self.root
    }

    fn cache(&self) -> std::sync::MutexGuard<'_, Checked> {
        // A panic elsewhere while holding the lock leaves only checked tiles
        // in the map, so its contents stay good.
        self.tiles
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn fetch(&self, tile: &Tile) -> Result<Vec<u8>, TileError> {
        let data = self
            .source
            .read_tile(tile)
            .map_err(|reason| TileError::Fetch {
                tile: *tile,
                reason,
            })?;
        let want = match tile.kind {
            TileKind::Hashes(_) => 32 * usize::from(tile.width),
            TileKind::Entries => data.len(),
        };
        if data.len() != want {
            return Err(TileError::Size {
                tile: *tile,
                got: data.len(),
                want,
            });
        }
        Ok(data)
    }

    /// The checked hashes of hash tile `n` of `level`, at its width in this
    /// tree.
    ///
    /// # Errors
    /// `NotInTree`, `Fetch`, `Size`, `Mismatch` (naming the tile).
    pub fn hash_tile(&self, level: u8, n: u64) -> Result<Arc<Vec<u8>>, TileError> {
        if let Some(d) = self.cache().get(&(level, n)) {
            return Ok(Arc::clone(d));
        }
        let width = width_at(self.size, level, n);
        let tile = width.and_then(|w| Tile::hashes(level, n, w));
        let Some(tile) = tile else {
            return Err(TileError::NotInTree {
                tile: Tile {
                    kind: TileKind::Hashes(level),
                    n,
                    width: FULL_WIDTH,
                },
                size: self.size,
            });
        };
        if !tile.is_full() {
            // Every partial tile of this size was fetched and checked by
            // `new`; one missing from the cache was never part of the root.
            return Err(TileError::Mismatch {
                tile,
                size: self.size,
            });
        }
        let data = self.fetch(&tile)?;
        // A full tile of level L exists only below 2^64 leaves, so its
        // parent's level is at most 7.
        let parent = self.hash_tile(level + 1, n >> HEIGHT)?;
        let at = (n % u64::from(FULL_WIDTH)) as usize * 32;
        if parent.get(at..at + 32) != Some(&perfect_root(&data).0[..]) {
            return Err(TileError::Mismatch {
                tile,
                size: self.size,
            });
        }
        let data = Arc::new(data);
        self.cache().insert((level, n), Arc::clone(&data));
        Ok(data)
    }

    /// Fetches entry bundle `n` (at its width in this tree) and checks every
    /// entry against the checked level-0 tile; the leaves, in order.
    ///
    /// # Errors
    /// `NotInTree`, `Fetch`, the errors of `hash_tile`, and `Entries`
    /// naming the entry that is cut short, extra, not a leaf or wrong.
    pub fn entries(&self, n: u64) -> Result<Vec<Vec<u8>>, TileError> {
        let Some(tile) = width_at(self.size, 0, n).and_then(|w| Tile::entries(n, w)) else {
            return Err(TileError::NotInTree {
                tile: Tile {
                    kind: TileKind::Entries,
                    n,
                    width: FULL_WIDTH,
                },
                size: self.size,
            });
        };
        let level0 = self.hash_tile(0, n)?;
        let bytes = self.fetch(&tile)?;
        let leaves = check_entry_bundle(&tile, &bytes, &level0)?;
        Ok(leaves.into_iter().map(<[u8]>::to_vec).collect())
    }
}

/// Stored hash `(level, index)` of the checked tree: computed from the hash
/// tile of level `level / 8` that holds its `2^(level mod 8)` hashes.
impl<S: TileSource> HashReader for TileHashReader<S> {
    fn read_hash(&self, level: u8, index: u64) -> Result<Hash, TreeError> {
        let missing = TreeError::Missing { level, index };
        // The subtree must be complete in this tree.
        let end = (u128::from(index) + 1) << level.min(64);
        if level >= 64 || end > u128::from(self.size) {
            return Err(missing);
        }
        let tile_level = (u32::from(level) / HEIGHT) as u8;
        let k = u32::from(level) % HEIGHT;
        let first = index << k;
        let n = first >> HEIGHT;
        let offset = (first % u64::from(FULL_WIDTH)) as usize;
        let count = 1usize << k;
        let data = self
            .hash_tile(tile_level, n)
            .map_err(|e| TreeError::Storage(e.to_string()))?;
        let part = data
            .get(offset * 32..(offset + count) * 32)
            .ok_or(missing)?;
        Ok(perfect_root(part))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::merkle::{MemoryTree, prove_consistency, prove_inclusion, subtree_hash, tree_hash};

    fn tree(n: u64) -> MemoryTree {
        crate::merkle::tests::counted_tree(n)
    }

    #[test]
    fn paths_round_trip_and_match_go() {
        let cases = [
            (Tile::hashes(0, 0, 256), "tile/0/000"),
            (Tile::hashes(0, 1, 44), "tile/0/001.p/44"),
            (Tile::hashes(1, 0, 1), "tile/1/000.p/1"),
            (Tile::hashes(3, 1_234_067, 256), "tile/3/x001/x234/067"),
            (Tile::hashes(63, 1000, 255), "tile/63/x001/000.p/255"),
            (Tile::entries(67, 256), "tile/entries/067"),
            (
                Tile::entries(1_234_067, 1),
                "tile/entries/x001/x234/067.p/1",
            ),
            (
                Tile::entries(u64::MAX, 256),
                "tile/entries/x018/x446/x744/x073/x709/x551/615",
            ),
        ];
        for (tile, path) in cases {
            let tile = tile.unwrap();
            assert_eq!(tile.to_string(), path);
            assert_eq!(path.parse::<Tile>(), Ok(tile), "{path}");
        }
    }

    #[test]
    fn near_miss_paths_are_refused() {
        for path in [
            "",
            "tile",
            "tile/0",
            "tile/0/",
            "/tile/0/000",
            "tile/0/000/",
            "tile/00/000",
            "tile/01/000",
            "tile/64/000",
            "tile/-1/000",
            "tile/+1/000",
            "tile/data/000",
            "tile/8/0/000",
            "tile/0/00",
            "tile/0/0000",
            "tile/0/67",
            "tile/0/x067",
            "tile/0/x000/001",
            "tile/0/x1/000",
            "tile/0/001/000",
            "tile/0/x001/x000",
            "tile/0/x001/000x",
            "tile/0/000.p/0",
            "tile/0/000.p/256",
            "tile/0/000.p/07",
            "tile/0/000.p/",
            "tile/0/000.p",
            "tile/0/000.p/1/",
            "tile/0/000.p/1/2",
            "tile/0/000.P/1",
            "tile/0/x001.p/1/000",
            "tile/entries/000.p/300",
            "tile/entries/x018/x446/x744/x073/x709/x551/616",
            "tile/entries/x999/x999/x999/x999/x999/x999/x999/999",
            "tile/ entries/000",
            "tile/0/1e3",
        ] {
            assert!(path.parse::<Tile>().is_err(), "{path:?} parsed");
        }
    }

    #[test]
    fn the_c2sp_example_tree_of_70000() {
        let tiles = new_tiles(0, 70_000);
        let count = |kind, full| {
            tiles
                .iter()
                .filter(|t| t.kind == kind && t.is_full() == full)
                .count()
        };
        assert_eq!(count(TileKind::Hashes(0), true), 273);
        assert_eq!(count(TileKind::Hashes(1), true), 1);
        assert_eq!(count(TileKind::Entries, true), 273);
        let partial: Vec<String> = partial_tiles(70_000).iter().map(Tile::to_string).collect();
        assert_eq!(
            partial,
            [
                "tile/0/273.p/112",
                "tile/1/001.p/17",
                "tile/2/000.p/1",
                "tile/entries/273.p/112"
            ]
        );
        let at256: Vec<String> = new_tiles(0, 256).iter().map(Tile::to_string).collect();
        assert_eq!(at256, ["tile/0/000", "tile/1/000.p/1", "tile/entries/000"]);
        assert!(new_tiles(0, 0).is_empty());
        // Growing: the tiles completed since, and the new partial ones.
        let grown: Vec<String> = new_tiles(200, 300).iter().map(Tile::to_string).collect();
        assert_eq!(
            grown,
            [
                "tile/0/000",
                "tile/0/001.p/44",
                "tile/1/000.p/1",
                "tile/entries/000",
                "tile/entries/001.p/44"
            ]
        );
    }

    #[test]
    fn served_exactly_up_to_the_tree() {
        let t = |l, n, w| Tile::hashes(l, n, w).unwrap();
        assert!(t(0, 0, 200).served_at(200));
        assert!(!t(0, 0, 201).served_at(200));
        assert!(!t(0, 0, 256).served_at(255));
        assert!(t(0, 0, 256).served_at(256));
        assert!(t(1, 0, 1).served_at(256));
        assert!(!t(1, 0, 2).served_at(511));
        assert!(t(1, 0, 2).served_at(512));
        assert!(!t(0, 1, 1).served_at(256));
        assert!(t(7, 0, 255).served_at(u64::MAX));
        assert!(!t(7, 0, 256).served_at(u64::MAX));
        assert!(!t(8, 0, 1).served_at(u64::MAX));
        assert!(!t(63, u64::MAX, 256).served_at(u64::MAX));
        assert!(
            Tile::entries(u64::MAX, 256)
                .unwrap()
                .required_size()
                .is_none()
        );
        assert!(Tile::hashes(64, 0, 1).is_none());
        assert!(Tile::hashes(0, 0, 0).is_none());
        assert!(Tile::entries(0, 257).is_none());
    }

    /// Every hash of every tile, at every size around the tile boundaries,
    /// is the RFC 6962 root of the leaves it covers.
    #[test]
    fn hash_tiles_hold_the_subtree_roots() {
        let t = tree(66_000);
        for size in [1, 2, 255, 256, 257, 300, 511, 512, 65_535, 65_536, 66_000] {
            for tile in new_tiles(0, size) {
                let TileKind::Hashes(l) = tile.kind else {
                    continue;
                };
                let data = read_hash_tile(&tile, size, &t).unwrap();
                assert_eq!(data.len(), 32 * usize::from(tile.width));
                let span = 1u64 << (8 * u32::from(l));
                for (i, h) in data.chunks_exact(32).enumerate() {
                    let lo = (tile.n * 256 + i as u64) * span;
                    let want = subtree_hash(lo, lo + span, &t).unwrap();
                    assert_eq!(h, want.0, "{tile} hash {i} at size {size}");
                }
            }
        }
        let beyond = Tile::hashes(0, 1, 45).unwrap();
        assert_eq!(
            read_hash_tile(&beyond, 300, &t),
            Err(TileError::NotInTree {
                tile: beyond,
                size: 300
            })
        );
        let e = Tile::entries(0, 1).unwrap();
        assert!(matches!(
            read_hash_tile(&e, 300, &t),
            Err(TileError::Kind { .. })
        ));
    }

    /// A tile and what to do to its bytes.
    type Edit<'a> = Option<(Tile, &'a dyn Fn(&mut Vec<u8>))>;

    /// Serves the tiles of `t` at its size, with `edit` applied to one
    /// tile's bytes.
    fn source<'a>(t: &'a MemoryTree, edit: Edit<'a>) -> impl TileSource + 'a {
        move |tile: &Tile| {
            let mut data = read_hash_tile(tile, t.size(), t).map_err(|e| e.to_string())?;
            if let Some((at, f)) = &edit
                && at == tile
            {
                f(&mut data);
            }
            Ok(data)
        }
    }

    /// Proofs computed over checked tiles are the tree's, for sizes around
    /// the tile boundaries; roots of every smaller tree come out right.
    #[test]
    fn proofs_over_tiles_are_the_trees() {
        let t = tree(66_000);
        for size in [1u64, 2, 200, 256, 257, 300, 512, 65_536, 65_537] {
            let mut sub = MemoryTree::new();
            for i in 0..size {
                sub.append(t.leaf(i).unwrap());
            }
            let r = TileHashReader::new(size, sub.root(), source(&sub, None)).unwrap();
            for i in [0, size / 3, size / 2, size - 1] {
                assert_eq!(
                    prove_inclusion(i, size, &r).unwrap(),
                    prove_inclusion(i, size, &sub).unwrap(),
                    "{i} in {size}"
                );
            }
            for m in [1, size / 2 + 1, size] {
                let m = m.min(size);
                assert_eq!(
                    prove_consistency(m, size, &r).unwrap(),
                    prove_consistency(m, size, &sub).unwrap()
                );
                assert_eq!(tree_hash(m, &r).unwrap(), tree_hash(m, &sub).unwrap());
            }
        }
        assert!(TileHashReader::new(0, Hash::empty(), source(&t, None)).is_ok());
        assert!(TileHashReader::new(0, Hash([1; 32]), source(&t, None)).is_err());
    }

    /// One bit flipped in any tile a reader needs, or a byte cut or added,
    /// is refused naming that tile (or, for the partial tiles, the set).
    #[test]
    fn a_wrong_tile_is_named() {
        let t = tree(70_000);
        let size = t.size();
        let root = t.root();
        let flip: &dyn Fn(&mut Vec<u8>) = &|d| d[17] ^= 0x10;
        let cut: &dyn Fn(&mut Vec<u8>) = &|d| {
            d.pop();
        };
        let add: &dyn Fn(&mut Vec<u8>) = &|d| d.push(0);
        for tile in new_tiles(0, size) {
            if tile.kind == TileKind::Entries {
                continue;
            }
            let l = tile.level();
            // A leaf whose hash lies in this tile, read through the tree.
            let leaf = tile.n * 256 * (1u64 << (8 * u32::from(l)));
            let r = TileHashReader::new(size, root, source(&t, Some((tile, flip))));
            let got = r.and_then(|r| {
                r.hash_tile(0, leaf >> 8)?;
                r.hash_tile(l, tile.n).map(|_| ())
            });
            match got {
                Err(TileError::Mismatch { tile: named, .. }) => assert_eq!(named, tile),
                Err(TileError::Root { tiles, .. }) => {
                    assert!(!tile.is_full());
                    assert!(tiles.contains(&tile.to_string()), "{tiles}");
                }
                other => panic!("{tile} flipped: {other:?}"),
            }
            for bad in [cut, add] {
                let r = TileHashReader::new(size, root, source(&t, Some((tile, bad))));
                let got = r.and_then(|r| r.hash_tile(l, tile.n).map(|_| ()));
                assert!(
                    matches!(got, Err(TileError::Size { tile: named, .. }) if named == tile),
                    "{tile}: {got:?}"
                );
            }
        }
        // The right tiles against another root.
        let other = tree_hash(size - 1, &t).unwrap();
        assert!(matches!(
            TileHashReader::new(size, other, source(&t, None)),
            Err(TileError::Root { .. })
        ));
        // A tile beyond the tree is not asked for.
        let r = TileHashReader::new(size, root, source(&t, None)).unwrap();
        assert!(matches!(
            r.hash_tile(0, 274),
            Err(TileError::NotInTree { .. })
        ));
        assert!(r.read_hash(0, size).is_err());
        assert!(r.read_hash(17, 0).is_err());
        assert!(r.read_hash(64, 0).is_err());
    }

    fn leaf(i: u64, len: usize) -> Vec<u8> {
        let mut l = vec![b' '; len.max(crate::leaf::MIN_LEAF_BYTES)];
        l[0] = crate::leaf::LEAF_VERSION;
        l[1..9].copy_from_slice(&i.to_be_bytes());
        l
    }

    #[test]
    fn entry_bundles_round_trip_and_refuse_near_misses() {
        let tile = Tile::entries(1, 3).unwrap();
        let leaves = vec![leaf(256, 107), leaf(257, 300), leaf(258, MAX_LEAF_BYTES)];
        let bytes = encode_entry_bundle(&tile, &leaves).unwrap();
        assert_eq!(bytes.len(), 6 + 107 + 300 + MAX_LEAF_BYTES);
        assert_eq!(&bytes[..2], &[0, 107]);
        assert_eq!(&bytes[109..111], &[0x01, 0x2c]);
        assert_eq!(&bytes[411..413], &[0xff, 0xff]);
        let parsed = parse_entry_bundle(&tile, &bytes).unwrap();
        assert_eq!(parsed, leaves.iter().map(Vec::as_slice).collect::<Vec<_>>());

        // Cut anywhere: the entry being read is named.
        for cut in 0..bytes.len() {
            let want = match cut {
                0..=108 => 256,
                109..=410 => 257,
                _ => 258,
            };
            assert_eq!(
                parse_entry_bundle(&tile, &bytes[..cut]),
                Err(EntryBundleError::Truncated { tile, entry: want }),
                "cut at {cut}"
            );
        }
        let mut extra = bytes.clone();
        extra.push(0);
        assert_eq!(
            parse_entry_bundle(&tile, &extra),
            Err(EntryBundleError::Extra {
                tile,
                bytes: 1,
                last: 258
            })
        );
        // A fourth entry in a bundle of three is extra bytes.
        let four = encode_entry_bundle(
            &Tile::entries(1, 4).unwrap(),
            &[&leaves[0], &leaves[1], &leaves[2], &leaves[0]],
        )
        .unwrap();
        assert!(matches!(
            parse_entry_bundle(&tile, &four),
            Err(EntryBundleError::Extra { bytes: 109, .. })
        ));
        // An entry that is not a leaf.
        let mut v2 = leaves.clone();
        v2[1][0] = 2;
        let b = encode_entry_bundle(&tile, &v2).unwrap();
        assert_eq!(
            parse_entry_bundle(&tile, &b),
            Err(EntryBundleError::Leaf {
                tile,
                entry: 257,
                error: LeafError::Version(2)
            })
        );
        let b = encode_entry_bundle(&tile, &[vec![1u8; 3], leaves[1].clone(), leaves[2].clone()])
            .unwrap();
        assert!(matches!(
            parse_entry_bundle(&tile, &b),
            Err(EntryBundleError::Leaf { entry: 256, .. })
        ));
        // Encoding refuses what cannot be a bundle.
        assert!(matches!(
            encode_entry_bundle(&tile, &leaves[..2]),
            Err(EntryBundleError::Count { got: 2, .. })
        ));
        let one = Tile::entries(0, 1).unwrap();
        assert!(matches!(
            encode_entry_bundle(&one, &[vec![1u8; 65_536]]),
            Err(EntryBundleError::TooLong {
                entry: 0,
                len: 65_536,
                ..
            })
        ));
        let hashes = Tile::hashes(0, 0, 1).unwrap();
        assert!(parse_entry_bundle(&hashes, &bytes).is_err());
        assert!(encode_entry_bundle(&hashes, &leaves[..1]).is_err());

        // Checked against the level-0 tile.
        let level0: Vec<u8> = leaves.iter().flat_map(|l| leaf_hash(l).0).collect();
        assert!(check_entry_bundle(&tile, &bytes, &level0).is_ok());
        let mut wrong = level0.clone();
        wrong[40] ^= 1;
        assert_eq!(
            check_entry_bundle(&tile, &bytes, &wrong),
            Err(EntryBundleError::Mismatch { tile, entry: 257 })
        );
        assert!(matches!(
            check_entry_bundle(&tile, &bytes, &level0[..64]),
            Err(EntryBundleError::HashTile { .. })
        ));
    }

    /// A reader reads the entries of a log through its tiles and refuses a
    /// bundle whose entry does not match, naming it.
    #[test]
    fn entries_are_checked_against_the_tree() {
        let leaves: Vec<Vec<u8>> = (0..300).map(|i| leaf(i, 107 + i as usize)).collect();
        let mut t = MemoryTree::new();
        for l in &leaves {
            t.append(leaf_hash(l));
        }
        let serve = |bad: Option<u64>| {
            let t = &t;
            let leaves = &leaves;
            move |tile: &Tile| -> Result<Vec<u8>, String> {
                match tile.kind {
                    TileKind::Entries => {
                        let lo = (tile.n * 256) as usize;
                        let mut ls: Vec<Vec<u8>> =
                            leaves[lo..lo + usize::from(tile.width)].to_vec();
                        if let Some(b) = bad
                            && let Some(l) = ls.get_mut(b as usize - lo)
                        {
                            l[50] ^= 1;
                        }
                        encode_entry_bundle(tile, &ls).map_err(|e| e.to_string())
                    }
                    TileKind::Hashes(_) => {
                        read_hash_tile(tile, t.size(), t).map_err(|e| e.to_string())
                    }
                }
            }
        };
        let r = TileHashReader::new(300, t.root(), serve(None)).unwrap();
        let mut got = r.entries(0).unwrap();
        got.extend(r.entries(1).unwrap());
        assert_eq!(got, leaves);
        assert!(matches!(r.entries(2), Err(TileError::NotInTree { .. })));
        let r = TileHashReader::new(300, t.root(), serve(Some(270))).unwrap();
        assert!(r.entries(0).is_ok());
        assert_eq!(
            r.entries(1).unwrap_err().to_string(),
            "tile/entries/001.p/44: entry 270 does not match its hash in tile/0"
        );
    }

    /// Tiles built by hand with widths or indexes no path can name are
    /// refused or served nowhere, never a panic.
    #[test]
    fn odd_hand_made_tiles_do_not_panic() {
        let t = tree(10);
        for width in [0u16, 257, u16::MAX] {
            for n in [0u64, u64::MAX / 256, u64::MAX] {
                for kind in [
                    TileKind::Entries,
                    TileKind::Hashes(0),
                    TileKind::Hashes(63),
                    TileKind::Hashes(255),
                ] {
                    let tile = Tile { kind, n, width };
                    let _ = tile.to_string().parse::<Tile>();
                    assert!(!tile.served_at(u64::MAX) || width <= 256);
                    let _ = read_hash_tile(&tile, 10, &t);
                    let _ = parse_entry_bundle(&tile, &[0, 107]);
                    let _ = parse_entry_bundle(&tile, &[]);
                    let _ = encode_entry_bundle(&tile, &[vec![1u8; 3]]);
                    let _ = check_entry_bundle(&tile, &[1, 2, 3], &[]);
                }
            }
        }
        let far = Tile {
            kind: TileKind::Entries,
            n: u64::MAX,
            width: 2,
        };
        assert!(matches!(
            parse_entry_bundle(&far, &[0]),
            Err(EntryBundleError::Truncated {
                entry: u64::MAX,
                ..
            })
        ));
    }

    use proptest::prelude::*;

    proptest! {
        #[test]
        fn any_tile_path_round_trips(level in 0u8..=63, n in any::<u64>(), width in 1u16..=256, entries in any::<bool>()) {
            let tile = if entries { Tile::entries(n, width) } else { Tile::hashes(level, n, width) }.unwrap();
            prop_assert_eq!(tile.to_string().parse::<Tile>(), Ok(tile));
        }

        #[test]
        fn parsing_never_panics_and_only_canonical_paths_parse(s in "tile/(entries|[0-9x]{1,3})(/[0-9x.p]{1,5}){1,4}") {
            if let Ok(t) = s.parse::<Tile>() {
                prop_assert_eq!(t.to_string(), s);
            }
        }

        #[test]
        fn bundles_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..600), width in 1u16..=256) {
            let tile = Tile::entries(3, width).unwrap();
            if let Ok(entries) = parse_entry_bundle(&tile, &bytes) {
                prop_assert_eq!(encode_entry_bundle(&tile, &entries).unwrap(), bytes);
            }
        }
    }
}
