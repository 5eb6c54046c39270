//! Talking to a node over HTTP, and deciding whether to believe it.
//!
//! The first time the CLI meets a log it pins the log's verifier key (or
//! checks it against the profile's `vkey`). From then on every checkpoint
//! must be signed by that key and consistent (RFC 6962 consistency proof)
//! with the last one this device verified, which is kept under
//! `<data>/logs/`. A node that presents another key, a smaller tree, or a
//! tree that does not extend the old one is not trusted (exit 3).

use std::cell::OnceCell;
use std::path::PathBuf;
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use ledger_core::hash::Hash;
use ledger_core::merkle::verify_consistency;
use ledger_core::note::{Checkpoint, NoteKey, open_checkpoint};
use ledger_core::types::Origin;
use ledger_core::wire;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::config::write_atomic;
use crate::error::{CliError, Result};
use crate::msg;

/// A problem (RFC 9457) the node answered with.
#[derive(Clone, Debug)]
pub struct Problem {
    /// HTTP status.
    pub status: u16,
    /// Rule id (`stale-head`, `not-custodian`, ...).
    pub rule: String,
    /// The node's explanation.
    pub detail: String,
}

impl Problem {
    /// From an error answer: a problem body (`wire::ProblemBody`), or, from
    /// something in front of the node (a proxy's error page), whatever text
    /// it sent, so the user still sees it.
    pub fn from_json(status: u16, v: &Value) -> Problem {
        match wire::ProblemBody::deserialize(v) {
            Ok(p) => Problem::from_body(status, p),
            Err(_) => Problem {
                status,
                rule: String::new(),
                detail: match v {
                    Value::String(s) => s.chars().take(200).collect(),
                    Value::Null => String::new(),
                    other => other.to_string().chars().take(200).collect(),
                },
            },
        }
    }

    /// From a problem body, with the HTTP status it came with.
    pub fn from_body(status: u16, p: wire::ProblemBody) -> Problem {
        let rule = if p.rule.is_empty() {
            p.type_.rsplit('/').next().unwrap_or("").to_string()
        } else {
            p.rule
        };
        Problem {
            status,
            rule,
            detail: p.detail,
        }
    }

    /// The error shown to the user for an event the node refused (exit 2).
    pub fn refusal(&self) -> CliError {
        let (rule, detail) = (&self.rule, &self.detail);
        let what = rule_sentence(rule);
        CliError::input(msg!(
            "cli-client-node-refused-event",
            rule = rule,
            detail = detail,
            what = what
        ))
        .rule(rule.clone())
    }
}

/// A rule of the node's in plain words (`cli-rule-*` in `cli.ftl`), for
/// the refusal message: the node's own `detail` is English.
fn rule_sentence(rule: &str) -> String {
    let (lang, id) = (crate::i18n::lang(), format!("cli-rule-{rule}"));
    if ledger_core::i18n::has(lang, &id) {
        ledger_core::i18n::message(lang, &id, &[])
    } else {
        msg!("cli-rule-other")
    }
}

/// Why a request failed.
#[derive(Debug)]
pub enum ClientError {
    /// No answer (connection refused, DNS, timeout).
    Unreachable(String),
    /// The node answered with a problem.
    Problem(Problem),
    /// The node answered, but not with the body `spec/http.md` gives the
    /// request: `what` is the request (`GET /v1/lots/X`), `why` serde's path
    /// to the first mismatch and its error.
    Malformed {
        /// The request.
        what: String,
        /// Where and how the body differs.
        why: String,
    },
}

impl ClientError {
    /// The user-facing error, for reads.
    pub fn into_cli(self, url: &str) -> CliError {
        match self {
            ClientError::Unreachable(e) => unreachable(url, &e),
            ClientError::Problem(p) if p.status == 404 => {
                let d = p.detail;
                CliError::input(msg!("cli-client-not-found", detail = d))
            }
            ClientError::Problem(p) if p.status < 500 => p.refusal(),
            ClientError::Problem(p) => {
                let (s, d) = (p.status, p.detail);
                CliError::trust(msg!(
                    "cli-client-node-failed",
                    url = url,
                    status = s,
                    detail = d
                ))
            }
            ClientError::Malformed { what, why } => malformed(&what, &why),
        }
    }
}

/// The error for an answer that is not the body `spec/http.md` gives it
/// (exit 3): a node that sends something else is not believed.
pub fn malformed(what: &str, why: &str) -> CliError {
    CliError::trust(msg!("cli-client-node-s-answer-not", what = what, why = why))
}

/// Reads `v` as the wire type `T`, naming the first field that differs.
///
/// # Errors
/// `ClientError::Malformed` for `what` (the request).
pub fn typed<T: DeserializeOwned>(what: &str, v: Value) -> std::result::Result<T, ClientError> {
    serde_path_to_error::deserialize(v).map_err(|e| {
        let path = e.path().to_string();
        // serde quotes the offending value, which may be a whole error page.
        let inner: String = e.into_inner().to_string().chars().take(300).collect();
        ClientError::Malformed {
            what: what.to_string(),
            why: if path == "." {
                inner
            } else {
                format!("{path}: {inner}")
            },
        }
    })
}

/// The error for a node that does not answer.
pub fn unreachable(url: &str, e: &str) -> CliError {
    CliError::trust(msg!("cli-client-cannot-reach-node", url = url, error = e))
        .hint(msg!("cli-client-check-address-node-madini"))
}

/// What this device last verified about a log (kept in `<data>/logs/`).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Pinned {
    /// Log origin.
    pub origin: String,
    /// C2SP verifier key.
    pub vkey: String,
    /// Node it was last read from.
    pub node: String,
    /// Last verified checkpoint (signed note).
    pub checkpoint: String,
    /// Its tree size.
    pub size: u64,
    /// When it was verified, ms.
    pub verified_at: u64,
}

/// A log as verified now.
#[derive(Clone, Debug)]
pub struct LogInfo {
    /// Origin.
    pub origin: Origin,
    /// Verifier key.
    pub key: NoteKey,
    /// Latest checkpoint.
    pub checkpoint: Checkpoint,
    /// Its signed note.
    pub note: String,
    /// The node's `/v1/log` answer.
    pub raw: wire::LogInfo,
    /// True if this run pinned the log for the first time.
    pub first_contact: bool,
}

/// A node and what this device trusts about it.
pub struct Node {
    /// Base URL, without a trailing slash.
    pub url: String,
    agent: ureq::Agent,
    logs_dir: PathBuf,
    expected_vkey: Option<String>,
    log: OnceCell<LogInfo>,
}

/// Current time, ms since the epoch.
pub fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
        .unwrap_or(0)
}

/// HTTPS roots read from `MADINI_CA_FILE`.
pub type Roots = std::sync::Arc<Vec<ureq::tls::Certificate<'static>>>;

/// The certificates of `MADINI_CA_FILE` (PEM), trusted for HTTPS instead of
/// the public roots: a registry on a LAN with a self-signed certificate
/// (spec/http.md, "HTTPS") gives its officers this file.
///
/// # Errors
/// An unreadable file, or one without a PEM certificate.
pub fn ca_from_env() -> Result<Option<Roots>> {
    let Some(path) = std::env::var_os("MADINI_CA_FILE").filter(|p| !p.is_empty()) else {
        return Ok(None);
    };
    let shown = std::path::Path::new(&path).display().to_string();
    let pem = std::fs::read(&path).map_err(|e| {
        CliError::input(msg!(
            "cli-client-cannot-read-madini-ca",
            shown = shown,
            error = e
        ))
    })?;
    let certs: Vec<_> = ureq::tls::parse_pem(&pem)
        .filter_map(|item| match item {
            Ok(ureq::tls::PemItem::Certificate(c)) => Some(c),
            _ => None,
        })
        .collect();
    if certs.is_empty() {
        return Err(
            CliError::input(msg!("cli-client-madini-ca-file-holds", shown = shown))
                .hint(msg!("cli-client-give-node-s-certificate")),
        );
    }
    Ok(Some(std::sync::Arc::new(certs)))
}

impl Node {
    /// A client for the node at `url`; `ca` replaces the public HTTPS roots.
    pub fn new(
        url: &str,
        data: &std::path::Path,
        expected_vkey: Option<String>,
        ca: Option<Roots>,
    ) -> Node {
        let mut config = ureq::Agent::config_builder();
        if let Some(roots) = ca {
            config = config.tls_config(
                ureq::tls::TlsConfig::builder()
                    .root_certs(ureq::tls::RootCerts::Specific(roots))
                    .build(),
            );
        }
        let agent = config
            .http_status_as_error(false)
            .timeout_connect(Some(Duration::from_secs(5)))
            .timeout_global(Some(Duration::from_secs(120)))
            .build()
            .into();
        Node {
            url: url.trim_end_matches('/').to_string(),
            agent,
            logs_dir: data.join("logs"),
            expected_vkey,
            log: OnceCell::new(),
        }
    }

    fn answer(
        &self,
        r: std::result::Result<ureq::http::Response<ureq::Body>, ureq::Error>,
    ) -> std::result::Result<(u16, Value), ClientError> {
        let mut resp = r.map_err(|e| ClientError::Unreachable(e.to_string()))?;
        let status = resp.status().as_u16();
        let text = resp
            .body_mut()
            .with_config()
            .limit(512 * 1024 * 1024)
            .read_to_string()
            .map_err(|e| ClientError::Unreachable(e.to_string()))?;
        let v: Value = if text.is_empty() {
            Value::Null
        } else if let Ok(v) = serde_json::from_str(&text) {
            v
        } else {
            Value::String(text)
        };
        if status >= 400 {
            return Err(ClientError::Problem(Problem::from_json(status, &v)));
        }
        Ok((status, v))
    }

    /// GET a JSON document. Private: every answer is read as its wire type
    /// (`get_as`), never by string key.
    fn get(&self, path: &str) -> std::result::Result<Value, ClientError> {
        let url = format!("{}{path}", self.url);
        self.answer(self.agent.get(&url).call()).map(|(_, v)| v)
    }

    /// GET raw bytes (a C2SP tile or checkpoint, `spec/log.md` section 6):
    /// the body of a 200, anything else an error naming the status.
    ///
    /// # Errors
    /// Unreachable server, a status other than 200.
    pub fn get_bytes(&self, path: &str) -> std::result::Result<Vec<u8>, ClientError> {
        let url = format!("{}{path}", self.url);
        let mut resp = self
            .agent
            .get(&url)
            .call()
            .map_err(|e| ClientError::Unreachable(e.to_string()))?;
        let status = resp.status().as_u16();
        if status != 200 {
            return Err(ClientError::Unreachable(format!("{url} answered {status}")));
        }
        resp.body_mut()
            .with_config()
            .limit(16 * 1024 * 1024)
            .read_to_vec()
            .map_err(|e| ClientError::Unreachable(e.to_string()))
    }

    /// GET a body of the wire type `T` (`spec/http.md`).
    ///
    /// # Errors
    /// Unreachable node, a problem answer, a body that is not a `T`.
    pub fn get_as<T: DeserializeOwned>(&self, path: &str) -> std::result::Result<T, ClientError> {
        typed(&format!("GET {path}"), self.get(path)?)
    }

    /// POST a request body; returns the status and the answer as the wire
    /// type `T`.
    ///
    /// # Errors
    /// Unreachable node, a problem answer, an answer that is not a `T`.
    pub fn post_as<B: Serialize, T: DeserializeOwned>(
        &self,
        path: &str,
        body: &B,
    ) -> std::result::Result<(u16, T), ClientError> {
        let url = format!("{}{path}", self.url);
        let (status, v) = self.answer(self.agent.post(&url).send_json(body))?;
        Ok((status, typed(&format!("POST {path}"), v)?))
    }

    /// GET a body of the wire type `T`, with the user-facing error.
    ///
    /// # Errors
    /// As `get_as`.
    pub fn read_as<T: DeserializeOwned>(&self, path: &str) -> Result<T> {
        self.get_as(path).map_err(|e| e.into_cli(&self.url))
    }

    /// The log, verified: pinned key, signed checkpoint, consistent with the
    /// last checkpoint this device verified.
    ///
    /// # Errors
    /// Unreachable (exit 3), or untrusted (exit 3).
    pub fn log(&self) -> Result<&LogInfo> {
        if let Some(l) = self.log.get() {
            return Ok(l);
        }
        let info = self.verify_log()?;
        Ok(self.log.get_or_init(|| info))
    }

    /// The log verified again now (not the copy verified earlier in this run).
    ///
    /// # Errors
    /// As `log`.
    pub fn fresh_log(&self) -> Result<LogInfo> {
        self.verify_log()
    }

    /// Like `log`, but `None` when the node cannot be reached.
    ///
    /// # Errors
    /// A reachable node that cannot be trusted.
    pub fn log_if_reachable(&self) -> Result<Option<&LogInfo>> {
        match self.log() {
            Ok(l) => Ok(Some(l)),
            Err(e) if e.rule.as_deref() == Some("unreachable") => Ok(None),
            Err(e) => Err(e),
        }
    }

    fn pinned_path(&self, origin: &str) -> PathBuf {
        let safe: String = origin
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        let h = ledger_core::hash::sha256(origin.as_bytes()).to_hex();
        self.logs_dir.join(format!("{safe}-{}.json", &h[..8]))
    }

    /// What this device last verified about `origin`.
    pub fn pinned(&self, origin: &str) -> Option<Pinned> {
        let text = std::fs::read_to_string(self.pinned_path(origin)).ok()?;
        serde_json::from_str(&text).ok()
    }

    /// The origin of the only log this device knows, for offline signing.
    pub fn offline_origin(&self) -> Option<(Origin, Pinned)> {
        let mut found = Vec::new();
        for e in std::fs::read_dir(&self.logs_dir).ok()?.flatten() {
            if let Ok(t) = std::fs::read_to_string(e.path())
                && let Ok(p) = serde_json::from_str::<Pinned>(&t)
                && p.node == self.url
            {
                found.push(p);
            }
        }
        found.sort_by_key(|p| std::cmp::Reverse(p.verified_at));
        let p = found.into_iter().next()?;
        Origin::new(p.origin.clone()).ok().map(|o| (o, p))
    }

    fn verify_log(&self) -> Result<LogInfo> {
        let url = &self.url;
        let v: wire::LogInfo = self.get_as("/v1/log").map_err(|e| match e {
            ClientError::Unreachable(m) => unreachable(url, &m).rule("unreachable"),
            other => other.into_cli(url),
        })?;
        let (vkey, note) = (v.vkey.clone(), v.checkpoint.clone());
        let untrusted = |why: String| {
            CliError::trust(msg!("cli-client-node-cannot-trusted", url = url, why = why))
        };
        let key = NoteKey::from_vkey(&vkey).map_err(|e| untrusted(e.to_string()))?;
        if let Some(exp) = &self.expected_vkey
            && exp != &vkey
        {
            return Err(untrusted(msg!(
                "cli-client-log-key-not-one",
                vkey = vkey,
                exp = exp
            )));
        }
        let cp = open_checkpoint(&note, &key)
            .map_err(|e| untrusted(msg!("cli-client-checkpoint-does-not-verify", error = e)))?;
        let origin = Origin::new(cp.origin.clone()).map_err(|e| untrusted(e.0.to_string()))?;
        let pinned = self.pinned(&cp.origin);
        if let Some(p) = &pinned {
            if p.vkey != vkey {
                let old = &p.vkey;
                return Err(untrusted(msg!(
                    "cli-client-log-now-presents-key",
                    origin = origin,
                    vkey = vkey,
                    old = old
                ))
                .hint(msg!("cli-client-if-registry-really-changed")));
            }
            let old = open_checkpoint(&p.checkpoint, &key).map_err(|e| untrusted(e.to_string()))?;
            self.check_consistency(&old, &cp).map_err(untrusted)?;
        }
        let rec = Pinned {
            origin: cp.origin.clone(),
            vkey: vkey.clone(),
            node: self.url.clone(),
            checkpoint: note.clone(),
            size: cp.size,
            verified_at: now_ms(),
        };
        if pinned.as_ref().is_none_or(|p| p.size <= cp.size) {
            let bytes = serde_json::to_vec_pretty(&rec).unwrap_or_default();
            write_atomic(&self.pinned_path(&cp.origin), &bytes, 0o644)?;
        }
        Ok(LogInfo {
            origin,
            key,
            checkpoint: cp,
            note,
            raw: v,
            first_contact: pinned.is_none(),
        })
    }

    /// Checks that `new` extends `old` with the node's consistency proof.
    ///
    /// # Errors
    /// A sentence saying how the log fails to extend.
    pub fn check_consistency(
        &self,
        old: &Checkpoint,
        new: &Checkpoint,
    ) -> std::result::Result<(), String> {
        let (m, n) = (old.size, new.size);
        if n < m {
            return Err(msg!(
                "cli-client-log-shrank-entries-since",
                old = m,
                new = n
            ));
        }
        if m == n {
            return if old.root == new.root {
                Ok(())
            } else {
                Err(msg!("cli-client-two-different-roots-same", size = n))
            };
        }
        if m == 0 {
            return Ok(());
        }
        let v: wire::ConsistencyProof = self
            .get_as(&format!("/v1/proof/consistency?from={m}&to={n}"))
            .map_err(|e| e.into_cli(&self.url).message)?;
        let proof = hashes(&v.hashes)?;
        verify_consistency(m, n, &old.root.0, &new.root.0, &proof).map_err(|e| {
            msg!(
                "cli-client-tree-entries-does-not",
                size = n,
                old = m,
                error = e
            )
        })
    }
}

/// Decodes a proof's base64 hashes.
///
/// # Errors
/// A sentence naming the bad item.
pub fn hashes(v: &[String]) -> std::result::Result<Vec<Hash>, String> {
    v.iter()
        .enumerate()
        .map(|(i, h)| {
            Hash::from_base64(h).map_err(|_| format!("proof hash {i} is not base64 of 32 bytes"))
        })
        .collect()
}

/// The signed event bytes of an entry, from its exact leaf.
///
/// # Errors
/// A leaf that is not base64 of a leaf (exit 3).
pub fn leaf_event(e: &wire::EntryView) -> Result<Vec<u8>> {
    let i = e.index;
    unb64(&e.leaf)
        .ok()
        .and_then(|b| ledger_core::leaf::Leaf::decode(&b).ok())
        .map(|l| l.event)
        .ok_or_else(|| CliError::trust(msg!("cli-client-entry-node-not-readable", index = i)))
}

/// An entry's event as a JSON document (`spec/events.md`), read from the
/// signed bytes in its leaf rather than from the node's decoded copy.
///
/// # Errors
/// As `leaf_event`, or bytes that are not JSON (exit 3).
pub fn entry_event(e: &wire::EntryView) -> Result<Value> {
    let i = e.index;
    serde_json::from_slice(&leaf_event(e)?).map_err(|err| {
        CliError::trust(msg!(
            "cli-client-event-entry-not-json",
            index = i,
            error = err
        ))
    })
}

/// Standard base64.
pub fn b64(bytes: &[u8]) -> String {
    B64.encode(bytes)
}

/// Decodes standard base64.
///
/// # Errors
/// Not base64.
pub fn unb64(s: &str) -> std::result::Result<Vec<u8>, String> {
    B64.decode(s).map_err(|e| e.to_string())
}
