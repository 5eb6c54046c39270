//! The context every command runs in: settings resolved from flags,
//! environment and profile; the node (contacted lazily); the key (read
//! lazily); and the one path by which events are built, signed, queued and
//! pushed.

use std::cell::OnceCell;
use std::path::PathBuf;

use ledger_core::crypto::SecretKey;
use ledger_core::event::{Body, Event};
use ledger_core::hash::Hash;
use ledger_core::log::SignedEvent;
use ledger_core::types::{Millis, Origin};
use ledger_core::verify::{LotFigures, Offered, Warning};
use ledger_core::wire;
use serde_json::{Value, json};

use crate::client::{ClientError, Node, now_ms};
use crate::config::{ConfigFile, DEFAULT_NODE, Paths, Profile};
use crate::error::{CliError, Result};
use crate::outbox::{Item, Outbox};
use crate::{keys, msg, out, outln, parse};

/// Settings every command may use.
pub struct Ctx {
    /// Directories.
    pub paths: Paths,
    /// Profile name in use.
    pub profile_name: Option<String>,
    /// The profile as read from the config file.
    pub profile: Profile,
    /// Node URL in force.
    pub node_url: String,
    /// Certificates trusted for HTTPS instead of the public roots
    /// (`MADINI_CA_FILE`), for a registry on a LAN with its own certificate.
    pub ca: Option<crate::client::Roots>,
    /// Key file in force.
    pub key_path: PathBuf,
    /// Actor id in force, if any.
    pub actor: Option<String>,
    /// Machine-readable output.
    pub json: bool,
    /// Never contact the node when signing.
    pub offline: bool,
    /// Stop before signing a lot event the pre-signing checks warn about
    /// (`--strict`, exit 1).
    pub strict: bool,
    node: OnceCell<Node>,
    key: OnceCell<SecretKey>,
}

/// What happened to a signed event.
pub struct Signed {
    /// The outbox item.
    pub item: Item,
    /// Its fate when it was pushed now (accepted or existing).
    pub result: Option<crate::outbox::Fate>,
    /// Events still in the outbox.
    pub waiting: usize,
}

impl Ctx {
    /// Resolves settings: flags and environment first, then the profile.
    ///
    /// # Errors
    /// A malformed config file or unknown profile.
    pub fn new(
        node: Option<String>,
        key: Option<PathBuf>,
        actor: Option<String>,
        profile: Option<String>,
        json: bool,
        offline: bool,
    ) -> Result<Ctx> {
        let paths = Paths::from_env()?;
        let cfg = ConfigFile::load(&paths.config)?;
        let prof = cfg.profile(profile.as_deref())?;
        let ca = crate::client::ca_from_env()?;
        Ok(Ctx {
            ca,
            node_url: node
                .or_else(|| prof.node.clone())
                .unwrap_or_else(|| DEFAULT_NODE.to_string()),
            key_path: key
                .or_else(|| prof.key.clone())
                .unwrap_or_else(|| paths.default_key()),
            actor: actor.or_else(|| prof.actor.clone()),
            paths,
            profile_name: profile,
            profile: prof,
            json,
            offline,
            strict: false,
            node: OnceCell::new(),
            key: OnceCell::new(),
        })
    }

    /// The node client.
    pub fn node(&self) -> &Node {
        self.node.get_or_init(|| {
            Node::new(
                &self.node_url,
                &self.paths.data,
                self.profile.vkey.clone(),
                self.ca.clone(),
            )
        })
    }

    /// The tile URL in force for a reader: its `--tiles`, else the
    /// profile's `tiles` setting.
    pub fn tiles(&self, flag: Option<&String>) -> Option<String> {
        flag.cloned().or_else(|| self.profile.tiles.clone())
    }

    /// The signing key.
    ///
    /// # Errors
    /// Missing, unreadable or unsafe key file.
    pub fn key(&self) -> Result<&SecretKey> {
        if let Some(k) = self.key.get() {
            return Ok(k);
        }
        let k = keys::read(&self.key_path)?;
        Ok(self.key.get_or_init(|| k))
    }

    /// The outbox.
    ///
    /// # Errors
    /// I/O.
    pub fn outbox(&self) -> Result<Outbox> {
        Outbox::open(&self.paths.data)
    }

    /// The actor id in force.
    ///
    /// # Errors
    /// When none is set.
    pub fn actor(&self) -> Result<&str> {
        self.actor.as_deref().ok_or_else(|| {
            CliError::input(msg!("cli-ctx-command-needs-know-which"))
                .hint(msg!("cli-ctx-pass-actor-id-set"))
        })
    }

    /// The origin of the log events are signed for: from the node when it
    /// can be reached (and trusted), else from what this device pinned.
    ///
    /// # Errors
    /// An untrusted node, or offline with no pinned log.
    pub fn origin(&self) -> Result<Origin> {
        if !self.offline
            && let Some(l) = self.node().log_if_reachable()?
        {
            if l.first_contact && !self.json {
                let (o, k) = (&l.origin, l.key.vkey());
                eprintln!(
                    "{}",
                    msg!("cli-ctx-note-first-contact-log", origin = o, key = k)
                );
            }
            return Ok(l.origin.clone());
        }
        self.node().offline_origin().map(|(o, _)| o).ok_or_else(|| {
            let url = &self.node_url;
            CliError::trust(msg!("cli-ctx-device-never-reached-node", url = url))
                .hint(msg!("cli-ctx-connect-once-run-madini"))
        })
    }

    /// True if the node should be asked (not `--offline` and reachable).
    pub fn online(&self) -> bool {
        !self.offline && matches!(self.node().log_if_reachable(), Ok(Some(_)))
    }

    /// Fetches a lot's view from the node, caching it for offline use.
    ///
    /// # Errors
    /// Unknown lot (exit 2) or an untrusted node.
    pub fn fetch_lot(&self, lot: &str) -> Result<wire::LotView> {
        let v: wire::LotView = self
            .node()
            .get_as(&format!("/v1/lots/{}", enc(lot)))
            .map_err(|e| match e {
                ClientError::Problem(p) if p.status == 404 => {
                    CliError::input(msg!("cli-ctx-lot-not-log", lot = format!("{lot:?}")))
                        .hint(msg!("cli-ctx-check-lot-id-madini"))
                }
                other => other.into_cli(&self.node_url),
            })?;
        self.outbox()?.cache_lot(lot, &lot_view(&v)?)?;
        Ok(v)
    }

    /// The head a new event on `lot` must name, and what is known of the lot
    /// (the node's view or the cached one; `None` when only the outbox knows).
    ///
    /// # Errors
    /// When the head cannot be found.
    pub fn head(&self, lot: &str, prev: Option<Hash>) -> Result<(Hash, Option<Value>)> {
        if let Some(h) = prev {
            return Ok((h, self.outbox()?.cached_lot(lot)));
        }
        if let Some((h, ev)) = self.outbox()?.pending_head(lot)? {
            // The lot's figures as this device's own unsent events state them.
            let mut view = self
                .outbox()?
                .cached_lot(lot)
                .unwrap_or_else(|| json!({"id": lot}));
            let stated = match ev["type"].as_str() {
                Some("lot.split") => ev["children"]
                    .as_array()
                    .and_then(|c| c.iter().find(|c| c["lot"] == lot))
                    .cloned(),
                Some("lot.offer" | "lot.refuse" | "lot.transport" | "lot.store" | "lot.tax") => {
                    None
                }
                _ if ev["lot"] == lot => Some(ev.clone()),
                _ => None,
            };
            if let Some(f) = stated
                && f["mass_g"].is_u64()
            {
                view["mass_g"] = f["mass_g"].clone();
                view["grade_bp"] = f["grade_bp"].clone();
            }
            view["head_event"] = ev;
            return Ok((h, Some(view)));
        }
        if self.online() {
            let v = self.fetch_lot(lot)?;
            let h = parse_hash("head", &v.lot.head)?;
            return Ok((h, Some(lot_view(&v)?)));
        }
        if let Some(v) = self.outbox()?.cached_lot(lot)
            && let Some(h) = v["head"].as_str()
        {
            if !self.json {
                let when = ledger_core::time::rfc3339(v["cached_at"].as_u64().unwrap_or(0));
                eprintln!(
                    "{}",
                    msg!("cli-ctx-offline-using-lot-s", lot = lot, when = when)
                );
            }
            return Ok((parse_hash("head", h)?, Some(v)));
        }
        Err(CliError::input(msg!(
            "cli-ctx-cannot-tell-latest-event",
            lot = format!("{lot:?}")
        ))
        .hint(msg!("cli-ctx-run-madini-lot-show", lot = lot)))
    }

    /// Makes an event of `body` for the log in force, checks it with the
    /// same decoder the node uses (which also checks the rules a body's
    /// fields cannot state alone, such as list sizes), then signs it with
    /// `key` (the profile's key when `None`). `time` is the claimed time
    /// (default: now).
    ///
    /// # Errors
    /// An invalid event (exit 2, naming the field), or no key or origin.
    pub fn build(
        &self,
        body: Body,
        time: Option<Millis>,
        key: Option<&SecretKey>,
    ) -> Result<(SignedEvent, Event)> {
        let key = match key {
            Some(k) => k,
            None => {
                let k = self.key()?;
                // A key the node has said is revoked or replaced signs
                // nothing more, online or not.
                let kid = k.public().key_id().to_string();
                if let Some(why) = self.outbox()?.key_ended(&kid)? {
                    return Err(
                        CliError::input(msg!("cli-ctx-key-ended", key = kid, why = why))
                            .hint(msg!("cli-ctx-key-ended-fix")),
                    );
                }
                k
            }
        };
        let kind = body.type_name();
        let time = match time {
            Some(t) => t,
            None => Millis::new(now_ms()).map_err(|e| CliError::input(e.to_string()))?,
        };
        let event = Event {
            log: self.origin()?,
            key: key.public().key_id(),
            time,
            body,
        };
        let bytes = event.encode().map_err(|e| CliError::input(e.to_string()))?;
        // The typed body states every field's own rule; decoding the bytes
        // checks the rest exactly as the node will.
        let event = Event::decode(&bytes).map_err(|e| {
            CliError::input(msg!("cli-ctx-event-would-invalid", kind = kind, error = e))
        })?;
        let signature = key.sign_event(&bytes);
        Ok((SignedEvent { bytes, signature }, event))
    }

    /// Builds and signs an event (see `build`), queues it, and pushes the
    /// outbox unless offline.
    ///
    /// # Errors
    /// An invalid event (exit 2, naming the field), a refusal (exit 2 with
    /// the node's reason), or local I/O.
    pub fn sign_and_send(
        &self,
        body: Body,
        time: Option<Millis>,
        key: Option<&SecretKey>,
    ) -> Result<Signed> {
        let (signed, event) = self.build(body, time, key)?;
        self.send(&signed, &event)
    }

    /// Builds and signs a lot event like [`Ctx::sign_and_send`], after the
    /// pre-signing checks of `spec/verifier.md` section 7 on what this
    /// device knows of the lots it names (`known`: the node's view or the
    /// cache). Each warning is printed in the user's language (with
    /// `--json`, returned for the report); with `--strict` a warning stops
    /// the command before anything is queued (exit 1).
    ///
    /// # Errors
    /// As [`Ctx::sign_and_send`], and the `--strict` stop.
    pub fn sign_checked(
        &self,
        body: Body,
        time: Option<Millis>,
        known: &[LotFigures],
    ) -> Result<(Signed, Value)> {
        let (signed, event) = self.build(body, time, None)?;
        let policy = ledger_core::verify::Policy::default();
        let warnings = ledger_core::verify::precheck(&policy, known, &event, now_ms());
        let listed: Vec<Value> = warnings
            .iter()
            .map(|w| {
                json!({"rule": w.rule, "severity": w.severity,
                       "figures": w.figures, "message": warning_text(w)})
            })
            .collect();
        if !self.json {
            for w in &warnings {
                eprintln!("{}: {}", msg!("cli-ctx-presign-warning"), warning_text(w));
            }
        }
        if self.strict && !warnings.is_empty() {
            let mut e = CliError::input(msg!("cli-ctx-presign-strict", count = warnings.len()))
                .hint(msg!("cli-ctx-presign-strict-fix"));
            e.exit = crate::error::Exit::Problems;
            e.rule = Some("presign-warning".into());
            e.details = Some(json!({"warnings": listed}));
            return Err(e);
        }
        let s = self.send(&signed, &event)?;
        Ok((s, json!({"warnings": listed})))
    }

    /// Queues a signed event and pushes the outbox unless offline.
    fn send(&self, signed: &SignedEvent, event: &Event) -> Result<Signed> {
        let outbox = self.outbox()?;
        let lock = outbox.lock()?;
        let item = outbox.queue(signed, event, &lock)?;
        if self.offline {
            let waiting = outbox.pending()?.len();
            return Ok(Signed {
                item,
                result: None,
                waiting,
            });
        }
        let report = outbox.sync(self.node(), &lock, |_, _| {})?;
        for f in report
            .fates
            .iter()
            .filter(|f| f.seq != item.seq && f.status == "refused")
        {
            let (s, k, r, d) = (
                f.seq,
                &f.kind,
                f.rule.as_deref().unwrap_or(""),
                f.detail.as_deref().unwrap_or(""),
            );
            eprintln!(
                "{}",
                msg!(
                    "cli-ctx-warning-earlier-outbox-event",
                    seq = s,
                    kind = k,
                    rule = r,
                    detail = d
                )
            );
        }
        let mine = report.fates.iter().find(|f| f.seq == item.seq);
        if let Some(f) = mine
            && f.status == "refused"
        {
            let p = crate::client::Problem {
                status: 400,
                rule: f.rule.clone().unwrap_or_default(),
                detail: f.detail.clone().unwrap_or_default(),
            };
            return Err(p
                .refusal()
                .hint(msg!("cli-ctx-nothing-recorded-event-kept")));
        }
        if mine.is_none()
            && let Some(why) = &report.stopped
            && !self.json
        {
            eprintln!("{}", msg!("cli-ctx-not-sent-now-event", why = why));
        }
        let result = mine.cloned();
        Ok(Signed {
            item,
            result,
            waiting: report.waiting,
        })
    }

    /// Prints the outcome of a signing command.
    pub fn report(&self, s: &Signed, extra: Value) {
        let status = s
            .result
            .as_ref()
            .map(|f| f.status.as_str())
            .unwrap_or("queued");
        if self.json {
            let mut v = json!({
                "status": status,
                "type": s.item.kind,
                "event_hash": s.item.event_hash,
                "lots": s.item.lots,
                "index": s.result.as_ref().and_then(|f| f.index),
                "leaf_hash": s.result.as_ref().and_then(|f| f.leaf_hash.as_deref()),
                "outbox_waiting": s.waiting,
            });
            if let (Some(o), Some(e)) = (v.as_object_mut(), extra.as_object()) {
                o.extend(e.clone());
            }
            out::json(&v);
            return;
        }
        let (k, h) = (&s.item.kind, out::short(&s.item.event_hash));
        // Events about no lot (registry, incidents) name none.
        let lots = if s.item.lots.is_empty() {
            String::new()
        } else {
            format!(" {}", s.item.lots.join(", "))
        };
        match s.result.as_ref().and_then(|f| f.index) {
            Some(i) if status == "existing" => outln!(
                "{}",
                msg!(
                    "cli-ctx-already-log-index-event",
                    kind = k,
                    lots = lots,
                    index = i,
                    hash = h
                )
            ),
            Some(i) => outln!(
                "{}",
                msg!(
                    "cli-ctx-recorded-index-event",
                    kind = k,
                    lots = lots,
                    index = i,
                    hash = h
                )
            ),
            None => {
                let n = s.waiting;
                outln!(
                    "{}",
                    msg!(
                        "cli-ctx-signed-saved-outbox-event",
                        kind = k,
                        lots = lots,
                        hash = h,
                        count = n
                    )
                );
            }
        }
    }
}

/// Path segments are percent-encoded as RFC 3986 says.
pub use ledger_core::text::percent_encode as enc;

/// A hex event hash read from the node or the outbox.
///
/// # Errors
/// Not 64 hex digits.
pub fn parse_hash(what: &str, s: &str) -> Result<Hash> {
    parse::arg(what, parse::event_hash(s))
}

/// What this device keeps of a lot's view (`Outbox::cache_lot`): the lot's
/// state as the node sent it, and its latest event (from the signed bytes)
/// as `head_event`; the figures of unsent events are written over it in
/// `Ctx::head`.
///
/// # Errors
/// A latest entry whose leaf cannot be read (exit 3).
/// A pre-signing warning as the person signing reads it (`app.ftl`'s
/// `app-presign-*`): masses in kg, grades in percent, times in RFC 3339.
pub fn warning_text(w: &Warning) -> String {
    use ledger_core::i18n::Arg;
    let mut args: Vec<(&str, Arg<'_>)> = w
        .figures
        .iter()
        .map(|(k, v)| {
            let u = u64::try_from(*v).unwrap_or(0);
            let text = if k.ends_with("_g") {
                ledger_core::text::kg(u)
            } else if k.ends_with("_bp") {
                ledger_core::text::percent(u)
            } else if k.ends_with("_ms") {
                ledger_core::time::rfc3339(u)
            } else {
                return (k.as_str(), Arg::from(*v));
            };
            (k.as_str(), Arg::from(text))
        })
        .collect();
    if let Some(c) = &w.child {
        args.push(("child", Arg::from(c.clone())));
    }
    ledger_core::i18n::message(crate::i18n::lang(), w.message, &args)
}

/// What a lot view (the node's, the cache's, or one the outbox's own
/// unsent events state) says of a lot's figures, for the pre-signing
/// checks; `None` when it does not say enough.
pub fn lot_figures(view: &Value) -> Option<LotFigures> {
    let offer = Some(&view["head_event"])
        .filter(|e| e["type"] == "lot.offer")
        .and_then(|e| {
            Some(Offered {
                mass_g: e["mass_g"].as_u64()?,
                grade_bp: e["grade_bp"].as_u64()?,
            })
        });
    Some(LotFigures {
        id: view["id"].as_str()?.to_owned(),
        mineral: serde_json::from_value(view["mineral"].clone()).ok()?,
        mass_g: view["mass_g"].as_u64()?,
        grade_bp: view["grade_bp"].as_u64()?,
        offer,
    })
}

fn lot_view(v: &wire::LotView) -> Result<Value> {
    let mut view = json!(v.lot);
    if let Some(last) = v.history.last() {
        let ev = crate::client::entry_event(last)?;
        if let Some(o) = view.as_object_mut() {
            o.insert("head_event".into(), ev);
        }
    }
    Ok(view)
}
