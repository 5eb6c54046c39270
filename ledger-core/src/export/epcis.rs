//! GS1 EPCIS 2.0 (`spec/exports.md` section 4): each log entry's supply-chain
//! events as EPCIS events that point back to the entry's inclusion proof, and
//! an `EPCISDocument` written as a stream, one event at a time, into any
//! `std::fmt::Write` or as an iterator of string chunks.
//!
//! A document is written in two passes over the same leaves: `Planner` reads
//! them cheaply to learn which lots a provenance export covers and which
//! events are corrected later, then `Exporter` writes. Memory grows with lots
//! and with corrected events, never with the log.

use std::collections::{BTreeSet, HashMap};
use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64URL;
use serde::Serialize;
use serde_json::Value;

use crate::event::*;
use crate::hash::Hash;
use crate::leaf::LEAF_HEADER;
use crate::rules::Signer;
use crate::types::*;

use super::book::LotBook;
use super::units::{self, Dec, kg, rfc3339_ms};
use super::{Entry, EntryError, EntryReader};

/// The JSON-LD context of every document: EPCIS 2.0's, plus the `madini`
/// prefix of the extension fields.
pub const CONTEXT_EPCIS: &str = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld";
/// The IRI the `madini:` prefix of extension fields expands to.
pub const MADINI_NS: &str = "urn:madini:vocab:epcis:";
/// The business step of a tax payment (no CBV step fits).
pub const BIZSTEP_TAX: &str = "urn:madini:vocab:bizstep:tax_payment";
/// The business-transaction type of a tax receipt.
pub const BTT_TAX_RECEIPT: &str = "urn:madini:vocab:btt:tax_receipt";

/// The EPCIS `eventID` of event `part` of the entry with leaf hash `leaf`:
/// an RFC 6920 `ni` URI naming the RFC 6962 leaf hash (`spec/exports.md`
/// 4.2), with `?part=N` for the second and later events of one entry.
pub fn event_id(leaf: &Hash, part: usize) -> String {
    let b = B64URL.encode(leaf.0);
    if part == 0 {
        format!("ni:///sha-256;{b}")
    } else {
        format!("ni:///sha-256;{b}?part={part}")
    }
}

/// `urn:madini:<origin>:<kind>:<id>`: the EPC of a lot, tag, site or actor
/// of the log `origin` (`spec/exports.md` 4.1).
pub fn urn(origin: &str, kind: &str, id: &str) -> String {
    format!("urn:madini:{origin}:{kind}:{id}")
}

// Free text (place names, receipt numbers) inside a URN is percent-encoded.
use crate::text::percent_encode as pct;

/// What a document covers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Selection {
    /// Every entry.
    All,
    /// One lot's provenance: every event on the lot or any of its ancestors
    /// (through split, merge and process).
    Lot(Id),
    /// Entries recorded from `from` (inclusive) to `to` (exclusive), ms.
    Window {
        /// First record time included.
        from: u64,
        /// First record time excluded.
        to: u64,
    },
}

/// The document header's data. Nothing here comes from a clock: the caller
/// passes the creation date (`spec/exports.md` 4.4 says which).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Header {
    /// The log's origin.
    pub origin: Origin,
    /// The document's `creationDate`, ms.
    pub created: u64,
}

// ---------------------------------------------------------------------------
// The first pass.

/// First pass over the leaves (`spec/exports.md` 4.4): collects the lineage
/// of lots (for `Selection::Lot`) and the events that a `lot.correct`
/// corrects. It decodes only the lot-creating and correcting events.
#[derive(Clone, Debug)]
pub struct Planner {
    selection: Selection,
    parents: HashMap<Id, Vec<Id>>,
    corrected: BTreeSet<Hash>,
}

impl Planner {
    /// A planner for `selection`.
    pub fn new(selection: Selection) -> Planner {
        Planner {
            selection,
            parents: HashMap::new(),
            corrected: BTreeSet::new(),
        }
    }

    /// Reads one encoded leaf. Only events whose canonical bytes contain
    /// `"type":"lot.split"`, `.merge`, `.process` or `.correct` are decoded.
    ///
    /// # Errors
    /// `EntryError` for a leaf too short to hold an event or an event that
    /// does not decode.
    pub fn leaf(&mut self, index: u64, leaf: &[u8]) -> Result<(), EntryError> {
        if leaf.len() < LEAF_HEADER + 2 {
            return Err(EntryError::Leaf {
                index,
                source: crate::leaf::LeafError::TooShort(leaf.len()),
            });
        }
        let bytes = &leaf[LEAF_HEADER..];
        if !interesting(bytes, matches!(self.selection, Selection::Lot(_))) {
            return Ok(());
        }
        let event = Event::decode(bytes).map_err(|source| EntryError::Event { index, source })?;
        self.event(&event);
        Ok(())
    }

    /// Reads one decoded entry (when the caller has entries already).
    pub fn entry(&mut self, e: &Entry) {
        self.event(&e.event);
    }

    fn event(&mut self, ev: &Event) {
        let want_lineage = matches!(self.selection, Selection::Lot(_));
        match &ev.body {
            Body::LotSplit(b) if want_lineage => {
                for c in &b.children {
                    self.parents.insert(c.lot.clone(), vec![b.lot.clone()]);
                }
            }
            Body::LotMerge(LotMerge { inputs, lot, .. })
            | Body::LotProcess(LotProcess { inputs, lot, .. })
                if want_lineage =>
            {
                self.parents
                    .insert(lot.clone(), inputs.iter().map(|i| i.lot.clone()).collect());
            }
            Body::LotCorrect(b) => {
                self.corrected.insert(b.corrects);
            }
            _ => {}
        }
    }

    /// The plan for the second pass.
    pub fn finish(self) -> Plan {
        let lots = match &self.selection {
            Selection::Lot(id) => {
                let mut set = BTreeSet::new();
                let mut todo = vec![id.clone()];
                while let Some(l) = todo.pop() {
                    if let Some(ps) = self.parents.get(&l) {
                        todo.extend(ps.iter().filter(|p| !set.contains(*p)).cloned());
                    }
                    set.insert(l);
                }
                Some(set)
            }
            _ => None,
        };
        Plan {
            selection: self.selection,
            lots,
            corrected: self.corrected,
        }
    }
}

/// Whether canonical event bytes may be a correction or, when the lineage
/// is wanted, a lot-creating event. A false positive (a tax whose type is
/// written `lot.correct`) only costs a decode.
fn interesting(bytes: &[u8], lineage: bool) -> bool {
    const NEEDLE: &[u8] = b"\"type\":\"lot.";
    let wanted: &[&[u8]] = if lineage {
        &[b"correct\"", b"split\"", b"merge\"", b"process\""]
    } else {
        &[b"correct\""]
    };
    bytes.windows(NEEDLE.len()).enumerate().any(|(i, w)| {
        w == NEEDLE
            && wanted
                .iter()
                .any(|k| bytes[i + NEEDLE.len()..].starts_with(k))
    })
}

/// The outcome of the first pass.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Plan {
    selection: Selection,
    lots: Option<BTreeSet<Id>>,
    corrected: BTreeSet<Hash>,
}

impl Plan {
    /// The selection.
    pub fn selection(&self) -> &Selection {
        &self.selection
    }

    /// For a provenance export: the lot and its ancestors.
    pub fn lots(&self) -> Option<&BTreeSet<Id>> {
        self.lots.as_ref()
    }

    /// Whether the document includes the events of this entry.
    pub fn selects(&self, e: &Entry) -> bool {
        match &self.selection {
            Selection::All => true,
            Selection::Window { from, to } => (*from..*to).contains(&e.record_time),
            Selection::Lot(_) => {
                let lots = self.lots.as_ref();
                touched(&e.event.body)
                    .iter()
                    .any(|l| lots.is_some_and(|s| s.contains(*l)))
            }
        }
    }
}

/// The lots an event reads or writes.
fn touched(body: &Body) -> Vec<&Id> {
    match body {
        Body::LotRegister(b) => vec![&b.lot],
        Body::LotOffer(b) => vec![&b.lot],
        Body::LotAccept(b) => vec![&b.lot],
        Body::LotRefuse(b) => vec![&b.lot],
        Body::LotSplit(b) => std::iter::once(&b.lot)
            .chain(b.children.iter().map(|c| &c.lot))
            .collect(),
        Body::LotMerge(LotMerge { inputs, lot, .. })
        | Body::LotProcess(LotProcess { inputs, lot, .. }) => std::iter::once(lot)
            .chain(inputs.iter().map(|i| &i.lot))
            .collect(),
        Body::LotTransport(b) => vec![&b.lot],
        Body::LotStore(b) => vec![&b.lot],
        Body::LotTax(b) => vec![&b.lot],
        Body::LotExport(b) => vec![&b.lot],
        Body::LotCorrect(b) => vec![&b.lot],
        _ => Vec::new(),
    }
}

// ---------------------------------------------------------------------------
// The events, typed so that their field order is fixed.

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Ev {
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(rename = "eventID")]
    event_id: String,
    event_time: String,
    record_time: String,
    event_time_zone_offset: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    action: Option<&'static str>,
    #[serde(rename = "parentID", skip_serializing_if = "Option::is_none")]
    parent_id: Option<String>,
    #[serde(rename = "epcList", skip_serializing_if = "Option::is_none")]
    epc_list: Option<Vec<String>>,
    #[serde(rename = "childEPCs", skip_serializing_if = "Option::is_none")]
    child_epcs: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    quantity_list: Option<Vec<Qty>>,
    #[serde(rename = "inputEPCList", skip_serializing_if = "Option::is_none")]
    input_epc_list: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    input_quantity_list: Option<Vec<Qty>>,
    #[serde(rename = "outputEPCList", skip_serializing_if = "Option::is_none")]
    output_epc_list: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    output_quantity_list: Option<Vec<Qty>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    biz_step: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    disposition: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    read_point: Option<Loc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    biz_location: Option<Loc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    biz_transaction_list: Option<Vec<BizTx>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    source_list: Option<Vec<Src>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    destination_list: Option<Vec<Dst>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    certification_info: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    ilmd: Option<Ilmd>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error_declaration: Option<ErrorDecl>,
    #[serde(rename = "madini:entry")]
    entry: EntryRef,
    #[serde(rename = "madini:figures", skip_serializing_if = "Option::is_none")]
    figures: Option<Vec<Fig>>,
    #[serde(rename = "madini:price", skip_serializing_if = "Option::is_none")]
    price: Option<Money>,
    #[serde(rename = "madini:tax", skip_serializing_if = "Option::is_none")]
    tax: Option<TaxExt>,
    #[serde(rename = "madini:transport", skip_serializing_if = "Option::is_none")]
    transport: Option<TransportExt>,
    #[serde(rename = "madini:warehouse", skip_serializing_if = "Option::is_none")]
    warehouse: Option<String>,
    #[serde(rename = "madini:destination", skip_serializing_if = "Option::is_none")]
    destination: Option<Country>,
    #[serde(rename = "madini:reason", skip_serializing_if = "Option::is_none")]
    reason: Option<LongText>,
    #[serde(rename = "madini:correction", skip_serializing_if = "Option::is_none")]
    correction: Option<CorrectionExt>,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Qty {
    epc_class: String,
    quantity: Dec,
    uom: &'static str,
}

#[derive(Clone, Debug, Serialize)]
struct Loc {
    id: String,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct BizTx {
    #[serde(rename = "type")]
    kind: &'static str,
    biz_transaction: String,
}

#[derive(Clone, Debug, Serialize)]
struct Src {
    #[serde(rename = "type")]
    kind: &'static str,
    source: String,
}

#[derive(Clone, Debug, Serialize)]
struct Dst {
    #[serde(rename = "type")]
    kind: &'static str,
    destination: String,
}

#[derive(Clone, Debug, Serialize)]
struct Ilmd {
    #[serde(rename = "madini:mineral")]
    mineral: &'static str,
    #[serde(rename = "madini:site", skip_serializing_if = "Option::is_none")]
    site: Option<String>,
    #[serde(rename = "madini:tag", skip_serializing_if = "Option::is_none")]
    tag: Option<String>,
    #[serde(rename = "madini:miner", skip_serializing_if = "Option::is_none")]
    miner: Option<Text>,
    #[serde(rename = "madini:packages", skip_serializing_if = "Option::is_none")]
    packages: Option<u16>,
    #[serde(rename = "madini:method", skip_serializing_if = "Option::is_none")]
    method: Option<Text>,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct ErrorDecl {
    declaration_time: String,
    reason: &'static str,
    #[serde(rename = "correctiveEventIDs")]
    corrective_event_ids: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct EntryRef {
    origin: String,
    index: u64,
    leaf_hash: Hash,
    event_hash: Hash,
    event_type: &'static str,
    signer: String,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Fig {
    lot: String,
    mass_g: u64,
    grade_bp: u16,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct TaxExt {
    #[serde(rename = "type")]
    kind: Text,
    amount_minor: u64,
    amount: Dec,
    currency: Currency,
    authority: Text,
    receipt: Text,
    paid: String,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct TransportExt {
    from: Text,
    to: Text,
    departed: String,
    arrived: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    carrier: Option<Text>,
    #[serde(skip_serializing_if = "Option::is_none")]
    method: Option<Text>,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct CorrectionExt {
    corrects: Hash,
    #[serde(rename = "correctsEventID", skip_serializing_if = "Option::is_none")]
    corrects_event_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    mass_g: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    grade_bp: Option<u16>,
    reason: LongText,
}

impl Ev {
    fn new(kind: &'static str, e: &Entry, part: usize, origin: &str) -> Ev {
        Ev {
            kind,
            event_id: event_id(&e.leaf_hash, part),
            event_time: rfc3339_ms(e.event.time.0),
            record_time: rfc3339_ms(e.record_time),
            event_time_zone_offset: "+00:00",
            action: None,
            parent_id: None,
            epc_list: None,
            child_epcs: None,
            quantity_list: None,
            input_epc_list: None,
            input_quantity_list: None,
            output_epc_list: None,
            output_quantity_list: None,
            biz_step: None,
            disposition: None,
            read_point: None,
            biz_location: None,
            biz_transaction_list: None,
            source_list: None,
            destination_list: None,
            certification_info: None,
            ilmd: None,
            error_declaration: None,
            entry: EntryRef {
                origin: origin.to_string(),
                index: e.index,
                leaf_hash: e.leaf_hash,
                event_hash: e.event_hash,
                event_type: e.event.type_name(),
                signer: match &e.signer {
                    Signer::Actor(a) => urn(origin, "actor", a),
                    Signer::Log => "log".to_string(),
                    Signer::Anonymous => "anonymous".to_string(),
                },
            },
            figures: None,
            price: None,
            tax: None,
            transport: None,
            warehouse: None,
            destination: None,
            reason: None,
            correction: None,
        }
    }

    fn object(e: &Entry, part: usize, origin: &str, action: &'static str) -> Ev {
        let mut ev = Ev::new("ObjectEvent", e, part, origin);
        ev.action = Some(action);
        ev
    }
}

// ---------------------------------------------------------------------------
// The mapping.

/// Maps entries to EPCIS events. It must read every entry in log order (or
/// at least every entry on the lots it maps), because an event's EPCIS form
/// depends on the lot's history: an acceptance names the giver of the offer,
/// a merge states the mass of its inputs.
#[derive(Clone, Debug, Default)]
pub struct Mapper {
    origin: String,
    book: LotBook,
    keep: BTreeSet<Hash>,
    kept: HashMap<Hash, Ev>,
}

impl Mapper {
    /// A mapper that has read nothing yet.
    pub fn new() -> Mapper {
        Mapper::default()
    }

    /// A mapper that keeps the EPCIS form of the events `plan` knows to be
    /// corrected later, so that each `lot.correct` also gives the EPCIS
    /// error declaration of the event it corrects.
    pub fn for_plan(plan: &Plan) -> Mapper {
        Mapper {
            keep: plan.corrected.clone(),
            ..Mapper::default()
        }
    }

    /// The EPCIS events of the next entry, as JSON values (none for registry
    /// and incident entries). A correction's error declaration is included
    /// only for a mapper made by `for_plan`.
    pub fn events(&mut self, e: &Entry) -> Vec<Value> {
        self.step(e, true)
            .iter()
            .map(|ev| serde_json::to_value(ev).unwrap_or(Value::Null))
            .collect()
    }

    fn step(&mut self, e: &Entry, emit: bool) -> Vec<Ev> {
        if self.origin.is_empty() {
            self.origin = e.event.log.to_string();
        }
        let keep = self.keep.contains(&e.event_hash);
        let out = if emit || keep {
            self.map(e)
        } else {
            Vec::new()
        };
        if keep && let Some(first) = out.first() {
            self.kept.insert(e.event_hash, first.clone());
        }
        self.book.apply(e);
        if emit { out } else { Vec::new() }
    }

    fn lot(&self, id: &str) -> String {
        urn(&self.origin, "lot", id)
    }

    fn actor(&self, id: &str) -> String {
        urn(&self.origin, "actor", id)
    }

    fn qty(&self, lot: &str, mineral: Mineral, mass: u64) -> Qty {
        Qty {
            epc_class: urn(&self.origin, "class", &format!("{}:{lot}", mineral.code())),
            quantity: kg(mass),
            uom: "KGM",
        }
    }

    fn parties(&self, who: &Id) -> (Vec<Src>, Vec<Dst>) {
        let a = self.actor(who);
        (
            vec![
                Src {
                    kind: "owning_party",
                    source: a.clone(),
                },
                Src {
                    kind: "possessing_party",
                    source: a.clone(),
                },
            ],
            vec![
                Dst {
                    kind: "owning_party",
                    destination: a.clone(),
                },
                Dst {
                    kind: "possessing_party",
                    destination: a,
                },
            ],
        )
    }

    fn place(&self, p: &Place) -> String {
        match p.point() {
            Some(pt) => geo(pt),
            None => urn(&self.origin, "place", &pct(&p.name)),
        }
    }

    fn sale(&self, offer: &Hash) -> BizTx {
        BizTx {
            kind: "po",
            biz_transaction: urn(&self.origin, "sale", &offer.to_hex()),
        }
    }

    fn mineral_of(&self, lot: &str) -> Mineral {
        self.book
            .get(lot)
            .map_or(Mineral::Cassiterite, |l| l.mineral)
    }

    fn map(&self, e: &Entry) -> Vec<Ev> {
        let o = self.origin.as_str();
        match &e.event.body {
            Body::LotRegister(b) => {
                let mut ev = Ev::object(e, 0, o, "ADD");
                ev.epc_list = Some(vec![self.lot(&b.lot)]);
                ev.quantity_list = Some(vec![self.qty(&b.lot, b.mineral, b.mass_g.0)]);
                ev.biz_step = Some("commissioning");
                ev.disposition = Some("active");
                ev.read_point = b.gps.map(|p| Loc { id: geo(p) });
                ev.biz_location = Some(Loc {
                    id: urn(o, "site", &b.site),
                });
                ev.ilmd = Some(Ilmd {
                    mineral: b.mineral.code(),
                    site: Some(urn(o, "site", &b.site)),
                    tag: Some(urn(o, "tag", &b.tag)),
                    miner: b.miner.clone(),
                    packages: b.packages.map(|p| p.0),
                    method: None,
                });
                ev.figures = Some(vec![Fig {
                    lot: self.lot(&b.lot),
                    mass_g: b.mass_g.0,
                    grade_bp: b.grade_bp.0,
                }]);
                let mut tag = Ev::new("AssociationEvent", e, 1, o);
                tag.action = Some("ADD");
                tag.parent_id = Some(self.lot(&b.lot));
                tag.child_epcs = Some(vec![urn(o, "tag", &b.tag)]);
                tag.biz_step = Some("assembling");
                tag.disposition = Some("active");
                tag.biz_location = ev.biz_location.clone();
                vec![ev, tag]
            }
            Body::LotOffer(b) => {
                let Some(l) = self.book.get(&b.lot) else {
                    return Vec::new();
                };
                let (src, _) = self.parties(&l.custodian);
                let (_, dst) = self.parties(&b.to);
                let mut ev = Ev::object(e, 0, o, "OBSERVE");
                ev.epc_list = Some(vec![self.lot(&b.lot)]);
                ev.quantity_list = Some(vec![self.qty(&b.lot, l.mineral, b.mass_g.0)]);
                ev.biz_step = Some("shipping");
                ev.disposition = Some("in_transit");
                ev.source_list = Some(src);
                ev.destination_list = Some(dst);
                ev.figures = Some(vec![Fig {
                    lot: self.lot(&b.lot),
                    mass_g: b.mass_g.0,
                    grade_bp: b.grade_bp.0,
                }]);
                let mut out = Vec::new();
                if let Some(price) = &b.price {
                    ev.biz_transaction_list = Some(vec![self.sale(&e.event_hash)]);
                    ev.price = Some(price.clone());
                    let mut tx = Ev::new("TransactionEvent", e, 1, o);
                    tx.action = Some("ADD");
                    tx.biz_transaction_list = Some(vec![self.sale(&e.event_hash)]);
                    tx.epc_list = ev.epc_list.clone();
                    tx.quantity_list = ev.quantity_list.clone();
                    tx.source_list = Some(vec![Src {
                        kind: "owning_party",
                        source: self.actor(&l.custodian),
                    }]);
                    tx.destination_list = Some(vec![Dst {
                        kind: "owning_party",
                        destination: self.actor(&b.to),
                    }]);
                    tx.price = Some(price.clone());
                    out.push(ev);
                    out.push(tx);
                } else {
                    out.push(ev);
                }
                out
            }
            Body::LotAccept(b) => {
                let Some(l) = self.book.get(&b.lot) else {
                    return Vec::new();
                };
                let mut ev = Ev::object(e, 0, o, "OBSERVE");
                ev.epc_list = Some(vec![self.lot(&b.lot)]);
                ev.quantity_list = Some(vec![self.qty(&b.lot, l.mineral, b.mass_g.0)]);
                ev.biz_step = Some("receiving");
                ev.disposition = Some("in_progress");
                if let Some(p) = &l.pending {
                    ev.source_list = Some(self.parties(&p.giver).0);
                    ev.destination_list = Some(self.parties(&p.to).1);
                    if p.price.is_some() {
                        ev.biz_transaction_list = Some(vec![self.sale(&p.offer)]);
                    }
                }
                ev.figures = Some(vec![Fig {
                    lot: self.lot(&b.lot),
                    mass_g: b.mass_g.0,
                    grade_bp: b.grade_bp.0,
                }]);
                vec![ev]
            }
            Body::LotRefuse(b) => {
                let pending = self.book.get(&b.lot).and_then(|l| l.pending.as_ref());
                let mut ev = Ev::object(e, 0, o, "OBSERVE");
                ev.epc_list = Some(vec![self.lot(&b.lot)]);
                ev.biz_step = Some("void_shipping");
                ev.disposition = Some("in_progress");
                ev.reason = Some(b.reason.clone());
                let mut out = vec![ev];
                if let Some(p) = pending.filter(|p| p.price.is_some()) {
                    let mut tx = Ev::new("TransactionEvent", e, 1, o);
                    tx.action = Some("DELETE");
                    tx.biz_transaction_list = Some(vec![self.sale(&p.offer)]);
                    tx.epc_list = Some(vec![self.lot(&b.lot)]);
                    out.push(tx);
                }
                out
            }
            Body::LotSplit(b) => {
                let Some(l) = self.book.get(&b.lot) else {
                    return Vec::new();
                };
                let mut ev = Ev::new("TransformationEvent", e, 0, o);
                ev.input_epc_list = Some(vec![self.lot(&b.lot)]);
                ev.input_quantity_list = Some(vec![self.qty(&b.lot, l.mineral, l.mass)]);
                ev.output_epc_list = Some(b.children.iter().map(|c| self.lot(&c.lot)).collect());
                ev.output_quantity_list = Some(
                    b.children
                        .iter()
                        .map(|c| self.qty(&c.lot, l.mineral, c.mass_g.0))
                        .collect(),
                );
                ev.biz_step = Some("repackaging");
                ev.disposition = Some("active");
                ev.ilmd = Some(ilmd_mineral(l.mineral, None));
                ev.figures = Some(
                    b.children
                        .iter()
                        .map(|c| Fig {
                            lot: self.lot(&c.lot),
                            mass_g: c.mass_g.0,
                            grade_bp: c.grade_bp.0,
                        })
                        .collect(),
                );
                vec![ev]
            }
            Body::LotMerge(b) => {
                vec![self.combine(e, &b.inputs, &b.lot, (b.mass_g, b.grade_bp), None)]
            }
            Body::LotProcess(b) => vec![self.combine(
                e,
                &b.inputs,
                &b.lot,
                (b.mass_g, b.grade_bp),
                Some(&b.method),
            )],
            Body::LotTransport(b) => {
                let mut ev = Ev::object(e, 0, o, "OBSERVE");
                ev.epc_list = Some(vec![self.lot(&b.lot)]);
                ev.biz_step = Some("transporting");
                ev.disposition = Some("in_transit");
                ev.source_list = Some(vec![Src {
                    kind: "location",
                    source: self.place(&b.from),
                }]);
                ev.destination_list = Some(vec![Dst {
                    kind: "location",
                    destination: self.place(&b.to),
                }]);
                ev.transport = Some(TransportExt {
                    from: b.from.name.clone(),
                    to: b.to.name.clone(),
                    departed: rfc3339_ms(b.departed.0),
                    arrived: rfc3339_ms(b.arrived.0),
                    carrier: b.carrier.clone(),
                    method: b.method.clone(),
                });
                vec![ev]
            }
            Body::LotStore(b) => {
                let mut ev = Ev::object(e, 0, o, "OBSERVE");
                ev.epc_list = Some(vec![self.lot(&b.lot)]);
                ev.biz_step = Some("storing");
                ev.biz_location = Some(Loc {
                    id: self.place(&b.place),
                });
                ev.warehouse = b.warehouse.as_ref().map(|w| self.actor(w));
                vec![ev]
            }
            Body::LotTax(b) => {
                let t = &b.tax;
                let mut ev = Ev::object(e, 0, o, "OBSERVE");
                ev.epc_list = Some(vec![self.lot(&b.lot)]);
                ev.biz_step = Some(BIZSTEP_TAX);
                ev.biz_transaction_list = Some(vec![BizTx {
                    kind: BTT_TAX_RECEIPT,
                    biz_transaction: urn(o, "tax-receipt", &pct(&t.receipt)),
                }]);
                ev.tax = Some(TaxExt {
                    kind: t.kind.clone(),
                    amount_minor: t.amount.0,
                    amount: Dec(
                        i128::from(t.amount.0),
                        units::currency_exponent(t.currency.as_str()),
                    ),
                    currency: t.currency.clone(),
                    authority: t.authority.clone(),
                    receipt: t.receipt.clone(),
                    paid: rfc3339_ms(t.paid.0),
                });
                vec![ev]
            }
            Body::LotExport(b) => {
                let mineral = self.mineral_of(&b.lot);
                let exporter = e.actor().cloned().unwrap_or_else(|| b.lot.clone());
                let mut ev = Ev::object(e, 0, o, "OBSERVE");
                ev.epc_list = Some(vec![self.lot(&b.lot)]);
                ev.quantity_list = Some(vec![self.qty(&b.lot, mineral, b.mass_g.0)]);
                ev.biz_step = Some("shipping");
                ev.disposition = Some("in_transit");
                ev.source_list = Some(self.parties(&exporter).0);
                let cert = urn(o, "cert", &b.cert);
                ev.biz_transaction_list = Some(vec![BizTx {
                    kind: "cert",
                    biz_transaction: cert.clone(),
                }]);
                ev.certification_info = Some(cert);
                ev.destination = Some(b.destination.clone());
                ev.figures = self.book.get(&b.lot).map(|l| {
                    vec![Fig {
                        lot: self.lot(&b.lot),
                        mass_g: b.mass_g.0,
                        grade_bp: l.grade,
                    }]
                });
                vec![ev]
            }
            Body::LotCorrect(b) => {
                let mineral = self.mineral_of(&b.lot);
                let original = self.kept.get(&b.corrects);
                let mut ev = Ev::object(e, 0, o, "OBSERVE");
                ev.epc_list = Some(vec![self.lot(&b.lot)]);
                ev.quantity_list = b.mass_g.map(|m| vec![self.qty(&b.lot, mineral, m.0)]);
                ev.correction = Some(CorrectionExt {
                    corrects: b.corrects,
                    corrects_event_id: original.map(|x| x.event_id.clone()),
                    mass_g: b.mass_g.map(|m| m.0),
                    grade_bp: b.grade_bp.map(|g| g.0),
                    reason: b.reason.clone(),
                });
                let mut out = Vec::new();
                let corrective = ev.event_id.clone();
                out.push(ev);
                if let Some(orig) = original {
                    let mut copy = orig.clone();
                    copy.error_declaration = Some(ErrorDecl {
                        declaration_time: rfc3339_ms(e.event.time.0),
                        reason: "incorrect_data",
                        corrective_event_ids: vec![corrective],
                    });
                    out.push(copy);
                }
                out
            }
            _ => Vec::new(),
        }
    }

    fn combine(
        &self,
        e: &Entry,
        inputs: &[Input],
        out: &Id,
        figures: (Grams, Grade),
        method: Option<&Text>,
    ) -> Ev {
        let mineral = inputs
            .first()
            .map_or(Mineral::Cassiterite, |i| self.mineral_of(&i.lot));
        let mut ev = Ev::new("TransformationEvent", e, 0, &self.origin);
        ev.input_epc_list = Some(inputs.iter().map(|i| self.lot(&i.lot)).collect());
        ev.input_quantity_list = Some(
            inputs
                .iter()
                .filter_map(|i| {
                    self.book
                        .get(&i.lot)
                        .map(|l| self.qty(&i.lot, l.mineral, l.mass))
                })
                .collect(),
        );
        ev.output_epc_list = Some(vec![self.lot(out)]);
        ev.output_quantity_list = Some(vec![self.qty(out, mineral, figures.0.0)]);
        ev.biz_step = Some(if method.is_some() {
            "commissioning"
        } else {
            "repackaging"
        });
        ev.disposition = Some("active");
        ev.ilmd = Some(ilmd_mineral(mineral, method.cloned()));
        ev.figures = Some(vec![Fig {
            lot: self.lot(out),
            mass_g: figures.0.0,
            grade_bp: figures.1.0,
        }]);
        ev
    }
}

fn ilmd_mineral(mineral: Mineral, method: Option<Text>) -> Ilmd {
    Ilmd {
        mineral: mineral.code(),
        site: None,
        tag: None,
        miner: None,
        packages: None,
        method,
    }
}

/// An RFC 5870 `geo:` URI.
fn geo(p: Point) -> String {
    format!(
        "geo:{},{}",
        units::decimal_text(i128::from(p.lat_e6.0), 6),
        units::decimal_text(i128::from(p.lon_e6.0), 6)
    )
}

// ---------------------------------------------------------------------------
// The document.

/// What a written document holds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Entries read (entries skipped undecoded by `Exporter::wants` are not counted).
    pub entries: u64,
    /// Entries selected.
    pub selected: u64,
    /// EPCIS events written.
    pub events: u64,
}

/// Writes one `EPCISDocument`: `begin`, then `entry` for every entry in log
/// order, then `end`. The output is deterministic: the same entries, header
/// and plan give the same bytes.
pub struct Exporter {
    header: Header,
    plan: Plan,
    mapper: Mapper,
    summary: Summary,
    buf: Vec<u8>,
}

impl Exporter {
    /// An exporter for the plan made by the first pass.
    pub fn new(header: Header, plan: Plan) -> Exporter {
        let mapper = Mapper::for_plan(&plan);
        Exporter {
            header,
            plan,
            mapper,
            summary: Summary::default(),
            buf: Vec::with_capacity(4096),
        }
    }

    /// Writes the document header and opens the event list.
    ///
    /// # Errors
    /// The sink's error.
    pub fn begin<W: fmt::Write + ?Sized>(&mut self, out: &mut W) -> fmt::Result {
        let origin = self.header.origin.as_str();
        let selection = match &self.plan.selection {
            Selection::All => serde_json::json!("all"),
            Selection::Lot(l) => serde_json::json!({"lot": l}),
            Selection::Window { from, to } => serde_json::json!({
                "recordTimeFrom": rfc3339_ms(*from),
                "recordTimeTo": rfc3339_ms(*to),
            }),
        };
        let instance = match &self.plan.selection {
            Selection::All => format!("{origin}:all"),
            Selection::Lot(l) => format!("{origin}:lot:{l}"),
            Selection::Window { from, to } => format!("{origin}:window:{from}-{to}"),
        };
        let log = serde_json::json!({"origin": origin, "selection": selection});
        write!(
            out,
            "{{\"@context\":[{},{{\"madini\":{}}}],\"type\":\"EPCISDocument\",\"schemaVersion\":\"2.0\",\"creationDate\":{},\"instanceIdentifier\":{},\"madini:log\":{},\"epcisBody\":{{\"eventList\":[",
            Value::from(CONTEXT_EPCIS),
            Value::from(MADINI_NS),
            Value::from(rfc3339_ms(self.header.created)),
            Value::from(instance),
            super::to_json(&log),
        )
    }

    /// Whether the exporter reads events of this type (for
    /// `EntryReader::read_if`): only lot events have an EPCIS form or
    /// change what a later one says.
    pub fn wants(event_type: &str) -> bool {
        event_type.starts_with("lot.")
    }

    /// Reads the next entry and writes its events if the plan selects it.
    ///
    /// # Errors
    /// The sink's error.
    pub fn entry<W: fmt::Write + ?Sized>(&mut self, e: &Entry, out: &mut W) -> fmt::Result {
        self.summary.entries += 1;
        let selected = self.plan.selects(e);
        if selected {
            self.summary.selected += 1;
        }
        for ev in self.mapper.step(e, selected) {
            self.buf.clear();
            serde_json::to_writer(&mut self.buf, &ev).map_err(|_| fmt::Error)?;
            if self.summary.events > 0 {
                out.write_char(',')?;
            }
            out.write_str(std::str::from_utf8(&self.buf).map_err(|_| fmt::Error)?)?;
            self.summary.events += 1;
        }
        Ok(())
    }

    /// Closes the event list and the document.
    ///
    /// # Errors
    /// The sink's error.
    pub fn end<W: fmt::Write + ?Sized>(self, out: &mut W) -> Result<Summary, fmt::Error> {
        out.write_str("]}}\n")?;
        Ok(self.summary)
    }
}

/// Why a document could not be written.
#[derive(Debug)]
#[non_exhaustive]
pub enum ExportError<E> {
    /// The leaf source failed.
    Source(E),
    /// A leaf could not be read.
    Entry(EntryError),
    /// The sink failed.
    Write,
}

impl<E: fmt::Display> fmt::Display for ExportError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExportError::Source(e) => write!(f, "reading the log failed: {e}"),
            ExportError::Entry(e) => write!(f, "{e}"),
            ExportError::Write => f.write_str("writing the document failed"),
        }
    }
}

impl<E: fmt::Debug + fmt::Display> std::error::Error for ExportError<E> {}

/// The first pass over a leaf source.
///
/// # Errors
/// `ExportError` for a failing source or a leaf that does not decode.
pub fn plan<I, L, E>(selection: Selection, leaves: I) -> Result<Plan, ExportError<E>>
where
    I: IntoIterator<Item = Result<(u64, L), E>>,
    L: AsRef<[u8]>,
{
    let mut planner = Planner::new(selection);
    for item in leaves {
        let (i, l) = item.map_err(ExportError::Source)?;
        planner.leaf(i, l.as_ref()).map_err(ExportError::Entry)?;
    }
    Ok(planner.finish())
}

/// Writes a whole document for `selection` from a leaf source that can be
/// read twice (`leaves` is called once per pass and must give the same
/// leaves, in index order, each time).
///
/// # Errors
/// `ExportError` for a failing source, a leaf that does not decode, or a
/// failing sink.
pub fn write_document<W, F, I, L, E>(
    out: &mut W,
    header: &Header,
    selection: Selection,
    mut leaves: F,
) -> Result<Summary, ExportError<E>>
where
    W: fmt::Write + ?Sized,
    F: FnMut() -> I,
    I: IntoIterator<Item = Result<(u64, L), E>>,
    L: AsRef<[u8]>,
{
    let plan = plan(selection, leaves())?;
    let mut reader = EntryReader::new();
    let mut ex = Exporter::new(header.clone(), plan);
    ex.begin(out).map_err(|_| ExportError::Write)?;
    for item in leaves() {
        let (i, l) = item.map_err(ExportError::Source)?;
        let e = reader
            .read_if(i, l.as_ref(), Exporter::wants)
            .map_err(ExportError::Entry)?;
        if let Some(e) = e {
            ex.entry(&e, out).map_err(|_| ExportError::Write)?;
        }
    }
    ex.end(out).map_err(|_| ExportError::Write)
}

/// The second pass as an iterator of string chunks of about `chunk` bytes
/// (header first, closing bracket last), for a server that streams the
/// document as it is produced.
pub struct Chunks<I> {
    exporter: Option<Exporter>,
    reader: EntryReader,
    leaves: I,
    chunk: usize,
    started: bool,
}

/// Streams the document for `plan` (from `plan()`) over a fresh pass of the
/// leaves.
pub fn chunks<I>(header: Header, plan: Plan, leaves: I, chunk: usize) -> Chunks<I::IntoIter>
where
    I: IntoIterator,
{
    Chunks {
        exporter: Some(Exporter::new(header, plan)),
        reader: EntryReader::new(),
        leaves: leaves.into_iter(),
        chunk: chunk.max(1),
        started: false,
    }
}

impl<I, L, E> Iterator for Chunks<I>
where
    I: Iterator<Item = Result<(u64, L), E>>,
    L: AsRef<[u8]>,
{
    type Item = Result<String, ExportError<E>>;

    fn next(&mut self) -> Option<Self::Item> {
        let ex = self.exporter.as_mut()?;
        let mut s = String::new();
        if !self.started {
            self.started = true;
            if ex.begin(&mut s).is_err() {
                self.exporter = None;
                return Some(Err(ExportError::Write));
            }
        }
        while s.len() < self.chunk {
            match self.leaves.next() {
                Some(Ok((i, l))) => {
                    let e = match self.reader.read_if(i, l.as_ref(), Exporter::wants) {
                        Ok(Some(e)) => e,
                        Ok(None) => continue,
                        Err(err) => {
                            self.exporter = None;
                            return Some(Err(ExportError::Entry(err)));
                        }
                    };
                    if ex.entry(&e, &mut s).is_err() {
                        self.exporter = None;
                        return Some(Err(ExportError::Write));
                    }
                }
                Some(Err(err)) => {
                    self.exporter = None;
                    return Some(Err(ExportError::Source(err)));
                }
                None => {
                    let done = self.exporter.take()?;
                    return Some(done.end(&mut s).map(|_| s).map_err(|_| ExportError::Write));
                }
            }
        }
        Some(Ok(s))
    }
}
