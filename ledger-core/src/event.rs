//! Events (`spec/events.md`): the typed body of every event type, and the
//! paired `Event::decode` / `Event::encode` between typed events and their
//! canonical signed bytes.

use std::collections::BTreeSet;
use std::fmt;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::crypto::{KeyId, PublicKey};
use crate::hash::{Hash, sha256};
use crate::jcs::{self, JcsError};
use crate::types::*;

/// The only event format version.
pub const EVENT_VERSION: u64 = 1;

/// The largest event, 65 430 bytes: a leaf is at most 65 535 bytes
/// (`leaf::MAX_LEAF_BYTES`) and its header takes 105.
pub const MAX_EVENT_BYTES: usize = crate::leaf::MAX_LEAF_BYTES - crate::leaf::LEAF_HEADER;

/// An event: the fields every event has, and its typed body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    /// Origin of the log the event is meant for.
    pub log: Origin,
    /// Id of the signing key.
    pub key: KeyId,
    /// When the signer says it happened.
    pub time: Millis,
    /// The type-specific part.
    pub body: Body,
}

/// Why bytes are not a valid event.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum DecodeError {
    /// Larger than `MAX_EVENT_BYTES`.
    TooLarge(usize),
    /// Not canonical JSON.
    NotCanonical(JcsError),
    /// `type` names no event type.
    UnknownType(String),
    /// `v` is not 1.
    UnsupportedVersion(u64),
    /// A field is missing, unknown, of the wrong type or breaks its rule.
    Invalid {
        /// Where: a path such as `children[1].mass_g`, or `$` for the whole event.
        path: String,
        /// What is wrong.
        message: String,
    },
}

impl DecodeError {
    /// The rule id of `spec/events.md` section 7.
    pub fn rule(&self) -> &'static str {
        match self {
            DecodeError::UnsupportedVersion(_) => "unsupported-version",
            _ => "invalid-event",
        }
    }

    fn invalid(path: impl Into<String>, message: impl Into<String>) -> DecodeError {
        DecodeError::Invalid {
            path: path.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::TooLarge(n) => write!(
                f,
                "event is {n} bytes; the largest allowed is {MAX_EVENT_BYTES}"
            ),
            DecodeError::NotCanonical(e) => write!(f, "event is not canonical JSON: {e}"),
            DecodeError::UnknownType(t) => write!(f, "field `type`: unknown event type {t:?}"),
            DecodeError::UnsupportedVersion(v) => {
                write!(
                    f,
                    "field `v`: event version {v} is not supported (expected 1)"
                )
            }
            DecodeError::Invalid { path, message } => write!(f, "field `{path}`: {message}"),
        }
    }
}

impl std::error::Error for DecodeError {}

macro_rules! bodies {
    ($( $variant:ident($ty:ident) = $name:literal ),* $(,)?) => {
        /// The type-specific part of an event, one variant per event type.
        #[derive(Clone, Debug, PartialEq, Eq)]
        #[allow(missing_docs)]
        pub enum Body {
            $( $variant($ty), )*
        }

        /// Every event type name, in the order of `spec/events.md`.
        pub const EVENT_TYPES: &[&str] = &[$($name),*];

        impl Body {
            /// The `type` string.
            pub fn type_name(&self) -> &'static str {
                match self { $( Body::$variant(_) => $name, )* }
            }

            /// The position of the type in `EVENT_TYPES` (and in the
            /// authorisation table, `crate::authz::TABLE`).
            pub fn type_index(&self) -> usize {
                let mut i = 0usize;
                $(
                    if let Body::$variant(_) = self {
                        return i;
                    }
                    i += 1;
                )*
                i
            }

            fn to_map(&self) -> Result<Map<String, Value>, jcs::EncodeError> {
                let v = match self {
                    $( Body::$variant(b) => serde_json::to_value(b), )*
                }
                .map_err(|e| jcs::EncodeError::Serialize(e.to_string()))?;
                match v {
                    Value::Object(m) => Ok(m),
                    _ => Err(jcs::EncodeError::Serialize("body is not an object".into())),
                }
            }

            fn from_map(type_name: &str, map: Map<String, Value>) -> Result<Body, DecodeError> {
                match type_name {
                    $( $name => Ok(Body::$variant(typed(map)?)), )*
                    other => Err(DecodeError::UnknownType(other.to_string())),
                }
            }

            fn validate(&self) -> Result<(), DecodeError> {
                match self { $( Body::$variant(b) => b.validate(), )* }
            }
        }
    };
}

bodies! {
    Genesis(Genesis) = "genesis",
    ActorRegister(ActorRegister) = "actor.register",
    ActorUpdate(ActorUpdate) = "actor.update",
    KeyRotate(KeyRotate) = "key.rotate",
    KeyRevoke(KeyRevoke) = "key.revoke",
    LicenceGrant(LicenceGrant) = "licence.grant",
    SiteRegister(SiteRegister) = "site.register",
    SiteUpdate(SiteUpdate) = "site.update",
    SiteInspect(SiteInspect) = "site.inspect",
    SiteStatus(SiteStatus) = "site.status",
    TagsAllocate(TagsAllocate) = "tags.allocate",
    CertRequest(CertRequest) = "cert.request",
    CertIssue(CertIssue) = "cert.issue",
    LotRegister(LotRegister) = "lot.register",
    LotOffer(LotOffer) = "lot.offer",
    LotAccept(LotAccept) = "lot.accept",
    LotRefuse(LotRefuse) = "lot.refuse",
    LotSplit(LotSplit) = "lot.split",
    LotMerge(LotMerge) = "lot.merge",
    LotProcess(LotProcess) = "lot.process",
    LotTransport(LotTransport) = "lot.transport",
    LotStore(LotStore) = "lot.store",
    LotTax(LotTax) = "lot.tax",
    LotExport(LotExport) = "lot.export",
    LotCorrect(LotCorrect) = "lot.correct",
    IncidentReport(IncidentReport) = "incident.report",
    IncidentStatus(IncidentStatus) = "incident.status",
}

fn typed<T: DeserializeOwned>(map: Map<String, Value>) -> Result<T, DecodeError> {
    serde_path_to_error::deserialize(Value::Object(map)).map_err(|e| {
        let path = e.path().to_string();
        let path = if path == "." { "$".to_string() } else { path };
        DecodeError::invalid(path, e.into_inner().to_string())
    })
}

impl Event {
    /// Decodes and checks an event from its signed bytes: size, canonical JSON,
    /// common fields, the type's fields and their rules (`spec/events.md` sections 1
    /// and 3, rule 1). Signature and ledger rules are checked elsewhere.
    ///
    /// # Errors
    /// A `DecodeError` that names the byte offset or field.
    pub fn decode(bytes: &[u8]) -> Result<Event, DecodeError> {
        if bytes.len() > MAX_EVENT_BYTES {
            return Err(DecodeError::TooLarge(bytes.len()));
        }
        jcs::check(bytes).map_err(DecodeError::NotCanonical)?;
        let value: Value =
            serde_json::from_slice(bytes).map_err(|e| DecodeError::invalid("$", e.to_string()))?;
        let Value::Object(mut map) = value else {
            return Err(DecodeError::invalid("$", "an event is a JSON object"));
        };
        let type_name = match map.remove("type") {
            Some(Value::String(s)) => s,
            Some(_) => return Err(DecodeError::invalid("type", "must be a string")),
            None => return Err(DecodeError::invalid("type", "missing field")),
        };
        if !EVENT_TYPES.contains(&type_name.as_str()) {
            return Err(DecodeError::UnknownType(type_name));
        }
        let v = match map.remove("v") {
            Some(Value::Number(n)) => n
                .as_u64()
                .ok_or_else(|| DecodeError::invalid("v", "must be the integer 1"))?,
            Some(_) => return Err(DecodeError::invalid("v", "must be the integer 1")),
            None => return Err(DecodeError::invalid("v", "missing field")),
        };
        if v != EVENT_VERSION {
            return Err(DecodeError::UnsupportedVersion(v));
        }
        let log: Origin = take_field(&mut map, "log")?;
        let key: KeyId = take_field(&mut map, "key")?;
        let time: Millis = take_field(&mut map, "time")?;
        let body = Body::from_map(&type_name, map)?;
        body.validate()?;
        Ok(Event {
            log,
            key,
            time,
            body,
        })
    }

    /// The canonical bytes of this event: what gets signed.
    ///
    /// # Errors
    /// Only if a field cannot be represented (which typed events never do).
    pub fn encode(&self) -> Result<Vec<u8>, jcs::EncodeError> {
        let mut map = self.body.to_map()?;
        map.insert("type".into(), Value::from(self.body.type_name()));
        map.insert("v".into(), Value::from(EVENT_VERSION));
        map.insert("log".into(), Value::from(self.log.as_str()));
        map.insert("key".into(), Value::from(self.key.to_string()));
        map.insert("time".into(), Value::from(self.time.0));
        jcs::encode(&Value::Object(map))
    }

    /// The `type` string.
    pub fn type_name(&self) -> &'static str {
        self.body.type_name()
    }
}

fn take_field<T: DeserializeOwned>(
    map: &mut Map<String, Value>,
    name: &str,
) -> Result<T, DecodeError> {
    let v = map
        .remove(name)
        .ok_or_else(|| DecodeError::invalid(name, "missing field"))?;
    serde_json::from_value(v).map_err(|e| DecodeError::invalid(name, e.to_string()))
}

/// How an event stands in one lot's hash chain.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LotLink {
    /// The event does not touch the lot.
    None,
    /// The event creates the lot (its chain starts here).
    Creates,
    /// The event follows this previous head of the lot.
    Follows(Hash),
}

impl Event {
    /// Where this event stands in `lot`'s chain (`spec/events.md` section 5).
    pub fn lot_link(&self, lot: &str) -> LotLink {
        let follows = |id: &Id, prev: &Hash| {
            if id.as_str() == lot {
                LotLink::Follows(*prev)
            } else {
                LotLink::None
            }
        };
        let inputs = |inputs: &[Input], out: &Id| {
            if out.as_str() == lot {
                return LotLink::Creates;
            }
            inputs
                .iter()
                .find(|i| i.lot.as_str() == lot)
                .map_or(LotLink::None, |i| LotLink::Follows(i.prev))
        };
        match &self.body {
            Body::LotRegister(b) if b.lot.as_str() == lot => LotLink::Creates,
            Body::LotOffer(b) => follows(&b.lot, &b.prev),
            Body::LotAccept(b) => follows(&b.lot, &b.prev),
            Body::LotRefuse(b) => follows(&b.lot, &b.prev),
            Body::LotSplit(b) => {
                if b.children.iter().any(|c| c.lot.as_str() == lot) {
                    LotLink::Creates
                } else {
                    follows(&b.lot, &b.prev)
                }
            }
            Body::LotMerge(b) => inputs(&b.inputs, &b.lot),
            Body::LotProcess(b) => inputs(&b.inputs, &b.lot),
            Body::LotTransport(b) => follows(&b.lot, &b.prev),
            Body::LotStore(b) => follows(&b.lot, &b.prev),
            Body::LotTax(b) => follows(&b.lot, &b.prev),
            Body::LotExport(b) => follows(&b.lot, &b.prev),
            Body::LotCorrect(b) => follows(&b.lot, &b.prev),
            _ => LotLink::None,
        }
    }
}

/// The event hash: SHA-256 of the event bytes (`spec/encoding.md` section 5).
pub fn event_hash(event_bytes: &[u8]) -> Hash {
    sha256(event_bytes)
}

// ---------------------------------------------------------------------------
// Validation helpers: list sizes and uniqueness, with paths.

fn check_list<T: Ord>(path: &str, items: &[T], min: usize, max: usize) -> Result<(), DecodeError> {
    if items.len() < min || items.len() > max {
        return Err(DecodeError::invalid(
            path,
            format!("must hold {min} to {max} items, found {}", items.len()),
        ));
    }
    let mut seen = BTreeSet::new();
    for (i, it) in items.iter().enumerate() {
        if !seen.insert(it) {
            return Err(DecodeError::invalid(
                format!("{path}[{i}]"),
                "duplicate item",
            ));
        }
    }
    Ok(())
}

fn check_order(path: &str, earlier: Millis, later: Millis, what: &str) -> Result<(), DecodeError> {
    if later <= earlier {
        return Err(DecodeError::invalid(path, what.to_string()));
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Shared records.

/// An actor's postal address (ICGLR MD.05, country taken from the actor).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Address {
    /// Town or village.
    pub locality: Text,
    /// ISO 3166-2 subdivision code, e.g. `CD-NK`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region_code: Option<Text>,
    /// Subdivision name, e.g. `Nord-Kivu`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<Text>,
}

/// Contact details (ICGLR MD.09).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    /// Legal representative.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub representative: Option<Text>,
    /// E.164 phone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<Phone>,
    /// E-mail.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<Text>,
}

/// An actor's profile: everything but its keys.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActorProfile {
    /// Actor id.
    pub id: Id,
    /// Legal name.
    pub name: Text,
    /// Country of registration.
    pub country: Country,
    /// Roles.
    pub roles: Vec<Role>,
    /// Tax id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tin: Option<Text>,
    /// Address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<Address>,
    /// Contact.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<Contact>,
}

impl ActorProfile {
    fn validate(&self, path: &str) -> Result<(), DecodeError> {
        check_list(&format!("{path}.roles"), &self.roles, 1, Role::ALL.len())
    }

    /// Whether the actor has `role`.
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }
}

/// An actor with its initial keys.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActorRecord {
    /// Actor id.
    pub id: Id,
    /// Legal name.
    pub name: Text,
    /// Country of registration.
    pub country: Country,
    /// Roles.
    pub roles: Vec<Role>,
    /// Public keys (1..=8).
    pub keys: Vec<PublicKey>,
    /// Tax id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tin: Option<Text>,
    /// Address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<Address>,
    /// Contact.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<Contact>,
}

impl ActorRecord {
    /// The record without its keys.
    pub fn profile(&self) -> ActorProfile {
        ActorProfile {
            id: self.id.clone(),
            name: self.name.clone(),
            country: self.country.clone(),
            roles: self.roles.clone(),
            tin: self.tin.clone(),
            address: self.address.clone(),
            contact: self.contact.clone(),
        }
    }

    fn validate(&self, path: &str) -> Result<(), DecodeError> {
        check_list(&format!("{path}.roles"), &self.roles, 1, Role::ALL.len())?;
        check_list(&format!("{path}.keys"), &self.keys, 1, 8)
    }
}

/// A point on the map.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Point {
    /// Latitude x 10^6.
    pub lat_e6: Lat,
    /// Longitude x 10^6.
    pub lon_e6: Lon,
}

/// A named place, optionally with coordinates.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Place {
    /// Name of the place.
    pub name: Text,
    /// Latitude x 10^6 (with `lon_e6`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lat_e6: Option<Lat>,
    /// Longitude x 10^6 (with `lat_e6`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lon_e6: Option<Lon>,
}

impl Place {
    /// The coordinates, when given.
    pub fn point(&self) -> Option<Point> {
        Some(Point {
            lat_e6: self.lat_e6?,
            lon_e6: self.lon_e6?,
        })
    }

    fn validate(&self, path: &str) -> Result<(), DecodeError> {
        if self.lat_e6.is_some() != self.lon_e6.is_some() {
            return Err(DecodeError::invalid(
                path,
                "give both lat_e6 and lon_e6, or neither",
            ));
        }
        Ok(())
    }
}

/// Money in minor units.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Money {
    /// Amount in minor units.
    pub amount: Minor,
    /// ISO 4217 code.
    pub currency: Currency,
}

// ---------------------------------------------------------------------------
// Registry bodies.

/// `genesis`: the log key and the first authorities.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Genesis {
    /// The log's public key (its id is the event's `key`).
    pub log_key: PublicKey,
    /// The first actors, each an authority.
    pub authorities: Vec<ActorRecord>,
}

impl Genesis {
    fn validate(&self) -> Result<(), DecodeError> {
        if self.authorities.is_empty() || self.authorities.len() > 16 {
            return Err(DecodeError::invalid(
                "authorities",
                "must hold 1 to 16 actors",
            ));
        }
        for (i, a) in self.authorities.iter().enumerate() {
            let path = format!("authorities[{i}]");
            a.validate(&path)?;
            if !a.roles.contains(&Role::Authority) {
                return Err(DecodeError::invalid(
                    format!("{path}.roles"),
                    "a genesis actor must have role authority",
                ));
            }
        }
        Ok(())
    }
}

/// `actor.register`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActorRegister {
    /// The new actor.
    pub actor: ActorRecord,
}

impl ActorRegister {
    fn validate(&self) -> Result<(), DecodeError> {
        self.actor.validate("actor")
    }
}

/// `actor.update`: a whole new profile.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActorUpdate {
    /// The replacement profile.
    pub actor: ActorProfile,
}

impl ActorUpdate {
    fn validate(&self) -> Result<(), DecodeError> {
        self.actor.validate("actor")
    }
}

/// `key.rotate`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyRotate {
    /// Whose key.
    pub actor: Id,
    /// The key being replaced.
    pub old: KeyId,
    /// The new key.
    pub new: PublicKey,
}

impl KeyRotate {
    fn validate(&self) -> Result<(), DecodeError> {
        Ok(())
    }
}

/// `key.revoke`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyRevoke {
    /// Whose key.
    pub actor: Id,
    /// The key revoked.
    pub revoked: KeyId,
    /// Why.
    pub reason: Text,
}

impl KeyRevoke {
    fn validate(&self) -> Result<(), DecodeError> {
        Ok(())
    }
}

/// MDC.04 licence types.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)]
pub enum LicenceType {
    Claim,
    ExplorationPermit,
    MiningLicense,
    ArtisanalPermit,
    Unlicensed,
    Other,
}

/// A licence (ICGLR MD.02).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Licence {
    /// Licence number.
    pub id: Id,
    /// MDC.04 type.
    #[serde(rename = "type")]
    pub kind: LicenceType,
    /// The actor holding it.
    pub holder: Id,
    /// The site it covers, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub site: Option<SiteId>,
    /// Covered minerals.
    pub minerals: Vec<Mineral>,
    /// Grant date.
    pub granted: Millis,
    /// Expiry date.
    pub expires: Millis,
}

/// `licence.grant`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LicenceGrant {
    /// The licence.
    pub licence: Licence,
}

impl LicenceGrant {
    fn validate(&self) -> Result<(), DecodeError> {
        check_list("licence.minerals", &self.licence.minerals, 1, 4)?;
        check_order(
            "licence.expires",
            self.licence.granted,
            self.licence.expires,
            "must be after granted",
        )
    }
}

/// Site location (ICGLR MD.08, simplified).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Location {
    /// Latitude x 10^6.
    pub lat_e6: Lat,
    /// Longitude x 10^6.
    pub lon_e6: Lon,
    /// ISO 3166-2 subdivision code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region_code: Option<Text>,
    /// Subdivision name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<Text>,
    /// Locality.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locality: Option<Text>,
}

impl Location {
    /// The coordinates.
    pub fn point(&self) -> Point {
        Point {
            lat_e6: self.lat_e6,
            lon_e6: self.lon_e6,
        }
    }
}

/// Assessed production capacity: at most `mass_g` per `days` days.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Capacity {
    /// Mass per window.
    pub mass_g: Grams,
    /// Window length in days.
    pub days: Days,
}

/// A mine site's profile (ICGLR MD.01).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteRecord {
    /// ICGLR id.
    pub id: SiteId,
    /// National id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub national_id: Option<Id>,
    /// Name.
    pub name: Text,
    /// Country (first letters of the id).
    pub country: Country,
    /// Where.
    pub location: Location,
    /// Minerals produced.
    pub minerals: Vec<Mineral>,
    /// MDC.02 activity.
    pub activity: Activity,
    /// Assessed capacity.
    pub capacity: Capacity,
    /// Cooperatives that may register lots here.
    pub operators: Vec<Id>,
}

impl SiteRecord {
    fn validate(&self) -> Result<(), DecodeError> {
        if self.country.as_str() != self.id.country() {
            return Err(DecodeError::invalid(
                "site.country",
                format!(
                    "must be {}, the country of site id {}",
                    self.id.country(),
                    self.id
                ),
            ));
        }
        check_list("site.minerals", &self.minerals, 1, 4)?;
        check_list("site.operators", &self.operators, 1, 32)
    }
}

/// `site.register`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteRegister {
    /// The site.
    pub site: SiteRecord,
}

impl SiteRegister {
    fn validate(&self) -> Result<(), DecodeError> {
        self.site.validate()
    }
}

/// `site.update`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteUpdate {
    /// The replacement profile.
    pub site: SiteRecord,
}

impl SiteUpdate {
    fn validate(&self) -> Result<(), DecodeError> {
        self.site.validate()
    }
}

/// An inspection (ICGLR MD.07).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Inspection {
    /// Inspection id.
    pub id: Id,
    /// Day of the inspection.
    pub date: Millis,
    /// 1 Green, 2 Yellow, 3 Red.
    pub result: InspectionResult,
    /// SHA-256 of the report.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub report_sha256: Option<Hash>,
    /// Where the report is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub report_uri: Option<Text>,
    /// Purpose.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purpose: Option<Text>,
    /// Findings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<LongText>,
}

/// `site.inspect`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteInspect {
    /// The site.
    pub site: SiteId,
    /// The inspection.
    pub inspection: Inspection,
}

impl SiteInspect {
    fn validate(&self) -> Result<(), DecodeError> {
        Ok(())
    }
}

/// `site.status`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteStatus {
    /// The site.
    pub site: SiteId,
    /// New MDC.01 status.
    pub status: CertStatus,
    /// Why.
    pub reason: LongText,
}

impl SiteStatus {
    fn validate(&self) -> Result<(), DecodeError> {
        Ok(())
    }
}

/// `tags.allocate`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TagsAllocate {
    /// The site.
    pub site: SiteId,
    /// Tag id prefix.
    pub prefix: Id,
    /// Digits of the tag number.
    pub width: TagWidth,
    /// First number.
    pub first: u64,
    /// Last number (inclusive).
    pub last: u64,
}

/// The most tags one allocation may hold.
pub const MAX_TAGS_PER_ALLOCATION: u64 = 1_000_000;

impl TagsAllocate {
    fn validate(&self) -> Result<(), DecodeError> {
        let limit = 10u64.pow(u32::from(self.width.0));
        if self.first > self.last {
            return Err(DecodeError::invalid("last", "must not be below first"));
        }
        if self.last >= limit {
            return Err(DecodeError::invalid(
                "last",
                format!("does not fit in {} digits", self.width.0),
            ));
        }
        if self.last - self.first >= MAX_TAGS_PER_ALLOCATION {
            return Err(DecodeError::invalid(
                "last",
                "one allocation holds at most 1000000 tags",
            ));
        }
        TagId::compose(self.prefix.as_str(), self.width.0, self.first)
            .map_err(|e| DecodeError::invalid("prefix", e.0))?;
        Ok(())
    }

    /// Number of tags in the range.
    pub fn count(&self) -> u64 {
        self.last - self.first + 1
    }
}

/// A certificate request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Request {
    /// Request id.
    pub id: Id,
    /// Lots to export.
    pub lots: Vec<Id>,
    /// Mineral.
    pub mineral: Mineral,
    /// Mass to export.
    pub mass_g: Grams,
    /// Destination country.
    pub destination: Country,
}

/// `cert.request`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CertRequest {
    /// The request.
    pub request: Request,
}

impl CertRequest {
    fn validate(&self) -> Result<(), DecodeError> {
        check_list("request.lots", &self.request.lots, 1, 100)
    }
}

/// An export certificate (ICGLR MD.03).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cert {
    /// Certificate number.
    pub id: Id,
    /// Exporter allowed to use it.
    pub exporter: Id,
    /// Lots covered.
    pub lots: Vec<Id>,
    /// Mineral.
    pub mineral: Mineral,
    /// Certified mass.
    pub mass_g: Grams,
    /// Declared countries of origin.
    pub origins: Vec<Country>,
    /// Destination.
    pub destination: Country,
    /// Issue date.
    pub issued: Millis,
    /// Expiry date.
    pub expires: Millis,
    /// The request it answers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request: Option<Id>,
}

/// `cert.issue`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CertIssue {
    /// The certificate.
    pub cert: Cert,
}

impl CertIssue {
    fn validate(&self) -> Result<(), DecodeError> {
        check_list("cert.lots", &self.cert.lots, 1, 100)?;
        check_list("cert.origins", &self.cert.origins, 1, 12)?;
        check_order(
            "cert.expires",
            self.cert.issued,
            self.cert.expires,
            "must be after issued",
        )
    }
}

// ---------------------------------------------------------------------------
// Lot bodies.

/// `lot.register`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LotRegister {
    /// New lot id.
    pub lot: Id,
    /// Site.
    pub site: SiteId,
    /// Tag on the bag.
    pub tag: TagId,
    /// Mineral.
    pub mineral: Mineral,
    /// Mass.
    pub mass_g: Grams,
    /// Grade.
    pub grade_bp: Grade,
    /// Miner or team.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub miner: Option<Text>,
    /// Where the bag was sealed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gps: Option<Point>,
    /// Number of bags.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub packages: Option<Packages>,
}

impl LotRegister {
    fn validate(&self) -> Result<(), DecodeError> {
        Ok(())
    }
}

/// `lot.offer`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LotOffer {
    /// Lot.
    pub lot: Id,
    /// Lot head.
    pub prev: Hash,
    /// Receiver.
    pub to: Id,
    /// Mass handed over.
    pub mass_g: Grams,
    /// Grade handed over.
    pub grade_bp: Grade,
    /// Sale price.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price: Option<Money>,
}

impl LotOffer {
    fn validate(&self) -> Result<(), DecodeError> {
        Ok(())
    }
}

/// `lot.accept`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LotAccept {
    /// Lot.
    pub lot: Id,
    /// The offer's hash.
    pub prev: Hash,
    /// Mass received.
    pub mass_g: Grams,
    /// Grade received.
    pub grade_bp: Grade,
}

impl LotAccept {
    fn validate(&self) -> Result<(), DecodeError> {
        Ok(())
    }
}

/// `lot.refuse`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LotRefuse {
    /// Lot.
    pub lot: Id,
    /// The offer's hash.
    pub prev: Hash,
    /// Why.
    pub reason: LongText,
}

impl LotRefuse {
    fn validate(&self) -> Result<(), DecodeError> {
        Ok(())
    }
}

/// A child of a split.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SplitChild {
    /// New lot id.
    pub lot: Id,
    /// Mass.
    pub mass_g: Grams,
    /// Grade.
    pub grade_bp: Grade,
}

/// `lot.split`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LotSplit {
    /// Parent lot.
    pub lot: Id,
    /// Parent head.
    pub prev: Hash,
    /// Children.
    pub children: Vec<SplitChild>,
}

impl LotSplit {
    fn validate(&self) -> Result<(), DecodeError> {
        let ids: Vec<&Id> = self.children.iter().map(|c| &c.lot).collect();
        check_list("children", &ids, 2, 100)?;
        if let Some(i) = ids.iter().position(|c| **c == self.lot) {
            return Err(DecodeError::invalid(
                format!("children[{i}].lot"),
                "a child cannot have the parent's id",
            ));
        }
        Ok(())
    }
}

/// An input of a merge or processing: a lot and its head.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Input {
    /// Input lot.
    pub lot: Id,
    /// Its head.
    pub prev: Hash,
}

fn check_inputs(inputs: &[Input], output: &Id, min: usize) -> Result<(), DecodeError> {
    let ids: Vec<&Id> = inputs.iter().map(|c| &c.lot).collect();
    check_list("inputs", &ids, min, 100)?;
    if let Some(i) = ids.iter().position(|c| *c == output) {
        return Err(DecodeError::invalid(
            format!("inputs[{i}].lot"),
            "the output lot cannot also be an input",
        ));
    }
    Ok(())
}

/// `lot.merge`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LotMerge {
    /// Inputs.
    pub inputs: Vec<Input>,
    /// Output lot id.
    pub lot: Id,
    /// Output mass.
    pub mass_g: Grams,
    /// Output grade.
    pub grade_bp: Grade,
}

impl LotMerge {
    fn validate(&self) -> Result<(), DecodeError> {
        check_inputs(&self.inputs, &self.lot, 2)
    }
}

/// `lot.process`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LotProcess {
    /// Inputs.
    pub inputs: Vec<Input>,
    /// Output lot id.
    pub lot: Id,
    /// Output mass.
    pub mass_g: Grams,
    /// Output grade.
    pub grade_bp: Grade,
    /// How.
    pub method: Text,
}

impl LotProcess {
    fn validate(&self) -> Result<(), DecodeError> {
        check_inputs(&self.inputs, &self.lot, 1)
    }
}

/// `lot.transport`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LotTransport {
    /// Lot.
    pub lot: Id,
    /// Lot head.
    pub prev: Hash,
    /// Origin.
    pub from: Place,
    /// Destination.
    pub to: Place,
    /// Departure.
    pub departed: Millis,
    /// Arrival.
    pub arrived: Millis,
    /// Transport company.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub carrier: Option<Text>,
    /// Truck, motorbike, on foot...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<Text>,
}

impl LotTransport {
    fn validate(&self) -> Result<(), DecodeError> {
        self.from.validate("from")?;
        self.to.validate("to")?;
        if self.arrived < self.departed {
            return Err(DecodeError::invalid(
                "arrived",
                "must not be before departed",
            ));
        }
        Ok(())
    }
}

/// `lot.store`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LotStore {
    /// Lot.
    pub lot: Id,
    /// Lot head.
    pub prev: Hash,
    /// Where.
    pub place: Place,
    /// Warehouse actor.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warehouse: Option<Id>,
}

impl LotStore {
    fn validate(&self) -> Result<(), DecodeError> {
        self.place.validate("place")
    }
}

/// A tax, fee or royalty paid (ICGLR MD.13).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tax {
    /// Kind of tax.
    #[serde(rename = "type")]
    pub kind: Text,
    /// Amount in minor units.
    pub amount: Minor,
    /// Currency.
    pub currency: Currency,
    /// Collecting authority.
    pub authority: Text,
    /// Receipt number.
    pub receipt: Text,
    /// Payment date.
    pub paid: Millis,
}

/// `lot.tax`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LotTax {
    /// Lot.
    pub lot: Id,
    /// Lot head.
    pub prev: Hash,
    /// The payment.
    pub tax: Tax,
}

impl LotTax {
    fn validate(&self) -> Result<(), DecodeError> {
        Ok(())
    }
}

/// `lot.export`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LotExport {
    /// Lot.
    pub lot: Id,
    /// Lot head.
    pub prev: Hash,
    /// Certificate.
    pub cert: Id,
    /// Mass exported.
    pub mass_g: Grams,
    /// Destination.
    pub destination: Country,
}

impl LotExport {
    fn validate(&self) -> Result<(), DecodeError> {
        Ok(())
    }
}

/// `lot.correct`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LotCorrect {
    /// Lot.
    pub lot: Id,
    /// Lot head.
    pub prev: Hash,
    /// The corrected figure event.
    pub corrects: Hash,
    /// Corrected mass.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mass_g: Option<Grams>,
    /// Corrected grade.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grade_bp: Option<Grade>,
    /// Why.
    pub reason: LongText,
}

impl LotCorrect {
    fn validate(&self) -> Result<(), DecodeError> {
        if self.mass_g.is_none() && self.grade_bp.is_none() {
            return Err(DecodeError::invalid(
                "$",
                "a correction gives mass_g, grade_bp or both",
            ));
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------
// Incidents.

/// What an incident is about.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Subjects {
    /// Lots.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lots: Option<Vec<Id>>,
    /// Sites.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sites: Option<Vec<SiteId>>,
    /// Actors.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actors: Option<Vec<Id>>,
}

impl Subjects {
    /// The lots named (empty when none).
    pub fn lots(&self) -> &[Id] {
        self.lots.as_deref().unwrap_or(&[])
    }
    /// The sites named.
    pub fn sites(&self) -> &[SiteId] {
        self.sites.as_deref().unwrap_or(&[])
    }
    /// The actors named.
    pub fn actors(&self) -> &[Id] {
        self.actors.as_deref().unwrap_or(&[])
    }
}

/// Incident categories.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[allow(missing_docs)]
pub enum Category {
    ArmedGroup,
    ChildLabour,
    Smuggling,
    TagFraud,
    IllegalTaxation,
    Fraud,
    Violence,
    Safety,
    Other,
}

impl Category {
    /// Every category, in the order of `spec/events.md` section 6.
    pub const ALL: [Category; 9] = [
        Category::ArmedGroup,
        Category::ChildLabour,
        Category::Smuggling,
        Category::TagFraud,
        Category::IllegalTaxation,
        Category::Fraud,
        Category::Violence,
        Category::Safety,
        Category::Other,
    ];

    /// The category's id, as events write it.
    pub fn id(self) -> &'static str {
        match self {
            Category::ArmedGroup => "armed-group",
            Category::ChildLabour => "child-labour",
            Category::Smuggling => "smuggling",
            Category::TagFraud => "tag-fraud",
            Category::IllegalTaxation => "illegal-taxation",
            Category::Fraud => "fraud",
            Category::Violence => "violence",
            Category::Safety => "safety",
            Category::Other => "other",
        }
    }

    /// The category with this id.
    pub fn from_id(id: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.id() == id)
    }
}

/// `incident.report`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IncidentReport {
    /// What it is about.
    pub subjects: Subjects,
    /// Category.
    pub category: Category,
    /// What happened.
    pub summary: LongText,
    /// Hash of evidence kept off the log.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence_sha256: Option<Hash>,
    /// The one-off public key of an anonymous reporter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub anonymous_key: Option<PublicKey>,
    /// The reporter's text sealed to case handlers' keys (`summary` is
    /// then what the public may read).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sealed: Option<crate::seal::Sealed>,
}

impl IncidentReport {
    fn validate(&self) -> Result<(), DecodeError> {
        let s = &self.subjects;
        if s.lots.is_none() && s.sites.is_none() && s.actors.is_none() {
            return Err(DecodeError::invalid(
                "subjects",
                "name at least one lot, site or actor",
            ));
        }
        if let Some(l) = &s.lots {
            check_list("subjects.lots", l, 1, 50)?;
        }
        if let Some(l) = &s.sites {
            check_list("subjects.sites", l, 1, 50)?;
        }
        if let Some(l) = &s.actors {
            check_list("subjects.actors", l, 1, 50)?;
        }
        if let Some(sealed) = &self.sealed {
            sealed.check().map_err(|e| match e {
                crate::seal::SealError::Format(path, message) => {
                    DecodeError::invalid(path, message)
                }
                other => DecodeError::invalid("sealed", other.to_string()),
            })?;
        }
        Ok(())
    }
}

/// Incident case statuses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[allow(missing_docs)]
pub enum CaseStatus {
    Open,
    Investigating,
    Resolved,
    Dismissed,
}

impl CaseStatus {
    /// Whether a case with this status still marks its subjects "under review".
    pub fn is_open(self) -> bool {
        matches!(self, CaseStatus::Open | CaseStatus::Investigating)
    }
}

/// `incident.status`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IncidentStatus {
    /// Case id (the report's event hash).
    pub case: Hash,
    /// New status.
    pub status: CaseStatus,
    /// Note.
    pub note: LongText,
}

impl IncidentStatus {
    fn validate(&self) -> Result<(), DecodeError> {
        Ok(())
    }
}
