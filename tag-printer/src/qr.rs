//! The QR symbol of a payload (`spec/tags.md` section 5): error correction
//! level M, version at most 10, a four-module quiet zone, and the module
//! matrix the renderers draw.

use qrcode::bits::Bits;
use qrcode::canvas::{Canvas, MaskPattern};
use qrcode::ec::construct_codewords;
use qrcode::{Color, EcLevel, Version};

/// Highest QR version a label prints: 57 x 57 modules, which keeps modules
/// about half a millimetre wide on a 70 x 37 mm label.
pub const MAX_QR_VERSION: u8 = 10;
/// Light modules around the symbol on every side, the minimum ISO/IEC 18004
/// asks for.
pub const QUIET_ZONE: usize = 4;

/// The QR alphanumeric-mode character set (ISO/IEC 18004 table 5).
const ALPHANUMERIC: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

/// A payload that does not fit a label's QR code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum QrError {
    /// Even version 10 at level M cannot hold the payload.
    #[error("payload of {0} bytes does not fit a version 10 QR code at error correction M")]
    TooLarge(usize),
}

/// The modules of one QR symbol, without its quiet zone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QrMatrix {
    version: u8,
    width: usize,
    dark: Vec<bool>,
}

/// Puts the payload in `version` with whichever of three segmentations
/// takes the fewest bits (ties to the earlier): one byte-mode segment; one
/// byte-mode segment followed by the longest alphanumeric suffix (the split
/// `spec/tags.md` section 5 counts with); qrcode's own optimiser, a
/// heuristic that may miss that split. The field app's encoder
/// (`node/assets/js/qr.js`) tries the first two in the same order, so both
/// draw the same symbol unless qrcode's is strictly shorter
/// (`spec/vectors/qr/`).
fn bits_for(payload: &[u8], version: i16) -> Option<Bits> {
    let v = Version::Normal(version);
    let split = payload.len()
        - payload
            .iter()
            .rev()
            .take_while(|c| ALPHANUMERIC.contains(c))
            .count();
    let mut candidates = Vec::with_capacity(3);
    let mut bits = Bits::new(v);
    if bits.push_byte_data(payload).is_ok() {
        candidates.push(bits);
    }
    if split < payload.len() {
        let mut bits = Bits::new(v);
        let head_ok = split == 0 || bits.push_byte_data(&payload[..split]).is_ok();
        if head_ok && bits.push_alphanumeric_data(&payload[split..]).is_ok() {
            candidates.push(bits);
        }
    }
    let mut bits = Bits::new(v);
    if bits.push_optimal_data(payload).is_ok() {
        candidates.push(bits);
    }
    // `min_by_key` keeps the first of equal minima.
    let mut bits = candidates.into_iter().min_by_key(Bits::len)?;
    bits.push_terminator(EcLevel::M).is_ok().then_some(bits)
}

/// The eight QR mask patterns in the order of their 3-bit reference, which
/// is also the order qrcode tries them in.
const MASKS: [MaskPattern; 8] = [
    MaskPattern::Checkerboard,
    MaskPattern::HorizontalLines,
    MaskPattern::VerticalLines,
    MaskPattern::DiagonalLines,
    MaskPattern::LargeCheckerboard,
    MaskPattern::Fields,
    MaskPattern::Diamonds,
    MaskPattern::Meadow,
];

/// Draws the symbol for `bits` with the mask of lowest penalty. This is
/// qrcode's `QrCode::with_bits` with a faster penalty count: qrcode's own
/// allocates a closure per module and took about 2 ms a symbol, the largest
/// cost of a sheet. Ties go to the first mask, as in qrcode, so both pick
/// the same mask (a test checks it).
fn symbol(bits: Bits) -> Option<(usize, Vec<bool>)> {
    let version = bits.version();
    let width = usize::try_from(version.width()).ok()?;
    let data = bits.into_bytes();
    let (codewords, ec) = construct_codewords(&data, version, EcLevel::M).ok()?;
    let mut canvas = Canvas::new(version, EcLevel::M);
    canvas.draw_all_functional_patterns();
    canvas.draw_data(&codewords, &ec);
    let mut best: Option<(u32, Vec<bool>)> = None;
    for mask in MASKS {
        let mut c = canvas.clone();
        c.apply_mask(mask);
        let dark: Vec<bool> = c
            .into_colors()
            .into_iter()
            .map(|m| m == Color::Dark)
            .collect();
        let score = penalty(&dark, width);
        if best.as_ref().is_none_or(|(b, _)| score < *b) {
            best = Some((score, dark));
        }
    }
    best.map(|(_, dark)| (width, dark))
}

/// The mask penalty of ISO/IEC 18004 section 7.8.3, counted as qrcode counts
/// it (up to a constant): runs of five or more, 2 x 2 blocks, finder-like
/// `1011101` patterns with four light modules on one side, and the
/// dark/light balance. Rows and columns are bit sets, which fits symbols up
/// to version 11 (61 modules).
fn penalty(dark: &[bool], w: usize) -> u32 {
    let mut rows = vec![0u64; w];
    let mut cols = vec![0u64; w];
    for (y, row) in dark.chunks(w).enumerate() {
        for (x, &d) in row.iter().enumerate() {
            rows[y] |= u64::from(d) << x;
            cols[x] |= u64::from(d) << y;
        }
    }
    let full = if w >= 64 { u64::MAX } else { (1u64 << w) - 1 };
    let mut score = 0u32;
    for &line in rows.iter().chain(cols.iter()) {
        for ones in [line, !line & full] {
            // A run of L >= 5 alike scores L - 2: it holds L - 4 windows of
            // five, plus 2 for the run itself.
            let five = ones & (ones >> 1) & (ones >> 2) & (ones >> 3) & (ones >> 4);
            let runs = five & !(five << 1);
            score += five.count_ones() + 2 * runs.count_ones();
        }
        // Finder-like `1011101` starting at bit j, with no dark module in
        // the four before it or the four after it (outside counts as light).
        let x = line;
        let nx = !line;
        let mut starts = x & (nx >> 1) & (x >> 2) & (x >> 3) & (x >> 4) & (nx >> 5) & (x >> 6);
        starts &= full >> 6;
        while starts != 0 {
            let j = starts.trailing_zeros() as usize;
            starts &= starts - 1;
            let before = (line & ((1u64 << j) - 1)) >> j.saturating_sub(4);
            let after = (line >> (j + 7)) & 0xf;
            if before == 0 || after == 0 {
                score += 40;
            }
        }
    }
    // 2 x 2 blocks of one colour, 3 each.
    let pairs = full >> 1;
    for y in 0..w - 1 {
        let (a, b) = (rows[y], rows[y + 1]);
        let all_dark = a & b & (a >> 1) & (b >> 1) & pairs;
        let (na, nb) = (!a & full, !b & full);
        let all_light = na & nb & (na >> 1) & (nb >> 1) & pairs;
        score += 3 * (all_dark.count_ones() + all_light.count_ones());
    }
    // Balance, as qrcode counts it: the distance of 200 x dark / total from 100.
    let dark_count: usize = rows.iter().map(|r| r.count_ones() as usize).sum();
    let ratio = dark_count * 200 / (w * w);
    score + ratio.abs_diff(100) as u32
}

impl QrMatrix {
    /// Encodes `payload` at error correction level M in the smallest version
    /// that holds it.
    ///
    /// # Errors
    /// `QrError::TooLarge` if that version would be above [`MAX_QR_VERSION`].
    pub fn encode(payload: &str) -> Result<QrMatrix, QrError> {
        let too_large = QrError::TooLarge(payload.len());
        // A payload that fits one version fits every larger one, so a binary
        // search finds the smallest.
        let (mut lo, mut hi) = (1, i16::from(MAX_QR_VERSION) + 1);
        let mut found = None;
        while lo < hi {
            let mid = (lo + hi) / 2;
            match bits_for(payload.as_bytes(), mid) {
                Some(bits) => {
                    found = Some((mid, bits));
                    hi = mid;
                }
                None => lo = mid + 1,
            }
        }
        let (version, bits) = found.ok_or(too_large.clone())?;
        let (width, dark) = symbol(bits).ok_or(too_large)?;
        Ok(QrMatrix {
            version: u8::try_from(version).unwrap_or(MAX_QR_VERSION),
            width,
            dark,
        })
    }

    /// The QR version, 1 to 10.
    pub fn version(&self) -> u8 {
        self.version
    }

    /// Modules per side, without the quiet zone (17 + 4 x version).
    pub fn width(&self) -> usize {
        self.width
    }

    /// Modules per side including the quiet zone on both sides.
    pub fn width_with_quiet_zone(&self) -> usize {
        self.width + 2 * QUIET_ZONE
    }

    /// Whether the module at column `x`, row `y` (from the top left, quiet
    /// zone excluded) is dark. Outside the symbol is light.
    pub fn is_dark(&self, x: usize, y: usize) -> bool {
        x < self.width && y < self.width && self.dark[y * self.width + x]
    }

    /// Horizontal runs of dark modules as `(row, first column, length)`:
    /// one rectangle per run keeps vector output small and free of seams
    /// between neighbouring modules.
    pub fn dark_runs(&self) -> Vec<(usize, usize, usize)> {
        let mut runs = Vec::new();
        for y in 0..self.width {
            let row = &self.dark[y * self.width..(y + 1) * self.width];
            let mut x = 0;
            while x < self.width {
                if row[x] {
                    let start = x;
                    while x < self.width && row[x] {
                        x += 1;
                    }
                    runs.push((y, start, x - start));
                } else {
                    x += 1;
                }
            }
        }
        runs
    }
}
