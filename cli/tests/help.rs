//! `--help` speaks the language chosen before the arguments are parsed:
//! `--lang X` or `--lang=X` anywhere in the command line, else
//! `MADINI_LANG`, else the profile and the system locale.

use std::path::Path;

mod common;

fn help(home: &Path, env: &[(&str, &str)], args: &[&str]) -> String {
    let mut c = assert_cmd::Command::cargo_bin("madini").unwrap();
    c.env_clear()
        .env("HOME", home)
        .env("MADINI_HOME", home)
        .env("LANG", "C");
    for (k, v) in env {
        c.env(k, v);
    }
    let o = c.args(args).output().unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn lot_register_help_in_swahili() {
    let home = common::tempdir("help-sw");
    for args in [
        &["--lang", "sw", "lot", "register", "--help"][..],
        &["lot", "register", "--lang=sw", "--help"][..],
    ] {
        let out = help(&home, &[], args);
        for sw in [
            "Sajili mzigo uliowekwa katika gunia mgodini pamoja na lebo yake (ushirika)",
            "Uzito (25.3kg, 1.2t, 25300g; namba peke yake ni kilo)",
            "Kitambulisho cha mgodi",
            // A global argument and clap's own flag, in every command's help.
            "Anwani ya seva",
            "Onyesha msaada",
        ] {
            assert!(out.contains(sw), "{args:?}: no {sw:?} in\n{out}");
        }
        assert!(!out.contains("Register a bagged lot"), "{out}");
    }
}

#[test]
fn the_language_comes_from_madini_lang_then_the_locale() {
    let home = common::tempdir("help-fr");
    let fr = help(&home, &[("MADINI_LANG", "fr")], &["--help"]);
    assert!(
        fr.contains("Enregistrer des lots et consigner tout ce qui leur arrive"),
        "{fr}"
    );
    assert!(fr.contains("Codes de sortie : 0 succès"), "{fr}");
    let fr = help(&home, &[("LANG", "fr_CD.UTF-8")], &["help", "lot"]);
    assert!(fr.contains("Offrir un lot à un autre acteur"), "{fr}");
    // --lang wins over MADINI_LANG.
    let en = help(&home, &[("MADINI_LANG", "fr")], &["--lang", "en", "--help"]);
    assert!(
        en.contains("Register lots and record everything that happens to them"),
        "{en}"
    );
    assert!(en.contains("Exit codes: 0 success"), "{en}");
}

/// clap's usage errors are said in the language in force, each as one
/// sentence naming the command and what is wrong, then the fix (with
/// clap's suggestion), exit 2; none of clap's English shows through.
#[test]
fn usage_errors_speak_the_language_in_force() {
    let home = common::tempdir("usage-errors");
    let cases: &[(&[&str], &[&str])] = &[
        (
            &["--lang", "fr", "lot", "register", "--mas", "5"],
            &[
                "erreur: madini lot register ne prend pas --mas",
                "vouliez-vous dire --mass ?",
                "lancez madini lot register --help",
            ],
        ),
        (
            &["--lang", "sw", "lot", "regster"],
            &[
                "hitilafu: madini lot haina amri regster",
                "ulimaanisha",
                "register",
            ],
        ),
        (
            &["--lang", "fr", "report"],
            &["erreur: madini report a besoin de <KIND>"],
        ),
        (
            &["--lang", "sw", "lot", "register", "--lot", "L1"],
            &["hitilafu: madini lot register inahitaji --site", "--mass"],
        ),
        (
            &["--lang", "en", "verify", "lot", "L1", "--policy"],
            &["error: ", "madini verify lot --help"],
        ),
    ];
    for (args, want) in cases {
        let o = assert_cmd::Command::cargo_bin("madini")
            .unwrap()
            .env_clear()
            .env("HOME", &home)
            .env("MADINI_HOME", &home)
            .env("LANG", "C")
            .args(*args)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        for w in *want {
            assert!(err.contains(w), "{args:?}: no {w:?} in\n{err}");
        }
        for english in [
            "unexpected argument",
            "unrecognized subcommand",
            "required arguments were not provided",
            "For more information",
        ] {
            assert!(!err.contains(english), "{args:?}: clap's English in\n{err}");
        }
    }
}
