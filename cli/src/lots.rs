//! Lot commands: registration at the mine and everything after it, each
//! signed on this device; plus showing a lot and its history.
//!
//! Every command on an existing lot names the lot's latest event (`prev`):
//! from the outbox if an unsent event of this device touches the lot, else
//! from the node, else from the copy this device cached; `--prev` overrides.

use clap::{Args, Subcommand};
use ledger_core::event::{
    Body, Input, LotAccept, LotCorrect, LotExport, LotMerge, LotOffer, LotProcess, LotRefuse,
    LotRegister, LotSplit, LotStore, LotTax, LotTransport, Money, Place, Point, SplitChild, Tax,
};
use ledger_core::hash::Hash;
use ledger_core::types::{
    Country, Currency, Grade, Grams, Id, LongText, Millis, Mineral, Packages, SiteId, TagId, Text,
};
use serde_json::Value;

use crate::ctx::Ctx;
use crate::error::{CliError, Exit, Result};
use crate::parse::{self, When};
use crate::{msg, outln, read, tags, verify};
use ledger_core::verify::LotFigures;

/// Options every command on an existing lot takes.
#[derive(Args, Clone, Default)]
pub struct OnLot {
    /// The lot's latest event hash (default: found in the outbox, on the node or in the cache).
    #[arg(long, value_name = "HASH", value_parser = parse::event_hash)]
    pub prev: Option<Hash>,
    #[command(flatten)]
    pub when: When,
}

/// A child of a split, `ID:MASS` or `ID:MASS:GRADE`.
#[derive(Clone)]
pub struct ChildArg {
    /// New lot id.
    pub lot: Id,
    /// Its mass.
    pub mass: Grams,
    /// Its grade, when given (else the parent's).
    pub grade: Option<Grade>,
}

/// Reads `--child ID:MASS[:GRADE]`.
///
/// # Errors
/// Not that form, or a bad id, mass or grade.
fn child(c: &str) -> std::result::Result<ChildArg, String> {
    let parts: Vec<&str> = c.split(':').collect();
    let (id, m, g) = match parts.as_slice() {
        [id, m] => (*id, *m, None),
        [id, m, g] => (*id, *m, Some(*g)),
        _ => {
            return Err(msg!("cli-lots-not-id-mass-id", value = format!("{c:?}")));
        }
    };
    Ok(ChildArg {
        lot: Id::new(id).map_err(|e| e.to_string())?,
        mass: parse::mass(m)?,
        grade: g.map(parse::grade).transpose()?,
    })
}

/// Lot commands.
#[derive(Subcommand)]
pub enum LotCmd {
    /// Register a bagged lot at a mine site with its tag (cooperative).
    Register {
        /// New lot id.
        #[arg(long)]
        lot: Id,
        /// Site id.
        #[arg(long)]
        site: SiteId,
        /// Tag id on the bag.
        #[arg(long)]
        tag: TagId,
        /// Mineral.
        #[arg(long, value_parser = parse::mineral)]
        mineral: Mineral,
        /// Mass (25.3kg, 1.2t, 25300g; a bare number is kg).
        #[arg(long, value_parser = parse::mass)]
        mass: Grams,
        /// Grade (65.5%, 6550bp; a bare number is percent).
        #[arg(long, value_parser = parse::grade)]
        grade: Grade,
        /// Miner or team.
        #[arg(long)]
        miner: Option<Text>,
        /// Where the bag was sealed: latitude,longitude.
        #[arg(long, allow_hyphen_values = true, value_parser = parse::point)]
        gps: Option<Point>,
        /// Number of bags.
        #[arg(long, value_parser = parse::packages)]
        packages: Option<Packages>,
        /// Also print the bag's label to this file (.pdf, .png or .svg).
        #[arg(long, value_name = "FILE")]
        label: Option<std::path::PathBuf>,
        #[command(flatten)]
        when: When,
    },
    /// Offer a lot to another actor (custody changes when they accept).
    Offer {
        /// Lot id.
        lot: Id,
        /// Receiver's actor id.
        #[arg(long)]
        to: Id,
        /// Mass handed over (default: the lot's current mass).
        #[arg(long, value_parser = parse::mass)]
        mass: Option<Grams>,
        /// Grade handed over (default: the lot's current grade).
        #[arg(long, value_parser = parse::grade)]
        grade: Option<Grade>,
        /// Sale price (major units), with --currency.
        #[arg(long, requires = "currency")]
        price: Option<String>,
        /// ISO 4217 currency of the price.
        #[arg(long, value_parser = parse::currency)]
        currency: Option<Currency>,
        #[command(flatten)]
        on: OnLot,
    },
    /// Accept a lot offered to you, with what you weighed and assayed.
    Accept {
        /// Lot id.
        lot: Id,
        /// Mass received (default: the offered mass).
        #[arg(long, value_parser = parse::mass)]
        mass: Option<Grams>,
        /// Grade received (default: the offered grade).
        #[arg(long, value_parser = parse::grade)]
        grade: Option<Grade>,
        #[command(flatten)]
        on: OnLot,
    },
    /// Refuse a lot offered to you.
    Refuse {
        /// Lot id.
        lot: Id,
        /// Why.
        #[arg(long)]
        reason: LongText,
        #[command(flatten)]
        on: OnLot,
    },
    /// Split a lot into children: `--child ID:MASS` or `--child ID:MASS:GRADE` (grade defaults to the parent's).
    Split {
        /// Lot id.
        lot: Id,
        /// Children, e.g. --child L-7a:12kg --child L-7b:13.3kg.
        #[arg(long = "child", required = true, value_parser = child)]
        children: Vec<ChildArg>,
        #[command(flatten)]
        on: OnLot,
    },
    /// Merge lots of one mineral into a new lot.
    Merge {
        /// Input lots (repeat or comma-separate).
        #[arg(long = "input", value_delimiter = ',', required = true)]
        inputs: Vec<Id>,
        /// New lot id.
        #[arg(long)]
        lot: Id,
        /// Output mass.
        #[arg(long, value_parser = parse::mass)]
        mass: Grams,
        /// Output grade.
        #[arg(long, value_parser = parse::grade)]
        grade: Grade,
        #[command(flatten)]
        when: When,
    },
    /// Process lots into a new lot (processor): mass falls, grade rises.
    Process {
        /// Input lots (repeat or comma-separate).
        #[arg(long = "input", value_delimiter = ',', required = true)]
        inputs: Vec<Id>,
        /// New lot id.
        #[arg(long)]
        lot: Id,
        /// Output mass.
        #[arg(long, value_parser = parse::mass)]
        mass: Grams,
        /// Output grade.
        #[arg(long, value_parser = parse::grade)]
        grade: Grade,
        /// Method, e.g. washing, magnetic separation.
        #[arg(long)]
        method: Text,
        #[command(flatten)]
        when: When,
    },
    /// Record a transport: --from and --to are NAME or NAME@LAT,LON.
    Transport {
        /// Lot id.
        lot: Id,
        /// Departure place.
        #[arg(long, allow_hyphen_values = true, value_parser = parse::place)]
        from: Place,
        /// Arrival place.
        #[arg(long, allow_hyphen_values = true, value_parser = parse::place)]
        to: Place,
        /// Departure time.
        #[arg(long, value_parser = parse::millis)]
        departed: Millis,
        /// Arrival time.
        #[arg(long, value_parser = parse::millis)]
        arrived: Millis,
        /// Carrier.
        #[arg(long)]
        carrier: Option<Text>,
        /// Means (truck, motorbike, boat...).
        #[arg(long)]
        method: Option<Text>,
        #[command(flatten)]
        on: OnLot,
    },
    /// Record storage at a place (NAME or NAME@LAT,LON).
    Store {
        /// Lot id.
        lot: Id,
        /// Place.
        #[arg(long, allow_hyphen_values = true, value_parser = parse::place)]
        place: Place,
        /// Warehouse actor id.
        #[arg(long)]
        warehouse: Option<Id>,
        #[command(flatten)]
        on: OnLot,
    },
    /// Record a tax, fee or royalty paid on the lot (ICGLR MD.13).
    Tax {
        /// Lot id.
        lot: Id,
        /// royalty, export tax, fee...
        #[arg(long = "type")]
        kind: Text,
        /// Amount in major units (1250.50).
        #[arg(long)]
        amount: String,
        /// ISO 4217 currency.
        #[arg(long, value_parser = parse::currency)]
        currency: Currency,
        /// Who collected it.
        #[arg(long)]
        authority: Text,
        /// Receipt number.
        #[arg(long)]
        receipt: Text,
        /// Date paid (default today).
        #[arg(long, value_parser = parse::millis)]
        paid: Option<Millis>,
        #[command(flatten)]
        on: OnLot,
    },
    /// Export a lot under a certificate (exporter).
    Export {
        /// Lot id.
        lot: Id,
        /// Certificate number.
        #[arg(long)]
        cert: Id,
        /// Mass exported (default: the lot's mass).
        #[arg(long, value_parser = parse::mass)]
        mass: Option<Grams>,
        /// Destination country.
        #[arg(long, value_parser = parse::country)]
        destination: Country,
        #[command(flatten)]
        on: OnLot,
    },
    /// Correct the mass or grade stated by an earlier event of the lot.
    Correct {
        /// Lot id.
        lot: Id,
        /// Hash of the event being corrected.
        #[arg(long = "event", value_name = "HASH", value_parser = parse::event_hash)]
        corrects: Hash,
        /// Corrected mass.
        #[arg(long, value_parser = parse::mass)]
        mass: Option<Grams>,
        /// Corrected grade.
        #[arg(long, value_parser = parse::grade)]
        grade: Option<Grade>,
        /// Why.
        #[arg(long)]
        reason: LongText,
        #[command(flatten)]
        on: OnLot,
    },
    /// A lot's state and its history as a table.
    Show {
        /// Lot id.
        lot: Id,
    },
    /// The lot's provenance: every event of its chain and of the lots it came from, with signers and times.
    History {
        /// Lot id.
        lot: Id,
    },
    /// Save the lot's bundle (entries, proofs, checkpoint) for offline verification.
    Bundle {
        /// Lot id.
        lot: Id,
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

/// The current figures of a lot from its view, for defaults.
fn figures(view: Option<&Value>, lot: &str) -> Result<(Grams, Grade)> {
    let unknown = || {
        CliError::input(msg!("cli-lots-mass-grade-lot-not", lot = lot))
            .hint(msg!("cli-lots-give-mass-grade"))
    };
    let v = view.ok_or_else(unknown)?;
    let m = v["mass_g"].as_u64().and_then(|m| Grams::new(m).ok());
    let g = v["grade_bp"]
        .as_u64()
        .and_then(|g| u16::try_from(g).ok())
        .and_then(|g| Grade::new(g).ok());
    match (m, g) {
        (Some(m), Some(g)) => Ok((m, g)),
        _ => Err(unknown()),
    }
}

/// Runs a lot command: resolves what the arguments leave to the ledger (the
/// lot's head, figures by default), builds the typed body, signs and sends.
///
/// # Errors
/// As the command.
pub fn run(ctx: &Ctx, c: LotCmd) -> Result<Exit> {
    // What this device knows of the lots the event names, for the
    // pre-signing checks.
    let mut known: Vec<LotFigures> = Vec::new();
    let mut know = |view: &Option<Value>| {
        if let Some(f) = view.as_ref().and_then(crate::ctx::lot_figures) {
            known.push(f);
        }
    };
    let (body, when) = match c {
        LotCmd::Show { lot } => return read::show_lot(ctx, &lot, false),
        LotCmd::History { lot } => return read::show_lot(ctx, &lot, true),
        LotCmd::List { limit } => return read::list_lots(ctx, limit),
        LotCmd::Bundle { lot, out } => return verify::save_bundle(ctx, &lot, &out),
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
            let body = Body::LotRegister(LotRegister {
                lot,
                site,
                tag,
                mineral,
                mass_g: mass,
                grade_bp: grade,
                miner,
                gps,
                packages,
            });
            if let Some(path) = label {
                let (s, warnings) = ctx.sign_checked(body, when.time, &known)?;
                ctx.report(&s, warnings);
                tags::label_after_register(ctx, &lot_id, &path)?;
                if !ctx.json {
                    let f = path.display();
                    outln!("{}", msg!("cli-lots-label-written", file = f));
                }
                return Ok(Exit::Ok);
            }
            (body, when)
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
            let (prev, view) = ctx.head(&lot, on.prev)?;
            know(&view);
            let (mass_g, grade_bp) = match (mass, grade) {
                (Some(m), Some(g)) => (m, g),
                _ => {
                    let (cm, cg) = figures(view.as_ref(), &lot)?;
                    (mass.unwrap_or(cm), grade.unwrap_or(cg))
                }
            };
            let price = match (price, currency) {
                (Some(p), Some(currency)) => Some(Money {
                    amount: parse::arg("--price", parse::money(&p, &currency))?,
                    currency,
                }),
                _ => None,
            };
            let body = Body::LotOffer(LotOffer {
                lot,
                prev,
                to,
                mass_g,
                grade_bp,
                price,
            });
            (body, on.when)
        }
        LotCmd::Accept {
            lot,
            mass,
            grade,
            on,
        } => {
            let (prev, view) = ctx.head(&lot, on.prev)?;
            know(&view);
            let offered = view
                .as_ref()
                .map(|v| &v["head_event"])
                .filter(|e| e["type"] == "lot.offer");
            let missing = |opt: &str| {
                match view.as_ref().and_then(|v| v["head_event"]["type"].as_str()) {
                    // The lot is known here and its last event is not an
                    // offer: there is nothing to accept.
                    Some(last) if offered.is_none() => CliError::input(msg!(
                        "cli-lots-lot-no-pending-offer",
                        lot = lot,
                        last = last
                    ))
                    .hint(msg!("cli-lots-giver-must-offer-first")),
                    _ => CliError::input(msg!(
                        "cli-lots-offered-figures-lot-not",
                        lot = lot,
                        opt = opt
                    )),
                }
            };
            let mass_g = match mass {
                Some(m) => m,
                None => offered
                    .and_then(|e| e["mass_g"].as_u64())
                    .and_then(|m| Grams::new(m).ok())
                    .ok_or_else(|| missing("--mass"))?,
            };
            let grade_bp = match grade {
                Some(g) => g,
                None => offered
                    .and_then(|e| e["grade_bp"].as_u64())
                    .and_then(|g| u16::try_from(g).ok())
                    .and_then(|g| Grade::new(g).ok())
                    .ok_or_else(|| missing("--grade"))?,
            };
            let body = Body::LotAccept(LotAccept {
                lot,
                prev,
                mass_g,
                grade_bp,
            });
            (body, on.when)
        }
        LotCmd::Refuse { lot, reason, on } => {
            let (prev, _) = ctx.head(&lot, on.prev)?;
            (Body::LotRefuse(LotRefuse { lot, prev, reason }), on.when)
        }
        LotCmd::Split { lot, children, on } => {
            let (prev, view) = ctx.head(&lot, on.prev)?;
            know(&view);
            let mut kids = Vec::new();
            for c in children {
                let grade_bp = match c.grade {
                    Some(g) => g,
                    None => figures(view.as_ref(), &lot)?.1,
                };
                kids.push(SplitChild {
                    lot: c.lot,
                    mass_g: c.mass,
                    grade_bp,
                });
            }
            let body = Body::LotSplit(LotSplit {
                lot,
                prev,
                children: kids,
            });
            (body, on.when)
        }
        LotCmd::Merge {
            inputs,
            lot,
            mass,
            grade,
            when,
        } => {
            let body = Body::LotMerge(LotMerge {
                inputs: input_heads(ctx, inputs, &mut know)?,
                lot,
                mass_g: mass,
                grade_bp: grade,
            });
            (body, when)
        }
        LotCmd::Process {
            inputs,
            lot,
            mass,
            grade,
            method,
            when,
        } => {
            let body = Body::LotProcess(LotProcess {
                inputs: input_heads(ctx, inputs, &mut know)?,
                lot,
                mass_g: mass,
                grade_bp: grade,
                method,
            });
            (body, when)
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
            let (prev, _) = ctx.head(&lot, on.prev)?;
            let body = Body::LotTransport(LotTransport {
                lot,
                prev,
                from,
                to,
                departed,
                arrived,
                carrier,
                method,
            });
            (body, on.when)
        }
        LotCmd::Store {
            lot,
            place,
            warehouse,
            on,
        } => {
            let (prev, _) = ctx.head(&lot, on.prev)?;
            let body = Body::LotStore(LotStore {
                lot,
                prev,
                place,
                warehouse,
            });
            (body, on.when)
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
            let amount = parse::arg("--amount", parse::money(&amount, &currency))?;
            let (prev, _) = ctx.head(&lot, on.prev)?;
            let tax = Tax {
                kind,
                amount,
                currency,
                authority,
                receipt,
                paid: paid.unwrap_or(Millis(crate::client::now_ms())),
            };
            (Body::LotTax(LotTax { lot, prev, tax }), on.when)
        }
        LotCmd::Export {
            lot,
            cert,
            mass,
            destination,
            on,
        } => {
            let (prev, view) = ctx.head(&lot, on.prev)?;
            know(&view);
            let mass_g = match mass {
                Some(m) => m,
                None => figures(view.as_ref(), &lot)?.0,
            };
            let body = Body::LotExport(LotExport {
                lot,
                prev,
                cert,
                mass_g,
                destination,
            });
            (body, on.when)
        }
        LotCmd::Correct {
            lot,
            corrects,
            mass,
            grade,
            reason,
            on,
        } => {
            if mass.is_none() && grade.is_none() {
                return Err(CliError::input(msg!(
                    "cli-lots-correction-needs-mass-grade"
                )));
            }
            let (prev, _) = ctx.head(&lot, on.prev)?;
            let body = Body::LotCorrect(LotCorrect {
                lot,
                prev,
                corrects,
                mass_g: mass,
                grade_bp: grade,
                reason,
            });
            (body, on.when)
        }
    };
    let (s, warnings) = ctx.sign_checked(body, when.time, &known)?;
    ctx.report(&s, warnings);
    Ok(Exit::Ok)
}

/// Each input lot with its head.
fn input_heads(
    ctx: &Ctx,
    inputs: Vec<Id>,
    know: &mut impl FnMut(&Option<Value>),
) -> Result<Vec<Input>> {
    inputs
        .into_iter()
        .map(|lot| {
            let (prev, view) = ctx.head(&lot, None)?;
            know(&view);
            Ok(Input { lot, prev })
        })
        .collect()
}
