// A QR code encoder for label payloads (spec/tags.md section 5), written for
// the field app from ISO/IEC 18004: error correction level M, versions 1 to
// 10, byte and alphanumeric modes, so the app draws a label's QR code with
// no network. It makes the same symbol as the node's tag printer
// (tag-printer/src/qr.rs) for the same segments: the same mask penalty, ties
// to the lowest mask number. Plain ES module, no dependencies, no I/O.
//
//   encode(text) -> { version, size, mask, segments, modules }
//   svg(text, { quiet: 4, label }) -> an <svg> element built with DOM calls
//
// `modules` is a Uint8Array of size x size, row by row from the top left,
// 1 for a dark module; the quiet zone is not included.

/** Highest version a label prints (spec/tags.md section 5): 57 x 57 modules. */
export const MAX_VERSION = 10;

/** Light modules on every side of a drawn symbol (ISO/IEC 18004 minimum). */
export const QUIET_ZONE = 4;

/** A text that does not fit a version 10 symbol at level M. */
export class QrTooLarge extends Error {
  constructor(bytes) {
    super(`a text of ${bytes} bytes does not fit a version ${MAX_VERSION} QR code at error correction M`);
    this.name = 'QrTooLarge';
    this.bytes = bytes;
  }
}

// Level M, per version 1..10: error correction codewords per block, then
// [blocks, data codewords per block] for each group (ISO/IEC 18004 table 9).
const BLOCKS_M = [
  null,
  [10, [1, 16]],
  [16, [1, 28]],
  [26, [1, 44]],
  [18, [2, 32]],
  [24, [2, 43]],
  [16, [4, 27]],
  [18, [4, 31]],
  [22, [2, 38], [2, 39]],
  [22, [3, 36], [2, 37]],
  [26, [4, 43], [1, 44]],
];

// Centres of the alignment patterns, per version (ISO/IEC 18004 annex E).
const ALIGNMENT = [
  null, [], [6, 18], [6, 22], [6, 26], [6, 30], [6, 34],
  [6, 22, 38], [6, 24, 42], [6, 26, 46], [6, 28, 50],
];

/** The QR alphanumeric set, in the order of its values 0..44 (table 5). */
const ALNUM = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';

const MODE_ALNUM = 0b0010;
const MODE_BYTE = 0b0100;

/** Data codewords a version holds at level M. */
function dataCodewords(version) {
  const [, ...groups] = BLOCKS_M[version];
  return groups.reduce((n, [blocks, words]) => n + blocks * words, 0);
}

/** Bits of the character count indicator (table 3), versions 1-9 and 10-26. */
function countBits(mode, version) {
  if (mode === MODE_BYTE) return version < 10 ? 8 : 16;
  return version < 10 ? 9 : 11;
}

/** Bits one segment takes in `version`: mode, count and data. */
function segmentBits(seg, version) {
  const n = seg.bytes.length;
  const data = seg.mode === MODE_BYTE ? 8 * n : 11 * Math.floor(n / 2) + 6 * (n % 2);
  return 4 + countBits(seg.mode, version) + data;
}

/**
 * The segmentations tried, in order, as spec/tags.md section 5 describes:
 * one byte segment for the whole text; one byte segment followed by one
 * alphanumeric segment holding the longest suffix of the text that is in the
 * alphanumeric set (for a label payload that suffix starts at the tag's last
 * hyphen or earlier, so it never takes more bits than the split the spec
 * counts with). The tag printer tries the same two, in the same order, and
 * then the qrcode crate's own.
 */
function segmentations(bytes) {
  let split = bytes.length;
  while (split > 0 && ALNUM.includes(String.fromCharCode(bytes[split - 1]))) split--;
  const single = [{ mode: MODE_BYTE, bytes }];
  if (split === bytes.length) return [single];
  const alnum = { mode: MODE_ALNUM, bytes: bytes.subarray(split) };
  return [single, split === 0 ? [alnum] : [{ mode: MODE_BYTE, bytes: bytes.subarray(0, split) }, alnum]];
}

/** Appends `n` bits of `value`, most significant first. */
function pushBits(bits, value, n) {
  for (let i = n - 1; i >= 0; i--) bits.push((value >>> i) & 1);
}

/** The data codewords for `segments` in `version`: segments, terminator, padding (section 7.4). */
function dataBytes(segments, version) {
  const capacity = 8 * dataCodewords(version);
  const bits = [];
  for (const seg of segments) {
    pushBits(bits, seg.mode, 4);
    pushBits(bits, seg.bytes.length, countBits(seg.mode, version));
    if (seg.mode === MODE_BYTE) {
      for (const b of seg.bytes) pushBits(bits, b, 8);
    } else {
      const v = Array.from(seg.bytes, (b) => ALNUM.indexOf(String.fromCharCode(b)));
      for (let i = 0; i + 1 < v.length; i += 2) pushBits(bits, 45 * v[i] + v[i + 1], 11);
      if (v.length % 2) pushBits(bits, v[v.length - 1], 6);
    }
  }
  pushBits(bits, 0, Math.min(4, capacity - bits.length));
  while (bits.length % 8) bits.push(0);
  const out = new Uint8Array(capacity / 8);
  let i = 0;
  for (; i < bits.length / 8; i++) {
    let b = 0;
    for (let k = 0; k < 8; k++) b = (b << 1) | bits[8 * i + k];
    out[i] = b;
  }
  for (let pad = 0; i < out.length; i++, pad++) out[i] = pad % 2 ? 0x11 : 0xec;
  return out;
}

// GF(256) with the primitive polynomial x^8 + x^4 + x^3 + x^2 + 1 (0x11d).
const EXP = new Uint8Array(512);
const LOG = new Uint8Array(256);
for (let i = 0, x = 1; i < 255; i++) {
  EXP[i] = x;
  LOG[x] = i;
  x <<= 1;
  if (x & 0x100) x ^= 0x11d;
}
for (let i = 255; i < 512; i++) EXP[i] = EXP[i - 255];

const mul = (a, b) => (a && b ? EXP[LOG[a] + LOG[b]] : 0);

/** The generator polynomial (x - a^0)(x - a^1)...(x - a^(n-1)), highest coefficient first. */
function generator(n) {
  let g = [1];
  for (let i = 0; i < n; i++) {
    const next = new Array(g.length + 1).fill(0);
    for (let j = 0; j < g.length; j++) {
      next[j] ^= g[j];
      next[j + 1] ^= mul(g[j], EXP[i]);
    }
    g = next;
  }
  return g;
}

/** The Reed-Solomon error correction codewords of one block. */
function ecCodewords(data, n) {
  const g = generator(n);
  const rem = new Uint8Array(n);
  for (const d of data) {
    const factor = d ^ rem[0];
    rem.copyWithin(0, 1);
    rem[n - 1] = 0;
    for (let j = 0; j < n; j++) rem[j] ^= mul(g[j + 1], factor);
  }
  return rem;
}

/** The final codeword sequence: blocks' data interleaved, then their EC interleaved (section 7.6). */
function codewords(data, version) {
  const [ecLen, ...groups] = BLOCKS_M[version];
  const blocks = [];
  let at = 0;
  for (const [count, words] of groups) {
    for (let b = 0; b < count; b++) {
      const d = data.subarray(at, at + words);
      at += words;
      blocks.push({ d, e: ecCodewords(d, ecLen) });
    }
  }
  const out = [];
  const longest = Math.max(...blocks.map((b) => b.d.length));
  for (let i = 0; i < longest; i++) for (const b of blocks) if (i < b.d.length) out.push(b.d[i]);
  for (let i = 0; i < ecLen; i++) for (const b of blocks) out.push(b.e[i]);
  return out;
}

/** The BCH(15,5) format information for level M and `mask` (section 7.9). */
function formatBits(mask) {
  const data = (0b00 << 3) | mask; // level M is 00
  let rem = data;
  for (let i = 0; i < 10; i++) rem = (rem << 1) ^ ((rem >>> 9) * 0x537);
  return ((data << 10) | rem) ^ 0x5412;
}

/** The BCH(18,6) version information (section 7.10), versions 7 and up. */
function versionBits(version) {
  let rem = version;
  for (let i = 0; i < 12; i++) rem = (rem << 1) ^ ((rem >>> 11) * 0x1f25);
  return (version << 12) | rem;
}

/** A symbol being drawn: modules and which of them are function patterns. */
class Grid {
  constructor(version) {
    this.size = 17 + 4 * version;
    this.dark = new Uint8Array(this.size * this.size);
    this.fixed = new Uint8Array(this.size * this.size);
  }

  set(x, y, dark) {
    const i = y * this.size + x;
    this.dark[i] = dark ? 1 : 0;
    this.fixed[i] = 1;
  }
}

/** Finders with their separators, timing, alignment, version information, dark module; format areas reserved. */
function drawFunctionPatterns(g, version) {
  const n = g.size;
  for (let i = 0; i < n; i++) {
    g.set(6, i, i % 2 === 0);
    g.set(i, 6, i % 2 === 0);
  }
  for (const [cx, cy] of [[3, 3], [n - 4, 3], [3, n - 4]]) {
    for (let dy = -4; dy <= 4; dy++) {
      for (let dx = -4; dx <= 4; dx++) {
        const x = cx + dx;
        const y = cy + dy;
        if (x < 0 || y < 0 || x >= n || y >= n) continue;
        const ring = Math.max(Math.abs(dx), Math.abs(dy));
        g.set(x, y, ring !== 2 && ring !== 4);
      }
    }
  }
  const centres = ALIGNMENT[version];
  const last = centres.length - 1;
  centres.forEach((cy, i) => centres.forEach((cx, j) => {
    if ((i === 0 && j === 0) || (i === 0 && j === last) || (i === last && j === 0)) return;
    for (let dy = -2; dy <= 2; dy++) {
      for (let dx = -2; dx <= 2; dx++) g.set(cx + dx, cy + dy, Math.max(Math.abs(dx), Math.abs(dy)) !== 1);
    }
  }));
  drawFormat(g, 0); // reserves the format areas; drawn again for each mask
  if (version >= 7) {
    const bits = versionBits(version);
    for (let i = 0; i < 18; i++) {
      const dark = (bits >>> i) & 1;
      const a = n - 11 + (i % 3);
      const b = Math.floor(i / 3);
      g.set(a, b, dark);
      g.set(b, a, dark);
    }
  }
  g.set(8, n - 8, true);
}

/** Both copies of the format information, bit 0 the least significant. */
function drawFormat(g, mask) {
  const n = g.size;
  const bits = formatBits(mask);
  const bit = (i) => (bits >>> i) & 1;
  for (let i = 0; i <= 5; i++) g.set(8, i, bit(i));
  g.set(8, 7, bit(6));
  g.set(8, 8, bit(7));
  g.set(7, 8, bit(8));
  for (let i = 9; i < 15; i++) g.set(14 - i, 8, bit(i));
  for (let i = 0; i < 8; i++) g.set(n - 1 - i, 8, bit(i));
  for (let i = 8; i < 15; i++) g.set(8, n - 15 + i, bit(i));
}

/** Places the codewords' bits in the two-column zigzag from the bottom right (section 7.7.3). */
function drawCodewords(g, words) {
  const n = g.size;
  const total = words.length * 8;
  let i = 0;
  for (let right = n - 1; right >= 1; right -= 2) {
    if (right === 6) right = 5;
    const upward = ((right + 1) & 2) === 0;
    for (let v = 0; v < n; v++) {
      const y = upward ? n - 1 - v : v;
      for (const x of [right, right - 1]) {
        const at = y * n + x;
        if (g.fixed[at]) continue;
        // Remainder bits past the last codeword stay light (0).
        g.dark[at] = i < total ? (words[i >>> 3] >>> (7 - (i & 7))) & 1 : 0;
        i++;
      }
    }
  }
}

/** The eight data masks by reference 000..111 (table 10); x is the column, y the row. */
const MASKS = [
  (x, y) => (x + y) % 2 === 0,
  (x, y) => y % 2 === 0,
  (x) => x % 3 === 0,
  (x, y) => (x + y) % 3 === 0,
  (x, y) => (Math.floor(y / 2) + Math.floor(x / 3)) % 2 === 0,
  (x, y) => ((x * y) % 2) + ((x * y) % 3) === 0,
  (x, y) => (((x * y) % 2) + ((x * y) % 3)) % 2 === 0,
  (x, y) => (((x + y) % 2) + ((x * y) % 3)) % 2 === 0,
];

/**
 * The mask penalty of section 7.8.3 as the tag printer counts it (and the
 * Rust qrcode crate, up to a constant): a run of L >= 5 alike modules in a
 * row or column scores L - 2; each 2 x 2 block of one colour 3; each
 * 1:1:3:1:1 finder-like pattern with four light modules before or after it
 * (outside the symbol counts as light) 40; and the balance |200 x dark /
 * total - 100| (integer division).
 */
function penalty(dark, n) {
  let score = 0;
  const line = new Uint8Array(n);
  for (let dir = 0; dir < 2; dir++) {
    for (let a = 0; a < n; a++) {
      for (let b = 0; b < n; b++) line[b] = dir ? dark[b * n + a] : dark[a * n + b];
      let run = 1;
      for (let b = 1; b <= n; b++) {
        if (b < n && line[b] === line[b - 1]) {
          run++;
        } else {
          if (run >= 5) score += run - 2;
          run = 1;
        }
      }
      for (let j = 0; j + 7 <= n; j++) {
        if (!(line[j] && !line[j + 1] && line[j + 2] && line[j + 3] && line[j + 4] && !line[j + 5] && line[j + 6])) continue;
        let before = true;
        for (let k = Math.max(0, j - 4); k < j; k++) if (line[k]) before = false;
        let after = true;
        for (let k = j + 7; k < Math.min(n, j + 11); k++) if (line[k]) after = false;
        if (before || after) score += 40;
      }
    }
  }
  for (let y = 0; y + 1 < n; y++) {
    for (let x = 0; x + 1 < n; x++) {
      const c = dark[y * n + x];
      if (c === dark[y * n + x + 1] && c === dark[(y + 1) * n + x] && c === dark[(y + 1) * n + x + 1]) score += 3;
    }
  }
  let count = 0;
  for (const d of dark) count += d;
  return score + Math.abs(Math.floor((count * 200) / (n * n)) - 100);
}

/** UTF-8 bytes of `text` (label payloads are ASCII). */
function utf8(text) {
  return new TextEncoder().encode(text);
}

/**
 * Encodes `text` at level M in the smallest version from 1 to 10 that holds
 * one of the segmentations of spec/tags.md section 5 (at that version, the
 * one of fewer bits; the single byte segment on a tie), with the mask of
 * lowest penalty (ties to the lowest mask number).
 * Throws QrTooLarge when version 10 cannot hold it.
 */
export function encode(text) {
  const bytes = utf8(String(text));
  const options = segmentations(bytes);
  let version = 0;
  let segments = null;
  for (let v = 1; v <= MAX_VERSION && !segments; v++) {
    const capacity = 8 * dataCodewords(v);
    let best = null;
    for (const segs of options) {
      const bits = segs.reduce((s, seg) => s + segmentBits(seg, v), 0);
      if (bits <= capacity && (!best || bits < best.bits)) best = { bits, segs };
    }
    if (best) {
      version = v;
      segments = best.segs;
    }
  }
  if (!segments) throw new QrTooLarge(bytes.length);
  const g = new Grid(version);
  drawFunctionPatterns(g, version);
  drawCodewords(g, codewords(dataBytes(segments, version), version));
  const n = g.size;
  let best = null;
  for (let mask = 0; mask < 8; mask++) {
    const m = new Grid(version);
    m.dark.set(g.dark);
    m.fixed.set(g.fixed);
    const test = MASKS[mask];
    for (let y = 0; y < n; y++) {
      for (let x = 0; x < n; x++) {
        const at = y * n + x;
        if (!g.fixed[at] && test(x, y)) m.dark[at] ^= 1;
      }
    }
    drawFormat(m, mask);
    const score = penalty(m.dark, n);
    if (!best || score < best.score) best = { score, mask, modules: m.dark };
  }
  return {
    version,
    size: n,
    mask: best.mask,
    segments: segments.map((s) => ({ mode: s.mode === MODE_BYTE ? 'byte' : 'alphanumeric', length: s.bytes.length })),
    modules: best.modules,
  };
}

/**
 * Horizontal runs of dark modules of an encoded symbol as [row, column,
 * length]: one rectangle per run keeps the drawing small and free of seams.
 */
export function darkRuns({ size, modules }) {
  const runs = [];
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      if (!modules[y * size + x]) continue;
      const start = x;
      while (x < size && modules[y * size + x]) x++;
      runs.push([y, start, x - start]);
    }
  }
  return runs;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/**
 * `text` as an <svg> element (DOM calls only, no markup from strings): one
 * unit per module, `quiet` light modules around it (default 4), black on
 * white whatever the page's colours. `label` becomes its accessible name.
 * Throws QrTooLarge as encode() does.
 */
export function svg(text, { quiet = QUIET_ZONE, label } = {}) {
  const code = encode(text);
  const side = code.size + 2 * quiet;
  const el = document.createElementNS(SVG_NS, 'svg');
  el.setAttribute('viewBox', `0 0 ${side} ${side}`);
  el.setAttribute('shape-rendering', 'crispEdges');
  el.setAttribute('data-version', String(code.version));
  if (label) {
    el.setAttribute('role', 'img');
    el.setAttribute('aria-label', label);
  }
  const bg = document.createElementNS(SVG_NS, 'rect');
  bg.setAttribute('width', String(side));
  bg.setAttribute('height', String(side));
  bg.setAttribute('fill', '#fff');
  const path = document.createElementNS(SVG_NS, 'path');
  path.setAttribute('fill', '#000');
  path.setAttribute('d', darkRuns(code).map(([y, x, len]) => `M${x + quiet} ${y + quiet}h${len}v1h-${len}z`).join(''));
  el.append(bg, path);
  return el;
}
