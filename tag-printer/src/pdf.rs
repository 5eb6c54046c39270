//! Sheets of labels as an A4 PDF (`spec/tags.md` section 6), written with
//! krilla. The fonts are embedded (subset to the glyphs used), so accents
//! print the same on any printer; QR codes are vector paths.

use krilla::Document;
use krilla::color::luma;
use krilla::geom::{PathBuilder, Point, Transform};
use krilla::metadata::Metadata;
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, FillRule, Stroke};
use krilla::text::{Font, TextDirection};

use crate::font::{BOLD_TTF, REGULAR_TTF, Weight};
use crate::label::{Drawing, Label, Layout, RenderError, draw};

fn fill(gray: u8) -> Fill {
    Fill {
        paint: luma::Color::new(gray).into(),
        opacity: NormalizedF32::ONE,
        rule: FillRule::NonZero,
    }
}

fn pdf_error(reason: impl Into<String>) -> RenderError {
    RenderError::Encode {
        format: "pdf",
        reason: reason.into(),
    }
}

/// Lays out a page of labels, on two threads when the machine has them:
/// QR symbols and text layout are a third of the time a sheet takes, and
/// the labels are independent. The whole page is laid out before drawing,
/// so an error leaves no half-drawn page.
fn draw_page(labels: &[Label], layout: Layout) -> Result<Vec<Drawing>, RenderError> {
    let draw_all = |part: &[Label]| {
        part.iter()
            .map(|l| draw(l, layout))
            .collect::<Result<Vec<_>, _>>()
    };
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    if threads < 2 || labels.len() < 4 {
        return draw_all(labels);
    }
    let (first, second) = labels.split_at(labels.len() / 2);
    let (a, b) = std::thread::scope(|s| {
        let other = s.spawn(|| draw_all(second));
        let a = draw_all(first);
        // A panic in the helper thread is re-raised here rather than lost.
        let b = other
            .join()
            .unwrap_or_else(|e| std::panic::resume_unwind(e));
        (a, b)
    });
    let mut out = a?;
    out.extend(b?);
    Ok(out)
}

/// Renders `labels` in order on A4 pages, `layout.per_page()` to a page,
/// left to right then top to bottom. No labels gives one empty page, which
/// is still a valid PDF.
///
/// # Errors
/// `RenderError::Qr` naming the first label whose payload needs a QR version
/// above 10, `RenderError::Font`, or `RenderError::Encode` if krilla fails.
pub fn render_pdf(labels: &[Label], layout: Layout) -> Result<Vec<u8>, RenderError> {
    let regular = Font::new(REGULAR_TTF.into(), 0).ok_or(RenderError::Font)?;
    let bold = Font::new(BOLD_TTF.into(), 0).ok_or(RenderError::Font)?;
    let (pw, ph) = layout.page_size_pt();
    let (lw, lh) = layout.label_size_pt();
    let (cols, _) = layout.grid();
    let settings = PageSettings::from_wh(pw, ph).ok_or_else(|| pdf_error("bad page size"))?;

    let mut doc = Document::new();
    doc.set_metadata(
        Metadata::new()
            .title("Madini tags".to_string())
            .creator("madini tag-printer".to_string()),
    );
    let pages: Vec<&[Label]> = if labels.is_empty() {
        vec![&[]]
    } else {
        labels.chunks(layout.per_page()).collect()
    };
    for page_labels in pages {
        let drawings = draw_page(page_labels, layout)?;
        let mut page = doc.start_page_with(settings.clone());
        let mut surface = page.surface();
        for (i, d) in drawings.iter().enumerate() {
            let (col, row) = (i % cols, i / cols);
            surface.push_transform(&Transform::from_translate(col as f32 * lw, row as f32 * lh));
            // Each run of dark modules is one horizontal line one module
            // wide with butt caps, which covers exactly the run's rectangle
            // in two path points instead of four. Coordinates are in module
            // units under a transform that also moves down half a module to
            // the lines' centres, so every coordinate is a small integer.
            // Together this more than halves the content stream, whose
            // compression is most of the time a sheet takes.
            let mut pb = PathBuilder::new();
            for &(row, col, len) in &d.qr_runs {
                pb.move_to(col as f32, row as f32);
                pb.line_to((col + len) as f32, row as f32);
            }
            if let Some(path) = pb.finish() {
                let (ox, oy) = d.qr_origin;
                surface.push_transform(&Transform::from_row(
                    d.module,
                    0.0,
                    0.0,
                    d.module,
                    ox,
                    oy + d.module / 2.0,
                ));
                surface.set_fill(None);
                surface.set_stroke(Some(Stroke::default()));
                surface.draw_path(&path);
                surface.set_stroke(None);
                surface.pop();
            }
            for t in &d.texts {
                if t.text.is_empty() {
                    continue;
                }
                let font = match t.weight {
                    Weight::Regular => regular.clone(),
                    Weight::Bold => bold.clone(),
                };
                surface.set_fill(Some(fill(t.gray)));
                surface.draw_text(
                    Point::from_xy(t.x, t.y),
                    font,
                    t.size,
                    &t.text,
                    false,
                    TextDirection::Auto,
                );
            }
            surface.pop();
        }
        surface.finish();
        page.finish();
    }
    doc.finish().map_err(|e| pdf_error(format!("{e:?}")))
}
