//! Rule family 14 (`spec/verifier.md` section 3): whether one event's
//! figure, place or time is possible at all, and whether it agrees with
//! what the registry itself holds.

use super::{Analyzer, F, Seen, distance_m, here, i};
use crate::event::{Body, Licence, LotRegister, Point, SiteRecord};
use crate::state::SiteState;
use crate::text::{kg, percent as pct};
use crate::types::{Id, Mineral};
use crate::verify::{EventRef, FindingRule, Severity, msg};

const HOUR: u64 = 3_600_000;

/// Latitude and longitude extents, microdegrees, of the countries the
/// spec's table names: (code, south, north, west, east).
const BOXES: [(&str, i64, i64, i64, i64); 4] = [
    ("CD", -13_460_000, 5_390_000, 12_200_000, 31_310_000),
    ("RW", -2_840_000, -1_050_000, 28_860_000, 30_900_000),
    ("BI", -4_470_000, -2_310_000, 29_000_000, 30_850_000),
    ("UG", -1_480_000, 4_230_000, 29_570_000, 35_000_000),
];

/// How far outside `country`'s box `p` lies, km (0 inside); `None` for a
/// country the table does not hold. A latitude degree is 111.2 km; a
/// longitude degree is taken at the latitude farthest from the equator of
/// the box's edges and the point, where it is narrowest, so the distance
/// is never overstated.
pub(super) fn outside_km(country: &str, p: Point) -> Option<f64> {
    let &(_, s, n, w, e) = BOXES.iter().find(|b| b.0 == country)?;
    let (lat, lon) = (p.lat_e6.0, p.lon_e6.0);
    let km_per_deg = 111.195;
    let dlat = (s - lat).max(lat - n).max(0) as f64 / 1e6;
    let farthest = s.abs().max(n.abs()).max(lat.abs());
    let wide = (farthest as f64 / 1e6).to_radians().cos();
    let dlon = (w - lon).max(lon - e).max(0) as f64 / 1e6;
    Some((dlat * km_per_deg).hypot(dlon * km_per_deg * wide))
}

impl Analyzer {
    /// Family 14 on entries that are not lot registrations (those go
    /// through [`Analyzer::register_plausible`], which has the site).
    pub(super) fn plausible(&mut self, s: &Seen<'_>) {
        if s.signer.is_some() {
            // Kept without allocating: this runs for every signed entry.
            let t = s.event.time.0;
            let latest = (t, s.index, *s.leaf_hash, s.event.type_name());
            let e = self.key_claims.entry(s.event.key).or_insert(latest);
            if t > e.0 {
                *e = latest;
            }
        }
        match &s.event.body {
            Body::SiteRegister(b) => self.site_place(s, &b.site),
            Body::SiteUpdate(b) => self.site_place(s, &b.site),
            Body::SiteInspect(b) => {
                let date = b.inspection.date.0;
                let slack = self.policy.time.order_slack_hours * HOUR;
                if date > s.record_time.saturating_add(slack) {
                    let (sid, n) = (&b.site, s.index);
                    let days = (date - s.record_time) / 86_400_000;
                    let d = crate::time::rfc3339(date);
                    self.push(F {
                        rule: FindingRule::InspectionAfterRecord,
                        severity: Severity::Error,
                        lots: Vec::new(),
                        events: vec![here(s)],
                        actors: s.signer.map(|a| vec![a.to_string()]).unwrap_or_default(),
                        figures: vec![
                            ("inspection_date_ms", i(date)),
                            ("recorded_ms", i(s.record_time)),
                        ],
                        tolerance: Some(format!("{} hours", self.policy.time.order_slack_hours)),
                        msg: msg!("finding-inspection-after-record", n, sid, d, days),
                    });
                }
            }
            Body::LicenceGrant(b) => {
                if let Some(site) = &b.licence.site {
                    let l: &Licence = &b.licence;
                    self.licences.entry(site.to_string()).or_default().push((
                        l.granted.0,
                        l.expires.0,
                        l.minerals.clone(),
                    ));
                }
            }
            Body::KeyRevoke(b) => {
                let slack = self.policy.time.future_slack_minutes * 60_000;
                let t = s.event.time.0;
                if let Some(&(claim, index, leaf, kind)) = self.key_claims.get(&b.revoked)
                    && claim > t.saturating_add(slack)
                {
                    let at = EventRef {
                        index,
                        leaf_hash: leaf.to_base64(),
                        kind: kind.to_owned(),
                    };
                    let (key, n, m) = (b.revoked.to_string(), s.index, at.index);
                    let (rev, signed) = (crate::time::rfc3339(t), crate::time::rfc3339(claim));
                    self.push(F {
                        rule: FindingRule::ClaimedAfterRevocation,
                        severity: Severity::Error,
                        lots: Vec::new(),
                        events: vec![at, here(s)],
                        actors: vec![b.actor.to_string()],
                        figures: vec![("revoked_ms", i(t)), ("claimed_ms", i(claim))],
                        tolerance: Some(format!(
                            "{} minutes",
                            self.policy.time.future_slack_minutes
                        )),
                        msg: msg!("finding-claimed-after-revocation", n, key, rev, m, signed),
                    });
                }
            }
            _ => {}
        }
    }

    /// `site-outside-country`.
    fn site_place(&mut self, s: &Seen<'_>, site: &SiteRecord) {
        let cc = site.country.to_string();
        let border = self.policy.plausibility.border_km;
        let Some(off) = outside_km(&cc, site.location.point()) else {
            return;
        };
        if off <= border as f64 {
            return;
        }
        let (sid, n, km) = (&site.id, s.index, format!("{off:.0}"));
        let (lat, lon) = (site.location.lat_e6.0, site.location.lon_e6.0);
        let at = format!("{:.4}, {:.4}", lat as f64 / 1e6, lon as f64 / 1e6);
        self.push(F {
            rule: FindingRule::SiteOutsideCountry,
            severity: Severity::Error,
            lots: Vec::new(),
            events: vec![here(s)],
            actors: Vec::new(),
            figures: vec![
                ("lat_e6", lat),
                ("lon_e6", lon),
                ("outside_km", off.round() as i64),
            ],
            tolerance: Some(format!("{border} km")),
            msg: msg!("finding-site-outside-country", n, sid, at, cc, km),
        });
    }

    /// `grade-impossible` on a grade an event states for `lot`.
    pub(super) fn grade_possible(&mut self, s: &Seen<'_>, lot: &Id, mineral: Mineral, grade: u64) {
        let p = &self.policy.plausibility;
        let max = p.max_grade_bp.of(mineral);
        let tol = p.grade_assay_bp;
        if grade <= max.saturating_add(tol) {
            return;
        }
        let (n, g, m) = (s.index, pct(grade), pct(max));
        self.push(F {
            rule: FindingRule::GradeImpossible,
            severity: Severity::Error,
            lots: vec![lot.to_string()],
            events: vec![here(s)],
            actors: s.signer.map(|a| vec![a.to_string()]).unwrap_or_default(),
            figures: vec![("grade_bp", i(grade)), ("max_bp", i(max))],
            tolerance: Some(format!("{} grade points", pct(tol).trim_end_matches(" %"))),
            msg: msg!(
                "finding-grade-impossible",
                n,
                lot,
                g,
                mineral = crate::verify::Arg::Mineral(mineral),
                m
            ),
        });
    }

    /// Family 14 on a `lot.register`, with its site as the state holds it.
    pub(super) fn register_plausible<S: crate::state::StateRead + ?Sized>(
        &mut self,
        state: &S,
        s: &Seen<'_>,
        b: &LotRegister,
        site: Option<&SiteState>,
    ) -> Result<(), crate::state::StateError> {
        let (lot, sid, n, t) = (&b.lot, &b.site, s.index, s.event.time.0);
        let signer =
            || -> Vec<String> { s.signer.map(|a| vec![a.to_string()]).unwrap_or_default() };
        self.grade_possible(s, lot, b.mineral, u64::from(b.grade_bp.0));
        // A bag one or two porters carry.
        let packages = b.packages.map_or(1, |p| u64::from(p.0));
        let per = b.mass_g.0 / packages;
        let max = self.policy.plausibility.max_package_g.of(b.mineral);
        if per > max {
            let (pk, mk) = (kg(per), kg(max));
            self.push(F {
                rule: FindingRule::PackageMass,
                severity: Severity::Warning,
                lots: vec![lot.to_string()],
                events: vec![here(s)],
                actors: signer(),
                figures: vec![
                    ("per_package_g", i(per)),
                    ("packages", i(packages)),
                    ("max_g", i(max)),
                ],
                tolerance: None,
                msg: msg!("finding-package-mass", n, lot, packages, pk, mk),
            });
        }
        let Some(st) = site else {
            return Ok(());
        };
        // The registering cooperative works in the site's country.
        if let Some(a) = s.signer
            && let Some(actor) = state.actor(a)?
            && actor.profile.country != st.record.country
        {
            let (ac, sc) = (
                actor.profile.country.to_string(),
                st.record.country.to_string(),
            );
            self.push(F {
                rule: FindingRule::OperatorCountry,
                severity: Severity::Error,
                lots: vec![lot.to_string()],
                events: vec![here(s)],
                actors: signer(),
                figures: Vec::new(),
                tolerance: None,
                msg: msg!("finding-operator-country", n, lot, a, ac, sid, sc),
            });
        }
        // The bag was weighed at the site.
        if let Some(g) = b.gps {
            let km = distance_m(g, st.record.location.point()) / 1000.0;
            let max = self.policy.plausibility.max_site_km;
            if km > max as f64 {
                let d = format!("{km:.0}");
                self.push(F {
                    rule: FindingRule::GpsFar,
                    severity: Severity::Warning,
                    lots: vec![lot.to_string()],
                    events: vec![here(s)],
                    actors: signer(),
                    figures: vec![("distance_km", km.round() as i64)],
                    tolerance: Some(format!("{max} km")),
                    msg: msg!("finding-gps-far", n, lot, d, sid),
                });
            }
        }
        // Produced before the registry knew the site.
        let slack = self.policy.time.order_slack_hours * HOUR;
        if let Some(info) = self.sites.get(sid.as_str())
            && t.saturating_add(slack) < info.registered
        {
            let reg = info.registered;
            let (c, r) = (crate::time::rfc3339(t), crate::time::rfc3339(reg));
            self.push(F {
                rule: FindingRule::BeforeSiteRegistered,
                severity: Severity::Error,
                lots: vec![lot.to_string()],
                events: vec![here(s)],
                actors: signer(),
                figures: vec![("claimed_ms", i(t)), ("site_registered_ms", i(reg))],
                tolerance: Some(format!("{} hours", self.policy.time.order_slack_hours)),
                msg: msg!("finding-before-site-registered", n, lot, c, sid, r),
            });
        }
        // Under a licence that covers the mineral then.
        if let Some(ls) = self.licences.get(sid.as_str())
            && !ls
                .iter()
                .any(|(from, to, ms)| *from <= t && t <= *to && ms.contains(&b.mineral))
        {
            let c = crate::time::rfc3339(t);
            let count = ls.len();
            self.push(F {
                rule: FindingRule::LicenceLapsed,
                severity: Severity::Error,
                lots: vec![lot.to_string()],
                events: vec![here(s)],
                actors: signer(),
                figures: vec![("claimed_ms", i(t)), ("licences", i(count as u64))],
                tolerance: None,
                msg: msg!(
                    "finding-licence-lapsed",
                    n,
                    lot,
                    sid,
                    c,
                    mineral = crate::verify::Arg::Mineral(b.mineral),
                    count
                ),
            });
        }
        Ok(())
    }
}
