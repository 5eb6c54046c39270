//! One label as an SVG document (`spec/tags.md` section 6). The QR code is
//! one path of module runs; text stays text, held to its measured width with
//! `textLength` so a viewer with another font still keeps it in its box.

use std::fmt::Write as _;

use crate::font::{SVG_FAMILY, Weight};
use crate::label::{Label, Layout, PT_PER_MM, RenderError, draw};

/// Writes a number with at most three decimals and no trailing zeros, so
/// that output is short and the same on every platform.
pub(crate) fn num(v: f32) -> String {
    let s = format!("{v:.3}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".to_string()
    } else {
        s.to_string()
    }
}

/// Escapes text for XML character data and attribute values.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// Renders one label, at the label size of `layout`, as a standalone SVG
/// document whose user unit is the point.
///
/// # Errors
/// `RenderError::Qr` if the payload needs a QR version above 10, or
/// `RenderError::Font` if the embedded font does not parse.
pub fn render_svg(label: &Label, layout: Layout) -> Result<String, RenderError> {
    let d = draw(label, layout)?;
    let mut s = String::new();
    // Writing to a String cannot fail, so the fmt::Results are ignored.
    let _ = write!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}mm\" height=\"{}mm\" viewBox=\"0 0 {} {}\">\n\
         <title>{}</title>\n\
         <desc>{}</desc>\n\
         <rect width=\"{}\" height=\"{}\" fill=\"#fff\"/>\n\
         <path transform=\"translate({} {}) scale({})\" fill=\"#000\" shape-rendering=\"crispEdges\" d=\"",
        num(d.width / PT_PER_MM),
        num(d.height / PT_PER_MM),
        num(d.width),
        num(d.height),
        escape(&format!("Madini tag {}", label.tag)),
        escape(&label.payload),
        num(d.width),
        num(d.height),
        num(d.qr_origin.0),
        num(d.qr_origin.1),
        num(d.module),
    );
    for &(row, col, len) in &d.qr_runs {
        let _ = write!(s, "M{col} {row}h{len}v1h-{len}z");
    }
    s.push_str("\"/>\n");
    for t in &d.texts {
        if t.text.is_empty() {
            continue;
        }
        let weight = match t.weight {
            Weight::Regular => "normal",
            Weight::Bold => "bold",
        };
        let _ = writeln!(
            s,
            "<text x=\"{}\" y=\"{}\" font-family=\"{SVG_FAMILY}\" font-size=\"{}\" font-weight=\"{weight}\" fill=\"#{g:02x}{g:02x}{g:02x}\" textLength=\"{}\" lengthAdjust=\"spacingAndGlyphs\" xml:space=\"preserve\">{}</text>",
            num(t.x),
            num(t.y),
            num(t.size),
            num(t.width),
            escape(&t.text),
            g = t.gray,
        );
    }
    s.push_str("</svg>\n");
    Ok(s)
}
