//! What a label shows and where (`spec/tags.md` section 6): the label data,
//! its fields named in two languages (`tags.ftl`: the chosen one, then
//! French, or English on a French label), the sheet layouts, and the drawing
//! (QR rectangles and text runs, in points) that the SVG, PNG and PDF
//! renderers all paint.

use ledger_core::text::Lang;
use ledger_core::time::civil_from_days;
use ledger_core::types::{Grade, Grams, Id, Mineral, SiteId, TagId, Text};

use crate::claim::SignedClaim;
use crate::font::{Weight, fonts};
use crate::payload::{BaseUrl, encode_payload};
use crate::qr::{QUIET_ZONE, QrError, QrMatrix};

/// Points per millimetre.
pub(crate) const PT_PER_MM: f32 = 72.0 / 25.4;

/// One bag label: the registration as people read it, and the QR payload.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    /// Tag id.
    pub tag: TagId,
    /// Lot id.
    pub lot: Id,
    /// Mineral.
    pub mineral: Mineral,
    /// Registered mass.
    pub mass: Grams,
    /// Registered grade.
    pub grade: Grade,
    /// Mine site id (ICGLR).
    pub site_id: SiteId,
    /// Mine site name.
    pub site_name: Text,
    /// Cooperative name.
    pub cooperative: Text,
    /// Registration day, days since 1970-01-01.
    pub day: u16,
    /// The QR payload (`spec/tags.md` section 3).
    pub payload: String,
    /// The language the fields are named in first ([`Label::names`]).
    pub lang: Lang,
}

/// Why a label cannot be drawn.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RenderError {
    /// The payload does not fit a label's QR code.
    #[error("label {tag}: {source}")]
    Qr {
        /// The label's tag id.
        tag: TagId,
        /// Why.
        source: QrError,
    },
    /// The embedded fonts do not parse (a broken build).
    #[error("the embedded label font does not parse")]
    Font,
    /// The image or PDF encoder failed.
    #[error("{format} encoding failed: {reason}")]
    Encode {
        /// `png` or `pdf`.
        format: &'static str,
        /// The encoder's message.
        reason: String,
    },
}

/// A sheet layout, which also fixes the size of each label. Labels tile an
/// A4 page edge to edge, as on standard pre-cut label sheets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Layout {
    /// 8 labels of 105 x 74.25 mm: 2 columns, 4 rows.
    A4x8,
    /// 24 labels of 70 x 37.125 mm: 3 columns, 8 rows.
    A4x24,
}

/// A4 in millimetres.
const A4_MM: (f32, f32) = (210.0, 297.0);

impl Layout {
    /// Columns and rows of labels on a page.
    pub fn grid(self) -> (usize, usize) {
        match self {
            Layout::A4x8 => (2, 4),
            Layout::A4x24 => (3, 8),
        }
    }

    /// Labels per page.
    pub fn per_page(self) -> usize {
        let (c, r) = self.grid();
        c * r
    }

    /// Page size in points.
    pub fn page_size_pt(self) -> (f32, f32) {
        (A4_MM.0 * PT_PER_MM, A4_MM.1 * PT_PER_MM)
    }

    /// Label size in points.
    pub fn label_size_pt(self) -> (f32, f32) {
        let (c, r) = self.grid();
        let (w, h) = self.page_size_pt();
        (w / c as f32, h / r as f32)
    }

    /// Margin around the label content, QR side, and largest and smallest
    /// font sizes, in points. The QR takes the label's height less the
    /// margins on the small label, and 44 mm on the large one so the text
    /// keeps more than half the width.
    fn metrics(self) -> (f32, f32, f32, f32) {
        match self {
            Layout::A4x8 => (4.0 * PT_PER_MM, 44.0 * PT_PER_MM, 10.5, 4.0),
            Layout::A4x24 => (1.5 * PT_PER_MM, 34.125 * PT_PER_MM, 7.5, 3.5),
        }
    }
}

/// One run of text on one line.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct TextRun {
    /// Left end of the baseline.
    pub x: f32,
    /// Baseline.
    pub y: f32,
    /// Font size.
    pub size: f32,
    /// Regular (field names) or bold (values).
    pub weight: Weight,
    /// Grey level, 0 black to 255 white.
    pub gray: u8,
    /// The text.
    pub text: String,
    /// Its measured width, which SVG output imposes with `textLength`.
    pub width: f32,
}

/// A label as shapes, origin at its top left, y downwards, in points.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Drawing {
    pub width: f32,
    pub height: f32,
    /// Runs of dark QR modules, `(row, column, length)` in modules from
    /// the symbol's top left: renderers scale them by `module`, which keeps
    /// coordinates small integers (short SVG, well-compressed PDF) and lets
    /// the PNG renderer snap module edges to pixels.
    pub qr_runs: Vec<(usize, usize, usize)>,
    /// Side of one QR module.
    pub module: f32,
    /// Top left of the QR symbol, quiet zone excluded.
    pub qr_origin: (f32, f32),
    pub texts: Vec<TextRun>,
}

impl Label {
    /// The label for a signed claim published under `base_url`, with the
    /// names people read.
    pub fn new(
        base_url: &BaseUrl,
        signed: &SignedClaim,
        site_name: Text,
        cooperative: Text,
    ) -> Label {
        let c = signed.claim();
        Label {
            tag: c.tag.clone(),
            lot: c.lot.clone(),
            mineral: c.mineral,
            mass: c.mass,
            grade: c.grade,
            site_id: c.site.clone(),
            site_name,
            cooperative,
            day: c.day,
            payload: encode_payload(base_url, signed),
            lang: Lang::Fr,
        }
    }

    /// The label with its fields named in `lang` first: `madini --lang sw`
    /// prints `Uzito / Masse`. [`Label::new`] gives a French one.
    pub fn in_language(self, lang: Lang) -> Label {
        Label { lang, ..self }
    }

    /// The languages of the names: French and English on every label
    /// (DESIGN), French first on a French label and English first on any
    /// other. A third language does not fit: with Swahili names as well,
    /// the text of an 8-per-sheet label ran 20 pt past its edge
    /// (`tests/render.rs`), so a Swahili label reads English then French.
    pub fn names(&self) -> [Lang; 2] {
        if self.lang == Lang::Fr {
            [Lang::Fr, Lang::En]
        } else {
            [Lang::En, Lang::Fr]
        }
    }

    /// The QR symbol of the payload.
    ///
    /// # Errors
    /// `RenderError::Qr` if it needs a version above 10.
    pub fn qr(&self) -> Result<QrMatrix, RenderError> {
        QrMatrix::encode(&self.payload).map_err(|source| RenderError::Qr {
            tag: self.tag.clone(),
            source,
        })
    }

    /// The human-readable fields, in print order, each named in the
    /// label's languages ([`Label::names`]), once where they use the
    /// same word: `("Masse / Mass", "25.300 kg")`, `("Lot", "L-1")`.
    pub fn fields(&self) -> Vec<(String, String)> {
        let [a, b] = self.names();
        let both = |id: &str| {
            let (x, y) = (
                ledger_core::i18n::message(a, id, &[]),
                ledger_core::i18n::message(b, id, &[]),
            );
            if x == y { x } else { format!("{x} / {y}") }
        };
        let mineral = format!("tag-mineral-{}", mineral_key(self.mineral));
        vec![
            (both("tag-field-tag"), self.tag.to_string()),
            (both("tag-field-lot"), self.lot.to_string()),
            (both("tag-field-mineral"), both(&mineral)),
            (both("tag-field-mass"), format_mass(self.mass)),
            (both("tag-field-grade"), format_grade(self.grade)),
            (both("tag-field-site"), self.site_name.to_string()),
            (both("tag-field-site-code"), self.site_id.to_string()),
            (both("tag-field-cooperative"), self.cooperative.to_string()),
            (both("tag-field-date"), format_day(self.day)),
        ]
    }
}

/// The mineral's part of its `tag-mineral-*` message id.
fn mineral_key(m: Mineral) -> &'static str {
    match m {
        Mineral::Cassiterite => "cassiterite",
        Mineral::Coltan => "coltan",
        Mineral::Wolframite => "wolframite",
        Mineral::Gold => "gold",
    }
}

/// A mass in kilograms with three decimals, from integer grams: `25.300 kg`
/// (the form every Madini edge shows, `ledger_core::text::kg`).
pub fn format_mass(g: Grams) -> String {
    ledger_core::text::kg(g.0)
}

/// A grade as a percentage with two decimals, from basis points: `65.00 %`
/// (`ledger_core::text::percent`).
pub fn format_grade(g: Grade) -> String {
    ledger_core::text::percent(u64::from(g.0))
}

/// A day number as an ISO 8601 date, which reads the same in French and
/// English: `2026-01-05`.
pub fn format_day(day: u16) -> String {
    let (y, m, d) = civil_from_days(i64::from(day));
    format!("{y:04}-{m:02}-{d:02}")
}

/// Line height as a multiple of the font size.
const LEADING: f32 = 1.2;
/// Grey of field names.
const NAME_GRAY: u8 = 0x55;

/// How one field is set: `name: value` on one line, or the name on its own
/// line and the value wrapped under it.
struct Placed {
    name: String,
    value: Vec<String>,
    inline: bool,
}

/// Most lines a wrapped value takes at the smallest size; beyond it the
/// value is cut with an ellipsis.
const MAX_VALUE_LINES: usize = 2;

/// Wraps `text` at spaces into lines at most `w` wide at `size`, and says
/// whether anything had to be cut: a word wider than the line, or (when
/// `max_lines` is given) lines beyond it.
fn wrap(
    f: &crate::font::Fonts,
    text: &str,
    size: f32,
    w: f32,
    max_lines: Option<usize>,
) -> (Vec<String>, bool) {
    let fits = |t: &str| f.width_em(Weight::Bold, t) * size <= w;
    let mut lines: Vec<String> = Vec::new();
    let mut cut = false;
    let mut line = String::new();
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let joined = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if fits(&joined) {
            line = joined;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        if fits(word) {
            line = word.to_string();
        } else {
            cut = true;
            lines.push(f.fit(Weight::Bold, word, size, w));
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    if let Some(max) = max_lines
        && lines.len() > max
    {
        cut = true;
        let rest = lines[max - 1..].join(" ");
        lines.truncate(max - 1);
        lines.push(f.fit(Weight::Bold, &format!("{rest} …"), size, w));
    }
    (lines, cut)
}

/// Sets the fields in a box of `w` x `h` points at the largest size (in
/// quarter points) where they fit whole: each field inline when it fits the
/// width, otherwise its name on one line and its value wrapped at spaces
/// below. Only at the smallest size is anything cut, with an ellipsis: a
/// value is then kept to two lines (long names; ids always fit, being at
/// most 28 bytes).
fn set_text(
    fields: &[(String, String)],
    (x0, y0, w, h): (f32, f32, f32, f32),
    (max_size, min_size): (f32, f32),
) -> Result<Vec<TextRun>, RenderError> {
    let f = fonts().map_err(|_| RenderError::Font)?;
    let place = |size: f32, last: bool| -> (Vec<Placed>, usize, bool) {
        let mut lines = 0;
        let mut cut = false;
        let placed = fields
            .iter()
            .map(|(name, value)| {
                let name = format!("{name}: ");
                let inline_w =
                    (f.width_em(Weight::Regular, &name) + f.width_em(Weight::Bold, value)) * size;
                if inline_w <= w {
                    lines += 1;
                    return Placed {
                        name,
                        value: vec![value.clone()],
                        inline: true,
                    };
                }
                let (value, c) = wrap(f, value, size, w, last.then_some(MAX_VALUE_LINES));
                cut |= c;
                lines += 1 + value.len();
                Placed {
                    name,
                    value,
                    inline: false,
                }
            })
            .collect();
        (placed, lines, cut)
    };
    // Fitting only gets easier as the size shrinks, so a binary search over
    // quarter-point steps finds the largest size that fits.
    let steps = ((max_size - min_size) * 4.0).max(0.0) as u32;
    let size_at = |step: u32| max_size - step as f32 * 0.25;
    let fits = |step: u32| {
        let size = size_at(step);
        let (_, lines, cut) = place(size, false);
        !cut && lines as f32 * size * LEADING <= h
    };
    let (mut lo, mut hi) = (0, steps + 1);
    while lo < hi {
        let mid = (lo + hi) / 2;
        if fits(mid) {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    let (size, last) = if lo <= steps {
        (size_at(lo), false)
    } else {
        (min_size, true)
    };
    let (placed, lines, _) = place(size, last);
    let line_h = size * LEADING;
    // Centre the block vertically; the first baseline sits one ascent
    // below the top of the first line.
    let block = lines as f32 * line_h;
    let mut y = y0 + ((h - block) / 2.0).max(0.0) + f.ascent_em() * size;
    let mut runs = Vec::new();
    let mut run = |x: f32, y: f32, weight: Weight, text: String| {
        let width = f.width_em(weight, &text) * size;
        runs.push(TextRun {
            x,
            y,
            size,
            weight,
            gray: if weight == Weight::Regular {
                NAME_GRAY
            } else {
                0
            },
            text,
            width,
        });
        width
    };
    for p in placed {
        if p.inline {
            let name_w = run(x0, y, Weight::Regular, p.name);
            for v in p.value {
                run(x0 + name_w, y, Weight::Bold, v);
            }
        } else {
            run(x0, y, Weight::Regular, p.name.trim_end().to_string());
            for v in p.value {
                y += line_h;
                run(x0, y, Weight::Bold, v);
            }
        }
        y += line_h;
    }
    Ok(runs)
}

/// Lays a label out for `layout`: the QR code on the left, square, with its
/// quiet zone inside the square; the fields on the right.
pub(crate) fn draw(label: &Label, layout: Layout) -> Result<Drawing, RenderError> {
    let qr = label.qr()?;
    let (w, h) = layout.label_size_pt();
    let (margin, side, max_size, min_size) = layout.metrics();
    let qr_top = (h - side) / 2.0;
    let module = side / qr.width_with_quiet_zone() as f32;
    let ox = margin + QUIET_ZONE as f32 * module;
    let oy = qr_top + QUIET_ZONE as f32 * module;
    // The text box starts after the QR's quiet zone, which already keeps
    // text clear of the symbol.
    let tx = margin + side;
    let text_box = (tx, margin, w - tx - margin, h - 2.0 * margin);
    let texts = set_text(&label.fields(), text_box, (max_size, min_size))?;
    Ok(Drawing {
        width: w,
        height: h,
        qr_runs: qr.dark_runs(),
        module,
        qr_origin: (ox, oy),
        texts,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_format_exactly() {
        assert_eq!(format_mass(Grams(25_300)), "25.300 kg");
        assert_eq!(format_mass(Grams(1)), "0.001 kg");
        assert_eq!(format_grade(Grade(6_500)), "65.00 %");
        assert_eq!(format_grade(Grade(5)), "0.05 %");
        assert_eq!(format_grade(Grade(10_000)), "100.00 %");
        assert_eq!(format_day(0), "1970-01-01");
        assert_eq!(format_day(20_458), "2026-01-05");
        assert_eq!(format_day(u16::MAX), "2149-06-06");
    }

    fn names(lang: Lang, mineral: Mineral) -> Vec<String> {
        let label = Label {
            tag: TagId::new("RW24-000123").expect("tag"),
            lot: Id::new("L-1").expect("lot"),
            mineral,
            mass: Grams(25_300),
            grade: Grade(6_500),
            site_id: SiteId::new("RW-1.9641+30.0619-12345").expect("site"),
            site_name: Text::new("Bibatama").expect("name"),
            cooperative: Text::new("COOMIKI").expect("coop"),
            day: 20_458,
            payload: String::new(),
            lang: Lang::Fr,
        }
        .in_language(lang);
        let f = label.fields();
        vec![
            f[0].0.clone(),
            f[1].0.clone(),
            f[2].1.clone(),
            f[3].0.clone(),
        ]
    }

    #[test]
    fn fields_are_named_in_french_and_english_in_the_chosen_order() {
        assert_eq!(
            names(Lang::Fr, Mineral::Cassiterite),
            [
                "Étiquette / Tag",
                "Lot",
                "cassitérite / cassiterite",
                "Masse / Mass"
            ]
        );
        assert_eq!(
            names(Lang::En, Mineral::Gold),
            ["Tag / Étiquette", "Lot", "gold / or", "Mass / Masse"]
        );
        assert_eq!(
            names(Lang::Sw, Mineral::Coltan),
            ["Tag / Étiquette", "Lot", "coltan", "Mass / Masse"]
        );
    }
}
