// What the app checks before it signs: impossible values are refused with a
// sentence saying what and how to fix it (nothing is signed), and figures
// that are possible but look wrong get a warning the person can override
// (the ledger records claims; the verifier judges them). Every text is a
// message id of app.ftl with its arguments.

/** A refusal of a form value: the message id and its arguments. */
export class Refusal extends Error {
  constructor(id, args = {}) {
    super(id);
    this.id = id;
    this.args = args;
  }
}

/**
 * Kilograms as people write them, with a decimal comma or point ("12,5",
 * "12.5", "1 250,000"), to integer grams, exactly (no floating point).
 */
export function grams(text) {
  const s = String(text).trim().replace(/[\s\u00a0\u202f]/g, '');
  const m = /^(\d{1,12})(?:[.,](\d{1,3}))?$/.exec(s);
  if (!m) throw new Refusal('app-bad-mass', { value: text });
  const g = Number(m[1]) * 1000 + Number((m[2] ?? '').padEnd(3, '0'));
  if (g <= 0) throw new Refusal('app-bad-mass-zero');
  if (!Number.isSafeInteger(g)) throw new Refusal('app-bad-mass', { value: text });
  return g;
}

/** A grade in percent ("65", "65,5", "0.75") to basis points, 0 to 10000. */
export function basisPoints(text) {
  const s = String(text).trim().replace(/%$/, '').trim();
  const m = /^(\d{1,3})(?:[.,](\d{1,2}))?$/.exec(s);
  if (!m) throw new Refusal('app-bad-grade', { value: text });
  const bp = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  if (bp > 10000) throw new Refusal('app-bad-grade-over', { value: text });
  return bp;
}

/** An id as spec/encoding.md section 2 allows it. */
export function id(text, what) {
  const s = String(text).trim();
  if (!/^[A-Za-z0-9][A-Za-z0-9._:+-]{0,63}$/.test(s)) throw new Refusal('app-bad-id', { what, value: text });
  return s;
}

/** Checks a tag against the site's allocated ranges (when the app knows them). */
export function tagInRanges(tag, ranges) {
  const dash = tag.lastIndexOf('-');
  const digits = tag.slice(dash + 1);
  if (dash < 1 || !/^\d{1,12}$/.test(digits)) throw new Refusal('app-bad-tag', { value: tag });
  if (!ranges || ranges.length === 0) return;
  const prefix = tag.slice(0, dash);
  const n = Number(digits);
  const ok = ranges.some((r) => r.prefix === prefix && digits.length === r.width && n >= r.first && n <= r.last);
  if (!ok) {
    const list = ranges.map((r) => `${r.prefix}-${String(r.first).padStart(r.width, '0')}…${String(r.last).padStart(r.width, '0')}`).join(', ');
    throw new Refusal('app-tag-not-in-ranges', { tag, ranges: list });
  }
}

/** How far the phone's clock is from the node's, in minutes, if more than 5. */
export function clockSkewMinutes(skewMs) {
  const minutes = Math.round(Math.abs(skewMs) / 60000);
  return minutes > 5 ? minutes : 0;
}

/** An amount as people write it ("1 250,50") to integer minor units of a currency with `decimals` places. */
export function money(text, decimals) {
  const s = String(text).trim().replace(/[\s\u00a0\u202f]/g, '');
  const m = /^(\d{1,13})(?:[.,](\d+))?$/.exec(s);
  if (!m || (m[2] ?? '').length > decimals) throw new Refusal('app-bad-amount', { value: text, decimals });
  const v = Number(m[1]) * 10 ** decimals + Number((m[2] ?? '').padEnd(decimals, '0') || 0);
  if (!Number.isSafeInteger(v)) throw new Refusal('app-bad-amount', { value: text, decimals });
  return v;
}

// ------------------------------------------------ pre-signing checks
//
// spec/verifier.md section 7: the verifier's own rules, with its formulas
// and figures, on what the phone holds (the lots' current figures and the
// pending offer), run before signing. Pinned by spec/vectors/precheck/,
// which the whole-log verifier generates: every vector must give exactly
// its findings (node/tests/browser/vectors.test.mjs).

/** The policy defaults of spec/verifier.md section 4 that the checks use. */
export const POLICY = {
  transfer: { mass_bp: 100, grade_bp: 200 },
  split: { mass_bp: 100, grade_bp: 200 },
  merge: { mass_bp: 100, grade_bp: 200 },
  processing: { assay_bp: 200, min_recovery_bp: { cassiterite: 3000, coltan: 1000, wolframite: 2500, gold: 3000 } },
  stock: { tolerance_bp: 100 },
  time: { backdating_days: 30, future_slack_minutes: 60 },
  plausibility: {
    grade_assay_bp: 100,
    max_grade_bp: { cassiterite: 7877, coltan: 8617, wolframite: 8053, gold: 10000 },
    max_package_g: { cassiterite: 100000, coltan: 100000, wolframite: 100000, gold: 5000 },
  },
};

const MINERAL_NAMES = { '2609.00.00': 'cassiterite', '2615.90.00': 'coltan', '2611.00.00': 'wolframite', '7108.12.00': 'gold' };
const DAY = 86_400_000n;
const B = (n) => BigInt(n);
// "x exceeds y by t": x × 10 000 > y × (10 000 + t); "below": x × 10 000 < y × (10 000 − t).
const exceeds = (a, ref, tol) => B(a) * 10000n > B(ref) * (10000n + B(tol));
const below = (a, ref, tol) => B(a) * 10000n < B(ref) * (tol >= 10000 ? 0n : 10000n - B(tol));
const diff = (a, b) => Math.abs(a - b);
const num = (big) => Number(big);

/**
 * The findings the verifier would make on `event` if it were recorded at
 * `now`, given the lots the phone holds: a list of {rule, severity,
 * figures, message, args}, where message is an app.ftl id.
 */
export function precheck({ event, lots, now, policy = POLICY }) {
  const out = [];
  const find = (rule, severity, figures, message, args = {}) => out.push({ rule, severity, figures, message, args });
  const lot = (id) => lots.find((l) => l.id === id);
  const p = policy;
  // grade-impossible, where a grade is first stated (spec/verifier.md rule family 14).
  const grade = (mineral, g) => {
    const max = p.plausibility.max_grade_bp[MINERAL_NAMES[mineral]];
    if (max !== undefined && g > max + p.plausibility.grade_assay_bp) {
      find('grade-impossible', 'error', { grade_bp: g, max_bp: max }, 'app-presign-grade-impossible');
    }
  };
  switch (event.type) {
    case 'lot.register': {
      grade(event.mineral, event.grade_bp);
      const packages = event.packages ?? 1;
      const per = Math.floor(event.mass_g / packages);
      const max = p.plausibility.max_package_g[MINERAL_NAMES[event.mineral]];
      if (max !== undefined && per > max) {
        find('package-mass', 'warning', { per_package_g: per, packages, max_g: max }, 'app-presign-package-mass');
      }
      break;
    }
    case 'lot.offer': {
      const l = lot(event.lot);
      if (!l) break;
      if (event.grade_bp !== l.grade_bp) grade(l.mineral, event.grade_bp);
      const f = { handed_over_g: event.mass_g, held_g: l.mass_g };
      if (exceeds(event.mass_g, l.mass_g, p.stock.tolerance_bp)) find('stock-balance', 'error', f, 'app-presign-offer-more');
      else if (below(event.mass_g, l.mass_g, p.transfer.mass_bp)) find('transfer-mass', 'warning', f, 'app-presign-offer-less');
      if (diff(event.grade_bp, l.grade_bp) > p.transfer.grade_bp) {
        find('transfer-grade', 'error', { offered_bp: event.grade_bp, held_bp: l.grade_bp }, 'app-presign-offer-grade');
      }
      break;
    }
    case 'lot.accept': {
      const l = lot(event.lot);
      const o = l?.offer;
      if (!o) break;
      if (event.grade_bp !== l.grade_bp) grade(l.mineral, event.grade_bp);
      if (exceeds(event.mass_g, o.mass_g, p.transfer.mass_bp) || below(event.mass_g, o.mass_g, p.transfer.mass_bp)) {
        const gain = event.mass_g > o.mass_g;
        find('transfer-mass', gain ? 'error' : 'warning', { handed_over_g: o.mass_g, received_g: event.mass_g }, gain ? 'app-presign-accept-more' : 'app-presign-accept-less');
      }
      if (diff(event.grade_bp, o.grade_bp) > p.transfer.grade_bp) {
        find('transfer-grade', 'error', { offered_bp: o.grade_bp, received_bp: event.grade_bp }, 'app-presign-accept-grade');
      }
      break;
    }
    case 'lot.split': {
      const l = lot(event.lot);
      if (!l) break;
      const sum = event.children.reduce((s, c) => s + c.mass_g, 0);
      if (exceeds(sum, l.mass_g, p.split.mass_bp)) find('split-mass', 'error', { children_g: sum, parent_g: l.mass_g }, 'app-presign-split-mass');
      for (const c of event.children) {
        grade(l.mineral, c.grade_bp);
        if (diff(c.grade_bp, l.grade_bp) > p.split.grade_bp) {
          find('split-grade', 'error', { child_bp: c.grade_bp, parent_bp: l.grade_bp }, 'app-presign-split-grade', { child: c.lot });
        }
      }
      break;
    }
    case 'lot.merge':
    case 'lot.process': {
      const ins = event.inputs.map((i) => lot(i.lot)).filter(Boolean);
      if (ins.length !== event.inputs.length) break;
      grade(ins[0].mineral, event.grade_bp);
      const sum = ins.reduce((s, l) => s + B(l.mass_g), 0n);
      const metalIn = ins.reduce((s, l) => s + B(l.mass_g) * B(l.grade_bp), 0n);
      const metalOut = B(event.mass_g) * B(event.grade_bp);
      if (event.type === 'lot.process') {
        const recovery = metalIn === 0n ? Number.MAX_SAFE_INTEGER : num((metalOut * 10000n) / metalIn);
        if (metalOut * 10000n > metalIn * (10000n + B(p.processing.assay_bp))) {
          find('processing-metal', 'error', { metal_in_g: num(metalIn / 10000n), metal_out_g: num(metalOut / 10000n), recovery_bp: recovery }, 'app-presign-process-metal');
        } else {
          const floor = p.processing.min_recovery_bp[MINERAL_NAMES[ins[0]?.mineral]];
          if (floor !== undefined && recovery < floor) {
            find('processing-recovery', 'warning', { recovery_bp: recovery, floor_bp: floor }, 'app-presign-process-recovery');
          }
        }
      } else {
        const weighted = sum === 0n ? 0 : num(metalIn / sum);
        const s = num(sum);
        if (exceeds(event.mass_g, s, p.merge.mass_bp) || below(event.mass_g, s, p.merge.mass_bp)) {
          const gain = event.mass_g > s;
          find('merge-mass', gain ? 'error' : 'warning', { inputs_g: s, output_g: event.mass_g }, gain ? 'app-presign-merge-more' : 'app-presign-merge-less');
        }
        if (diff(event.grade_bp, weighted) > p.merge.grade_bp) {
          find('merge-grade', 'error', { output_bp: event.grade_bp, weighted_mean_bp: weighted }, 'app-presign-merge-grade');
        }
      }
      break;
    }
    case 'lot.export': {
      const l = lot(event.lot);
      if (l && exceeds(event.mass_g, l.mass_g, p.stock.tolerance_bp)) {
        find('stock-balance', 'error', { exported_g: event.mass_g, held_g: l.mass_g }, 'app-presign-export-more');
      }
      break;
    }
    default:
  }
  if (event.type.startsWith('lot.')) {
    const t = B(event.time);
    const rec = B(now);
    if (rec > t && rec - t > B(p.time.backdating_days) * DAY) {
      find('back-dating', 'error', { claimed_ms: event.time, recorded_ms: now, delay_days: num((rec - t) / DAY) }, 'app-presign-back-dated');
    } else if (t > rec + B(p.time.future_slack_minutes) * 60000n) {
      find('future-dated', 'warning', { claimed_ms: event.time, recorded_ms: now }, 'app-presign-future-dated');
    }
  }
  return out;
}
