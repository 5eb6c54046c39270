//! One label as a greyscale PNG (`spec/tags.md` section 6). QR modules are
//! snapped to whole pixels so every module edge is sharp; text is rasterised
//! from the embedded font with anti-aliasing.

use ab_glyph::{Font as _, GlyphId, PxScale, ScaleFont as _, point};
use image::codecs::png::PngEncoder;
use image::{GrayImage, ImageEncoder as _, Luma};

use crate::font::fonts;
use crate::label::{Label, Layout, RenderError, draw};

/// Renders one label, at the label size of `layout`, as a PNG at `dpi`
/// pixels per inch (at least 72; 300 suits label printers).
///
/// # Errors
/// `RenderError::Qr` if the payload needs a QR version above 10,
/// `RenderError::Font` if the embedded font does not parse, or
/// `RenderError::Encode` if the PNG encoder fails.
pub fn render_png(label: &Label, layout: Layout, dpi: u32) -> Result<Vec<u8>, RenderError> {
    let d = draw(label, layout)?;
    let f = fonts().map_err(|_| RenderError::Font)?;
    let k = dpi.max(72) as f32 / 72.0;
    let px = |v: f32| (v * k).round().max(0.0) as u32;
    let (w, h) = (px(d.width).max(1), px(d.height).max(1));
    let mut img = GrayImage::from_pixel(w, h, Luma([255]));

    // Module edges are rounded to pixels from the grid, so neighbouring
    // modules share edges exactly and every module is one of two widths.
    let (ox, oy) = d.qr_origin;
    let edge_x = |i: usize| px(ox + i as f32 * d.module);
    let edge_y = |i: usize| px(oy + i as f32 * d.module);
    for &(row, col, len) in &d.qr_runs {
        for y in edge_y(row)..edge_y(row + 1).min(h) {
            for x in edge_x(col)..edge_x(col + len).min(w) {
                img.put_pixel(x, y, Luma([0]));
            }
        }
    }

    for t in &d.texts {
        let face = f.face(t.weight);
        let upem = face.units_per_em().unwrap_or(2048.0);
        // ab_glyph scales by the ascent-to-descent height, not the em.
        let scale = PxScale::from(t.size * k * face.height_unscaled() / upem);
        let scaled = face.as_scaled(scale);
        let mut x = t.x * k;
        let mut prev: Option<GlyphId> = None;
        for c in t.text.chars() {
            let id = face.glyph_id(c);
            if let Some(p) = prev {
                x += scaled.kern(p, id);
            }
            let glyph = id.with_scale_and_position(scale, point(x, t.y * k));
            x += scaled.h_advance(id);
            prev = Some(id);
            let Some(outline) = face.outline_glyph(glyph) else {
                continue;
            };
            let b = outline.px_bounds();
            outline.draw(|gx, gy, coverage| {
                let (px_x, px_y) = (
                    b.min.x as i64 + i64::from(gx),
                    b.min.y as i64 + i64::from(gy),
                );
                if px_x < 0 || px_y < 0 || px_x >= i64::from(w) || px_y >= i64::from(h) {
                    return;
                }
                let p = img.get_pixel_mut(px_x as u32, px_y as u32);
                let a = coverage.clamp(0.0, 1.0);
                let v = f32::from(p.0[0]) * (1.0 - a) + f32::from(t.gray) * a;
                p.0[0] = v.round() as u8;
            });
        }
    }

    let mut out = Vec::new();
    PngEncoder::new(&mut out)
        .write_image(img.as_raw(), w, h, image::ExtendedColorType::L8)
        .map_err(|e| RenderError::Encode {
            format: "png",
            reason: e.to_string(),
        })?;
    Ok(out)
}
