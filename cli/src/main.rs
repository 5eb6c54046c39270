//! `madini`: the Madini command-line client.
//!
//! Signs events on the device with the actor's key, keeps them in a local
//! outbox, and pushes them to a node when it can be reached; reads lots,
//! tags, actors and sites from the node. It never opens a node's database.
//!
//! A command runs in three steps, as ripgrep's flags do: clap parses every
//! argument into ledger-core's types (this file and the commands' `Args`,
//! with the value parsers of `parse.rs`), so a bad mass, grade, mineral,
//! role, status or id is refused before anything runs, with exit code 2;
//! the command module then validates what needs the ledger (a lot's head,
//! figures by default) and builds a typed event body; `ctx::Ctx` signs it,
//! queues it and sends it.

// mimalloc: `madini audit` checks signatures on worker threads that free
// what the replay thread allocated; glibc's allocator keeps that memory in
// per-thread arenas, which cost about 100 MB of resident memory on a
// million-entry audit (heaptrack, `cargo bench -p ledger-core --bench verify`).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod client;
mod config;
mod ctx;
mod error;
mod exports;
mod help;
mod i18n;
mod import;
mod keys;
mod lots;
mod out;
mod outbox;
mod parse;
mod read;
mod registry;
mod seal;
mod tags;
mod verify;

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand};

use crate::ctx::Ctx;
use crate::error::{CliError, Exit, Result};

/// Madini: trace 3T and gold lots from the mine to export on a signed, public ledger.
#[derive(Parser)]
#[command(name = "madini", version)]
struct Cli {
    /// Node URL (default from the profile, else http://127.0.0.1:8080).
    #[arg(long, global = true, env = "MADINI_NODE", value_name = "URL")]
    node: Option<String>,
    /// Private key file (PKCS#8 PEM, mode 0600).
    #[arg(long, global = true, env = "MADINI_KEY", value_name = "FILE")]
    key: Option<PathBuf>,
    /// Actor id you act for.
    #[arg(long, global = true, env = "MADINI_ACTOR", value_name = "ID")]
    actor: Option<String>,
    /// Named profile from the config file.
    #[arg(long, global = true, env = "MADINI_PROFILE", value_name = "NAME")]
    profile: Option<String>,
    /// Machine-readable JSON output.
    #[arg(long, global = true)]
    json: bool,
    /// Message language: en, fr or sw (default: the profile, then the system locale).
    #[arg(long, global = true, env = "MADINI_LANG", value_name = "LANG")]
    lang: Option<String>,
    /// Sign into the outbox without contacting the node.
    #[arg(long, global = true)]
    offline: bool,
    /// Do not sign a lot event the pre-signing checks warn about (exit 1).
    #[arg(long, global = true)]
    strict: bool,
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Create and show keys; rotate and revoke registered keys.
    #[command(subcommand)]
    Key(KeyCmd),
    /// Show or change the profile (node URL, key file, actor id).
    #[command(subcommand)]
    Profile(ProfileCmd),
    /// Register, update, show and list actors.
    #[command(subcommand)]
    Actor(registry::ActorCmd),
    /// Grant licences.
    #[command(subcommand)]
    Licence(registry::LicenceCmd),
    /// Register, update, inspect and show mine sites.
    #[command(subcommand)]
    Site(registry::SiteCmd),
    /// Allocate tag ranges to sites; look a tag up.
    #[command(subcommand)]
    Tags(registry::TagsCmd),
    /// Register lots and record everything that happens to them.
    #[command(subcommand)]
    Lot(lots::LotCmd),
    /// Request and issue export certificates.
    #[command(subcommand)]
    Cert(registry::CertCmd),
    /// Report incidents (anonymously if you wish) and follow cases.
    #[command(subcommand)]
    Incident(registry::IncidentCmd),
    /// Bulk import of actors and sites (CSV, ICGLR MD.01 JSON).
    #[command(subcommand)]
    Import(import::ImportCmd),
    /// Push the outbox to the node, in signing order.
    Sync,
    /// List the events waiting in the outbox (and those the node refused).
    Outbox,
    /// The log: size, root, checkpoint age; fetch it whole into an archive.
    #[command(subcommand)]
    Log(read::LogCmd),
    /// Verify one lot's chain of origin from its bundle, offline if need be.
    #[command(subcommand)]
    Verify(VerifyCmd),
    /// Verify a whole log: every signature, proof and rule, and every finding.
    Audit(verify::Audit),
    /// Check a bag's QR tag: its signed claim offline, and the lot in the log when online.
    Scan(tags::Scan),
    /// ICGLR and EPCIS documents, recomputed from the log on this device.
    #[command(subcommand)]
    Export(exports::ExportCmd),
    /// Public reports: taxes, flows, actors, sites (from the node, or --from-log).
    Report(exports::ReportArgs),
}

#[derive(Subcommand)]
enum VerifyCmd {
    /// A lot: fetched from the node, or from a bundle file with --bundle (no network).
    Lot(verify::VerifyLot),
}

#[derive(Subcommand)]
enum KeyCmd {
    /// Create a new Ed25519 key (PKCS#8 PEM, mode 0600).
    New(KeyNew),
    /// Print the public key and key id of the key in force.
    Show,
    /// Replace a registered key by a new one.
    Rotate(registry::KeyRotateArgs),
    /// Revoke a registered key from now on.
    Revoke(registry::KeyRevokeArgs),
}

#[derive(Args)]
struct KeyNew {
    /// Where to write it (default: key.pem next to the config file).
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Encrypt it with a passphrase (asked for, or MADINI_PASSPHRASE).
    #[arg(long)]
    encrypt: bool,
}

#[derive(Subcommand)]
enum ProfileCmd {
    /// Print the settings in force and where they come from.
    Show,
    /// Change the profile in the config file.
    Set(ProfileSet),
}

/// `madini profile set`.
#[derive(Args)]
pub(crate) struct ProfileSet {
    /// Node URL.
    #[arg(long = "set-node", value_name = "URL")]
    pub(crate) node: Option<String>,
    /// Key file.
    #[arg(long = "set-key", value_name = "FILE")]
    pub(crate) key: Option<PathBuf>,
    /// Actor id.
    #[arg(long = "set-actor", value_name = "ID")]
    pub(crate) actor: Option<String>,
    /// Language (en, fr, sw).
    #[arg(long = "set-lang", value_name = "LANG")]
    pub(crate) lang: Option<String>,
    /// The log's verifier key (C2SP vkey) to require from the node.
    #[arg(long = "set-vkey", value_name = "VKEY")]
    pub(crate) vkey: Option<String>,
    /// Read the log from its C2SP tiles at this URL in audit, verify lot, log fetch and scan.
    #[arg(long = "set-tiles", value_name = "URL")]
    pub(crate) tiles: Option<String>,
}

/// The language to speak before the arguments are parsed, so that clap's
/// value parsers say their errors in it: `--lang` (or `MADINI_LANG`), then
/// the profile's, then the system locale's. An unknown `--lang` is reported
/// after parsing, in the system locale's language.
fn early_lang(args: &[OsString]) -> i18n::Lang {
    let flag = |name: &str| -> Option<String> {
        let mut it = args.iter().skip(1).map(|a| a.to_string_lossy());
        while let Some(a) = it.next() {
            if a == "--" {
                break;
            }
            if a == name {
                return it.next().map(|v| v.into_owned());
            }
            if let Some(v) = a.strip_prefix(&format!("{name}=")) {
                return Some(v.to_string());
            }
        }
        None
    };
    let given = flag("--lang").or_else(|| std::env::var("MADINI_LANG").ok());
    if let Some(l) = given {
        return i18n::Lang::parse(&l).unwrap_or_else(i18n::from_env);
    }
    let profile = flag("--profile").or_else(|| std::env::var("MADINI_PROFILE").ok());
    (|| {
        let paths = config::Paths::from_env().ok()?;
        let cfg = config::ConfigFile::load(&paths.config).ok()?;
        let p = cfg.profile(profile.as_deref()).ok()?;
        p.lang.as_deref().and_then(i18n::Lang::parse)
    })()
    .unwrap_or_else(i18n::from_env)
}

/// A value a value parser refused, as the CLI's one-sentence error naming
/// the option (`--mass: mass "abc": ...`), exit 2 like every usage error.
fn refused_value(e: &clap::Error) -> Option<CliError> {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    if e.kind() != ErrorKind::ValueValidation {
        return None;
    }
    let opt = match e.get(ContextKind::InvalidArg) {
        Some(ContextValue::String(s)) => s.split_whitespace().next().unwrap_or(s).to_string(),
        _ => return None,
    };
    let why = std::error::Error::source(e)?.to_string();
    Some(CliError::input(format!("{opt}: {why}")))
}

fn main() -> ExitCode {
    let args: Vec<OsString> = std::env::args_os().collect();
    i18n::set(early_lang(&args));
    let cmd = help::localize(Cli::command(), i18n::lang());
    let typed = help::typed_command(&cmd, &args);
    let parsed = cmd
        .try_get_matches_from(&args)
        .and_then(|m| Cli::from_arg_matches(&m));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(e) => match refused_value(&e).or_else(|| help::usage_error(&e, &typed)) {
            Some(err) => {
                // `--json` may not have been parsed; look for it as clap would.
                if args.iter().skip(1).any(|a| a == "--json") {
                    out::json(&err.to_json());
                }
                eprintln!("{err}");
                return ExitCode::from(err.exit as u8);
            }
            None => e.exit(),
        },
    };
    if let Some(l) = cli.lang.as_deref()
        && i18n::Lang::parse(l).is_none()
    {
        eprintln!(
            "{}",
            ledger_core::t!(
                i18n::lang(),
                "cli-error-lang-unknown",
                lang = l,
                langs = i18n::codes()
            )
        );
        return ExitCode::from(2);
    }
    let json = cli.json;
    match run(cli) {
        Ok(code) => ExitCode::from(code as u8),
        Err(e) => {
            if json {
                out::json(&e.to_json());
            }
            eprintln!("{e}");
            ExitCode::from(e.exit as u8)
        }
    }
}

fn run(cli: Cli) -> Result<Exit> {
    let mut ctx = Ctx::new(
        cli.node,
        cli.key,
        cli.actor,
        cli.profile,
        cli.json,
        cli.offline,
    )?;
    ctx.strict = cli.strict;
    match cli.cmd {
        Cmd::Key(KeyCmd::New(a)) => read::key_new(&ctx, a.out, a.encrypt),
        Cmd::Key(KeyCmd::Show) => read::key_show(&ctx),
        Cmd::Key(KeyCmd::Rotate(a)) => registry::key_rotate(&ctx, a),
        Cmd::Key(KeyCmd::Revoke(a)) => registry::key_revoke(&ctx, a),
        Cmd::Profile(ProfileCmd::Show) => read::profile_show(&ctx),
        Cmd::Profile(ProfileCmd::Set(a)) => read::profile_set(&ctx, a),
        Cmd::Actor(c) => registry::actor(&ctx, c),
        Cmd::Licence(c) => registry::licence(&ctx, c),
        Cmd::Site(c) => registry::site(&ctx, c),
        Cmd::Tags(c) => registry::tags(&ctx, c),
        Cmd::Lot(c) => lots::run(&ctx, c),
        Cmd::Cert(c) => registry::cert(&ctx, c),
        Cmd::Incident(c) => registry::incident(&ctx, c),
        Cmd::Import(c) => import::run(&ctx, c),
        Cmd::Sync => read::sync(&ctx),
        Cmd::Outbox => read::outbox(&ctx),
        Cmd::Log(c) => read::log(&ctx, c),
        Cmd::Verify(VerifyCmd::Lot(a)) => verify::verify_lot_cmd(&ctx, a),
        Cmd::Audit(a) => verify::audit(&ctx, a),
        Cmd::Scan(a) => tags::scan(&ctx, a),
        Cmd::Export(c) => exports::export(&ctx, c),
        Cmd::Report(a) => exports::report(&ctx, a),
    }
}
