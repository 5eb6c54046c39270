//! Lot commands: registration at the mine and everything after it, each
//! signed on this device; plus showing a lot and its history.
//!
//! Every command on an existing lot names the lot's latest event (`prev`):
//! from the outbox if an unsent event of this device touches the lot, else
//! from the node, else from the copy this device cached; `--prev` overrides.

use clap::{Args, Subcommand};
use serde_json::{Value, json};

use crate::ctx::Ctx;
use crate::error::{CliError, Exit, Result};
use crate::outln;
use crate::registry::{Obj, When, arg};
use crate::{parse, read, tr};

/// Options every command on an existing lot takes.
#[derive(Args, Clone, Default)]
pub struct OnLot {
    /// The lot's latest event hash (default: found in the outbox, on the node or in the cache).
    #[arg(long, value_name = "HASH")]
    pub prev: Option<String>,
    #[command(flatten)]
    pub when: When,
}

/// Lot commands.
#[derive(Subcommand)]
pub enum LotCmd {
    /// Register a bagged lot at a mine site with its tag (cooperative).
    Register {
        /// New lot id.
        #[arg(long)]
        lot: String,
        /// Site id.
        #[arg(long)]
        site: String,
        /// Tag id on the bag.
        #[arg(long)]
        tag: String,
        /// Mineral.
        #[arg(long)]
        mineral: String,
        /// Mass (25.3kg, 1.2t, 25300g; a bare number is kg).
        #[arg(long)]
        mass: String,
        /// Grade (65.5%, 6550bp; a bare number is percent).
        #[arg(long)]
        grade: String,
        /// Miner or team.
        #[arg(long)]
        miner: Option<String>,
        /// Where the bag was sealed: latitude,longitude.
        #[arg(long, allow_hyphen_values = true)]
        gps: Option<String>,
        /// Number of bags.
        #[arg(long)]
        packages: Option<u64>,
        /// Also print the bag's label to this file (.pdf, .png or .svg).
        #[arg(long, value_name = "FILE")]
        label: Option<std::path::PathBuf>,
        #[command(flatten)]
        when: When,
    },
    /// Offer a lot to another actor (custody changes when they accept).
    Offer {
        /// Lot id.
        lot: String,
        /// Receiver's actor id.
        #[arg(long)]
        to: String,
        /// Mass handed over (default: the lot's current mass).
        #[arg(long)]
        mass: Option<String>,
        /// Grade handed over (default: the lot's current grade).
        #[arg(long)]
        grade: Option<String>,
        /// Sale price (major units), with --currency.
        #[arg(long, requires = "currency")]
        price: Option<String>,
        /// ISO 4217 currency of the price.
        #[arg(long)]
        currency: Option<String>,
        #[command(flatten)]
        on: OnLot,
    },
    /// Accept a lot offered to you, with what you weighed and assayed.
    Accept {
        /// Lot id.
        lot: String,
        /// Mass received (default: the offered mass).
        #[arg(long)]
        mass: Option<String>,
        /// Grade received (default: the offered grade).
        #[arg(long)]
        grade: Option<String>,
        #[command(flatten)]
        on: OnLot,
    },
    /// Refuse a lot offered to you.
    Refuse {
        /// Lot id.
        lot: String,
        /// Why.
        #[arg(long)]
        reason: String,
        #[command(flatten)]
        on: OnLot,
    },
    /// Split a lot into children: `--child ID:MASS` or `--child ID:MASS:GRADE` (grade defaults to the parent's).
    Split {
        /// Lot id.
        lot: String,
        /// Children, e.g. --child L-7a:12kg --child L-7b:13.3kg.
        #[arg(long = "child", required = true)]
        children: Vec<String>,
        #[command(flatten)]
        on: OnLot,
    },
    /// Merge lots of one mineral into a new lot.
    Merge {
        /// Input lots (repeat or comma-separate).
        #[arg(long = "input", value_delimiter = ',', required = true)]
        inputs: Vec<String>,
        /// New lot id.
        #[arg(long)]
        lot: String,
        /// Output mass.
        #[arg(long)]
        mass: String,
        /// Output grade.
        #[arg(long)]
        grade: String,
        #[command(flatten)]
        when: When,
    },
    /// Process lots into a new lot (processor): mass falls, grade rises.
    Process {
        /// Input lots (repeat or comma-separate).
        #[arg(long = "input", value_delimiter = ',', required = true)]
        inputs: Vec<String>,
        /// New lot id.
        #[arg(long)]
        lot: String,
        /// Output mass.
        #[arg(long)]
        mass: String,
        /// Output grade.
        #[arg(long)]
        grade: String,
        /// Method, e.g. washing, magnetic separation.
        #[arg(long)]
        method: String,
        #[command(flatten)]
        when: When,
    },
    /// Record a transport: --from and --to are NAME or NAME@LAT,LON.
    Transport {
        /// Lot id.
        lot: String,
        /// Departure place.
        #[arg(long, allow_hyphen_values = true)]
        from: String,
        /// Arrival place.
        #[arg(long, allow_hyphen_values = true)]
        to: String,
        /// Departure time.
        #[arg(long)]
        departed: String,
        /// Arrival time.
        #[arg(long)]
        arrived: String,
        /// Carrier.
        #[arg(long)]
        carrier: Option<String>,
        /// Means (truck, motorbike, boat...).
        #[arg(long)]
        method: Option<String>,
        #[command(flatten)]
        on: OnLot,
    },
    /// Record storage at a place (NAME or NAME@LAT,LON).
    Store {
        /// Lot id.
        lot: String,
        /// Place.
        #[arg(long, allow_hyphen_values = true)]
        place: String,
        /// Warehouse actor id.
        #[arg(long)]
        warehouse: Option<String>,
        #[command(flatten)]
        on: OnLot,
    },
    /// Record a tax, fee or royalty paid on the lot (ICGLR MD.13).
    Tax {
        /// Lot id.
        lot: String,
        /// royalty, export tax, fee...
        #[arg(long = "type")]
        kind: String,
        /// Amount in major units (1250.50).
        #[arg(long)]
        amount: String,
        /// ISO 4217 currency.
        #[arg(long)]
        currency: String,
        /// Who collected it.
        #[arg(long)]
        authority: String,
        /// Receipt number.
        #[arg(long)]
        receipt: String,
        /// Date paid (default today).
        #[arg(long)]
        paid: Option<String>,
        #[command(flatten)]
        on: OnLot,
    },
    /// Export a lot under a certificate (exporter).
    Export {
        /// Lot id.
        lot: String,
        /// Certificate number.
        #[arg(long)]
        cert: String,
        /// Mass exported (default: the lot's mass).
        #[arg(long)]
        mass: Option<String>,
        /// Destination country.
        #[arg(long)]
        destination: String,
        #[command(flatten)]
        on: OnLot,
    },
    /// Correct the mass or grade stated by an earlier event of the lot.
    Correct {
        /// Lot id.
        lot: String,
        /// Hash of the event being corrected.
        #[arg(long = "event", value_name = "HASH")]
        corrects: String,
        /// Corrected mass.
        #[arg(long)]
        mass: Option<String>,
        /// Corrected grade.
        #[arg(long)]
        grade: Option<String>,
        /// Why.
        #[arg(long)]
        reason: String,
        #[command(flatten)]
        on: OnLot,
    },
    /// A lot's state and its history as a table.
    Show {
        /// Lot id.
        lot: String,
    },
    /// The lot's provenance: every event of its chain and of the lots it came from, with signers and times.
    History {
        /// Lot id.
        lot: String,
    },
    /// Save the lot's bundle (entries, proofs, checkpoint) for offline verification.
    Bundle {
        /// Lot id.
        lot: String,
        /// File to write.
        #[arg(long, value_name = "FILE")]
        out: std::path::PathBuf,
    },
    /// Lots, newest first.
    List {
        /// How many.
        #[arg(long, default_value_t = 50)]
        limit: u64,
    },
}

fn mass_arg(opt: &str, s: &str) -> Result<u64> {
    arg(opt, parse::mass(s))
}

fn grade_arg(opt: &str, s: &str) -> Result<u16> {
    arg(opt, parse::grade(s))
}

/// The current figures of a lot from its view, for defaults.
fn figures(view: Option<&Value>, lot: &str) -> Result<(u64, u64)> {
    let v = view.ok_or_else(|| {
        CliError::input(tr!(
            "the mass and grade of lot {lot} are not known on this device",
            "la masse et la teneur du lot {lot} ne sont pas connues sur cet appareil"
        ))
        .hint(tr!("give --mass and --grade", "indiquez --mass et --grade"))
    })?;
    match (v["mass_g"].as_u64(), v["grade_bp"].as_u64()) {
        (Some(m), Some(g)) => Ok((m, g)),
        _ => Err(CliError::input(tr!(
            "the mass and grade of lot {lot} are not known on this device",
            "la masse et la teneur du lot {lot} ne sont pas connues sur cet appareil"
        ))
        .hint(tr!("give --mass and --grade", "indiquez --mass et --grade"))),
    }
}

/// Runs a lot command.
///
/// # Errors
/// As the command.
pub fn run(ctx: &Ctx, c: LotCmd) -> Result<Exit> {
    let (kind, body, when) = match c {
        LotCmd::Show { lot } => return read::show_lot(ctx, &lot, false),
        LotCmd::History { lot } => return read::show_lot(ctx, &lot, true),
        LotCmd::List { limit } => return read::list_lots(ctx, limit),
        LotCmd::Bundle { lot, out } => return crate::verify::save_bundle(ctx, &lot, &out),
        LotCmd::Register {
            lot,
            site,
            tag,
            mineral,
            mass,
            grade,
            miner,
            gps,
            packages,
            label,
            when,
        } => {
            let lot_id = lot.clone();
            let body = register_body(lot, site, tag, mineral, mass, grade, miner, gps, packages)?;
            if let Some(path) = label {
                let s = ctx.sign_and_send("lot.register", body.0, when.ms()?, None)?;
                ctx.report(&s, json!({}));
                crate::tags::label_after_register(ctx, &lot_id, &path)?;
                if !ctx.json {
                    let f = path.display();
                    outln!(
                        "{}",
                        tr!("label written to {f}", "étiquette écrite dans {f}")
                    );
                }
                return Ok(Exit::Ok);
            }
            ("lot.register", body, when)
        }
        LotCmd::Offer {
            lot,
            to,
            mass,
            grade,
            price,
            currency,
            on,
        } => {
            let (prev, view) = ctx.head(&lot, on.prev.as_deref())?;
            let (m, g) = match (&mass, &grade) {
                (Some(m), Some(g)) => (mass_arg("--mass", m)?, u64::from(grade_arg("--grade", g)?)),
                _ => {
                    let (cm, cg) = figures(view.as_ref(), &lot)?;
                    (
                        mass.as_deref()
                            .map(|m| mass_arg("--mass", m))
                            .transpose()?
                            .unwrap_or(cm),
                        grade
                            .as_deref()
                            .map(|g| grade_arg("--grade", g).map(u64::from))
                            .transpose()?
                            .unwrap_or(cg),
                    )
                }
            };
            let price = match (price, currency) {
                (Some(p), Some(c)) => {
                    let c = c.to_ascii_uppercase();
                    Some(json!({"amount": arg("--price", parse::money(&p, &c))?, "currency": c}))
                }
                _ => None,
            };
            let body = Obj::default()
                .put("lot", lot)
                .put("prev", prev.to_hex())
                .put("to", to)
                .put("mass_g", m)
                .put("grade_bp", g)
                .opt("price", price);
            ("lot.offer", body, on.when)
        }
        LotCmd::Accept {
            lot,
            mass,
            grade,
            on,
        } => {
            let (prev, view) = ctx.head(&lot, on.prev.as_deref())?;
            let offered = view
                .as_ref()
                .map(|v| &v["head_event"])
                .filter(|e| e["type"] == "lot.offer");
            let pick = |given: &Option<String>, key: &str, opt: &str| -> Result<u64> {
                match given {
                    Some(s) if key == "mass_g" => mass_arg(opt, s),
                    Some(s) => grade_arg(opt, s).map(u64::from),
                    None => offered.and_then(|e| e[key].as_u64()).ok_or_else(|| {
                        match view.as_ref().and_then(|v| v["head_event"]["type"].as_str()) {
                            // The lot is known here and its last event is not
                            // an offer: there is nothing to accept.
                            Some(last) => CliError::input(tr!(
                                "lot {lot} has no pending offer to accept (its last event is {last})",
                                "le lot {lot} n'a pas d'offre en attente à accepter (son dernier événement est {last})"
                            ))
                            .hint(tr!(
                                "the giver must offer it to you first (`madini lot offer`)",
                                "le cédant doit d'abord vous l'offrir (`madini lot offer`)"
                            )),
                            None => CliError::input(tr!(
                                "the offered figures of lot {lot} are not known on this device; give {opt}",
                                "les chiffres offerts pour le lot {lot} ne sont pas connus sur cet appareil ; indiquez {opt}"
                            )),
                        }
                    }),
                }
            };
            let body = Obj::default()
                .put("lot", &lot)
                .put("prev", prev.to_hex())
                .put("mass_g", pick(&mass, "mass_g", "--mass")?)
                .put("grade_bp", pick(&grade, "grade_bp", "--grade")?);
            ("lot.accept", body, on.when)
        }
        LotCmd::Refuse { lot, reason, on } => {
            let (prev, _) = ctx.head(&lot, on.prev.as_deref())?;
            let body = Obj::default()
                .put("lot", lot)
                .put("prev", prev.to_hex())
                .put("reason", reason);
            ("lot.refuse", body, on.when)
        }
        LotCmd::Split { lot, children, on } => {
            let (prev, view) = ctx.head(&lot, on.prev.as_deref())?;
            let mut kids = Vec::new();
            for c in &children {
                let parts: Vec<&str> = c.split(':').collect();
                let (id, m, g) = match parts.as_slice() {
                    [id, m] => (
                        *id,
                        mass_arg("--child", m)?,
                        figures(view.as_ref(), &lot)?.1,
                    ),
                    [id, m, g] => (
                        *id,
                        mass_arg("--child", m)?,
                        u64::from(grade_arg("--child", g)?),
                    ),
                    _ => {
                        return Err(CliError::input(tr!(
                            "--child {c:?} is not ID:MASS or ID:MASS:GRADE",
                            "--child {c:?} n'est pas ID:MASSE ou ID:MASSE:TENEUR"
                        )));
                    }
                };
                kids.push(json!({"lot": id, "mass_g": m, "grade_bp": g}));
            }
            let body = Obj::default()
                .put("lot", lot)
                .put("prev", prev.to_hex())
                .put("children", kids);
            ("lot.split", body, on.when)
        }
        LotCmd::Merge {
            inputs,
            lot,
            mass,
            grade,
            when,
        } => {
            let body = Obj::default()
                .put("inputs", input_heads(ctx, &inputs)?)
                .put("lot", lot)
                .put("mass_g", mass_arg("--mass", &mass)?)
                .put("grade_bp", grade_arg("--grade", &grade)?);
            ("lot.merge", body, when)
        }
        LotCmd::Process {
            inputs,
            lot,
            mass,
            grade,
            method,
            when,
        } => {
            let body = Obj::default()
                .put("inputs", input_heads(ctx, &inputs)?)
                .put("lot", lot)
                .put("mass_g", mass_arg("--mass", &mass)?)
                .put("grade_bp", grade_arg("--grade", &grade)?)
                .put("method", method);
            ("lot.process", body, when)
        }
        LotCmd::Transport {
            lot,
            from,
            to,
            departed,
            arrived,
            carrier,
            method,
            on,
        } => {
            let (prev, _) = ctx.head(&lot, on.prev.as_deref())?;
            let now = crate::client::now_ms();
            let body = Obj::default()
                .put("lot", lot)
                .put("prev", prev.to_hex())
                .put("from", place("--from", &from)?)
                .put("to", place("--to", &to)?)
                .put("departed", arg("--departed", parse::time(&departed, now))?)
                .put("arrived", arg("--arrived", parse::time(&arrived, now))?)
                .opt("carrier", carrier)
                .opt("method", method);
            ("lot.transport", body, on.when)
        }
        LotCmd::Store {
            lot,
            place: p,
            warehouse,
            on,
        } => {
            let (prev, _) = ctx.head(&lot, on.prev.as_deref())?;
            let body = Obj::default()
                .put("lot", lot)
                .put("prev", prev.to_hex())
                .put("place", place("--place", &p)?)
                .opt("warehouse", warehouse);
            ("lot.store", body, on.when)
        }
        LotCmd::Tax {
            lot,
            kind,
            amount,
            currency,
            authority,
            receipt,
            paid,
            on,
        } => {
            let (prev, _) = ctx.head(&lot, on.prev.as_deref())?;
            let now = crate::client::now_ms();
            let c = currency.to_ascii_uppercase();
            let tax = json!({
                "type": kind,
                "amount": arg("--amount", parse::money(&amount, &c))?,
                "currency": c,
                "authority": authority,
                "receipt": receipt,
                "paid": paid.map(|p| arg("--paid", parse::time(&p, now))).transpose()?.unwrap_or(now),
            });
            let body = Obj::default()
                .put("lot", lot)
                .put("prev", prev.to_hex())
                .put("tax", tax);
            ("lot.tax", body, on.when)
        }
        LotCmd::Export {
            lot,
            cert,
            mass,
            destination,
            on,
        } => {
            let (prev, view) = ctx.head(&lot, on.prev.as_deref())?;
            let m = match mass {
                Some(m) => mass_arg("--mass", &m)?,
                None => figures(view.as_ref(), &lot)?.0,
            };
            let body = Obj::default()
                .put("lot", lot)
                .put("prev", prev.to_hex())
                .put("cert", cert)
                .put("mass_g", m)
                .put("destination", destination.to_ascii_uppercase());
            ("lot.export", body, on.when)
        }
        LotCmd::Correct {
            lot,
            corrects,
            mass,
            grade,
            reason,
            on,
        } => {
            let (prev, _) = ctx.head(&lot, on.prev.as_deref())?;
            let target = crate::ctx::parse_hash("--event", &corrects)?;
            if mass.is_none() && grade.is_none() {
                return Err(CliError::input(tr!(
                    "a correction needs --mass, --grade or both",
                    "une correction demande --mass, --grade ou les deux"
                )));
            }
            let body = Obj::default()
                .put("lot", lot)
                .put("prev", prev.to_hex())
                .put("corrects", target.to_hex())
                .opt("mass_g", mass.map(|m| mass_arg("--mass", &m)).transpose()?)
                .opt(
                    "grade_bp",
                    grade.map(|g| grade_arg("--grade", &g)).transpose()?,
                )
                .put("reason", reason);
            ("lot.correct", body, on.when)
        }
    };
    let s = ctx.sign_and_send(kind, body.0, when.ms()?, None)?;
    ctx.report(&s, json!({}));
    Ok(Exit::Ok)
}

#[allow(clippy::too_many_arguments)]
fn register_body(
    lot: String,
    site: String,
    tag: String,
    mineral: String,
    mass: String,
    grade: String,
    miner: Option<String>,
    gps: Option<String>,
    packages: Option<u64>,
) -> Result<Obj> {
    let gps = gps
        .map(|g| arg("--gps", parse::point(&g)))
        .transpose()?
        .map(|(la, lo)| json!({"lat_e6": la, "lon_e6": lo}));
    let m = crate::registry::minerals(&[mineral])?;
    Ok(Obj::default()
        .put("lot", lot)
        .put("site", site)
        .put("tag", tag)
        .put("mineral", m[0])
        .put("mass_g", mass_arg("--mass", &mass)?)
        .put("grade_bp", grade_arg("--grade", &grade)?)
        .opt("miner", miner)
        .opt("gps", gps)
        .opt("packages", packages))
}

fn input_heads(ctx: &Ctx, inputs: &[String]) -> Result<Vec<Value>> {
    inputs
        .iter()
        .map(|l| {
            let (h, _) = ctx.head(l, None)?;
            Ok(json!({"lot": l, "prev": h.to_hex()}))
        })
        .collect()
}

fn place(opt: &str, s: &str) -> Result<Value> {
    let (name, pt) = arg(opt, parse::place(s))?;
    let mut o = Obj::default().put("name", name);
    if let Some((la, lo)) = pt {
        o = o.put("lat_e6", la).put("lon_e6", lo);
    }
    Ok(Value::Object(o.0))
}
