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

impl Policy {
    /// SHA-256 of the policy's canonical JSON: which policy, exactly.
    pub fn digest(&self) -> Hash {
        let v = serde_json::to_value(self).unwrap_or_default();
        sha256(&crate::jcs::encode(&v).unwrap_or_default())
    }
}
