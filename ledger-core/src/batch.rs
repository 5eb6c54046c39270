//! Batch signature verification with the verdicts of `verify_strict`
//! (`spec/log.md` section 5).
//!
//! Plain Ed25519 batch verification is not the same check as
//! `verify_strict`: it accepts signatures whose `R` carries a small torsion
//! component (which a signer can produce on purpose), and ed25519-dalek's
//! `verify_batch` derives its random coefficients from the inputs, so such a
//! signer can also aim for them. Here every input is first checked the way
//! `verify_strict` checks it, the random coefficients come from the caller's
//! secret seed, keys are merged so the multi-scalar multiplication has one
//! point per distinct key, and 64 random subset sums of the `R`s are checked
//! to be torsion-free. Whenever any check fails, each signature is verified
//! with `verify_strict` on its own, so a bad signature is always found and
//! reported individually.

use std::collections::HashMap;

use curve25519_dalek::constants::ED25519_BASEPOINT_POINT;
use curve25519_dalek::edwards::{CompressedEdwardsY, EdwardsPoint};
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::{Identity, IsIdentity, VartimeMultiscalarMul};
use sha2::{Digest, Sha512};

use crate::crypto::{PublicKey, Signature, verify_raw};

/// One signature to check: the key, the exact signed message, the signature.
#[derive(Clone, Copy, Debug)]
pub struct Item<'a> {
    /// Public key.
    pub key: &'a PublicKey,
    /// The signed message (for events, `event_message(bytes)`).
    pub message: &'a [u8],
    /// The signature.
    pub signature: &'a Signature,
}

/// Number of torsion probes: a forged torsion component survives all of
/// them with probability at most 2^-64.
pub const PROBES: usize = 64;

struct Ready {
    item: usize,
    r: EdwardsPoint,
    s: Scalar,
    k: Scalar,
    key: usize,
}

fn random_bytes(seed: &[u8; 32], tag: &[u8], i: u64) -> [u8; 64] {
    let mut h = Sha512::new();
    h.update(b"madini/batch-verify/v1");
    h.update(seed);
    h.update(tag);
    h.update(i.to_le_bytes());
    h.finalize().into()
}

/// Whether the y coordinate in a compressed point is below p = 2^255 - 19.
///
/// `verify_strict` compares the recomputed R, compressed, with the bytes of
/// the signature's R, so it refuses any R that is not the canonical
/// encoding of its point. `decompress` accepts y >= p (it reduces it), and
/// for every point but the two with x = 0, (0, 1) and (0, -1), which are of
/// small order, the canonical encoding is exactly one with y < p. So for an
/// R of large order this check equals `R.compress() == bytes`, without the
/// field inversion that compressing costs.
fn canonical_y(bytes: &[u8; 32]) -> bool {
    let top = bytes[31] & 0x7f;
    !(top == 0x7f && bytes[1..31].iter().all(|b| *b == 0xff) && bytes[0] >= 0xed)
}

/// Verifies many signatures; `verdicts[i]` equals what `verify_strict` says
/// of `items[i]`, except with probability below 2^-64 per call against a
/// signer who does not know `seed`. `seed` must be secret and fresh random
/// bytes for each call.
pub fn verify_batch(items: &[Item<'_>], seed: &[u8; 32]) -> Vec<bool> {
    let mut verdicts = vec![false; items.len()];
    let mut ready: Vec<Ready> = Vec::with_capacity(items.len());
    let mut keys: Vec<EdwardsPoint> = Vec::new();
    let mut key_index: HashMap<[u8; 32], Option<usize>> = HashMap::new();
    let mut individually: Vec<usize> = Vec::new();
    for (i, it) in items.iter().enumerate() {
        // The key: canonical, prime order; anything else is checked alone.
        let slot = *key_index.entry(it.key.0).or_insert_with(|| {
            let p = CompressedEdwardsY(it.key.0).decompress()?;
            if p.compress().0 != it.key.0 || p.is_small_order() || !p.is_torsion_free() {
                return None;
            }
            keys.push(p);
            Some(keys.len() - 1)
        });
        let Some(key) = slot else {
            individually.push(i);
            continue;
        };
        // S canonical; R canonical, decompressible, not of small order: as
        // verify_strict requires, so failing here is its verdict too.
        let mut s_bytes = [0u8; 32];
        s_bytes.copy_from_slice(&it.signature[32..]);
        let Some(s) = Option::<Scalar>::from(Scalar::from_canonical_bytes(s_bytes)) else {
            continue;
        };
        let mut r_bytes = [0u8; 32];
        r_bytes.copy_from_slice(&it.signature[..32]);
        if !canonical_y(&r_bytes) {
            continue;
        }
        let Some(r) = CompressedEdwardsY(r_bytes).decompress() else {
            continue;
        };
        if r.is_small_order() {
            continue;
        }
        let mut h = Sha512::new();
        h.update(r_bytes);
        h.update(it.key.0);
        h.update(it.message);
        let k = Scalar::from_hash(h);
        ready.push(Ready {
            item: i,
            r,
            s,
            k,
            key,
        });
    }
    if !ready.is_empty() {
        if batch_holds(&ready, &keys, seed) {
            for r in &ready {
                verdicts[r.item] = true;
            }
        } else {
            individually.extend(ready.iter().map(|r| r.item));
        }
    }
    for i in individually {
        let it = &items[i];
        verdicts[i] = verify_raw(it.key, it.message, it.signature).is_ok();
    }
    verdicts
}

/// Whether `q` lies in the prime-order subgroup, that is [l]q is the
/// identity, computed as [l - 1]q = -q with a variable-time
/// multiplication (q is public; about a quarter faster than
/// `is_torsion_free`, which is constant-time). For q = p + t with p of
/// order l and t of order dividing 8: [l - 1]q = -p + [l - 1]t, which is
/// -p - t exactly when [l]t = 0, that is t = 0, since l is odd.
fn torsion_free(q: &EdwardsPoint) -> bool {
    EdwardsPoint::vartime_multiscalar_mul([-Scalar::ONE], [*q]) == -q
}

/// The merged cofactorless equation and the torsion probes.
fn batch_holds(ready: &[Ready], keys: &[EdwardsPoint], seed: &[u8; 32]) -> bool {
    let n = ready.len();
    let mut b_coef = Scalar::ZERO;
    let mut key_coef = vec![Scalar::ZERO; keys.len()];
    let mut scalars: Vec<Scalar> = Vec::with_capacity(n + keys.len() + 1);
    let mut points: Vec<EdwardsPoint> = Vec::with_capacity(n + keys.len() + 1);
    for (j, r) in ready.iter().enumerate() {
        let zb = random_bytes(seed, b"z", j as u64);
        let mut z16 = [0u8; 32];
        z16[..16].copy_from_slice(&zb[..16]);
        let z = Scalar::from_bytes_mod_order(z16);
        b_coef += z * r.s;
        key_coef[r.key] -= z * r.k;
        scalars.push(-z);
        points.push(r.r);
    }
    scalars.push(b_coef);
    points.push(ED25519_BASEPOINT_POINT);
    scalars.extend(key_coef);
    points.extend_from_slice(keys);
    if !EdwardsPoint::vartime_multiscalar_mul(&scalars, &points).is_identity() {
        return false;
    }
    // Torsion probes: probe 8b+t sums the Rs whose random mask has bit t set
    // in byte b. Bucket by each mask byte first (8 additions per signature),
    // then build the 8 probes of each byte from its 256 buckets.
    let mut buckets = vec![[EdwardsPoint::identity(); 256]; PROBES / 8];
    for (j, r) in ready.iter().enumerate() {
        let mask = random_bytes(seed, b"m", j as u64);
        for (b, bucket) in buckets.iter_mut().enumerate() {
            bucket[mask[b] as usize] += r.r;
        }
    }
    for bucket in &buckets {
        for t in 0..8 {
            let mut q = EdwardsPoint::identity();
            for (v, p) in bucket.iter().enumerate() {
                if v & (1 << t) != 0 {
                    q += p;
                }
            }
            if !torsion_free(&q) {
                return false;
            }
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::SecretKey;
    use curve25519_dalek::edwards::CompressedEdwardsY;

    fn signed(n: usize) -> Vec<(PublicKey, Vec<u8>, Signature)> {
        (0..n)
            .map(|i| {
                let sk = SecretKey::from_seed(&[(i % 5) as u8 + 1; 32]);
                let msg = format!("message {i}").into_bytes();
                let sig = sk.sign_raw(&msg);
                (sk.public(), msg, sig)
            })
            .collect()
    }

    fn run(v: &[(PublicKey, Vec<u8>, Signature)], seed: u8) -> Vec<bool> {
        let items: Vec<Item<'_>> = v
            .iter()
            .map(|(k, m, s)| Item {
                key: k,
                message: m,
                signature: s,
            })
            .collect();
        verify_batch(&items, &[seed; 32])
    }

    fn strict(v: &[(PublicKey, Vec<u8>, Signature)]) -> Vec<bool> {
        v.iter()
            .map(|(k, m, s)| verify_raw(k, m, s).is_ok())
            .collect()
    }

    #[test]
    fn agrees_with_verify_strict_on_good_and_bad_signatures() {
        let mut v = signed(40);
        assert!(run(&v, 1).iter().all(|x| *x));
        v[3].2[5] ^= 1; // bad R
        v[7].2[40] ^= 1; // bad S
        v[11].1.push(b'!'); // other message
        v[13].2[63] |= 0xf0; // S not canonical
        assert_eq!(run(&v, 2), strict(&v));
        assert_eq!(run(&v, 2).iter().filter(|x| !**x).count(), 4);
    }

    /// A signer can make a signature whose R carries a torsion component:
    /// cofactored checks accept it, `verify_strict` refuses it, and so must
    /// the batch, whatever its random seed.
    #[test]
    fn torsion_in_r_is_caught() {
        let sk_seed = [9u8; 32];
        let sk = SecretKey::from_seed(&sk_seed);
        let pk = sk.public();
        // The signer's secret scalar, as RFC 8032 derives it.
        let h = Sha512::digest(sk_seed);
        let mut a_bytes = [0u8; 32];
        a_bytes.copy_from_slice(&h[..32]);
        a_bytes[0] &= 248;
        a_bytes[31] &= 127;
        a_bytes[31] |= 64;
        let a = Scalar::from_bytes_mod_order(a_bytes);
        // The point of order 2.
        let mut t2 = [0u8; 32];
        t2[0] = 0xec;
        t2[1..31].fill(0xff);
        t2[31] = 0x7f;
        let order2 = CompressedEdwardsY(t2).decompress().unwrap();
        let mut v = signed(30);
        for (n, slot) in [4usize, 17].into_iter().enumerate() {
            let msg = format!("torsion {n}").into_bytes();
            let r = Scalar::from_bytes_mod_order([n as u8 + 3; 32]);
            let big_r = ED25519_BASEPOINT_POINT * r + order2;
            let r_bytes = big_r.compress().0;
            let mut hh = Sha512::new();
            hh.update(r_bytes);
            hh.update(pk.0);
            hh.update(&msg);
            let k = Scalar::from_hash(hh);
            let s = r + k * a;
            let mut sig = [0u8; 64];
            sig[..32].copy_from_slice(&r_bytes);
            sig[32..].copy_from_slice(s.as_bytes());
            // The cofactored equation holds; the strict one does not.
            let lhs = ED25519_BASEPOINT_POINT * s - big_r - pk_point(&pk) * k;
            assert!(lhs.mul_by_cofactor().is_identity() && !lhs.is_identity());
            v[slot] = (pk, msg, sig);
        }
        let expect = strict(&v);
        assert!(!expect[4] && !expect[17]);
        for seed in 0..20 {
            assert_eq!(run(&v, seed), expect, "seed {seed}");
        }
    }

    /// `canonical_y` agrees with compressing again, for every point not of
    /// small order, on the encodings around p and below 19 + p, with both
    /// sign bits, and on the R of real signatures.
    #[test]
    fn canonical_y_is_compress_round_trip_for_points_of_large_order() {
        let p_minus = |k: u8| {
            // p - k, little-endian (k <= 0xed).
            let mut b = [0xffu8; 32];
            b[0] = 0xed - k;
            b[31] = 0x7f;
            b
        };
        let small = |y: u8| {
            let mut b = [0u8; 32];
            b[0] = y;
            b
        };
        let mut encodings: Vec<[u8; 32]> = Vec::new();
        for k in 0..=40u8 {
            encodings.push(p_minus(k));
            encodings.push(small(k));
        }
        // p + y for y < 19: the non-canonical encodings.
        for y in 0..19u8 {
            let mut b = p_minus(0);
            b[0] = 0xed + y;
            encodings.push(b);
        }
        for (_, _, sig) in signed(20) {
            encodings.push(sig[..32].try_into().unwrap());
        }
        let mut decodable = 0;
        let mut non_canonical_large = 0;
        for mut e in encodings {
            for sign in [0u8, 0x80] {
                e[31] = (e[31] & 0x7f) | sign;
                let Some(pt) = CompressedEdwardsY(e).decompress() else {
                    continue;
                };
                decodable += 1;
                if pt.is_small_order() {
                    continue;
                }
                let round_trip = pt.compress().0 == e;
                non_canonical_large += usize::from(!round_trip);
                assert_eq!(canonical_y(&e), round_trip, "{e:02x?}");
            }
        }
        assert!(
            decodable > 60 && non_canonical_large > 4,
            "{decodable} {non_canonical_large}"
        );
    }

    /// `torsion_free` agrees with dalek's `is_torsion_free` on points of
    /// prime order and on the same points plus every torsion point.
    #[test]
    fn torsion_free_agrees_with_dalek() {
        use curve25519_dalek::constants::EIGHT_TORSION;
        for i in 1..20u64 {
            let p = ED25519_BASEPOINT_POINT * Scalar::from(i * 104_729);
            for t in &EIGHT_TORSION {
                let q = p + t;
                assert_eq!(torsion_free(&q), q.is_torsion_free(), "{i}");
                assert_eq!(torsion_free(&q), t.is_identity(), "{i}");
            }
        }
    }

    fn pk_point(pk: &PublicKey) -> EdwardsPoint {
        CompressedEdwardsY(pk.0).decompress().unwrap()
    }

    #[test]
    fn weak_keys_are_checked_one_by_one() {
        let mut v = signed(6);
        let mut id = [0u8; 32];
        id[0] = 1;
        v[2].0 = PublicKey(id);
        assert_eq!(run(&v, 3), strict(&v));
        assert!(!run(&v, 3)[2]);
    }
}
