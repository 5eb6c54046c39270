//! The embedded label fonts (DejaVu Sans Condensed, regular and bold; see
//! `fonts/LICENSE`) and text measurement. Every renderer places text with
//! these metrics, so a line measured here fits its box in SVG, PNG and PDF.

use std::sync::LazyLock;

use ab_glyph::{Font as _, FontRef, GlyphId, InvalidFont};

/// DejaVu Sans Condensed: covers French accents, and is narrow enough for
/// bilingual lines on a 70 mm label.
pub(crate) static REGULAR_TTF: &[u8] = include_bytes!("../fonts/DejaVuSansCondensed.ttf");
/// DejaVu Sans Condensed Bold, for values.
pub(crate) static BOLD_TTF: &[u8] = include_bytes!("../fonts/DejaVuSansCondensed-Bold.ttf");
/// The family name SVG output asks for.
pub(crate) const SVG_FAMILY: &str = "'DejaVu Sans Condensed', 'DejaVu Sans', Arial, sans-serif";

/// Regular or bold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Weight {
    /// Field names.
    Regular,
    /// Field values.
    Bold,
}

/// The two parsed faces.
pub(crate) struct Fonts {
    regular: FontRef<'static>,
    bold: FontRef<'static>,
}

static FONTS: LazyLock<Result<Fonts, InvalidFont>> = LazyLock::new(|| {
    Ok(Fonts {
        regular: FontRef::try_from_slice(REGULAR_TTF)?,
        bold: FontRef::try_from_slice(BOLD_TTF)?,
    })
});

/// The embedded fonts, parsed once. They are part of the crate, so failure
/// means a broken build; it is still reported rather than panicking.
pub(crate) fn fonts() -> Result<&'static Fonts, InvalidFont> {
    FONTS.as_ref().map_err(|e| *e)
}

impl Fonts {
    /// The face of a weight.
    pub(crate) fn face(&self, weight: Weight) -> &FontRef<'static> {
        match weight {
            Weight::Regular => &self.regular,
            Weight::Bold => &self.bold,
        }
    }

    /// Advance width of `text` at one unit of font size, kerning included.
    pub(crate) fn width_em(&self, weight: Weight, text: &str) -> f32 {
        let face = self.face(weight);
        let upem = face.units_per_em().unwrap_or(2048.0);
        let mut prev: Option<GlyphId> = None;
        let mut w = 0.0;
        for c in text.chars() {
            let g = face.glyph_id(c);
            if let Some(p) = prev {
                w += face.kern_unscaled(p, g);
            }
            w += face.h_advance_unscaled(g);
            prev = Some(g);
        }
        w / upem
    }

    /// Ascent above the baseline at one unit of font size.
    pub(crate) fn ascent_em(&self) -> f32 {
        let face = &self.regular;
        face.ascent_unscaled() / face.units_per_em().unwrap_or(2048.0)
    }

    /// `text`, shortened with a trailing ellipsis until it is at most
    /// `max_width` wide at `size`.
    pub(crate) fn fit(&self, weight: Weight, text: &str, size: f32, max_width: f32) -> String {
        if self.width_em(weight, text) * size <= max_width {
            return text.to_string();
        }
        let mut t: String = text.to_string();
        while !t.is_empty() {
            t.pop();
            let candidate = format!("{}…", t.trim_end());
            if self.width_em(weight, &candidate) * size <= max_width {
                return candidate;
            }
        }
        "…".to_string()
    }
}
