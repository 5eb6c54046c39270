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

/**
 * Warnings before accepting a lot: the receiver's figures against the
 * giver's. Returns a list of {id, args}.
 */
export function acceptWarnings(offered, measured, fmt) {
  const w = [];
  if (measured.mass_g > offered.mass_g) {
    w.push({ id: 'app-warn-accept-more', args: { measured: fmt.kg(measured.mass_g), offered: fmt.kg(offered.mass_g) } });
  } else if (measured.mass_g < offered.mass_g * 0.95) {
    w.push({ id: 'app-warn-accept-less', args: { measured: fmt.kg(measured.mass_g), offered: fmt.kg(offered.mass_g) } });
  }
  if (Math.abs(measured.grade_bp - offered.grade_bp) > 500) {
    w.push({ id: 'app-warn-accept-grade', args: { measured: fmt.pct(measured.grade_bp), offered: fmt.pct(offered.grade_bp) } });
  }
  return w;
}

/** Warnings before offering: figures that differ from the lot's. */
export function offerWarnings(lot, offer, fmt) {
  const w = [];
  if (offer.mass_g > lot.mass_g) {
    w.push({ id: 'app-warn-offer-more', args: { offered: fmt.kg(offer.mass_g), held: fmt.kg(lot.mass_g) } });
  }
  return w;
}

/** Warnings before registering: a bag heavier than one person can carry, a grade no ore has. */
export function registerWarnings(lot, fmt) {
  const w = [];
  if (lot.mass_g > 100_000) w.push({ id: 'app-warn-heavy-bag', args: { mass: fmt.kg(lot.mass_g) } });
  if (lot.grade_bp > 8000 && lot.mineral !== '7108.12.00') w.push({ id: 'app-warn-grade-high', args: { grade: fmt.pct(lot.grade_bp) } });
  return w;
}
