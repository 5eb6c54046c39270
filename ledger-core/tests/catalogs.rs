//! The message catalogs (`ledger-core/locales/`) are complete and
//! consistent: every file parses, every id carries its file's prefix and is
//! unique in its language, every language has every message with the same
//! placeholders, and the browser files hold only text and variables.

use std::collections::{BTreeMap, BTreeSet};

use fluent_syntax::ast;
use ledger_core::i18n::{self, BROWSER_FILES, FILES, Lang};

/// A message's placeholders (`$name`), in its value and its attributes.
type Vars = BTreeSet<String>;

fn vars_of_pattern(p: &ast::Pattern<&str>, out: &mut Vars) {
    for el in &p.elements {
        if let ast::PatternElement::Placeable { expression } = el {
            vars_of_expression(expression, out);
        }
    }
}

fn vars_of_expression(e: &ast::Expression<&str>, out: &mut Vars) {
    match e {
        ast::Expression::Inline(i) => vars_of_inline(i, out),
        ast::Expression::Select { selector, variants } => {
            vars_of_inline(selector, out);
            for v in variants {
                vars_of_pattern(&v.value, out);
            }
        }
    }
}

fn vars_of_inline(i: &ast::InlineExpression<&str>, out: &mut Vars) {
    match i {
        ast::InlineExpression::VariableReference { id } => {
            out.insert(id.name.to_string());
        }
        ast::InlineExpression::FunctionReference { arguments, .. } => {
            for a in &arguments.positional {
                vars_of_inline(a, out);
            }
            for a in &arguments.named {
                vars_of_inline(&a.value, out);
            }
        }
        ast::InlineExpression::Placeable { expression } => vars_of_expression(expression, out),
        _ => {}
    }
}

/// One language's catalog: (file, text) pairs.
type Catalog<'a> = Vec<(&'a str, &'a str)>;

/// One language's messages: id -> (file, placeholders).
type Messages = BTreeMap<String, (String, Vars)>;

/// One language's messages, and the problems of its files.
fn messages(lang: Lang, files: &Catalog<'_>, problems: &mut Vec<String>) -> Messages {
    let mut all = BTreeMap::new();
    for &(file, src) in files {
        let res = match fluent_syntax::parser::parse(src) {
            Ok(r) => r,
            Err((r, errs)) => {
                for e in errs {
                    problems.push(format!("{}/{file}.ftl does not parse: {e:?}", lang.code()));
                }
                r
            }
        };
        let prefix = i18n::prefix(file).expect("known file");
        for entry in &res.body {
            match entry {
                ast::Entry::Message(m) => {
                    let id = m.id.name;
                    if !id.starts_with(prefix) {
                        problems.push(format!(
                            "{}/{file}.ftl: {id} lacks the prefix {prefix}",
                            lang.code()
                        ));
                    }
                    if m.value.is_none() {
                        problems.push(format!("{}/{file}.ftl: {id} has no value", lang.code()));
                    }
                    let mut vars = Vars::new();
                    if let Some(p) = &m.value {
                        vars_of_pattern(p, &mut vars);
                    }
                    for a in &m.attributes {
                        vars_of_pattern(&a.value, &mut vars);
                    }
                    if BROWSER_FILES.contains(&file) {
                        let plain = m.value.as_ref().and_then(i18n::plain_pattern).is_some();
                        if !plain || !m.attributes.is_empty() {
                            problems.push(format!(
                                "{}/{file}.ftl: {id} uses more than text and {{ $variable }} \
                                 (the browser's formatter reads this file)",
                                lang.code()
                            ));
                        }
                    }
                    if let Some((other, _)) = all.insert(id.to_string(), (file.to_string(), vars)) {
                        problems.push(format!(
                            "{}: {id} is in both {other}.ftl and {file}.ftl",
                            lang.code()
                        ));
                    }
                }
                ast::Entry::Term(t) if BROWSER_FILES.contains(&file) => problems.push(format!(
                    "{}/{file}.ftl: term -{} in a file the browser reads",
                    lang.code(),
                    t.id.name
                )),
                ast::Entry::Junk { content } => problems.push(format!(
                    "{}/{file}.ftl does not parse: {content:?}",
                    lang.code()
                )),
                _ => {}
            }
        }
    }
    all
}

/// Every problem of a set of catalogs, one line each.
fn problems(catalogs: &[(Lang, Catalog<'_>)]) -> Vec<String> {
    let mut problems = vec![];
    let by_lang: Vec<(Lang, Messages)> = catalogs
        .iter()
        .map(|(l, files)| (*l, messages(*l, files, &mut problems)))
        .collect();
    let ids: BTreeSet<&String> = by_lang.iter().flat_map(|(_, m)| m.keys()).collect();
    for id in ids {
        let present: Vec<_> = by_lang
            .iter()
            .filter_map(|(l, m)| m.get(id).map(|v| (l, v)))
            .collect();
        for (l, m) in &by_lang {
            if !m.contains_key(id) {
                let (file, _) = &present[0].1;
                problems.push(format!("{}/{file}.ftl lacks {id}", l.code()));
            }
        }
        let (l0, (f0, v0)) = &present[0];
        for (l, (f, v)) in &present[1..] {
            if f != f0 {
                problems.push(format!(
                    "{id} is in {}/{f0}.ftl but {}/{f}.ftl",
                    l0.code(),
                    l.code()
                ));
            }
            if v != v0 {
                problems.push(format!(
                    "{id}: placeholders {v0:?} in {} but {v:?} in {}",
                    l0.code(),
                    l.code()
                ));
            }
        }
    }
    problems
}

/// The catalogs as they ship.
fn shipped() -> Vec<(Lang, Catalog<'static>)> {
    Lang::ALL
        .iter()
        .map(|&l| {
            let files = FILES
                .iter()
                .map(|&f| (f, i18n::source(l, f).expect("embedded")))
                .collect();
            (l, files)
        })
        .collect()
}

#[test]
fn catalogs_are_complete_and_consistent() {
    let p = problems(&shipped());
    assert!(
        p.is_empty(),
        "{} catalog problems:\n{}",
        p.len(),
        p.join("\n")
    );
}

#[test]
fn catalogs_hold_messages() {
    // A checker that finds nothing to check proves nothing: the catalogs
    // hold the lot status words at least, in every language.
    for l in Lang::ALL {
        let s = i18n::message(l, "core-lot-status-open", &[]);
        assert_ne!(s, "core-lot-status-open", "{l}");
        assert!(i18n::has(l, "core-mineral-gold"));
    }
}

/// The checker on catalogs with one fault each: it names the fault.
/// `en` and `fr` hold `file`'s text `a`, `sw` holds `b`.
fn check(file: &str, a: &str, b: &str) -> Vec<String> {
    problems(&[
        (Lang::En, vec![(file, a)]),
        (Lang::Fr, vec![(file, a)]),
        (Lang::Sw, vec![(file, b)]),
    ])
}

#[test]
fn the_checker_names_each_fault() {
    let ok = "app-hello = Hello { $name }\n";
    assert_eq!(check("app", ok, ok), Vec::<String>::new());
    let one = |file: &str, a: &str, b: &str, needle: &str| {
        let p = check(file, a, b);
        assert!(
            p.iter().any(|l| l.contains(needle)),
            "{needle:?} not in {p:?}"
        );
    };
    one("app", ok, "app-other = x\n", "sw/app.ftl lacks app-hello");
    one("app", ok, "app-hello = Jambo { $jina }\n", "placeholders");
    one("app", ok, "app-hello = { \n", "does not parse");
    one(
        "app",
        "cli-x = Hello\n",
        "cli-x = Hello\n",
        "lacks the prefix app-",
    );
    let select = "app-n = { $n ->\n [one] lot\n *[other] lots\n}\n";
    one("app", select, select, "more than text");
    let term = "-brand = Madini\napp-t = { -brand }\n";
    one("app", term, term, "term -brand");
    let attr = "app-a = a\n  .title = b\n";
    one("app", attr, attr, "more than text");
    let twice = "app-a = a\napp-a = b\n";
    one("app", twice, twice, "in both");
    // Selectors, terms and attributes are fine outside the browser's files.
    let cli = "cli-n = { $n ->\n [one] lot\n *[other] lots\n}\n";
    assert_eq!(check("cli", cli, cli), Vec::<String>::new());
    // Placeholders inside a selector's variants count.
    let sw = "cli-n = { $n ->\n [one] mzigo { $lot }\n *[other] mizigo\n}\n";
    one("cli", cli, sw, "placeholders");
}
