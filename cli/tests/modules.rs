//! The modules of `cli/src` form no import cycle: no module reaches, through
//! `crate::` paths (`use crate::x`, `use crate::{x, y}`, `crate::x::f`), a
//! module that reaches it back. The crate's macros count as the module that
//! defines them (`msg!` is `i18n`, `outln!` and `outp!` are `out`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The modules `src` names after `crate::`, top-level names only.
fn crate_refs(src: &str) -> BTreeSet<String> {
    let code: String = src
        .lines()
        .map(|l| l.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n");
    let ident = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect()
    };
    let mut out = BTreeSet::new();
    let mut rest = code.as_str();
    while let Some(i) = rest.find("crate::") {
        rest = &rest[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            // The first name of each item at the group's top level.
            let (mut depth, mut item_start, mut end) = (0usize, true, group.len());
            for (j, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => {
                        end = j;
                        break;
                    }
                    '}' => depth -= 1,
                    ',' if depth == 0 => item_start = true,
                    c if item_start && !c.is_whitespace() => {
                        item_start = false;
                        out.insert(ident(&group[j..]));
                    }
                    _ => {}
                }
            }
            rest = &group[end..];
        } else {
            out.insert(ident(rest));
        }
    }
    for (mac, module) in [("msg!", "i18n"), ("outln!", "out"), ("outp!", "out")] {
        if code.contains(mac) {
            out.insert(module.to_string());
        }
    }
    out
}

/// A cycle through `start`, if there is one: the modules in order.
fn cycle(g: &BTreeMap<String, BTreeSet<String>>, start: &str) -> Option<Vec<String>> {
    fn walk(
        g: &BTreeMap<String, BTreeSet<String>>,
        start: &str,
        at: &str,
        path: &mut Vec<String>,
        seen: &mut BTreeSet<String>,
    ) -> bool {
        for next in &g[at] {
            if next == start {
                return true;
            }
            if seen.insert(next.clone()) {
                path.push(next.clone());
                if walk(g, start, next, path, seen) {
                    return true;
                }
                path.pop();
            }
        }
        false
    }
    let mut path = vec![start.to_string()];
    walk(g, start, start, &mut path, &mut BTreeSet::new()).then_some(path)
}

fn graph(dir: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .collect();
    let modules: BTreeSet<String> = files
        .iter()
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .filter(|m| m != "main")
        .collect();
    let mut g = BTreeMap::new();
    for p in &files {
        let m = p.file_stem().unwrap().to_string_lossy().into_owned();
        if m == "main" {
            continue;
        }
        let refs = crate_refs(&std::fs::read_to_string(p).unwrap());
        let deps = refs
            .into_iter()
            .filter(|r| modules.contains(r) && *r != m)
            .collect();
        g.insert(m, deps);
    }
    g
}

#[test]
fn the_cli_modules_form_no_import_cycle() {
    let g = graph(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"));
    assert!(g.len() > 10, "{g:?}");
    let cycles: Vec<String> = g
        .keys()
        .filter_map(|m| cycle(&g, m))
        .map(|c| format!("{} -> {}", c.join(" -> "), c[0]))
        .collect();
    assert!(cycles.is_empty(), "import cycles: {cycles:#?}");
}

#[test]
fn the_reference_reader_sees_groups_paths_and_macros() {
    let refs = crate_refs(
        "use crate::ctx::{Ctx, enc};\nuse crate::{keys, out::{self, Table}, msg};\n\
         // crate::commented\nlet x = crate::tags::print(a); msg!(\"cli-a\");",
    );
    let want: BTreeSet<String> = ["ctx", "keys", "out", "msg", "tags", "i18n"]
        .into_iter()
        .map(String::from)
        .collect();
    assert_eq!(refs, want);
    let mut g = BTreeMap::new();
    g.insert("a".to_string(), BTreeSet::from(["b".to_string()]));
    g.insert("b".to_string(), BTreeSet::from(["c".to_string()]));
    g.insert("c".to_string(), BTreeSet::from(["a".to_string()]));
    assert_eq!(cycle(&g, "a").map(|c| c.len()), Some(3));
    g.insert("c".to_string(), BTreeSet::new());
    assert_eq!(cycle(&g, "a"), None);
}
