//! The renderers draw what they are given, without external tools: the SVG
//! path and the PNG pixels reproduce the QR matrix module for module with a
//! light quiet zone, text stays inside its label however long the names, and
//! the PDF has the pages and embedded fonts it should.

use ledger_core::text::Lang;
use ledger_core::types::{Grade, Grams, Id, Mineral, SiteId, TagId, Text};
use ledger_core::world::named_key;
use tag_printer::qr::QUIET_ZONE;
use tag_printer::{
    BaseUrl, Claim, Label, Layout, QrMatrix, RenderError, render_pdf, render_png, render_svg,
};

fn label(coop: &str) -> Label {
    let key = named_key("COOP-1");
    let claim = Claim {
        tag: TagId::new("RW24-000123").expect("tag"),
        lot: Id::new("LOT-RW-2026-000123").expect("lot"),
        site: SiteId::new("RW-1.9641+30.0619-12345").expect("site"),
        mineral: Mineral::Cassiterite,
        mass: Grams(25_300),
        grade: Grade(6_500),
        day: 20_458,
        key_id: key.public().key_id(),
    };
    Label::new(
        &BaseUrl::new("https://minerals-registry.gov.cd").expect("base"),
        &claim.sign(&key).expect("sign"),
        Text::new("Bibatama").expect("site"),
        Text::new(coop).expect("coop"),
    )
}

/// The value of attribute `name` in an XML start tag.
fn attr<'a>(tag: &'a str, name: &str) -> &'a str {
    let start = tag
        .find(&format!(" {name}=\""))
        .unwrap_or_else(|| panic!("no {name} in {tag}"))
        + name.len()
        + 3;
    let end = tag[start..].find('"').expect("closing quote") + start;
    &tag[start..end]
}

fn number(s: &str) -> f32 {
    s.parse().unwrap_or_else(|_| panic!("not a number: {s}"))
}

#[test]
fn svg_path_is_the_qr_matrix() {
    let l = label("Coopérative de Rubaya");
    let qr = QrMatrix::encode(&l.payload).expect("qr");
    let svg = render_svg(&l, Layout::A4x24).expect("svg");
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"70mm\""));
    let path_tag = &svg[svg.find("<path").expect("path")..];
    let d = attr(path_tag, "d");
    let mut grid = vec![false; qr.width() * qr.width()];
    for cmd in d.split('M').filter(|c| !c.is_empty()) {
        // Each run is "M{col} {row}h{len}v1h-{len}z".
        let (col, rest) = cmd.split_once(' ').expect("col");
        let (row, rest) = rest.split_once('h').expect("row");
        let len = rest.split_once('v').expect("len").0;
        let (col, row, len): (usize, usize, usize) = (
            col.parse().expect("col"),
            row.parse().expect("row"),
            len.parse().expect("len"),
        );
        for x in col..col + len {
            assert!(!grid[row * qr.width() + x], "module drawn twice");
            grid[row * qr.width() + x] = true;
        }
    }
    for y in 0..qr.width() {
        for x in 0..qr.width() {
            assert_eq!(
                grid[y * qr.width() + x],
                qr.is_dark(x, y),
                "module ({x}, {y})"
            );
        }
    }
    // The symbol sits at least a quiet zone away from every other mark.
    let (tx, ty) = attr(path_tag, "transform")
        .trim_start_matches("translate(")
        .split_once(") scale(")
        .expect("transform");
    let (ox, _) = tx.split_once(' ').map(|(x, y)| (number(x), y)).expect("x");
    let module = number(ty.trim_end_matches(')'));
    assert!(ox >= QUIET_ZONE as f32 * module - 0.01);
    for text in svg.split("<text").skip(1) {
        let x = number(attr(text, "x"));
        assert!(x >= ox + (qr.width() + QUIET_ZONE) as f32 * module - 0.01);
    }
}

/// Every text run of every label ends inside the label, including names far
/// longer than the line, which wrap (and at worst are cut), never overflow.
#[test]
fn text_stays_inside_the_label() {
    let long = "Coopérative Minière des Exploitants Artisanaux de Rubaya, Masisi, \
                Nord-Kivu, République Démocratique du Congo — section des puits \
                de Bibatama, Luwowo et Koyi, société coopérative";
    for (coop, lang) in ["COOMIKI", "Coopérative de Rubaya", long]
        .into_iter()
        .flat_map(|c| Lang::ALL.map(|l| (c, l)))
    {
        let l = label(coop).in_language(lang);
        for layout in [Layout::A4x8, Layout::A4x24] {
            let svg = render_svg(&l, layout).expect("svg");
            let (w, h) = layout.label_size_pt();
            let mut values = String::new();
            for text in svg.split("<text").skip(1) {
                let x = number(attr(text, "x"));
                let y = number(attr(text, "y"));
                let len = number(attr(text, "textLength"));
                let size = number(attr(text, "font-size"));
                assert!(
                    x + len <= w + 0.01,
                    "{layout:?}: text ends at {} > {w}",
                    x + len
                );
                assert!(
                    y <= h && y - size >= 0.0,
                    "{layout:?}: baseline {y} outside"
                );
                assert!(size >= 3.5, "{layout:?}: {size} pt is too small to read");
                values.push_str(&text[text.find('>').expect(">") + 1..]);
            }
            for want in [
                "RW24-000123",
                "25.300 kg",
                "65.00 %",
                "2026-01-05",
                "cassitérite",
            ] {
                assert!(values.contains(want), "{layout:?}: {want} missing");
            }
            // The site code is an id and is never cut.
            assert!(values.contains("RW-1.9641+30.0619-12345"));
            // Field names, in every language, fit whole beside a name of
            // ordinary length.
            if coop != long {
                for (name, _) in l.fields() {
                    assert!(values.contains(&name), "{layout:?} {lang:?}: {name} cut");
                }
            }
        }
    }
}

#[test]
fn png_pixels_are_the_qr_matrix() {
    let l = label("Coopérative de Rubaya");
    let qr = QrMatrix::encode(&l.payload).expect("qr");
    for (layout, dpi) in [(Layout::A4x24, 150), (Layout::A4x8, 300)] {
        let png = render_png(&l, layout, dpi).expect("png");
        let img = image::load_from_memory(&png).expect("decodes").to_luma8();
        let (w, h) = layout.label_size_pt();
        let k = dpi as f32 / 72.0;
        assert_eq!(img.width(), (w * k).round() as u32);
        assert_eq!(img.height(), (h * k).round() as u32);
        // Where the symbol is, from the geometry the layout states: the QR
        // square (quiet zone included) is centred vertically at the margin.
        let module = side(layout) * k / qr.width_with_quiet_zone() as f32;
        let ox = margin(layout) * k + QUIET_ZONE as f32 * module;
        let oy = (h * k - side(layout) * k) / 2.0 + QUIET_ZONE as f32 * module;
        for y in 0..qr.width() {
            for x in 0..qr.width() {
                let px = (ox + (x as f32 + 0.5) * module) as u32;
                let py = (oy + (y as f32 + 0.5) * module) as u32;
                let dark = img.get_pixel(px, py).0[0] < 128;
                assert_eq!(dark, qr.is_dark(x, y), "{layout:?} module ({x}, {y})");
            }
        }
        // The quiet zone is white all round.
        for i in 0..qr.width_with_quiet_zone() * 4 {
            let t = i as f32 / 4.0 - QUIET_ZONE as f32;
            for (qx, qy) in [
                (t, -2.0),
                (t, qr.width() as f32 + 2.0),
                (-2.0, t),
                (qr.width() as f32 + 2.0, t),
            ] {
                let px = (ox + qx * module) as u32;
                let py = (oy + qy * module) as u32;
                assert_eq!(img.get_pixel(px, py).0[0], 255, "{layout:?} quiet zone");
            }
        }
    }
}

/// The label geometry the spec states (`spec/tags.md` section 6).
fn margin(layout: Layout) -> f32 {
    match layout {
        Layout::A4x8 => 4.0 * 72.0 / 25.4,
        Layout::A4x24 => 1.5 * 72.0 / 25.4,
    }
}

fn side(layout: Layout) -> f32 {
    match layout {
        Layout::A4x8 => 44.0 * 72.0 / 25.4,
        Layout::A4x24 => 34.125 * 72.0 / 25.4,
    }
}

#[test]
fn pdf_has_its_pages_and_embedded_fonts() {
    let labels: Vec<Label> = (0..50).map(|_| label("Coopérative de Rubaya")).collect();
    for (layout, pages) in [(Layout::A4x8, 7), (Layout::A4x24, 3)] {
        let pdf = render_pdf(&labels, layout).expect("pdf");
        assert!(pdf.starts_with(b"%PDF-"));
        let text = String::from_utf8_lossy(&pdf);
        let page_objects = text.matches("/Type/Page").count() - text.matches("/Type/Pages").count();
        assert_eq!(page_objects, pages, "{layout:?}");
        assert_eq!(
            text.matches("/FontFile2").count(),
            2,
            "{layout:?}: regular and bold embedded"
        );
        // A4 in points.
        assert_eq!(
            text.matches("/MediaBox[0 0 595.2756").count(),
            pages,
            "{layout:?}"
        );
    }
    let empty = render_pdf(&[], Layout::A4x24).expect("pdf");
    assert!(empty.starts_with(b"%PDF-"));
}

#[test]
fn a_payload_too_large_for_version_10_is_refused() {
    let mut l = label("COOMIKI");
    l.payload = format!("https://registry.example/lots/L#{}", "x".repeat(220));
    let err = render_pdf(std::slice::from_ref(&l), Layout::A4x24).expect_err("too large");
    assert!(matches!(err, RenderError::Qr { .. }));
    assert_eq!(
        err.to_string(),
        "label RW24-000123: payload of 252 bytes does not fit a version 10 QR code at error correction M"
    );
    assert!(render_svg(&l, Layout::A4x8).is_err());
    assert!(render_png(&l, Layout::A4x8, 150).is_err());
}

#[test]
fn sheet_layouts_tile_a4() {
    for layout in [Layout::A4x8, Layout::A4x24] {
        let (pw, ph) = layout.page_size_pt();
        let (lw, lh) = layout.label_size_pt();
        let (c, r) = layout.grid();
        assert!((lw * c as f32 - pw).abs() < 0.01 && (lh * r as f32 - ph).abs() < 0.01);
        assert_eq!(layout.per_page(), c * r);
    }
    assert_eq!(Layout::A4x8.per_page(), 8);
    assert_eq!(Layout::A4x24.per_page(), 24);
}
