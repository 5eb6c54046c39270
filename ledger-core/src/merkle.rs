//! The RFC 6962 / RFC 9162 Merkle tree over log leaves: stored hashes, tree
//! hashes, and the paired `prove_*` / `verify_*` for inclusion and consistency.
//!
//! Storage is abstract: a tree is a set of *stored hashes*, one per complete
//! subtree, addressed by `(level, index)` where the subtree at `(l, i)` covers
//! leaves `[i * 2^l, (i + 1) * 2^l)`. Appending leaf `n` stores its leaf hash
//! at `(0, n)` and the root of every subtree that leaf completes. Any root and
//! any proof for any tree size up to the current one can be computed from
//! these, so old proofs never need old state. The algorithms here do no I/O;
//! callers provide a `HashReader`.
//!
//! Verification takes hashes as byte slices, like the reference
//! implementations, so a hash of the wrong length is a failed proof rather
//! than a panic or a type error at the edge.

use crate::hash::{Hash, node_hash};

/// Reads stored hashes.
pub trait HashReader {
    /// The root of the complete subtree at `level` and `index`.
    ///
    /// # Errors
    /// When the hash is not stored or cannot be read.
    fn read_hash(&self, level: u8, index: u64) -> Result<Hash, TreeError>;
}

/// Errors from building proofs or reading the tree.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TreeError {
    /// A stored hash the tree should have is missing.
    #[error("stored hash at level {level} index {index} is missing")]
    Missing {
        /// Level.
        level: u8,
        /// Index.
        index: u64,
    },
    /// The storage failed.
    #[error("hash storage failed: {0}")]
    Storage(String),
    /// Asked for a proof that does not exist (index or sizes out of range).
    #[error("no such proof: {0}")]
    Range(&'static str),
}

/// Why a proof was refused. Malformed inputs get precise kinds; a proof that
/// simply does not lead to the root gets `Mismatch` and nothing else.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ProofError {
    /// Leaf index not below the tree size.
    #[error("leaf index is not below the tree size")]
    IndexOutOfRange,
    /// Sizes out of order or zero where a proof cannot exist.
    #[error("tree sizes do not allow this proof")]
    Sizes,
    /// A hash in the proof (or the leaf hash) is not 32 bytes.
    #[error("proof hash is not 32 bytes")]
    HashLength,
    /// More or fewer hashes than the algorithm consumes.
    #[error("proof has the wrong number of hashes")]
    Length,
    /// The proof does not lead to the given root(s).
    #[error("proof does not verify")]
    Mismatch,
}

impl AsRef<[u8]> for Hash {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

fn to_hash(b: &[u8]) -> Result<Hash, ProofError> {
    b.try_into().map(Hash).map_err(|_| ProofError::HashLength)
}

/// The largest power of two strictly below `n` (`n >= 2`).
fn split_point(n: u64) -> u64 {
    debug_assert!(n >= 2);
    1 << (63 - (n - 1).leading_zeros())
}

/// The stored hashes to add when appending leaf number `n` (0-based) with
/// leaf hash `leaf`: `(level, index, hash)` from level 0 upwards.
///
/// # Errors
/// If a stored sibling cannot be read.
pub fn hashes_to_store(
    n: u64,
    leaf: Hash,
    reader: &(impl HashReader + ?Sized),
) -> Result<Vec<(u8, u64, Hash)>, TreeError> {
    let mut out = vec![(0u8, n, leaf)];
    let mut h = leaf;
    let mut index = n;
    let mut level = 0u8;
    while index & 1 == 1 {
        let left = reader.read_hash(level, index - 1)?;
        h = node_hash(&left, &h);
        index >>= 1;
        level += 1;
        out.push((level, index, h));
    }
    Ok(out)
}

/// The Merkle hash of leaves `[lo, hi)`, where the range is one that the RFC
/// 6962 recursion produces (`lo` is a multiple of the largest power of two
/// not above `hi - lo`), built from stored complete subtrees.
///
/// # Errors
/// `Range` for an empty range; storage errors.
pub fn subtree_hash(
    lo: u64,
    hi: u64,
    reader: &(impl HashReader + ?Sized),
) -> Result<Hash, TreeError> {
    if hi <= lo {
        return Err(TreeError::Range("empty subtree"));
    }
    // Greedy decomposition into aligned complete subtrees, left to right,
    // then fold from the right (left-balanced tree).
    let mut parts = Vec::with_capacity(64);
    let mut start = lo;
    while start < hi {
        let rem = hi - start;
        let mut level = 63 - rem.leading_zeros();
        if start != 0 {
            level = level.min(start.trailing_zeros());
        }
        parts.push(reader.read_hash(level as u8, start >> level)?);
        start += 1 << level;
    }
    let mut h = parts.pop().unwrap_or_default();
    while let Some(left) = parts.pop() {
        h = node_hash(&left, &h);
    }
    Ok(h)
}

/// `MTH(D[n])`: the root of the first `n` leaves (`Hash::empty()` for 0).
///
/// # Errors
/// Storage errors.
pub fn tree_hash(n: u64, reader: &(impl HashReader + ?Sized)) -> Result<Hash, TreeError> {
    if n == 0 {
        return Ok(Hash::empty());
    }
    subtree_hash(0, n, reader)
}

/// `PATH(index, D[n])` of RFC 6962 section 2.1.1: the inclusion proof of leaf
/// `index` in the tree of size `n`.
///
/// # Errors
/// `Range` unless `index < n`; storage errors.
pub fn prove_inclusion(
    index: u64,
    n: u64,
    reader: &(impl HashReader + ?Sized),
) -> Result<Vec<Hash>, TreeError> {
    if index >= n {
        return Err(TreeError::Range("leaf index not below tree size"));
    }
    let mut proof = Vec::new();
    path(index, 0, n, reader, &mut proof)?;
    Ok(proof)
}

fn path(
    m: u64,
    lo: u64,
    hi: u64,
    r: &(impl HashReader + ?Sized),
    out: &mut Vec<Hash>,
) -> Result<(), TreeError> {
    let n = hi - lo;
    if n == 1 {
        return Ok(());
    }
    let k = split_point(n);
    if m - lo < k {
        path(m, lo, lo + k, r, out)?;
        out.push(subtree_hash(lo + k, hi, r)?);
    } else {
        path(m, lo + k, hi, r, out)?;
        out.push(subtree_hash(lo, lo + k, r)?);
    }
    Ok(())
}

/// `PROOF(m, D[n])` of RFC 6962 section 2.1.2: the consistency proof from the
/// tree of size `m` to the tree of size `n`, `0 < m <= n` (empty when equal).
///
/// # Errors
/// `Range` unless `0 < m <= n`; storage errors.
pub fn prove_consistency(
    m: u64,
    n: u64,
    reader: &(impl HashReader + ?Sized),
) -> Result<Vec<Hash>, TreeError> {
    if m == 0 || m > n {
        return Err(TreeError::Range(
            "consistency needs 0 < old size <= new size",
        ));
    }
    let mut proof = Vec::new();
    if m < n {
        subproof(m, 0, n, true, reader, &mut proof)?;
    }
    Ok(proof)
}

fn subproof(
    m: u64,
    lo: u64,
    hi: u64,
    whole: bool,
    r: &(impl HashReader + ?Sized),
    out: &mut Vec<Hash>,
) -> Result<(), TreeError> {
    let n = hi - lo;
    if m == n {
        if !whole {
            out.push(subtree_hash(lo, hi, r)?);
        }
        return Ok(());
    }
    let k = split_point(n);
    if m <= k {
        subproof(m, lo, lo + k, whole, r, out)?;
        out.push(subtree_hash(lo + k, hi, r)?);
    } else {
        subproof(m - k, lo + k, hi, false, r, out)?;
        out.push(subtree_hash(lo, lo + k, r)?);
    }
    Ok(())
}

/// Computes the root that an inclusion proof leads to (RFC 9162 section
/// 2.1.3.2), or an error if the proof has the wrong shape.
///
/// # Errors
/// `IndexOutOfRange`, `HashLength`, `Length`.
pub fn root_from_inclusion<P: AsRef<[u8]>>(
    leaf: &[u8],
    index: u64,
    size: u64,
    proof: &[P],
) -> Result<Hash, ProofError> {
    if index >= size {
        return Err(ProofError::IndexOutOfRange);
    }
    let mut r = to_hash(leaf)?;
    let mut f = index;
    let mut s = size - 1;
    for p in proof {
        let p = to_hash(p.as_ref())?;
        if s == 0 {
            return Err(ProofError::Length);
        }
        if f & 1 == 1 || f == s {
            r = node_hash(&p, &r);
            while f & 1 == 0 && f != 0 {
                f >>= 1;
                s >>= 1;
            }
        } else {
            r = node_hash(&r, &p);
        }
        f >>= 1;
        s >>= 1;
    }
    if s != 0 {
        return Err(ProofError::Length);
    }
    Ok(r)
}

/// Checks that `proof` shows leaf hash `leaf` at `index` in the tree of `size`
/// leaves with root `root` (RFC 9162 section 2.1.3.2).
///
/// # Errors
/// A `ProofError`; `Mismatch` when the shape is right but the root differs.
pub fn verify_inclusion<P: AsRef<[u8]>>(
    leaf: &[u8],
    index: u64,
    size: u64,
    proof: &[P],
    root: &[u8],
) -> Result<(), ProofError> {
    let r = root_from_inclusion(leaf, index, size, proof)?;
    if r.0.as_slice() == root {
        Ok(())
    } else {
        Err(ProofError::Mismatch)
    }
}

/// Checks that `proof` shows the tree of `size1` leaves with root `root1` is a
/// prefix of the tree of `size2` leaves with root `root2` (RFC 9162 section
/// 2.1.4.2). Equal sizes need an empty proof and equal roots; a proof from
/// size 0 is refused.
///
/// # Errors
/// A `ProofError`; `Mismatch` when the shape is right but a root differs.
pub fn verify_consistency<P: AsRef<[u8]>>(
    size1: u64,
    size2: u64,
    root1: &[u8],
    root2: &[u8],
    proof: &[P],
) -> Result<(), ProofError> {
    if size1 > size2 || size1 == 0 {
        return Err(ProofError::Sizes);
    }
    if size1 == size2 {
        if !proof.is_empty() {
            return Err(ProofError::Length);
        }
        return if root1 == root2 {
            Ok(())
        } else {
            Err(ProofError::Mismatch)
        };
    }
    if proof.is_empty() {
        return Err(ProofError::Length);
    }
    let mut path: Vec<Hash> = Vec::with_capacity(proof.len() + 1);
    if size1.is_power_of_two() {
        path.push(to_hash(root1).map_err(|_| ProofError::Mismatch)?);
    }
    for p in proof {
        path.push(to_hash(p.as_ref())?);
    }
    let mut f = size1 - 1;
    let mut s = size2 - 1;
    while f & 1 == 1 {
        f >>= 1;
        s >>= 1;
    }
    let mut fr = path[0];
    let mut sr = path[0];
    for c in &path[1..] {
        if s == 0 {
            return Err(ProofError::Length);
        }
        if f & 1 == 1 || f == s {
            fr = node_hash(c, &fr);
            sr = node_hash(c, &sr);
            while f & 1 == 0 && f != 0 {
                f >>= 1;
                s >>= 1;
            }
        } else {
            sr = node_hash(&sr, c);
        }
        f >>= 1;
        s >>= 1;
    }
    if s != 0 {
        return Err(ProofError::Length);
    }
    if fr.0.as_slice() == root1 && sr.0.as_slice() == root2 {
        Ok(())
    } else {
        Err(ProofError::Mismatch)
    }
}

/// A whole tree's stored hashes in memory, one vector per level.
#[derive(Clone, Debug, Default)]
pub struct MemoryTree {
    levels: Vec<Vec<Hash>>,
}

impl MemoryTree {
    /// An empty tree.
    pub fn new() -> MemoryTree {
        MemoryTree::default()
    }

    /// Number of leaves.
    pub fn size(&self) -> u64 {
        self.levels.first().map_or(0, |l| l.len() as u64)
    }

    /// Appends a leaf hash; returns its index.
    pub fn append(&mut self, leaf: Hash) -> u64 {
        let n = self.size();
        let mut h = leaf;
        let mut index = n;
        let mut level = 0usize;
        loop {
            if self.levels.len() <= level {
                self.levels.push(Vec::new());
            }
            self.levels[level].push(h);
            if index & 1 == 0 {
                break;
            }
            h = node_hash(&self.levels[level][(index - 1) as usize], &h);
            index >>= 1;
            level += 1;
        }
        n
    }

    /// The current root.
    pub fn root(&self) -> Hash {
        tree_hash(self.size(), self).unwrap_or_default()
    }

    /// The leaf hash at `index`.
    pub fn leaf(&self, index: u64) -> Option<Hash> {
        self.levels.first()?.get(index as usize).copied()
    }
}

impl HashReader for MemoryTree {
    fn read_hash(&self, level: u8, index: u64) -> Result<Hash, TreeError> {
        self.levels
            .get(usize::from(level))
            .and_then(|l| l.get(index as usize))
            .copied()
            .ok_or(TreeError::Missing { level, index })
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::hash::leaf_hash;

    /// MTH straight from the RFC 6962 definition, for cross-checking.
    fn naive_root(leaves: &[Hash]) -> Hash {
        match leaves.len() {
            0 => Hash::empty(),
            1 => leaves[0],
            n => {
                let k = split_point(n as u64) as usize;
                node_hash(&naive_root(&leaves[..k]), &naive_root(&leaves[k..]))
            }
        }
    }

    fn tree(n: u64) -> (MemoryTree, Vec<Hash>) {
        let mut t = MemoryTree::new();
        let mut leaves = Vec::new();
        for i in 0..n {
            let h = leaf_hash(&i.to_be_bytes());
            leaves.push(h);
            assert_eq!(t.append(h), i);
        }
        (t, leaves)
    }

    #[test]
    fn roots_match_the_naive_definition() {
        let (t, leaves) = tree(70);
        for n in 0..=70u64 {
            assert_eq!(
                tree_hash(n, &t).unwrap(),
                naive_root(&leaves[..n as usize]),
                "n={n}"
            );
        }
    }

    #[test]
    fn hashes_to_store_matches_memory_tree() {
        let (t, leaves) = tree(33);
        let mut other = MemoryTree::new();
        for (i, l) in leaves.iter().enumerate() {
            let adds = hashes_to_store(i as u64, *l, &other).unwrap();
            other.append(*l);
            for (level, index, h) in adds {
                assert_eq!(t.read_hash(level, index).unwrap(), h);
            }
        }
    }

    /// Every inclusion and consistency proof for every size up to 128 verifies,
    /// and flipping any single bit of any proof hash makes it fail. Flipping
    /// every bit of every proof up to 128 costs about half a billion hashes,
    /// so by default bits are flipped up to size 48 and the full run is gated
    /// by `MADINI_SLOW_TESTS=1` (CI sets it).
    #[test]
    fn exhaustive_proofs_up_to_128() {
        const N: u64 = 128;
        let flip_up_to = if std::env::var_os("MADINI_SLOW_TESTS").is_some() {
            N
        } else {
            48
        };
        let (t, leaves) = tree(N);
        let roots: Vec<Hash> = (0..=N).map(|n| tree_hash(n, &t).unwrap()).collect();
        for n in 1..=N {
            let root = roots[n as usize];
            for i in 0..n {
                let proof = prove_inclusion(i, n, &t).unwrap();
                let leaf = leaves[i as usize];
                verify_inclusion(&leaf.0, i, n, &proof, &root.0).unwrap();
                for j in 0..proof.len() {
                    for bit in 0..256 {
                        if n > flip_up_to {
                            break;
                        }
                        let mut bad = proof.clone();
                        bad[j].0[bit / 8] ^= 1 << (bit % 8);
                        assert!(verify_inclusion(&leaf.0, i, n, &bad, &root.0).is_err());
                    }
                }
                // Wrong index or size never verifies.
                if n > 1 {
                    assert!(verify_inclusion(&leaf.0, (i + 1) % n, n, &proof, &root.0).is_err());
                }
            }
            for m in 1..=n {
                let proof = prove_consistency(m, n, &t).unwrap();
                verify_consistency(m, n, &roots[m as usize].0, &root.0, &proof).unwrap();
                for j in 0..proof.len() {
                    for bit in 0..256 {
                        if n > flip_up_to {
                            break;
                        }
                        let mut bad = proof.clone();
                        bad[j].0[bit / 8] ^= 1 << (bit % 8);
                        assert!(
                            verify_consistency(m, n, &roots[m as usize].0, &root.0, &bad).is_err(),
                            "m={m} n={n} j={j} bit={bit}"
                        );
                    }
                }
                if m < n {
                    assert!(
                        verify_consistency(m, n, &roots[m as usize - 1].0, &root.0, &proof)
                            .is_err()
                    );
                }
            }
        }
    }

    #[test]
    fn verification_never_panics_on_odd_input() {
        let h = [0u8; 32];
        let short = [0u8; 31];
        assert!(verify_inclusion(&h, 0, 0, &[h], &h).is_err());
        assert!(verify_inclusion(&h, u64::MAX, u64::MAX, &[h; 70], &h).is_err());
        assert!(verify_inclusion(&short, 0, 1, &[] as &[[u8; 32]], &h).is_err());
        assert!(verify_consistency(u64::MAX - 1, u64::MAX, &h, &h, &[h; 70]).is_err());
        assert!(verify_consistency(1, u64::MAX, &h, &h, &[short]).is_err());
        assert!(verify_consistency(3, 2, &h, &h, &[h]).is_err());
    }

    use proptest::prelude::*;

    fn to32(b: &[u8]) -> Option<Hash> {
        b.try_into().ok().map(Hash)
    }

    /// The root an inclusion proof leads to, by the RFC 6962 recursion
    /// (section 2.1.1) with the proof read from its end: an evaluation
    /// independent of the bit arithmetic of `root_from_inclusion`. `None`
    /// for an index out of range, a proof of the wrong length or a hash that
    /// is not 32 bytes.
    fn naive_inclusion(leaf: &[u8], index: u64, size: u64, proof: &[Vec<u8>]) -> Option<Hash> {
        if index >= size {
            return None;
        }
        if size == 1 {
            return if proof.is_empty() { to32(leaf) } else { None };
        }
        let (last, rest) = proof.split_last()?;
        let sibling = to32(last)?;
        let k = split_point(size);
        Some(if index < k {
            node_hash(&naive_inclusion(leaf, index, k, rest)?, &sibling)
        } else {
            node_hash(&sibling, &naive_inclusion(leaf, index - k, size - k, rest)?)
        })
    }

    /// The length of `PATH(index, D[size])`.
    fn inclusion_len(index: u64, size: u64) -> usize {
        if size <= 1 {
            return 0;
        }
        let k = split_point(size);
        1 + if index < k {
            inclusion_len(index, k)
        } else {
            inclusion_len(index - k, size - k)
        }
    }

    /// The old and new roots a consistency proof leads to, by the RFC 6962
    /// `SUBPROOF` recursion (section 2.1.2) read from the proof's end; `old`
    /// is the old root, which the proof omits when `b` holds at the end of the
    /// recursion. `None` when the proof has the wrong shape.
    fn naive_subproof(
        m: u64,
        n: u64,
        b: bool,
        old: &[u8],
        proof: &[Vec<u8>],
    ) -> Option<(Hash, Hash)> {
        if m == n {
            let h = match (b, proof) {
                (true, []) => to32(old)?,
                (false, [h]) => to32(h)?,
                _ => return None,
            };
            return Some((h, h));
        }
        let (last, rest) = proof.split_last()?;
        let sibling = to32(last)?;
        let k = split_point(n);
        if m <= k {
            let (o, new) = naive_subproof(m, k, b, old, rest)?;
            Some((o, node_hash(&new, &sibling)))
        } else {
            let (o, new) = naive_subproof(m - k, n - k, false, old, rest)?;
            Some((node_hash(&sibling, &o), node_hash(&sibling, &new)))
        }
    }

    /// Whether `verify_consistency` must accept, by the RFC definitions.
    fn naive_consistent(m: u64, n: u64, root1: &[u8], root2: &[u8], proof: &[Vec<u8>]) -> bool {
        if m == 0 || m > n {
            return false;
        }
        if m == n {
            return proof.is_empty() && root1 == root2;
        }
        naive_subproof(m, n, true, root1, proof)
            .is_some_and(|(o, new)| o.0 == root1 && new.0 == root2)
    }

    /// The length of `PROOF(m, D[n])`, `0 < m < n`.
    fn consistency_len(m: u64, n: u64, b: bool) -> usize {
        if m == n {
            return usize::from(!b);
        }
        let k = split_point(n);
        1 + if m <= k {
            consistency_len(m, k, b)
        } else {
            consistency_len(m - k, n - k, false)
        }
    }

    /// Mostly 32-byte hashes, sometimes another length.
    pub(crate) fn hash_bytes() -> impl Strategy<Value = Vec<u8>> {
        prop_oneof![
            12 => any::<[u8; 32]>().prop_map(|h| h.to_vec()),
            1 => prop::collection::vec(any::<u8>(), 0..40),
        ]
    }

    /// Tree sizes: small, powers of two and their neighbours, and anything.
    fn size() -> impl Strategy<Value = u64> {
        prop_oneof![
            0u64..=70,
            (0u32..64).prop_map(|e| 1u64 << e),
            (1u32..64).prop_map(|e| (1u64 << e) + 1),
            (0u64..4).prop_map(|d| u64::MAX - d),
            any::<u64>(),
        ]
    }

    /// Proofs of 32-byte hashes, in one of five with one hash of another
    /// length somewhere.
    pub(crate) fn proof() -> impl Strategy<Value = Vec<Vec<u8>>> {
        (
            prop::collection::vec(any::<[u8; 32]>().prop_map(|h| h.to_vec()), 0..70),
            prop::option::weighted(
                0.2,
                (any::<usize>(), prop::collection::vec(any::<u8>(), 0..40)),
            ),
        )
            .prop_map(|(mut p, odd)| {
                if let (Some((at, h)), false) = (odd, p.is_empty()) {
                    let i = at % p.len();
                    p[i] = h;
                }
                p
            })
    }

    /// Resizes `proof` to `len` hashes (repeating its own, or fresh ones).
    pub(crate) fn fit(proof: &mut Vec<Vec<u8>>, len: usize) {
        if proof.is_empty() {
            proof.push(vec![0x5a; 32]);
        }
        let mut i = 0;
        while proof.len() < len {
            let mut h = proof[i % proof.len()].clone();
            h.push(i as u8);
            h.truncate(32);
            proof.push(h);
            i += 1;
        }
        proof.truncate(len);
    }

    /// A tree of `n` leaves, leaf `i` hashing the 8 bytes of `i`.
    pub(crate) fn counted_tree(n: u64) -> MemoryTree {
        let mut t = MemoryTree::new();
        for i in 0..n {
            t.append(leaf_hash(&i.to_be_bytes()));
        }
        t
    }

    pub(crate) fn flip(h: &mut [u8], bit: usize) {
        if !h.is_empty() {
            let i = bit / 8 % h.len();
            h[i] ^= 1 << (bit % 8);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1024))]

        /// On any input, inclusion verification never panics, agrees with
        /// the RFC recursion, so it errs unless the proof really leads to
        /// the root, and fails once any bit of a valid input is flipped.
        #[test]
        fn inclusion_verification_agrees_with_the_rfc_on_any_input(
            size in size(),
            index_seed in any::<u64>(),
            raw_index in any::<bool>(),
            leaf in hash_bytes(),
            mut proof in proof(),
            fit_proof in any::<bool>(),
            root in hash_bytes(),
            use_true_root in any::<bool>(),
            bit in any::<usize>(),
        ) {
            let index = if raw_index || size == 0 { index_seed } else { index_seed % size };
            if fit_proof {
                fit(&mut proof, inclusion_len(index, size));
            }
            let want = naive_inclusion(&leaf, index, size, &proof);
            prop_assert_eq!(root_from_inclusion(&leaf, index, size, &proof).ok(), want);
            let root = match want {
                Some(r) if use_true_root => r.0.to_vec(),
                _ => root,
            };
            let valid = want.is_some_and(|r| r.0.as_slice() == root.as_slice());
            prop_assert_eq!(verify_inclusion(&leaf, index, size, &proof, &root).is_ok(), valid);
            if valid {
                // One bit flipped anywhere: the leaf, a proof hash or the root.
                let (mut leaf, mut proof, mut root) = (leaf.clone(), proof.clone(), root.clone());
                match bit % (proof.len() + 2) {
                    0 => flip(&mut leaf, bit / 3),
                    1 => flip(&mut root, bit / 3),
                    j => flip(&mut proof[j - 2], bit / 3),
                }
                prop_assert!(verify_inclusion(&leaf, index, size, &proof, &root).is_err());
            }
        }

        /// The same for consistency proofs, against `SUBPROOF`.
        #[test]
        fn consistency_verification_agrees_with_the_rfc_on_any_input(
            size2 in size(),
            size1_seed in any::<u64>(),
            raw_size1 in any::<bool>(),
            mut proof in proof(),
            fit_proof in any::<bool>(),
            root1 in hash_bytes(),
            root2 in hash_bytes(),
            use_true_roots in any::<bool>(),
            bit in any::<usize>(),
        ) {
            let size1 = if raw_size1 || size2 == 0 { size1_seed } else { size1_seed % size2 + 1 };
            if fit_proof && 0 < size1 && size1 < size2 {
                fit(&mut proof, consistency_len(size1, size2, true));
            }
            let proper = 0 < size1 && size1 < size2;
            let true_roots = if proper && use_true_roots {
                naive_subproof(size1, size2, true, &root1, &proof)
            } else {
                None
            };
            let (root1, root2) = match true_roots {
                Some((o, new)) => (o.0.to_vec(), new.0.to_vec()),
                None if use_true_roots && size1 == size2 => (root1.clone(), root1),
                None => (root1, root2),
            };
            let valid = naive_consistent(size1, size2, &root1, &root2, &proof);
            prop_assert_eq!(verify_consistency(size1, size2, &root1, &root2, &proof).is_ok(), valid);
            if valid {
                let (mut root1, mut root2, mut proof) = (root1.clone(), root2.clone(), proof.clone());
                match bit % (proof.len() + 2) {
                    0 => flip(&mut root1, bit / 3),
                    1 => flip(&mut root2, bit / 3),
                    j => flip(&mut proof[j - 2], bit / 3),
                }
                prop_assert!(verify_consistency(size1, size2, &root1, &root2, &proof).is_err());
            }
        }
    }
}
