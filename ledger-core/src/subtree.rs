//! Subtree inclusion and consistency proofs (draft-ietf-plants-merkle-tree-certs section 4).
//!
//! The Merkle Tree Certificates draft extends the RFC 9162 tree with
//! *subtrees*: `MTH(D[start:end])` for a range `[start, end)` whose `start` is
//! a multiple of `BIT_CEIL(end - start)` (section 4.1). Such a range is either
//! a node of every tree of size at least `end` (when its size is a power of
//! two) or a node of the tree of size exactly `end`, so its hash can be shown
//! to contain a leaf (a subtree inclusion proof, section 4.3) and to be made of
//! the same leaves as a larger tree (a subtree consistency proof, section 4.4).
//!
//! This module follows the conventions of [`crate::merkle`]: generation reads
//! stored hashes through a [`HashReader`] and returns [`TreeError`];
//! verification takes hashes as byte slices, never panics, and returns
//! [`ProofError`], with `Mismatch` reserved for a well-formed proof that leads
//! elsewhere. The RFC 6962 inclusion algorithms in `merkle` are reused: a
//! subtree inclusion proof is an ordinary inclusion proof inside the subtree.
//!
//! Section numbers refer to the draft's editor's copy, where section 4 is
//! "Subtrees" and appendix B is "Merkle Tree Structure".

use crate::hash::{Hash, node_hash};
use crate::merkle::{self, HashReader, ProofError, TreeError};

/// `is_valid_subtree`: whether `[start, end)` is a subtree in the sense of
/// draft-ietf-plants-merkle-tree-certs section 4.1 (Definition of a Subtree):
/// `start < end`, and `start` is a multiple of `BIT_CEIL(end - start)`, the
/// smallest power of two not below the subtree's size.
///
/// The power of two is computed in `u128`, so a size above `2^63` (whose
/// `BIT_CEIL` is `2^64`) is handled: only `start == 0` is valid then. Whether
/// the subtree fits in a given tree (`end <= n`) is a separate check made by
/// the consistency functions.
pub fn is_valid_subtree(start: u64, end: u64) -> bool {
    if start >= end {
        return false;
    }
    let ceil = u128::from(end - start).next_power_of_two();
    u128::from(start) % ceil == 0
}

/// The largest power of two strictly below `n` (`n >= 2`): RFC 9162's `k`.
fn largest_power_below(n: u64) -> u64 {
    debug_assert!(n >= 2);
    1 << (63 - (n - 1).leading_zeros())
}

fn to_hash(b: &[u8]) -> Result<Hash, ProofError> {
    b.try_into().map(Hash).map_err(|_| ProofError::HashLength)
}

/// Presents the stored hashes of the leaves from `start` on as a tree of
/// their own: `(level, i)` reads `(level, i + start / 2^level)`. Exact for the
/// nodes inside a valid subtree, since `start` is a multiple of every power of
/// two up to the subtree's `BIT_CEIL`.
struct Offset<'a, R: ?Sized> {
    inner: &'a R,
    start: u64,
}

impl<R: HashReader + ?Sized> HashReader for Offset<'_, R> {
    fn read_hash(&self, level: u8, index: u64) -> Result<Hash, TreeError> {
        let base = self.start.checked_shr(u32::from(level)).unwrap_or(0);
        let index = index
            .checked_add(base)
            .ok_or(TreeError::Range("subtree node index overflows"))?;
        self.inner.read_hash(level, index)
    }
}

/// `prove_subtree_inclusion`: the subtree inclusion proof of
/// draft-ietf-plants-merkle-tree-certs section 4.3 for leaf `index` of the
/// subtree `[start, end)`, that is RFC 9162's `PATH(index - start,
/// D[start:end])`, read from the stored hashes of the log.
///
/// # Errors
/// `Range` unless `[start, end)` is a valid subtree and `start <= index <
/// end`; storage errors (the leaves up to `end` must be stored).
pub fn prove_subtree_inclusion(
    index: u64,
    start: u64,
    end: u64,
    reader: &(impl HashReader + ?Sized),
) -> Result<Vec<Hash>, TreeError> {
    if !is_valid_subtree(start, end) {
        return Err(TreeError::Range("not a valid subtree"));
    }
    if index < start || index >= end {
        return Err(TreeError::Range("leaf index not in the subtree"));
    }
    merkle::prove_inclusion(
        index - start,
        end - start,
        &Offset {
            inner: reader,
            start,
        },
    )
}

/// `subtree_root_from_inclusion`: evaluates a subtree inclusion proof
/// (draft-ietf-plants-merkle-tree-certs section 4.3.2, Evaluating a Subtree
/// Inclusion Proof), returning the subtree hash that leaf hash `leaf` at
/// `index` and `proof` lead to.
///
/// # Errors
/// `Sizes` unless `[start, end)` is a valid subtree; `IndexOutOfRange` unless
/// `start <= index < end`; `HashLength` and `Length` as for
/// [`merkle::root_from_inclusion`].
pub fn subtree_root_from_inclusion<P: AsRef<[u8]>>(
    leaf: &[u8],
    index: u64,
    start: u64,
    end: u64,
    proof: &[P],
) -> Result<Hash, ProofError> {
    if !is_valid_subtree(start, end) {
        return Err(ProofError::Sizes);
    }
    if index < start || index >= end {
        return Err(ProofError::IndexOutOfRange);
    }
    merkle::root_from_inclusion(leaf, index - start, end - start, proof)
}

/// `verify_subtree_inclusion`: checks that `proof` shows leaf hash `leaf` at
/// `index` in the subtree `[start, end)` whose hash is `subtree_hash`
/// (draft-ietf-plants-merkle-tree-certs section 4.3.3, Verifying a Subtree
/// Inclusion Proof).
///
/// # Errors
/// As [`subtree_root_from_inclusion`]; `Mismatch` when the proof is well
/// formed but leads to another hash (including a `subtree_hash` that is not
/// 32 bytes).
pub fn verify_subtree_inclusion<P: AsRef<[u8]>>(
    leaf: &[u8],
    index: u64,
    start: u64,
    end: u64,
    proof: &[P],
    subtree_hash: &[u8],
) -> Result<(), ProofError> {
    let r = subtree_root_from_inclusion(leaf, index, start, end, proof)?;
    if r.0.as_slice() == subtree_hash {
        Ok(())
    } else {
        Err(ProofError::Mismatch)
    }
}

/// `prove_subtree_consistency`: `SUBTREE_PROOF(start, end, D_n)` of
/// draft-ietf-plants-merkle-tree-certs section 4.4.1 (Generating a Subtree
/// Consistency Proof): the hashes that let a verifier who knows the hash of
/// the subtree `[start, end)` rebuild both it and the root of the tree of `n`
/// leaves. With `start == 0` this is RFC 9162's `PROOF(end, D_n)`; with `end
/// == start + 1` it is `PATH(start, D_n)`.
///
/// # Errors
/// `Range` unless `[start, end)` is a valid subtree with `end <= n`; storage
/// errors.
pub fn prove_subtree_consistency(
    start: u64,
    end: u64,
    n: u64,
    reader: &(impl HashReader + ?Sized),
) -> Result<Vec<Hash>, TreeError> {
    if !is_valid_subtree(start, end) {
        return Err(TreeError::Range("not a valid subtree"));
    }
    if end > n {
        return Err(TreeError::Range("subtree ends past the tree size"));
    }
    // Descend from the root node [0, n) to the node the subproof stops at,
    // noting the sibling left behind at each step. The recursion of the draft
    // emits the deepest sibling first, so they are output in reverse.
    let (mut lo, mut hi) = (0u64, n);
    let mut first = start;
    // Whether the verifier knows the hash of the node the descent ends at
    // (the draft's `b`): true until the subtree straddles a split.
    let mut known = true;
    let mut siblings: Vec<(u64, u64)> = Vec::with_capacity(64);
    while !(first == lo && end == hi) {
        // [first, end) is a proper part of [lo, hi), so hi - lo >= 2.
        let mid = lo + largest_power_below(hi - lo);
        if end <= mid {
            siblings.push((mid, hi));
            hi = mid;
        } else if mid <= first {
            siblings.push((lo, mid));
            lo = mid;
        } else {
            // The subtree straddles the split. For a valid subtree this only
            // happens when it starts at the node's first leaf; its part right
            // of the split is then not a hash the verifier has.
            if first != lo {
                return Err(TreeError::Range(
                    "subtree straddles a node it does not start",
                ));
            }
            siblings.push((lo, mid));
            lo = mid;
            first = mid;
            known = false;
        }
    }
    let mut proof = Vec::with_capacity(siblings.len() + 1);
    if !known {
        proof.push(merkle::subtree_hash(lo, hi, reader)?);
    }
    for &(a, b) in siblings.iter().rev() {
        proof.push(merkle::subtree_hash(a, b, reader)?);
    }
    Ok(proof)
}

/// `verify_subtree_consistency`: checks that `proof` shows the subtree
/// `[start, end)` with hash `subtree_hash` is made of the same leaves as the
/// tree of `n` leaves with root `root`, following
/// draft-ietf-plants-merkle-tree-certs section 4.4.3 (Verifying a Subtree
/// Consistency Proof; appendix B explains the bit arithmetic).
///
/// The walk tracks three leaf positions as it climbs: the subtree's first
/// and last leaves and the tree's last leaf. It first climbs, without proof
/// hashes, to the highest node the subtree and the tree share on the
/// subtree's right edge; that node's hash is `subtree_hash` itself if the
/// whole subtree is a node of the tree, and the first proof hash otherwise.
/// Every later proof hash goes into the tree root; the ones that are left
/// siblings inside the subtree also go into the subtree hash.
///
/// # Errors
/// `Sizes` unless `[start, end)` is a valid subtree with `end <= n`;
/// `HashLength` for a proof hash that is not 32 bytes; `Length` for too many
/// or too few hashes; `Mismatch` when a rebuilt hash differs from
/// `subtree_hash` or `root`, or when `subtree_hash` is not 32 bytes but would
/// have to be hashed. When the subtree is the whole tree (`start == 0`, `end
/// == n`) the proof must be empty and `subtree_hash` and `root` are compared
/// as given, as [`merkle::verify_consistency`] does for equal sizes.
pub fn verify_subtree_consistency<P: AsRef<[u8]>>(
    start: u64,
    end: u64,
    n: u64,
    proof: &[P],
    subtree_hash: &[u8],
    root: &[u8],
) -> Result<(), ProofError> {
    if start == end && end <= n {
        // An empty subtree contains nothing, so it sits in any tree: the
        // transparency-dev vectors accept it when its hash is the empty
        // tree's and the proof is empty (the draft leaves [s, s) out).
        return if !proof.is_empty() {
            Err(ProofError::Length)
        } else if subtree_hash == Hash::empty().0.as_slice() {
            Ok(())
        } else {
            Err(ProofError::Mismatch)
        };
    }
    if !is_valid_subtree(start, end) || end > n {
        return Err(ProofError::Sizes);
    }
    // fn, sn and tn of the draft; end >= 1 and n >= end, so no underflow.
    let mut first = start;
    let mut last = end - 1;
    let mut tree_last = n - 1;
    if last == tree_last {
        // The subtree is a node of this tree: climb to its root.
        while first != last {
            first >>= 1;
            last >>= 1;
            tree_last >>= 1;
        }
    } else {
        // Climb while the subtree's last node is a right child (its left
        // sibling is inside the subtree, so it needs no proof hash).
        while first != last && last & 1 == 1 {
            first >>= 1;
            last >>= 1;
            tree_last >>= 1;
        }
    }
    if first == last && proof.is_empty() {
        // Nothing to hash: the subtree must be the whole tree, and then its
        // hash must be the root. As in `merkle::verify_consistency` for equal
        // sizes, the two are compared as given.
        if tree_last != 0 {
            return Err(ProofError::Length);
        }
        return if subtree_hash == root {
            Ok(())
        } else {
            Err(ProofError::Mismatch)
        };
    }
    let mut rest = proof.iter();
    let seed = if first == last {
        to_hash(subtree_hash).map_err(|_| ProofError::Mismatch)?
    } else {
        let p = rest.next().ok_or(ProofError::Length)?;
        to_hash(p.as_ref())?
    };
    let mut sub = seed;
    let mut full = seed;
    for c in rest {
        let c = to_hash(c.as_ref())?;
        if tree_last == 0 {
            return Err(ProofError::Length);
        }
        if last & 1 == 1 || last == tree_last {
            // A left sibling: part of the tree root, and of the subtree hash
            // while the climb is still below the subtree's root.
            if first < last {
                sub = node_hash(&c, &sub);
            }
            full = node_hash(&c, &full);
            // Skip the levels where the right edge has no right child. The
            // `last != 0` guard is implied by `tree_last != 0` here and only
            // rules out an endless loop.
            while last & 1 == 0 && last != 0 {
                first >>= 1;
                last >>= 1;
                tree_last >>= 1;
            }
        } else {
            // A right sibling: outside the subtree, part of the root only.
            full = node_hash(&full, &c);
        }
        first >>= 1;
        last >>= 1;
        tree_last >>= 1;
    }
    if tree_last != 0 {
        return Err(ProofError::Length);
    }
    if sub.0.as_slice() == subtree_hash && full.0.as_slice() == root {
        Ok(())
    } else {
        Err(ProofError::Mismatch)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hash::leaf_hash;
    use crate::merkle::tests::{fit, flip, hash_bytes, proof};
    use crate::merkle::{MemoryTree, subtree_hash, tree_hash};

    fn tree(n: u64) -> MemoryTree {
        crate::merkle::tests::counted_tree(n)
    }

    /// Every valid subtree `[start, end)` with `end <= n`.
    fn subtrees(n: u64) -> impl Iterator<Item = (u64, u64)> {
        (0..n)
            .flat_map(move |s| ((s + 1)..=n).map(move |e| (s, e)))
            .filter(|&(s, e)| is_valid_subtree(s, e))
    }

    /// Runs `f(n)` for every `n` in `range`, spread over the available cores.
    fn for_each_parallel(range: std::ops::RangeInclusive<u64>, f: impl Fn(u64) + Sync) {
        let threads = std::thread::available_parallelism()
            .map_or(1, |p| p.get())
            .min(8) as u64;
        std::thread::scope(|scope| {
            for t in 0..threads {
                let range = range.clone();
                let f = &f;
                scope.spawn(move || {
                    for n in range.filter(|n| n % threads == t) {
                        f(n);
                    }
                });
            }
        });
    }

    #[test]
    fn validity_follows_the_definition() {
        // Brute force against the definition for small values.
        for start in 0..70u64 {
            for end in 0..140u64 {
                let want = start < end && {
                    let mut ceil = 1;
                    while ceil < end - start {
                        ceil *= 2;
                    }
                    start % ceil == 0
                };
                assert_eq!(is_valid_subtree(start, end), want, "[{start}, {end})");
            }
        }
        // The draft's examples.
        assert!(is_valid_subtree(4, 8));
        assert!(is_valid_subtree(8, 13));
        assert!(!is_valid_subtree(5, 13));
        // Around the top of the range, where BIT_CEIL needs 65 bits.
        assert!(is_valid_subtree(0, u64::MAX));
        assert!(is_valid_subtree(1 << 63, u64::MAX));
        assert!(is_valid_subtree(u64::MAX - 1, u64::MAX));
        assert!(!is_valid_subtree(1, (1 << 63) + 2));
        assert!(!is_valid_subtree(1 << 62, (1 << 63) + 1));
        assert!(!is_valid_subtree(u64::MAX, u64::MAX));
        assert!(!is_valid_subtree(2, 1));
    }

    #[test]
    fn draft_examples() {
        let t = tree(14);
        let h = |lo, hi| subtree_hash(lo, hi, &t).unwrap();
        // Section 4.3.1: entry 10 of [8, 13).
        assert_eq!(
            prove_subtree_inclusion(10, 8, 13, &t).unwrap(),
            vec![h(11, 12), h(8, 10), h(12, 13)]
        );
        // Section 4.4.2: [4, 8) and [8, 13) in the tree of 14.
        assert_eq!(
            prove_subtree_consistency(4, 8, 14, &t).unwrap(),
            vec![h(0, 4), h(8, 14)]
        );
        assert_eq!(
            prove_subtree_consistency(8, 13, 14, &t).unwrap(),
            vec![h(12, 13), h(13, 14), h(8, 12), h(0, 8)]
        );
        // Appendix B: [0, 6) in the trees of 8 and 7.
        assert_eq!(
            prove_subtree_consistency(0, 6, 8, &t).unwrap(),
            vec![h(4, 6), h(6, 8), h(0, 4)]
        );
        assert_eq!(
            prove_subtree_consistency(0, 6, 7, &t).unwrap(),
            vec![h(4, 6), h(6, 7), h(0, 4)]
        );
        // A subtree that is the whole tree needs no hashes.
        assert!(prove_subtree_consistency(0, 14, 14, &t).unwrap().is_empty());
        verify_subtree_consistency(0, 14, 14, &[] as &[Hash], &h(0, 14).0, &h(0, 14).0).unwrap();
    }

    #[test]
    fn special_cases_match_rfc_9162_proofs() {
        let t = tree(40);
        for n in 1..=40 {
            for end in 1..=n {
                assert_eq!(
                    prove_subtree_consistency(0, end, n, &t).unwrap(),
                    merkle::prove_consistency(end, n, &t).unwrap(),
                    "end={end} n={n}"
                );
            }
            for i in 0..n {
                assert_eq!(
                    prove_subtree_consistency(i, i + 1, n, &t).unwrap(),
                    merkle::prove_inclusion(i, n, &t).unwrap(),
                    "i={i} n={n}"
                );
            }
        }
    }

    /// MTH over a slice of leaf hashes, straight from RFC 9162 section 2.1.1.
    fn naive_mth(leaves: &[Hash]) -> Hash {
        match leaves.len() {
            0 => Hash::empty(),
            1 => leaves[0],
            n => {
                let k = largest_power_below(n as u64) as usize;
                node_hash(&naive_mth(&leaves[..k]), &naive_mth(&leaves[k..]))
            }
        }
    }

    /// SUBTREE_SUBPROOF of section 4.4.1, written as the draft's recursion
    /// over the leaves of `D_n`.
    fn naive_subproof(start: usize, end: usize, d: &[Hash], known: bool, out: &mut Vec<Hash>) {
        let n = d.len();
        if start == 0 && end == n {
            if !known {
                out.push(naive_mth(d));
            }
            return;
        }
        let k = largest_power_below(n as u64) as usize;
        if end <= k {
            naive_subproof(start, end, &d[..k], known, out);
            out.push(naive_mth(&d[k..]));
        } else if k <= start {
            naive_subproof(start - k, end - k, &d[k..], known, out);
            out.push(naive_mth(&d[..k]));
        } else {
            assert_eq!(start, 0);
            naive_subproof(0, end - k, &d[k..], false, out);
            out.push(naive_mth(&d[..k]));
        }
    }

    #[test]
    fn generation_matches_the_draft_recursion() {
        const N: u64 = 40;
        let t = tree(N);
        let leaves: Vec<Hash> = (0..N).map(|i| t.leaf(i).unwrap()).collect();
        for n in 1..=N {
            for (start, end) in subtrees(n) {
                let mut want = Vec::new();
                naive_subproof(
                    start as usize,
                    end as usize,
                    &leaves[..n as usize],
                    true,
                    &mut want,
                );
                assert_eq!(
                    prove_subtree_consistency(start, end, n, &t).unwrap(),
                    want,
                    "[{start}, {end}) n={n}"
                );
            }
        }
        for end in 1..=N {
            for start in (0..end).filter(|&s| is_valid_subtree(s, end)) {
                let d = &leaves[start as usize..end as usize];
                assert_eq!(subtree_hash(start, end, &t).unwrap(), naive_mth(d));
                for index in start..end {
                    // PATH(m, D) is the consistency proof of the one-leaf subtree [m, m + 1).
                    let mut want = Vec::new();
                    let m = (index - start) as usize;
                    naive_subproof(m, m + 1, d, true, &mut want);
                    assert_eq!(
                        prove_subtree_inclusion(index, start, end, &t).unwrap(),
                        want
                    );
                }
            }
        }
    }

    /// For every tree size up to 64 and every valid subtree of it, the
    /// generated subtree consistency proof verifies, and flipping any single
    /// bit of any proof hash, dropping or adding a hash, or changing either
    /// hash makes it fail.
    #[test]
    fn exhaustive_subtree_consistency_up_to_64() {
        const N: u64 = 64;
        let t = tree(N);
        let roots: Vec<Hash> = (0..=N).map(|n| tree_hash(n, &t).unwrap()).collect();
        let other = leaf_hash(b"other");
        for_each_parallel(1..=N, |n| {
            let root = roots[n as usize];
            for (start, end) in subtrees(n) {
                let sub = subtree_hash(start, end, &t).unwrap();
                let proof = prove_subtree_consistency(start, end, n, &t).unwrap();
                let ctx = format!("[{start}, {end}) n={n}");
                verify_subtree_consistency(start, end, n, &proof, &sub.0, &root.0)
                    .unwrap_or_else(|e| panic!("{ctx}: {e}"));
                let mut bad = proof.clone();
                for j in 0..bad.len() {
                    for bit in 0..256 {
                        bad[j].0[bit / 8] ^= 1 << (bit % 8);
                        assert!(
                            verify_subtree_consistency(start, end, n, &bad, &sub.0, &root.0)
                                .is_err(),
                            "{ctx} j={j} bit={bit}"
                        );
                        bad[j].0[bit / 8] ^= 1 << (bit % 8);
                    }
                }
                let mut longer = proof.clone();
                longer.push(other);
                assert!(
                    verify_subtree_consistency(start, end, n, &longer, &sub.0, &root.0).is_err(),
                    "{ctx}"
                );
                if !proof.is_empty() {
                    let shorter = &proof[..proof.len() - 1];
                    assert!(
                        verify_subtree_consistency(start, end, n, shorter, &sub.0, &root.0)
                            .is_err(),
                        "{ctx}"
                    );
                }
                assert!(
                    verify_subtree_consistency(start, end, n, &proof, &other.0, &root.0).is_err(),
                    "{ctx}"
                );
                assert!(
                    verify_subtree_consistency(start, end, n, &proof, &sub.0, &other.0).is_err(),
                    "{ctx}"
                );
            }
        });
    }

    /// For every valid subtree within 64 leaves and every leaf in it, the
    /// generated subtree inclusion proof evaluates to the subtree hash, and
    /// flipping any single bit of any proof hash makes it fail.
    #[test]
    fn exhaustive_subtree_inclusion_up_to_64() {
        const N: u64 = 64;
        let t = tree(N);
        // Each subtree is handled with the n at which it ends, so every valid
        // subtree within N leaves is visited once.
        for_each_parallel(1..=N, |end| {
            for start in (0..end).filter(|&s| is_valid_subtree(s, end)) {
                let sub = subtree_hash(start, end, &t).unwrap();
                for index in start..end {
                    let leaf = t.leaf(index).unwrap();
                    let proof = prove_subtree_inclusion(index, start, end, &t).unwrap();
                    let ctx = format!("{index} in [{start}, {end})");
                    assert_eq!(
                        subtree_root_from_inclusion(&leaf.0, index, start, end, &proof),
                        Ok(sub),
                        "{ctx}"
                    );
                    verify_subtree_inclusion(&leaf.0, index, start, end, &proof, &sub.0).unwrap();
                    let mut bad = proof.clone();
                    for j in 0..bad.len() {
                        for bit in 0..256 {
                            bad[j].0[bit / 8] ^= 1 << (bit % 8);
                            assert!(
                                verify_subtree_inclusion(&leaf.0, index, start, end, &bad, &sub.0)
                                    .is_err(),
                                "{ctx} j={j} bit={bit}"
                            );
                            bad[j].0[bit / 8] ^= 1 << (bit % 8);
                        }
                    }
                    if end - start > 1 {
                        let moved = start + (index - start + 1) % (end - start);
                        assert!(
                            verify_subtree_inclusion(&leaf.0, moved, start, end, &proof, &sub.0)
                                .is_err(),
                            "{ctx}"
                        );
                    }
                    let mut longer = proof.clone();
                    longer.push(sub);
                    assert!(
                        verify_subtree_inclusion(&leaf.0, index, start, end, &longer, &sub.0)
                            .is_err(),
                        "{ctx}"
                    );
                }
            }
        });
    }

    #[test]
    fn generation_refuses_bad_ranges() {
        let t = tree(16);
        assert!(prove_subtree_inclusion(3, 3, 5, &t).is_err());
        assert!(prove_subtree_inclusion(0, 1, 2, &t).is_err());
        assert!(prove_subtree_inclusion(2, 0, 2, &t).is_err());
        assert!(prove_subtree_inclusion(0, 0, 0, &t).is_err());
        assert!(prove_subtree_consistency(2, 6, 8, &t).is_err());
        assert!(prove_subtree_consistency(0, 9, 8, &t).is_err());
        assert!(prove_subtree_consistency(3, 3, 8, &t).is_err());
        assert!(prove_subtree_consistency(u64::MAX - 1, u64::MAX, u64::MAX, &t).is_err());
        // Past what is stored: a storage error, not a panic.
        assert!(matches!(
            prove_subtree_inclusion(20, 16, 32, &t),
            Err(TreeError::Missing { .. })
        ));
    }

    #[test]
    fn verification_never_panics_on_odd_input() {
        let h = [7u8; 32];
        let g = [8u8; 32];
        let short = [0u8; 31];
        let none: &[[u8; 32]] = &[];
        let many: Vec<&[u8]> = vec![&h[..]; 130];
        let odd: [&[u8]; 2] = [&h[..], &short[..]];
        for (start, end, n) in [
            (0, 0, 0),
            (0, u64::MAX, u64::MAX),
            (1 << 63, u64::MAX, u64::MAX),
            (u64::MAX - 1, u64::MAX, u64::MAX),
            (0, 1, u64::MAX),
            (1, 2, u64::MAX),
            (1 << 62, (1 << 62) + 3, u64::MAX),
            (3, 2, 5),
            (0, 2, 1),
        ] {
            for proof in [
                &many[..0],
                &many[..1],
                &many[..64],
                &many[..],
                &odd[..],
                &odd[1..],
            ] {
                assert!(verify_subtree_consistency(start, end, n, proof, &h, &g).is_err());
                assert!(verify_subtree_consistency(start, end, n, proof, &short, &h).is_err());
                assert!(verify_subtree_consistency(start, end, n, proof, &[], &[1]).is_err());
                for index in [start, end.wrapping_sub(1), u64::MAX] {
                    assert!(verify_subtree_inclusion(&h, index, start, end, proof, &g).is_err());
                    assert!(
                        verify_subtree_inclusion(&short, index, start, end, proof, &h).is_err()
                    );
                }
            }
        }
        // The error kinds.
        assert_eq!(
            verify_subtree_consistency(2, 6, 8, none, &h, &h),
            Err(ProofError::Sizes)
        );
        assert_eq!(
            verify_subtree_consistency(0, 9, 8, none, &h, &h),
            Err(ProofError::Sizes)
        );
        assert_eq!(
            verify_subtree_consistency(0, 1, 2, none, &h, &h),
            Err(ProofError::Length)
        );
        assert_eq!(
            verify_subtree_consistency(0, 1, 2, &[short], &h, &h),
            Err(ProofError::HashLength)
        );
        assert_eq!(
            verify_subtree_consistency(0, 3, 4, none, &h, &h),
            Err(ProofError::Length)
        );
        assert_eq!(
            verify_subtree_consistency(0, 1, 2, &[h], &short, &h),
            Err(ProofError::Mismatch)
        );
        assert_eq!(
            verify_subtree_consistency(0, 1, 1, none, &short, &h),
            Err(ProofError::Mismatch)
        );
        // The whole tree: nothing is hashed, the two hashes are compared as given.
        assert_eq!(
            verify_subtree_consistency(0, 1, 1, none, &short, &short),
            Ok(())
        );
        assert_eq!(verify_subtree_consistency(0, 5, 5, none, &h, &h), Ok(()));
        assert_eq!(
            verify_subtree_consistency(0, 5, 6, none, &h, &h),
            Err(ProofError::Length)
        );
        assert_eq!(
            verify_subtree_inclusion(&h, 0, 3, 5, none, &h),
            Err(ProofError::Sizes)
        );
        assert_eq!(
            verify_subtree_inclusion(&h, 3, 4, 6, none, &h),
            Err(ProofError::IndexOutOfRange)
        );
        assert_eq!(
            verify_subtree_inclusion(&short, 4, 4, 5, none, &h),
            Err(ProofError::HashLength)
        );
        assert_eq!(
            verify_subtree_inclusion(&h, 4, 4, 6, none, &h),
            Err(ProofError::Length)
        );
        assert_eq!(
            verify_subtree_inclusion(&h, 4, 4, 5, none, &short),
            Err(ProofError::Mismatch)
        );
        verify_subtree_inclusion(&h, 4, 4, 5, none, &h).unwrap();
    }

    use proptest::prelude::*;

    fn to32(b: &[u8]) -> Option<Hash> {
        b.try_into().ok().map(Hash)
    }

    /// `[start, end)` is a subtree by the definition of section 4.1, with
    /// `BIT_CEIL` computed by doubling.
    fn naive_valid(start: u64, end: u64) -> bool {
        if start >= end {
            return false;
        }
        let mut ceil = 1u128;
        while ceil < u128::from(end - start) {
            ceil *= 2;
        }
        u128::from(start) % ceil == 0
    }

    /// The subtree hash a subtree inclusion proof leads to: RFC 9162's
    /// `PATH` recursion inside the subtree, read from the proof's end.
    fn naive_inclusion(
        leaf: &[u8],
        index: u64,
        start: u64,
        end: u64,
        proof: &[Vec<u8>],
    ) -> Option<Hash> {
        if !naive_valid(start, end) || index < start || index >= end {
            return None;
        }
        if end - start == 1 {
            return if proof.is_empty() { to32(leaf) } else { None };
        }
        let (last, rest) = proof.split_last()?;
        let sibling = to32(last)?;
        let mid = start + largest_power_below(end - start);
        Some(if index < mid {
            node_hash(&naive_inclusion(leaf, index, start, mid, rest)?, &sibling)
        } else {
            node_hash(&sibling, &naive_inclusion(leaf, index, mid, end, rest)?)
        })
    }

    fn inclusion_len(index: u64, start: u64, end: u64) -> usize {
        if end - start <= 1 {
            return 0;
        }
        let mid = start + largest_power_below(end - start);
        1 + if index < mid {
            inclusion_len(index, start, mid)
        } else {
            inclusion_len(index, mid, end)
        }
    }

    /// The subtree hash and the root that a subtree consistency proof leads
    /// to, by the `SUBTREE_SUBPROOF` recursion of section 4.4.1 read from the
    /// proof's end, for `[start, end)` within the tree of `n` leaves; `sub`
    /// is the subtree hash, which the proof omits when `known` holds at the
    /// end of the recursion.
    fn eval_subproof(
        start: u64,
        end: u64,
        n: u64,
        known: bool,
        sub: &[u8],
        proof: &[Vec<u8>],
    ) -> Option<(Hash, Hash)> {
        if start == 0 && end == n {
            let h = match (known, proof) {
                (true, []) => to32(sub)?,
                (false, [h]) => to32(h)?,
                _ => return None,
            };
            return Some((h, h));
        }
        let (last, rest) = proof.split_last()?;
        let sibling = to32(last)?;
        let k = largest_power_below(n);
        if end <= k {
            let (s, r) = eval_subproof(start, end, k, known, sub, rest)?;
            Some((s, node_hash(&r, &sibling)))
        } else if k <= start {
            let (s, r) = eval_subproof(start - k, end - k, n - k, known, sub, rest)?;
            Some((s, node_hash(&sibling, &r)))
        } else if start == 0 {
            let (s, r) = eval_subproof(0, end - k, n - k, false, sub, rest)?;
            Some((node_hash(&sibling, &s), node_hash(&sibling, &r)))
        } else {
            None
        }
    }

    fn subproof_len(start: u64, end: u64, n: u64, known: bool) -> usize {
        if start == 0 && end == n {
            return usize::from(!known);
        }
        let k = largest_power_below(n);
        1 + if end <= k {
            subproof_len(start, end, k, known)
        } else if k <= start {
            subproof_len(start - k, end - k, n - k, known)
        } else {
            subproof_len(0, end - k, n - k, false)
        }
    }

    /// Whether `verify_subtree_consistency` must accept, by the draft (and
    /// the empty-subtree convention of the transparency-dev vectors).
    fn naive_consistent(
        start: u64,
        end: u64,
        n: u64,
        proof: &[Vec<u8>],
        sub: &[u8],
        root: &[u8],
    ) -> bool {
        if start == end && end <= n {
            return proof.is_empty() && sub == Hash::empty().0.as_slice();
        }
        if !naive_valid(start, end) || end > n {
            return false;
        }
        if start == 0 && end == n {
            return proof.is_empty() && sub == root;
        }
        eval_subproof(start, end, n, true, sub, proof)
            .is_some_and(|(s, r)| s.0 == sub && r.0 == root)
    }

    /// `(start, end, n)`: anything, or a valid subtree (a multiple of `2^j`
    /// followed by at most `2^j` leaves) within a tree that ends at or after it.
    fn ranges() -> impl Strategy<Value = (u64, u64, u64)> {
        let valid = (0u32..64, any::<u64>(), any::<u64>(), any::<u64>(), 0u32..64).prop_map(
            |(j, q, s, extra, e)| {
                let c = 1u64 << j;
                let start = (q >> (q % 64)) >> j << j;
                let size = s % c + 1;
                let end = start.saturating_add(size);
                let n = end.saturating_add(extra >> e);
                (start, end, n)
            },
        );
        let small = (0u64..40, 0u64..40, 0u64..80);
        prop_oneof![
            4 => valid,
            1 => small,
            1 => (any::<u64>(), any::<u64>(), any::<u64>()),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1024))]

        /// On any input, subtree inclusion verification never panics and
        /// agrees with the recursion of the draft, so it errs unless the
        /// proof really leads to the subtree hash; a bit flipped in a valid
        /// input makes it fail.
        #[test]
        fn subtree_inclusion_agrees_with_the_draft_on_any_input(
            (start, end, _n) in ranges(),
            index_seed in any::<u64>(),
            raw_index in any::<bool>(),
            leaf in hash_bytes(),
            mut proof in proof(),
            fit_proof in any::<bool>(),
            hash in hash_bytes(),
            use_true_hash in any::<bool>(),
            bit in any::<usize>(),
        ) {
            let index = if raw_index || end <= start {
                index_seed
            } else {
                start + index_seed % (end - start)
            };
            if fit_proof && start <= index && index < end {
                fit(&mut proof, inclusion_len(index, start, end));
            }
            let want = naive_inclusion(&leaf, index, start, end, &proof);
            prop_assert_eq!(subtree_root_from_inclusion(&leaf, index, start, end, &proof).ok(), want);
            let hash = match want {
                Some(h) if use_true_hash => h.0.to_vec(),
                _ => hash,
            };
            let valid = want.is_some_and(|h| h.0.as_slice() == hash.as_slice());
            prop_assert_eq!(
                verify_subtree_inclusion(&leaf, index, start, end, &proof, &hash).is_ok(),
                valid
            );
            if valid {
                let (mut leaf, mut proof, mut hash) = (leaf.clone(), proof.clone(), hash.clone());
                match bit % (proof.len() + 2) {
                    0 => flip(&mut leaf, bit / 3),
                    1 => flip(&mut hash, bit / 3),
                    j => flip(&mut proof[j - 2], bit / 3),
                }
                prop_assert!(verify_subtree_inclusion(&leaf, index, start, end, &proof, &hash).is_err());
            }
        }

        /// The same for subtree consistency proofs, against
        /// `SUBTREE_SUBPROOF`.
        #[test]
        fn subtree_consistency_agrees_with_the_draft_on_any_input(
            (start, end, n) in ranges(),
            mut proof in proof(),
            fit_proof in any::<bool>(),
            sub in hash_bytes(),
            root in hash_bytes(),
            use_true_hashes in any::<bool>(),
            bit in any::<usize>(),
        ) {
            let proper = naive_valid(start, end) && end <= n && !(start == 0 && end == n);
            if fit_proof && proper {
                fit(&mut proof, subproof_len(start, end, n, true));
            }
            let true_hashes = if proper && use_true_hashes {
                eval_subproof(start, end, n, true, &sub, &proof)
            } else {
                None
            };
            let (sub, root) = match true_hashes {
                Some((s, r)) => (s.0.to_vec(), r.0.to_vec()),
                None if use_true_hashes && start == 0 && end == n => (sub.clone(), sub),
                None if use_true_hashes && start == end => (Hash::empty().0.to_vec(), root),
                None => (sub, root),
            };
            let valid = naive_consistent(start, end, n, &proof, &sub, &root);
            prop_assert_eq!(
                verify_subtree_consistency(start, end, n, &proof, &sub, &root).is_ok(),
                valid
            );
            if valid {
                let (mut sub, mut root, mut proof) = (sub.clone(), root.clone(), proof.clone());
                match bit % (proof.len() + 2) {
                    0 => flip(&mut sub, bit / 3),
                    // An empty subtree is in any tree, whatever the root.
                    1 if start != end => flip(&mut root, bit / 3),
                    1 => flip(&mut sub, bit / 3),
                    j => flip(&mut proof[j - 2], bit / 3),
                }
                prop_assert!(verify_subtree_consistency(start, end, n, &proof, &sub, &root).is_err());
            }
        }
    }
}
