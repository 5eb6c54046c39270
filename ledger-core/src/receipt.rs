//! Whistle-blowers' receipts (`spec/http.md`, "Receipts"): a short text that
//! names an incident report's log entry, made of its index, the first 20 bits
//! of its event hash and a Luhn mod 32 check symbol, in Crockford's base-32
//! alphabet, so it can be written down or read over a phone.

use std::fmt;
use std::str::FromStr;

use crate::hash::Hash;

/// Crockford's base-32 alphabet: no I, L, O or U.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// Symbols of the hash part.
const HASH_SYMBOLS: usize = 4;

/// A receipt: an entry index and the first 20 bits of its event hash.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Receipt {
    /// The report's entry index.
    pub index: u64,
    /// The first 20 bits of the report's event hash (0..2^20).
    pub hash_bits: u32,
}

/// Why a text is not a receipt.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ReceiptError {
    /// Fewer than 6 or more than 16 symbols once spaces and hyphens are gone.
    #[error("a receipt has 6 to 16 symbols, this one {0}")]
    Length(usize),
    /// A character outside the alphabet.
    #[error("{0:?} is not a receipt symbol")]
    Symbol(char),
    /// The index does not fit 2^53 - 1.
    #[error("the receipt's entry number is too large")]
    TooLarge,
    /// The check symbol does not match: a symbol was misread or swapped.
    #[error("the receipt's check symbol does not match")]
    Check,
}

impl Receipt {
    /// The receipt of the entry at `index` whose event hash is `hash`.
    pub fn new(index: u64, hash: &Hash) -> Receipt {
        let b = hash.0;
        let bits = (u32::from(b[0]) << 12) | (u32::from(b[1]) << 4) | (u32::from(b[2]) >> 4);
        Receipt {
            index,
            hash_bits: bits,
        }
    }

    /// Whether `hash` is the event hash this receipt names.
    pub fn matches(&self, hash: &Hash) -> bool {
        Receipt::new(self.index, hash).hash_bits == self.hash_bits
    }

    fn symbols(&self) -> (Vec<u8>, Vec<u8>) {
        let mut index = Vec::new();
        let mut n = self.index;
        loop {
            index.push((n % 32) as u8);
            n /= 32;
            if n == 0 {
                break;
            }
        }
        index.reverse();
        let hash = (0..HASH_SYMBOLS)
            .map(|i| ((self.hash_bits >> (5 * (HASH_SYMBOLS - 1 - i))) & 31) as u8)
            .collect();
        (index, hash)
    }
}

/// The Luhn mod 32 check value of `values` (each 0..32).
fn luhn(values: impl DoubleEndedIterator<Item = u8>) -> u8 {
    let mut sum = 0u32;
    let mut factor = 2u32;
    for v in values.rev() {
        let p = factor * u32::from(v);
        sum += p / 32 + p % 32;
        factor = 3 - factor;
    }
    ((32 - sum % 32) % 32) as u8
}

fn value(c: char) -> Option<u8> {
    let c = match c.to_ascii_uppercase() {
        'O' => '0',
        'I' | 'L' => '1',
        c => c,
    };
    ALPHABET
        .iter()
        .position(|&a| char::from(a) == c)
        .map(|p| p as u8)
}

impl fmt::Display for Receipt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (index, hash) = self.symbols();
        let check = luhn(index.iter().chain(hash.iter()).copied());
        let text = |v: &[u8]| -> String {
            v.iter()
                .map(|&s| char::from(ALPHABET[s as usize]))
                .collect()
        };
        write!(
            f,
            "{}-{}-{}",
            text(&index),
            text(&hash),
            char::from(ALPHABET[check as usize])
        )
    }
}

impl FromStr for Receipt {
    type Err = ReceiptError;

    /// Reads a receipt as people type it: any case, spaces and hyphens
    /// anywhere, `O` for `0` and `I` or `L` for `1`.
    fn from_str(s: &str) -> Result<Receipt, ReceiptError> {
        let mut values = Vec::new();
        for c in s.chars().filter(|c| !matches!(c, ' ' | '-' | '\t')) {
            values.push(value(c).ok_or(ReceiptError::Symbol(c))?);
            if values.len() > 16 {
                break;
            }
        }
        if !(6..=16).contains(&values.len()) {
            return Err(ReceiptError::Length(values.len()));
        }
        let (body, check) = values.split_at(values.len() - 1);
        if luhn(body.iter().copied()) != check[0] {
            return Err(ReceiptError::Check);
        }
        let (index, hash) = body.split_at(body.len() - HASH_SYMBOLS);
        let mut n: u64 = 0;
        for &v in index {
            n = n
                .checked_mul(32)
                .and_then(|n| n.checked_add(u64::from(v)))
                .filter(|&n| n <= crate::jcs::MAX_SAFE_INTEGER)
                .ok_or(ReceiptError::TooLarge)?;
        }
        let bits = hash.iter().fold(0u32, |b, &v| (b << 5) | u32::from(v));
        Ok(Receipt {
            index: n,
            hash_bits: bits,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hash(prefix: &[u8]) -> Hash {
        let mut b = [0u8; 32];
        b[..prefix.len()].copy_from_slice(prefix);
        Hash(b)
    }

    /// The worked example of spec/http.md, "Receipts".
    #[test]
    fn the_spec_example() {
        let r = Receipt::new(1234, &hash(&[0x9f, 0x3c, 0x2a]));
        assert_eq!(r.to_string(), "16J-KWY2-5");
        assert_eq!("16J-KWY2-5".parse::<Receipt>(), Ok(r));
        assert_eq!("16j kwy2 5".parse::<Receipt>(), Ok(r));
        assert_eq!("16JKWY25".parse::<Receipt>(), Ok(r));
        assert!(r.matches(&hash(&[0x9f, 0x3c, 0x20])));
        assert!(!r.matches(&hash(&[0x9f, 0x3c, 0x3a])));
    }

    #[test]
    fn round_trips_and_reads_confusable_letters() {
        for index in [0, 1, 31, 32, 1023, 1_000_000, crate::jcs::MAX_SAFE_INTEGER] {
            for prefix in [[0u8, 0, 0], [0xff, 0xff, 0xff], [0x12, 0x34, 0x56]] {
                let r = Receipt::new(index, &hash(&prefix));
                let text = r.to_string();
                assert_eq!(text.parse::<Receipt>(), Ok(r), "{text}");
                let sloppy = text.replace('0', "o").replace('1', "l").to_lowercase();
                assert_eq!(sloppy.parse::<Receipt>(), Ok(r), "{sloppy}");
            }
        }
    }

    #[test]
    fn every_single_wrong_symbol_is_caught() {
        let r = Receipt::new(987_654, &hash(&[0xab, 0xcd, 0xef])).to_string();
        let chars: Vec<char> = r.chars().collect();
        for (i, c) in chars.iter().enumerate() {
            if *c == '-' {
                continue;
            }
            for &a in ALPHABET {
                let a = char::from(a);
                if a == *c {
                    continue;
                }
                let mut t = chars.clone();
                t[i] = a;
                let t: String = t.into_iter().collect();
                assert!(t.parse::<Receipt>().is_err(), "{t} passed for {r}");
            }
        }
    }

    #[test]
    fn malformed_texts_are_refused() {
        assert_eq!("".parse::<Receipt>(), Err(ReceiptError::Length(0)));
        assert_eq!("12345".parse::<Receipt>(), Err(ReceiptError::Length(5)));
        assert_eq!(
            "16J-KWY2-U".parse::<Receipt>(),
            Err(ReceiptError::Symbol('U'))
        );
        assert_eq!(
            "<script>".parse::<Receipt>(),
            Err(ReceiptError::Symbol('<'))
        );
        assert_eq!("16J-KWY2-6".parse::<Receipt>(), Err(ReceiptError::Check));
        assert!("ZZZZZZZZZZZZZZZZ".parse::<Receipt>().is_err());
        assert!("1".repeat(1000).parse::<Receipt>().is_err());
    }
}
