//! The outbox: events signed on this device and not yet in the log.
//!
//! Every signed event is first written here (one file per event, written
//! atomically and synced), then pushed in signing order by `madini sync`.
//! An event leaves the outbox only after the node has answered for it: to
//! `sent/` with its log index when accepted (or already there), to
//! `refused/` with the node's reason when refused. If a push is interrupted
//! at any point, the next one resends what is left; the node answers an
//! identical event with its existing entry, so nothing is lost and nothing
//! is logged twice. A lock file keeps two pushes from interleaving.

use std::fs;
use std::path::{Path, PathBuf};

use ledger_core::event::{Body, Event};
use ledger_core::hash::Hash;
use ledger_core::log::SignedEvent;
use ledger_core::note::open_checkpoint;
use ledger_core::wire;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::client::{ClientError, Node, Problem, b64, now_ms};
use crate::config::write_atomic;
use crate::error::{CliError, Result};
use crate::msg;

/// Events per request when pushing (the node takes up to 1000).
pub const PUSH_BATCH: usize = 100;

/// The outbox cut into requests, in order: at most `PUSH_BATCH` events each,
/// and every anonymous report alone.
fn batches(items: &[Item]) -> Vec<&[Item]> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, item) in items.iter().enumerate() {
        if item.is_anonymous() {
            if start < i {
                out.push(&items[start..i]);
            }
            out.push(&items[i..=i]);
            start = i + 1;
        } else if i + 1 - start == PUSH_BATCH {
            out.push(&items[start..=i]);
            start = i + 1;
        }
    }
    if start < items.len() {
        out.push(&items[start..]);
    }
    out
}

/// One signed event waiting for (or done with) the node.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Item {
    /// Signing order on this device.
    pub seq: u64,
    /// When it was signed here, ms.
    pub created: u64,
    /// Event type.
    #[serde(rename = "type")]
    pub kind: String,
    /// Log origin it is meant for.
    pub origin: String,
    /// Event hash (hex).
    pub event_hash: String,
    /// Lots whose chain this event extends or starts.
    pub lots: Vec<String>,
    /// Base64 of the exact signed bytes.
    pub event: String,
    /// Base64 of the signature.
    pub sig: String,
    /// The node's answer, once there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result: Option<Value>,
}

impl Item {
    /// The file name: sorts in signing order.
    pub fn file_name(&self) -> String {
        format!("{:010}-{}.json", self.seq, &self.event_hash[..16])
    }

    /// An anonymous incident report (signed with a throw-away key). It is
    /// pushed in a request of its own, so no request links it to the
    /// reporter's own signed events.
    pub fn is_anonymous(&self) -> bool {
        self.kind == "incident.report"
            && self
                .event_json()
                .is_some_and(|v| v.get("anonymous_key").is_some())
    }

    /// The event's fields as JSON (`None` for damaged bytes).
    fn event_json(&self) -> Option<Value> {
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD
            .decode(&self.event)
            .ok()
            .and_then(|b| serde_json::from_slice::<Value>(&b).ok())
    }

    /// The time the event claims (its `time`), ms.
    pub fn claimed(&self) -> Option<u64> {
        self.event_json()?.get("time")?.as_u64()
    }

    /// The lot id most worth showing.
    pub fn lot(&self) -> &str {
        self.lots.first().map_or("", String::as_str)
    }
}

/// Every lot id an event touches (its chain is extended or started by it).
pub fn touched_lots(ev: &Event) -> Vec<String> {
    let mut out: Vec<String> = match &ev.body {
        Body::LotRegister(b) => vec![b.lot.to_string()],
        Body::LotOffer(b) => vec![b.lot.to_string()],
        Body::LotAccept(b) => vec![b.lot.to_string()],
        Body::LotRefuse(b) => vec![b.lot.to_string()],
        Body::LotSplit(b) => std::iter::once(b.lot.to_string())
            .chain(b.children.iter().map(|c| c.lot.to_string()))
            .collect(),
        Body::LotMerge(b) => std::iter::once(b.lot.to_string())
            .chain(b.inputs.iter().map(|i| i.lot.to_string()))
            .collect(),
        Body::LotProcess(b) => std::iter::once(b.lot.to_string())
            .chain(b.inputs.iter().map(|i| i.lot.to_string()))
            .collect(),
        Body::LotTransport(b) => vec![b.lot.to_string()],
        Body::LotStore(b) => vec![b.lot.to_string()],
        Body::LotTax(b) => vec![b.lot.to_string()],
        Body::LotExport(b) => vec![b.lot.to_string()],
        Body::LotCorrect(b) => vec![b.lot.to_string()],
        _ => Vec::new(),
    };
    out.dedup();
    out
}

/// The fate of one event in a push.
#[derive(Clone, Debug, Serialize)]
pub struct Fate {
    /// The item.
    pub seq: u64,
    /// Event type.
    #[serde(rename = "type")]
    pub kind: String,
    /// Main lot, if any.
    pub lot: String,
    /// Event hash.
    pub event_hash: String,
    /// `accepted`, `existing` or `refused`.
    pub status: String,
    /// Log index when in the log.
    pub index: Option<u64>,
    /// Leaf hash when in the log.
    pub leaf_hash: Option<String>,
    /// The node's rule, when refused.
    pub rule: Option<String>,
    /// The node's reason, when refused.
    pub detail: Option<String>,
}

/// The outcome of a push.
#[derive(Clone, Debug, Default, Serialize)]
pub struct SyncReport {
    /// One per event the node answered for, in order.
    pub fates: Vec<Fate>,
    /// Events still waiting.
    pub waiting: usize,
    /// Why the push stopped early, if it did.
    pub stopped: Option<String>,
}

/// The outbox directories of one data directory.
pub struct Outbox {
    dir: PathBuf,
    sent: PathBuf,
    refused: PathBuf,
    seq_file: PathBuf,
    lots: PathBuf,
}

/// An exclusive lock on the outbox, released when dropped (or when the
/// process dies).
pub struct Lock(#[allow(dead_code)] fs::File);

impl Outbox {
    /// Opens (creating) the outbox under `data`.
    ///
    /// # Errors
    /// I/O.
    pub fn open(data: &Path) -> Result<Outbox> {
        let o = Outbox {
            dir: data.join("outbox"),
            sent: data.join("sent"),
            refused: data.join("refused"),
            seq_file: data.join("outbox").join(".next-seq"),
            lots: data.join("lots"),
        };
        for d in [&o.dir, &o.sent, &o.refused, &o.lots] {
            fs::create_dir_all(d).map_err(|e| CliError::file(d, &e))?;
        }
        Ok(o)
    }

    /// Takes the outbox lock, waiting for another `madini` if need be.
    ///
    /// # Errors
    /// I/O.
    pub fn lock(&self) -> Result<Lock> {
        let p = self.dir.join(".lock");
        let f = fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&p)
            .map_err(|e| CliError::file(&p, &e))?;
        if f.try_lock().is_err() {
            eprintln!("{}", msg!("cli-outbox-waiting-another-madini-command"));
            f.lock().map_err(|e| CliError::file(&p, &e))?;
        }
        Ok(Lock(f))
    }

    /// Writes a signed event to the outbox (synced before returning).
    ///
    /// # Errors
    /// I/O.
    pub fn queue(&self, ev: &SignedEvent, event: &Event, _lock: &Lock) -> Result<Item> {
        let seq = fs::read_to_string(&self.seq_file)
            .ok()
            .and_then(|s| s.trim().parse::<u64>().ok())
            .unwrap_or(1)
            .max(self.max_seq() + 1);
        let item = Item {
            seq,
            created: now_ms(),
            kind: event.type_name().to_string(),
            origin: event.log.to_string(),
            event_hash: ev.hash().to_hex(),
            lots: touched_lots(event),
            event: b64(&ev.bytes),
            sig: b64(&ev.signature),
            result: None,
        };
        let bytes = serde_json::to_vec_pretty(&item).map_err(|e| CliError::input(e.to_string()))?;
        write_atomic(&self.dir.join(item.file_name()), &bytes, 0o600)?;
        write_atomic(&self.seq_file, (seq + 1).to_string().as_bytes(), 0o600)?;
        Ok(item)
    }

    fn max_seq(&self) -> u64 {
        [&self.dir, &self.sent, &self.refused]
            .iter()
            .filter_map(|d| fs::read_dir(d).ok())
            .flat_map(|r| r.flatten())
            .filter_map(|e| {
                e.file_name()
                    .to_string_lossy()
                    .split('-')
                    .next()
                    .and_then(|s| s.parse::<u64>().ok())
            })
            .max()
            .unwrap_or(0)
    }

    fn read_dir(dir: &Path) -> Result<Vec<Item>> {
        let mut names: Vec<PathBuf> = fs::read_dir(dir)
            .map_err(|e| CliError::file(dir, &e))?
            .flatten()
            .map(|e| e.path())
            .filter(|p| {
                p.extension().is_some_and(|x| x == "json")
                    && !p
                        .file_name()
                        .is_some_and(|n| n.to_string_lossy().starts_with('.'))
            })
            .collect();
        names.sort();
        names
            .iter()
            .map(|p| {
                let text = fs::read_to_string(p).map_err(|e| CliError::file(p, &e))?;
                serde_json::from_str(&text).map_err(|e| {
                    let p = p.display();
                    CliError::input(msg!("cli-outbox-outbox-file-damaged", path = p, error = e))
                        .hint(msg!("cli-outbox-move-out-outbox-re"))
                })
            })
            .collect()
    }

    /// Events waiting, in signing order.
    ///
    /// # Errors
    /// I/O or a damaged file.
    pub fn pending(&self) -> Result<Vec<Item>> {
        Self::read_dir(&self.dir)
    }

    /// Events the node accepted, in signing order.
    ///
    /// # Errors
    /// I/O or a damaged file.
    pub fn sent_items(&self) -> Result<Vec<Item>> {
        Self::read_dir(&self.sent)
    }

    /// Events the node refused, in signing order.
    ///
    /// # Errors
    /// I/O or a damaged file.
    pub fn refused(&self) -> Result<Vec<Item>> {
        Self::read_dir(&self.refused)
    }

    /// Why key `kid` may sign no more, if the node said so: the node's
    /// sentence for the latest event it refused because the key was
    /// revoked or replaced (`key-revoked`, `key-retired`: "key ... was
    /// revoked at entry N"), read from the refused events kept here.
    ///
    /// # Errors
    /// I/O or a damaged file.
    pub fn key_ended(&self, kid: &str) -> Result<Option<String>> {
        Ok(self.refused()?.iter().rev().find_map(|i| {
            let r = i.result.as_ref()?.get("problem")?;
            let rule = r.get("rule")?.as_str()?;
            let by = i.event_json()?;
            ((rule == "key-revoked" || rule == "key-retired") && by.get("key")?.as_str()? == kid)
                .then(|| r.get("detail")?.as_str().map(str::to_string))?
        }))
    }

    /// The head a new event on `lot` must name, from the events still in
    /// the outbox (the latest one touching the lot), with that event as JSON.
    ///
    /// # Errors
    /// I/O.
    pub fn pending_head(&self, lot: &str) -> Result<Option<(Hash, Value)>> {
        let items = self.pending()?;
        let Some(i) = items.iter().rev().find(|i| i.lots.iter().any(|l| l == lot)) else {
            return Ok(None);
        };
        let h: Hash = i
            .event_hash
            .parse()
            .map_err(|_| CliError::input(format!("outbox item {} has a bad hash", i.seq)))?;
        let ev = crate::client::unb64(&i.event)
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or(Value::Null);
        Ok(Some((h, ev)))
    }

    /// The last lot view cached from the node, with local updates.
    pub fn cached_lot(&self, lot: &str) -> Option<Value> {
        let t = fs::read_to_string(self.lot_path(lot)).ok()?;
        serde_json::from_str(&t).ok()
    }

    fn lot_path(&self, lot: &str) -> PathBuf {
        let h = ledger_core::hash::sha256(lot.as_bytes()).to_hex();
        self.lots.join(format!("{}.json", &h[..32]))
    }

    /// Caches a lot view fetched from the node.
    ///
    /// # Errors
    /// I/O.
    pub fn cache_lot(&self, lot: &str, view: &Value) -> Result<()> {
        let mut v = view.clone();
        if let Some(o) = v.as_object_mut() {
            o.remove("history");
            o.insert("cached_at".into(), json!(now_ms()));
        }
        write_atomic(&self.lot_path(lot), v.to_string().as_bytes(), 0o600)
    }

    fn note_accepted(&self, item: &Item) {
        for lot in &item.lots {
            let mut v = self.cached_lot(lot).unwrap_or_else(|| json!({"id": lot}));
            v["head"] = json!(item.event_hash);
            v["cached_at"] = json!(now_ms());
            let _ = write_atomic(&self.lot_path(lot), v.to_string().as_bytes(), 0o600);
        }
    }

    fn finish(&self, item: &Item, to: &Path, result: Value) -> Result<()> {
        let mut done = item.clone();
        done.result = Some(result);
        let bytes = serde_json::to_vec_pretty(&done).map_err(|e| CliError::input(e.to_string()))?;
        write_atomic(&to.join(item.file_name()), &bytes, 0o600)?;
        let p = self.dir.join(item.file_name());
        fs::remove_file(&p).map_err(|e| CliError::file(&p, &e))?;
        fs::File::open(&self.dir)
            .and_then(|d| d.sync_all())
            .map_err(|e| CliError::file(&self.dir, &e))
    }

    /// Pushes every waiting event in signing order and records each fate.
    /// `progress` is called after each batch with (done, total).
    ///
    /// # Errors
    /// A node that cannot be trusted, or local I/O. An unreachable node is
    /// not an error: the report says how many events still wait.
    pub fn sync(
        &self,
        node: &Node,
        _lock: &Lock,
        mut progress: impl FnMut(usize, usize),
    ) -> Result<SyncReport> {
        let items = self.pending()?;
        let mut report = SyncReport {
            waiting: items.len(),
            ..SyncReport::default()
        };
        if items.is_empty() {
            return Ok(report);
        }
        let log = match node.log_if_reachable()? {
            Some(l) => l.clone(),
            None => {
                report.stopped = Some(msg!("cli-outbox-node-cannot-reached", url = node.url));
                return Ok(report);
            }
        };
        let total = items.len();
        let mut done = 0;
        for chunk in batches(&items) {
            let body = wire::SubmitRequest::Batch(wire::BatchRequest {
                events: chunk
                    .iter()
                    .map(|i| wire::Envelope {
                        event: i.event.clone(),
                        sig: i.sig.clone(),
                    })
                    .collect(),
            });
            // A batch is always answered with a `BatchResponse` (the
            // `SubmitResponse::Batch` shape); reading that type, not the
            // untagged enum, lets a mismatch name its field.
            let v = match node.post_as::<_, wire::BatchResponse>("/v1/events", &body) {
                Ok((_, v)) => v,
                Err(ClientError::Unreachable(e)) => {
                    report.stopped = Some(e);
                    break;
                }
                Err(ClientError::Problem(p)) => {
                    report.stopped = Some(format!("{} ({})", p.detail, p.rule));
                    break;
                }
                Err(e @ ClientError::Malformed { .. }) => {
                    report.stopped = Some(e.into_cli(&node.url).message);
                    break;
                }
            };
            open_checkpoint(&v.checkpoint, &log.key).map_err(|e| {
                CliError::trust(msg!("cli-outbox-node-s-checkpoint-does", error = e))
            })?;
            let results = &v.results;
            if results.len() != chunk.len() {
                report.stopped = Some(msg!(
                    "cli-outbox-node-answered-events",
                    answered = results.len(),
                    sent = chunk.len()
                ));
                break;
            }
            let mut halt = None;
            for (item, r) in chunk.iter().zip(results) {
                let mut fate = Fate {
                    seq: item.seq,
                    kind: item.kind.clone(),
                    lot: item.lot().to_string(),
                    event_hash: item.event_hash.clone(),
                    status: String::new(),
                    index: None,
                    leaf_hash: None,
                    rule: None,
                    detail: None,
                };
                // The outbox file keeps the node's result as it was sent
                // (`{"status", ...}`), plus the checkpoint for recorded ones.
                let mut res = json!(r);
                match r {
                    wire::BatchItem::Accepted(p) | wire::BatchItem::Existing(p) => {
                        let existing = matches!(r, wire::BatchItem::Existing(_));
                        fate.status = if existing { "existing" } else { "accepted" }.into();
                        fate.index = Some(p.index);
                        fate.leaf_hash = Some(p.leaf_hash.clone());
                        if let Some(o) = res.as_object_mut() {
                            o.insert("checkpoint".into(), json!(v.checkpoint));
                        }
                        self.finish(item, &self.sent, res)?;
                        self.note_accepted(item);
                    }
                    wire::BatchItem::Refused(n) => {
                        let p = Problem::from_body(n.problem.status, n.problem.clone());
                        fate.status = "refused".into();
                        fate.rule = Some(p.rule.clone());
                        fate.detail = Some(p.detail.clone());
                        self.finish(item, &self.refused, res)?;
                    }
                    wire::BatchItem::Failed(n) => {
                        // `failed`: the node could not make it durable. It
                        // stays in the outbox and nothing after it is sent.
                        halt = Some(n.problem.detail.clone());
                        break;
                    }
                }
                report.fates.push(fate);
                report.waiting -= 1;
                done += 1;
            }
            progress(done, total);
            if let Some(h) = halt {
                report.stopped = Some(h);
                break;
            }
        }
        Ok(report)
    }
}

impl SyncReport {
    /// Fates of refused events.
    pub fn refused(&self) -> impl Iterator<Item = &Fate> {
        self.fates.iter().filter(|f| f.status == "refused")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(seq: u64, anonymous: bool) -> Item {
        use base64::Engine as _;
        let mut ev = json!({"type": "lot.offer", "lot": "L1"});
        if anonymous {
            ev = json!({"type": "incident.report", "anonymous_key": "ed25519:x"});
        }
        Item {
            seq,
            created: 0,
            kind: ev["type"].as_str().unwrap_or_default().to_string(),
            origin: String::new(),
            event_hash: String::new(),
            lots: Vec::new(),
            event: base64::engine::general_purpose::STANDARD.encode(ev.to_string()),
            sig: String::new(),
            result: None,
        }
    }

    #[test]
    fn anonymous_reports_travel_alone_and_batches_keep_order() {
        let mut items: Vec<Item> = (0..250).map(|i| item(i, false)).collect();
        items[3] = item(3, true);
        items[4] = item(4, true);
        items[249] = item(249, true);
        let b = batches(&items);
        let sizes: Vec<usize> = b.iter().map(|c| c.len()).collect();
        assert_eq!(sizes, [3, 1, 1, 100, 100, 44, 1]);
        let order: Vec<u64> = b.iter().flat_map(|c| c.iter().map(|i| i.seq)).collect();
        assert_eq!(order, (0..250).collect::<Vec<_>>());
        for c in &b {
            assert!(c.len() == 1 || c.iter().all(|i| !i.is_anonymous()));
        }
    }
}
