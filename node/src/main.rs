//! `madini-node`: create, serve, check and re-index a Madini ledger.
//!
//! Exit codes: 0 success; 1 `fsck` found problems; 2 usage or input error;
//! 3 the data directory cannot be opened or trusted.

// mimalloc: the sequencer and sled allocate from several threads at once,
// where glibc's allocator spends its time in arena locks.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use clap::{Parser, Subcommand};
use ledger_core::crypto::{PublicKey, SecretKey};
use ledger_core::event::{ActorRecord, Body, Event, Genesis as GenesisBody};
use ledger_core::log::SignedEvent;
use ledger_core::types::{Country, Id, Millis, Origin, Role, Text};
use node::api::{AppState, app};
use node::ledger::{self, Genesis, Ledger, NodeError, files, now_ms};
use node::store::Store;

#[derive(Parser)]
#[command(
    name = "madini-node",
    version,
    about = "The Madini ledger server: a tamper-evident log of 3TG mineral custody"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create a new ledger: the log key (0600) and the genesis entry naming the first authority.
    Init {
        /// Data directory (must not hold a ledger).
        #[arg(long)]
        data: PathBuf,
        /// The log's origin, e.g. registry.mines.gov.rw/log.
        #[arg(long)]
        origin: String,
        /// Actor id of the first authority (the registry itself).
        #[arg(long)]
        authority_id: String,
        /// Its legal name.
        #[arg(long)]
        authority_name: String,
        /// Its country (ISO 3166-1 alpha-2).
        #[arg(long)]
        authority_country: String,
        /// Its public key(s), ed25519:BASE64 (from `madini key show`). Repeat for several.
        #[arg(long = "authority-key", required = true)]
        authority_keys: Vec<String>,
    },
    /// Serve a ledger over HTTP.
    Serve {
        /// Data directory.
        #[arg(long, default_value = "madini-data")]
        data: PathBuf,
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:8080")]
        listen: SocketAddr,
        /// On an empty data directory, first create the demo ledger.
        #[arg(long)]
        demo: bool,
        /// Index cache size in MiB.
        #[arg(long, default_value_t = 64)]
        cache_mb: u64,
        /// Serve HTTPS with this certificate chain (PEM); needs --tls-key.
        /// A phone's browser runs the field app's keys and offline cache only
        /// over HTTPS (spec/http.md, "HTTPS").
        #[arg(long, requires = "tls_key", value_name = "PEM")]
        tls_cert: Option<PathBuf>,
        /// The private key of --tls-cert (PEM: PKCS#8, PKCS#1 or SEC1).
        #[arg(long, requires = "tls_cert", value_name = "PEM")]
        tls_key: Option<PathBuf>,
        /// Keep a copy of the log's C2SP tiles in this directory, for any
        /// static web server, or under s3://BUCKET/PREFIX in S3-compatible
        /// object storage named by the AWS_* variables (spec/log.md
        /// section 6, "Copies of the tiles").
        #[arg(long, value_name = "DIR_OR_S3_URL")]
        publish_to: Option<String>,
        /// Witness these logs (spec/log.md section 7): a log list in the
        /// witness network's format (logs/v0). Without it the list is empty
        /// and every well-formed POST /add-checkpoint is a 404.
        #[arg(long, value_name = "FILE")]
        witness_logs: Option<PathBuf>,
    },
    /// Write the log's C2SP tiles and checkpoint to a directory, for any
    /// static web server, or to S3-compatible object storage; then exit.
    /// Only what the copy lacks is written, and the checkpoint last. The node must be stopped (its
    /// data directory is locked); a running node keeps a copy with
    /// `serve --publish-to`.
    Publish {
        /// Data directory.
        #[arg(long, default_value = "madini-data")]
        data: PathBuf,
        /// The directory to write (created if missing), or s3://BUCKET/PREFIX:
        /// the store's endpoint, region and credentials come from the
        /// AWS_* variables (AWS_ENDPOINT_URL, AWS_REGION,
        /// AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY; AWS_ALLOW_HTTP=true
        /// for an endpoint without TLS).
        #[arg(long, value_name = "DIR_OR_S3_URL")]
        to: String,
        /// How long one object-store request is retried before the run
        /// stops (the copy keeps its last checkpoint; publish again to resume).
        #[arg(long, value_name = "SECONDS", default_value_t = 60)]
        retry_for: u64,
    },
    /// Check a data directory without changing it (exit 1 if anything is wrong).
    Fsck {
        /// Data directory.
        #[arg(long, default_value = "madini-data")]
        data: PathBuf,
    },
    /// Create a ledger holding a generated supply chain (the scenario
    /// generator), for trials, training and benchmarks; then exit.
    Generate {
        /// Data directory (must not hold a ledger).
        #[arg(long)]
        data: PathBuf,
        /// Generator seed.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Lots registered at the mines (the log has about 9 entries per lot).
        #[arg(long, default_value_t = 300)]
        lots: usize,
        /// Anomalies to plant: `all`, `none`, or names (over-capacity, red-site, tag-reuse,
        /// merge-gain, metal-from-nothing, over-selling, back-dated, cert-origin-omitted,
        /// untaxed-export, teleport, impossible-grade, lapsed-licence, foreign-cooperative,
        /// heavy-package, site-across-border, far-from-site, before-site, inspection-ahead,
        /// stolen-key),
        /// comma-separated.
        #[arg(long, default_value = "none")]
        frauds: String,
        /// Index cache size in MiB.
        #[arg(long, default_value_t = 64)]
        cache_mb: u64,
    },
    /// Rebuild the indexes from the journal.
    Reindex {
        /// Data directory.
        #[arg(long, default_value = "madini-data")]
        data: PathBuf,
    },
}

/// Writes to stdout, ignoring a closed or broken stdout.
fn say(text: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
}

fn fail(code: u8, msg: impl std::fmt::Display) -> ExitCode {
    eprintln!("madini-node: {msg}");
    ExitCode::from(code)
}

fn node_error(e: NodeError) -> ExitCode {
    fail(3, e)
}

/// What to tell the operator when the index does not open: another process
/// has it, or it is damaged and `reindex` rebuilds it from the journal.
fn index_unopened(data: &Path, e: NodeError) -> NodeError {
    if e.to_string().contains("could not acquire lock") {
        return NodeError::Locked(data.display().to_string());
    }
    NodeError::Inconsistent(format!(
        "{e}; the index is rebuilt from the journal by `madini-node reindex --data {}`",
        data.display()
    ))
}

/// Moves `DATA/index` to `DATA/index.broken-<ms>`, after checking that no
/// process holds the data directory.
fn set_index_aside(data: &Path) -> Result<PathBuf, NodeError> {
    if !data.join(files::LEAVES).exists() {
        return Err(NodeError::Empty(data.display().to_string()));
    }
    let lock = ledger::lock_dir(data)?;
    let to = data.join(format!("{}.broken-{}", files::INDEX, now_ms()));
    std::fs::rename(data.join(files::INDEX), &to).map_err(|e| NodeError::Io(e.to_string()))?;
    drop(lock);
    Ok(to)
}

fn open_store(data: &Path, cache_mb: u64) -> Result<Arc<dyn Store>, NodeError> {
    Ok(Arc::new(node::store::open_sled(
        &data.join(files::INDEX),
        cache_mb << 20,
    )?))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("MADINI_LOG")
                .unwrap_or_else(|_| "info,sled=warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    match cli.command {
        Command::Init {
            data,
            origin,
            authority_id,
            authority_name,
            authority_country,
            authority_keys,
        } => init(
            &data,
            &origin,
            &authority_id,
            &authority_name,
            &authority_country,
            &authority_keys,
        ),
        Command::Serve {
            data,
            listen,
            demo,
            cache_mb,
            tls_cert,
            tls_key,
            publish_to,
            witness_logs,
        } => {
            let tls = tls_cert.zip(tls_key);
            serve(
                &data,
                listen,
                demo,
                cache_mb,
                tls.as_ref(),
                publish_to.as_deref(),
                witness_logs.as_deref(),
            )
        }
        Command::Publish {
            data,
            to,
            retry_for,
        } => publish(&data, &to, Duration::from_secs(retry_for)),
        Command::Fsck { data } => {
            let store = if data.join(files::INDEX).exists() {
                match open_store(&data, 64) {
                    Ok(s) => Some(s),
                    Err(e) => return node_error(index_unopened(&data, e)),
                }
            } else {
                None
            };
            let r = node::fsck::fsck(&data, store.as_deref());
            println!(
                "{} entries, {} signed checkpoints",
                r.entries, r.checkpoints
            );
            for n in &r.notes {
                println!("note: {n}");
            }
            for p in &r.problems {
                println!("problem: {p}");
            }
            if r.problems.is_empty() {
                println!(
                    "ok: the journal replays, every checkpoint matches it, and the indexes agree"
                );
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }
        }
        Command::Generate {
            data,
            seed,
            lots,
            frauds,
            cache_mb,
        } => generate(&data, seed, lots, &frauds, cache_mb),
        Command::Reindex { data } => {
            let store = match open_store(&data, 64) {
                Ok(s) => s,
                // An index sled cannot open is the case reindex exists for:
                // set it aside (nothing is deleted) and build a new one, but
                // only when no node is using the directory.
                Err(e) => match set_index_aside(&data) {
                    Ok(moved) => {
                        eprintln!(
                            "madini-node: the index did not open ({e}); it was moved to {} and is rebuilt from the journal",
                            moved.display()
                        );
                        match open_store(&data, 64) {
                            Ok(s) => s,
                            Err(e) => return node_error(e),
                        }
                    }
                    Err(e) => return node_error(e),
                },
            };
            if let Err(e) = store.clear() {
                return fail(3, e);
            }
            match Ledger::open(&data, store) {
                Ok((l, report)) => {
                    l.shutdown();
                    println!("re-indexed {} entries", report.caught_up);
                    ExitCode::SUCCESS
                }
                Err(e) => node_error(e),
            }
        }
    }
}

fn generate(data: &Path, seed: u64, lots: usize, frauds: &str, cache_mb: u64) -> ExitCode {
    use ledger_core::scenario::{Config, Fraud, generate};
    let frauds: Vec<Fraud> = match frauds {
        "none" | "" => Vec::new(),
        "all" => Fraud::ALL.to_vec(),
        list => {
            let mut v = Vec::new();
            for name in list.split(',') {
                match Fraud::ALL.iter().find(|f| f.name() == name.trim()) {
                    Some(f) => v.push(*f),
                    None => {
                        return fail(
                            2,
                            format!("--frauds: {name:?} is not an anomaly the generator knows"),
                        );
                    }
                }
            }
            v
        }
    };
    if data.join(files::LEAVES).exists() {
        return fail(
            2,
            format!(
                "{} already holds a ledger; choose an empty --data directory",
                data.display()
            ),
        );
    }
    let mut cfg = Config::new(seed, lots);
    cfg.frauds = frauds;
    eprintln!("madini-node: generating {lots} lots (seed {seed}) ...");
    let s = generate(&cfg);
    let store = match open_store(data, cache_mb) {
        Ok(s) => s,
        Err(e) => return node_error(index_unopened(data, e)),
    };
    match node::demo::load_world(data, &s.main, store) {
        Ok(l) => {
            println!(
                "created ledger {} with {} entries in {}",
                l.origin,
                l.checkpoint().size,
                data.display()
            );
            println!("verifier key: {}", l.note_key.vkey());
            for p in &s.planted {
                println!("planted {}: {}", p.fraud.name(), p.lots.join(", "));
            }
            l.shutdown();
            ExitCode::SUCCESS
        }
        Err(e) => node_error(e),
    }
}

fn init(data: &Path, origin: &str, id: &str, name: &str, cc: &str, keys: &[String]) -> ExitCode {
    let parse = || -> Result<(Origin, ActorRecord), String> {
        let origin = Origin::new(origin).map_err(|e| format!("--origin {origin:?}: {e}"))?;
        let keys = keys
            .iter()
            .map(|k| {
                k.parse::<PublicKey>()
                    .map_err(|e| format!("--authority-key {k:?}: {e}"))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let rec = ActorRecord {
            id: Id::new(id).map_err(|e| format!("--authority-id {id:?}: {e}"))?,
            name: Text::new(name).map_err(|e| format!("--authority-name: {e}"))?,
            country: Country::new(cc).map_err(|e| format!("--authority-country {cc:?}: {e}"))?,
            roles: vec![Role::Authority],
            keys,
            tin: None,
            address: None,
            contact: None,
        };
        Ok((origin, rec))
    };
    let (origin, rec) = match parse() {
        Ok(x) => x,
        Err(e) => return fail(2, e),
    };
    // An earlier `init` that stopped after writing the log key left it
    // behind (and no ledger, which `ledger::init` checks): use it.
    let key_path = data.join(node::ledger::files::LOG_KEY);
    let log_key = if key_path.exists() {
        match node::keyfile::read(&key_path) {
            Ok(k) => k,
            Err(e) => return fail(3, format!("{}: {e}", key_path.display())),
        }
    } else {
        let mut seed = [0u8; 32];
        if let Err(e) = getrandom::fill(&mut seed) {
            return fail(3, format!("no system randomness for the log key: {e}"));
        }
        SecretKey::from_seed(&seed)
    };
    let now = now_ms();
    let event = Event {
        log: origin.clone(),
        key: log_key.public().key_id(),
        time: Millis(now),
        body: Body::Genesis(GenesisBody {
            log_key: log_key.public(),
            authorities: vec![rec],
        }),
    };
    let signed = match SignedEvent::sign(&event, &log_key) {
        Ok(s) => s,
        Err(e) => return fail(2, e),
    };
    match ledger::init(
        data,
        &log_key,
        &Genesis {
            event: signed,
            record_time: now,
        },
    ) {
        Ok(()) => {
            let nk = ledger_core::note::NoteKey::new(&origin, log_key.public());
            println!("created ledger {origin} in {}", data.display());
            if let Ok(nk) = nk {
                println!("verifier key (publish it): {}", nk.vkey());
            }
            if let Ok(w) = node::witness::load_or_create_key(data)
                .and_then(|k| node::witness::witness(&origin, k, Default::default()))
            {
                println!("witness key (for logs it witnesses): {}", w.key().vkey());
            }
            println!("serve it with: madini-node serve --data {}", data.display());
            ExitCode::SUCCESS
        }
        Err(NodeError::Inconsistent(m)) => fail(2, m),
        Err(e) => node_error(e),
    }
}

/// How to reach the field app from a phone on the same network.
fn phone_hint(addr: SocketAddr, tls: bool) -> String {
    if addr.ip().is_loopback() {
        format!(
            "From a phone on the same network: serve on all interfaces over HTTPS (the app's keys and offline cache need it), e.g.\n  madini-node serve --demo --data DIR --listen 0.0.0.0:{port} --tls-cert cert.pem --tls-key key.pem\nthen open https://THIS-MACHINE'S-ADDRESS:{port}/app/ (spec/http.md, \"HTTPS\", makes a LAN certificate).",
            port = addr.port()
        )
    } else if tls {
        format!(
            "From a phone on the same network: https://THIS-MACHINE'S-ADDRESS:{}/app/",
            addr.port()
        )
    } else {
        format!(
            "A phone's browser keeps the app's keys and offline cache only over HTTPS: add --tls-cert and --tls-key (spec/http.md, \"HTTPS\"), then open https://THIS-MACHINE'S-ADDRESS:{}/app/",
            addr.port()
        )
    }
}

/// The rustls server configuration from a PEM certificate chain and key.
fn tls_config(cert: &Path, key: &Path) -> Result<rustls::ServerConfig, String> {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};
    let chain = CertificateDer::pem_file_iter(cert)
        .and_then(|certs| certs.collect::<Result<Vec<_>, _>>())
        .map_err(|e| {
            format!(
                "cannot read the TLS certificate {}: {e}; give a PEM certificate chain with --tls-cert",
                cert.display()
            )
        })?;
    if chain.is_empty() {
        return Err(format!(
            "{} holds no certificate; give a PEM certificate chain with --tls-cert",
            cert.display()
        ));
    }
    let secret = PrivateKeyDer::from_pem_file(key).map_err(|e| {
        format!(
            "cannot read the TLS key {}: {e}; give its PEM private key with --tls-key",
            key.display()
        )
    })?;
    let mut config = rustls::ServerConfig::builder_with_provider(
        rustls::crypto::ring::default_provider().into(),
    )
    .with_safe_default_protocol_versions()
    .map_err(|e| e.to_string())?
    .with_no_client_auth()
    .with_single_cert(chain, secret)
    .map_err(|e| {
        format!(
            "the TLS key {} does not fit the certificate {}: {e}",
            key.display(),
            cert.display()
        )
    })?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}

/// `madini-node publish`: the tiles the copy lacks, then the checkpoint.
fn publish(data: &Path, to: &str, retry_for: Duration) -> ExitCode {
    let copy = match node::publish::TileCopy::open(to, retry_for) {
        Ok(c) => c,
        Err(e) => return fail(2, e),
    };
    let store = match open_store(data, 64) {
        Ok(s) => s,
        Err(e) => return node_error(index_unopened(data, e)),
    };
    let ledger = match Ledger::open(data, store) {
        Ok((l, _)) => l,
        Err(e) => return node_error(e),
    };
    let result = copy.publish(&ledger);
    ledger.shutdown();
    match result {
        Ok(p) => {
            say(&format!(
                "published {} entries to {}: {} tiles written, {} already there (the copy had {} entries)\n",
                p.size,
                copy.describe(),
                p.written,
                p.unchanged,
                p.from
            ));
            ExitCode::SUCCESS
        }
        Err(e @ node::publish::PublishError::OtherTree { .. }) => fail(1, e),
        Err(e) => fail(3, e),
    }
}

fn serve(
    data: &Path,
    listen: SocketAddr,
    demo: bool,
    cache_mb: u64,
    tls: Option<&(PathBuf, PathBuf)>,
    publish_to: Option<&str>,
    witness_logs: Option<&Path>,
) -> ExitCode {
    // A bad certificate, copy directory or log list is refused before
    // anything is opened.
    let tls = match tls.map(|(c, k)| tls_config(c, k)).transpose() {
        Ok(t) => t,
        Err(e) => return fail(2, e),
    };
    let copy = match publish_to
        .map(|to| node::publish::TileCopy::open(to, node::publish::RETRY_FOR))
        .transpose()
    {
        Ok(c) => c,
        Err(e) => return fail(2, e),
    };
    let logs = match witness_logs.map(node::witness::read_log_list).transpose() {
        Ok(l) => l.unwrap_or_default(),
        Err(e) => return fail(2, e),
    };
    let fresh = !data.join(files::LEAVES).exists();
    let store = match open_store(data, cache_mb) {
        Ok(s) => s,
        Err(e) => return node_error(index_unopened(data, e)),
    };
    let ledger = if fresh && demo {
        eprintln!(
            "madini-node: building the demo ledger in {} ...",
            data.display()
        );
        match node::demo::create(data, now_ms(), store) {
            Ok((l, report)) => {
                eprintln!(
                    "madini-node: demo ledger ready: {} entries, {} planted anomalies for the verifier to find",
                    report.entries,
                    report.planted.len()
                );
                l
            }
            Err(e) => return node_error(e),
        }
    } else {
        match Ledger::open(data, store) {
            Ok((l, report)) => {
                if report.cut_bytes > 0 {
                    tracing::warn!(
                        bytes = report.cut_bytes,
                        "cut a torn record at the end of the journal (never acknowledged)"
                    );
                }
                if report.caught_up > 0 {
                    tracing::info!(
                        entries = report.caught_up,
                        "indexed entries the index had not caught up with"
                    );
                }
                if report.rebuilt_hashes || report.rebuilt_events {
                    tracing::info!(
                        merkle = report.rebuilt_hashes,
                        events = report.rebuilt_events,
                        "rebuilt index files that did not match the journal"
                    );
                }
                l
            }
            Err(e) => return node_error(e),
        }
    };
    let witness = match node::witness::load_or_create_key(data)
        .and_then(|k| node::witness::witness(ledger.origin.as_str(), k, logs))
    {
        Ok(w) => w,
        Err(e) => {
            ledger.shutdown();
            return node_error(e);
        }
    };
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => return fail(3, e),
    };
    if let Some(copy) = copy {
        let every = Duration::from_millis(250);
        if let Err(e) =
            node::publish::keep_published(ledger.clone(), copy, every, Duration::from_secs(5))
        {
            return fail(3, e);
        }
    }
    let l2 = ledger.clone();
    let result = rt.block_on(async move {
        let listener = std::net::TcpListener::bind(listen)
            .and_then(|l| l.set_nonblocking(true).map(|()| l))
            .map_err(|e| {
                format!("cannot listen on {listen}: {e}; choose another address with --listen")
            })?;
        let addr = listener.local_addr().map_err(|e| e.to_string())?;
        let scheme = if tls.is_some() { "https" } else { "http" };
        // A server outlives whoever reads its banner: a closed stdout
        // (a pipe whose reader went away) must not stop it, so the
        // banner and the tour are written without `println!`, which
        // panics on a broken pipe.
        say(&format!(
            "Madini node for {} serving {} entries at {scheme}://{addr}/\n",
            l2.origin,
            l2.checkpoint().size
        ));
        if demo && l2.origin.as_str() == node::demo::ORIGIN {
            node::demo::print_tour(
                &format!("{scheme}://{addr}"),
                data,
                &l2,
                Some(&phone_hint(addr, tls.is_some())),
            );
        }
        let state = AppState::new(l2).with_witness(witness);
        // The public pages' summary of a large log takes seconds: start it
        // now rather than on the first visitor's request.
        node::public::refresh(&state);
        let service = app(state).into_make_service_with_connect_info::<SocketAddr>();
        match tls {
            None => {
                let listener =
                    tokio::net::TcpListener::from_std(listener).map_err(|e| e.to_string())?;
                axum::serve(listener, service)
                    .with_graceful_shutdown(async {
                        let _ = tokio::signal::ctrl_c().await;
                    })
                    .await
                    .map_err(|e| e.to_string())
            }
            Some(config) => {
                let handle = axum_server::Handle::new();
                let h2 = handle.clone();
                tokio::spawn(async move {
                    let _ = tokio::signal::ctrl_c().await;
                    h2.graceful_shutdown(Some(Duration::from_secs(5)));
                });
                let config = axum_server::tls_rustls::RustlsConfig::from_config(Arc::new(config));
                axum_server::from_tcp_rustls(listener, config)
                    .map_err(|e| e.to_string())?
                    .handle(handle)
                    .serve(service)
                    .await
                    .map_err(|e| e.to_string())
            }
        }
    });
    ledger.shutdown();
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(3, e),
    }
}
