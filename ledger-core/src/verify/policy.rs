//! The verifier's policy: every tolerance and band it applies, with the
//! defaults of `spec/verifier.md` (from the ICGLR and OECD practice summed
//! up in the project's domain notes). A policy is named and hashed, and
//! every report names the policy in force.

use serde::{Deserialize, Serialize};

use crate::hash::{Hash, sha256};
use crate::types::Mineral;

/// Basis points: 1 % is 100.
pub type Bp = u64;

/// Tolerances and bands. Every field has a default; a policy file only
/// lists what it changes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Policy {
    /// A name for reports.
    pub name: String,
    /// Rule 1: custody transfers.
    pub transfer: MassGrade,
    /// Rule 2: splits.
    pub split: MassGrade,
    /// Rule 3: merges.
    pub merge: MassGrade,
    /// Rule 4: processing.
    pub processing: Processing,
    /// Rule 5: stock balance.
    pub stock: Stock,
    /// Rule 6: site capacity.
    pub capacity: Capacity,
    /// Rule 7: site status and its lapse rules.
    pub status: Status,
    /// Rule 10: time.
    pub time: Time,
    /// Rule 11: export certificates.
    pub export: Export,
    /// Rule 14: plausibility.
    pub plausibility: Plausibility,
}

/// A mass tolerance and a grade tolerance.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MassGrade {
    /// Relative mass tolerance, basis points of the reference mass.
    pub mass_bp: Bp,
    /// Absolute grade tolerance, basis points of grade (200 = 2 grade points).
    pub grade_bp: Bp,
}

/// Processing tolerances.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Processing {
    /// Assay tolerance on contained metal, basis points.
    pub assay_bp: Bp,
    /// Lowest plausible recovery (contained metal out / in), basis points, per mineral.
    pub min_recovery_bp: RecoveryBands,
}

/// Lowest plausible recovery per mineral, basis points.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RecoveryBands {
    /// Cassiterite (tin).
    pub cassiterite: Bp,
    /// Coltan (tantalum).
    pub coltan: Bp,
    /// Wolframite (tungsten).
    pub wolframite: Bp,
    /// Gold.
    pub gold: Bp,
}

/// Stock tolerance.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Stock {
    /// How much more than it holds an actor may hand over (weighing), basis points.
    pub tolerance_bp: Bp,
}

/// Capacity tolerance.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Capacity {
    /// Production above the assessed capacity tolerated, basis points.
    pub tolerance_bp: Bp,
}

/// Lapse rules of the ICGLR RCM.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Status {
    /// Green lapses to Blue after this many days without inspection.
    pub green_lapse_days: u64,
    /// Blue for longer than this becomes Red.
    pub blue_to_red_days: u64,
    /// Yellow sites may trade for this many days.
    pub yellow_grace_days: u64,
}

/// Time checks.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Time {
    /// Recorded minus claimed time above this is back-dating.
    pub backdating_days: u64,
    /// A claimed time may be this far after the record time (clock drift).
    pub future_slack_minutes: u64,
    /// A lot event may claim a time this much earlier than its predecessor.
    pub order_slack_hours: u64,
    /// Fastest plausible overland speed, km/h.
    pub max_speed_kmh: u64,
    /// Jumps shorter than this between a lot's known places are GPS noise.
    pub min_jump_km: u64,
}

/// Export certificate checks.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Export {
    /// Certified mass above the covered lots' mass tolerated, basis points.
    pub mass_bp: Bp,
    /// Longest validity of a certificate, days.
    pub max_validity_days: u64,
}

impl Default for Policy {
    fn default() -> Policy {
        Policy {
            name: "madini-default-v1".into(),
            transfer: MassGrade {
                mass_bp: 100,
                grade_bp: 200,
            },
            split: MassGrade {
                mass_bp: 100,
                grade_bp: 200,
            },
            merge: MassGrade {
                mass_bp: 100,
                grade_bp: 200,
            },
            processing: Processing::default(),
            stock: Stock::default(),
            capacity: Capacity::default(),
            status: Status::default(),
            time: Time::default(),
            export: Export::default(),
            plausibility: Plausibility::default(),
        }
    }
}

impl Default for MassGrade {
    fn default() -> MassGrade {
        MassGrade {
            mass_bp: 100,
            grade_bp: 200,
        }
    }
}

impl Default for Processing {
    fn default() -> Processing {
        Processing {
            assay_bp: 200,
            min_recovery_bp: RecoveryBands::default(),
        }
    }
}

impl Default for RecoveryBands {
    /// About half the artisanal recoveries measured in Rwanda (61 % tin,
    /// 23 % tantalum): lower than that, metal went somewhere unrecorded.
    fn default() -> RecoveryBands {
        RecoveryBands {
            cassiterite: 3000,
            coltan: 1000,
            wolframite: 2500,
            gold: 3000,
        }
    }
}

impl RecoveryBands {
    /// The band floor for a mineral.
    pub fn of(&self, m: Mineral) -> Bp {
        match m {
            Mineral::Cassiterite => self.cassiterite,
            Mineral::Coltan => self.coltan,
            Mineral::Wolframite => self.wolframite,
            Mineral::Gold => self.gold,
        }
    }
}

impl Default for Stock {
    fn default() -> Stock {
        Stock { tolerance_bp: 100 }
    }
}

impl Default for Capacity {
    fn default() -> Capacity {
        Capacity { tolerance_bp: 1000 }
    }
}

impl Default for Status {
    fn default() -> Status {
        Status {
            green_lapse_days: 365,
            blue_to_red_days: 3 * 365,
            yellow_grace_days: 182,
        }
    }
}

impl Default for Time {
    fn default() -> Time {
        Time {
            backdating_days: 30,
            future_slack_minutes: 60,
            order_slack_hours: 24,
            max_speed_kmh: 80,
            min_jump_km: 50,
        }
    }
}

impl Default for Export {
    fn default() -> Export {
        Export {
            mass_bp: 100,
            max_validity_days: 90,
        }
    }
}

/// Plausibility (family 14): what a figure or a place can be at all.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Plausibility {
    /// Assay error allowed above a mineral's maximum grade, grade basis points.
    pub grade_assay_bp: Bp,
    /// Largest distance from a registration's GPS to its site, km.
    pub max_site_km: u64,
    /// How far outside its country's box a site may lie, km.
    pub border_km: u64,
    /// The most of its element or oxide a mineral can hold, basis points
    /// (`spec/verifier.md` section 3: stoichiometry).
    pub max_grade_bp: PerMineral,
    /// Largest mass of one package, grams.
    pub max_package_g: PerMineral,
}

/// One figure per mineral.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PerMineral {
    /// Cassiterite (tin).
    pub cassiterite: u64,
    /// Coltan (tantalum).
    pub coltan: u64,
    /// Wolframite (tungsten).
    pub wolframite: u64,
    /// Gold.
    pub gold: u64,
}

impl PerMineral {
    /// The figure for a mineral.
    pub fn of(&self, m: Mineral) -> u64 {
        match m {
            Mineral::Cassiterite => self.cassiterite,
            Mineral::Coltan => self.coltan,
            Mineral::Wolframite => self.wolframite,
            Mineral::Gold => self.gold,
        }
    }

    fn each(&self) -> [(&'static str, u64); 4] {
        [
            ("cassiterite", self.cassiterite),
            ("coltan", self.coltan),
            ("wolframite", self.wolframite),
            ("gold", self.gold),
        ]
    }
}

impl Default for Plausibility {
    fn default() -> Plausibility {
        Plausibility {
            grade_assay_bp: 100,
            max_site_km: 20,
            border_km: 10,
            max_grade_bp: PerMineral {
                cassiterite: 7877,
                coltan: 8617,
                wolframite: 8053,
                gold: 10_000,
            },
            max_package_g: PerMineral {
                cassiterite: 100_000,
                coltan: 100_000,
                wolframite: 100_000,
                gold: 5_000,
            },
        }
    }
}

/// A policy constant that cannot be: its key path (`plausibility.max_grade_bp.gold`) and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyError {
    /// The key, as a dotted path.
    pub key: String,
    /// Why it is impossible, in English (the CLI words it).
    pub why: &'static str,
}

impl Policy {
    /// Checks the constants that serde's types cannot: basis points of a
    /// whole above 10 000, maxima of 0 (`spec/verifier.md` section 4).
    ///
    /// # Errors
    /// The first impossible constant.
    pub fn validate(&self) -> Result<(), PolicyError> {
        let over = |key: &str, v: Bp| {
            (v > 10_000).then(|| (key.to_owned(), "above 10000 basis points (100 %)"))
        };
        let mut bad = vec![
            over("transfer.grade_bp", self.transfer.grade_bp),
            over("split.grade_bp", self.split.grade_bp),
            over("merge.grade_bp", self.merge.grade_bp),
            over(
                "plausibility.grade_assay_bp",
                self.plausibility.grade_assay_bp,
            ),
        ];
        let r = &self.processing.min_recovery_bp;
        for (m, v) in [
            ("cassiterite", r.cassiterite),
            ("coltan", r.coltan),
            ("wolframite", r.wolframite),
            ("gold", r.gold),
        ] {
            bad.push(over(&format!("processing.min_recovery_bp.{m}"), v));
        }
        for (m, v) in self.plausibility.max_grade_bp.each() {
            let key = format!("plausibility.max_grade_bp.{m}");
            bad.push(over(&key, v));
            bad.push((v == 0).then_some((key, "0: no grade would be possible")));
        }
        for (m, v) in self.plausibility.max_package_g.each() {
            let key = format!("plausibility.max_package_g.{m}");
            bad.push((v == 0).then_some((key, "0: no package would be possible")));
        }
        match bad.into_iter().flatten().next() {
            Some((key, why)) => Err(PolicyError { key, why }),
            None => Ok(()),
        }
    }

    /// SHA-256 of the policy's canonical JSON: which policy, exactly.
    pub fn digest(&self) -> Hash {
        let v = serde_json::to_value(self).unwrap_or_default();
        sha256(&crate::jcs::encode(&v).unwrap_or_default())
    }
}
