// The field app's QR encoder (node/assets/js/qr.js, spec/tags.md section 5)
// against three independent readers of a QR code:
// - zbarimg (Debian zbar-tools) decodes every tag vector's payload and every
//   length of three kinds of text up to and past version 10's capacity,
//   drawn to PNG here, and gives back the exact text;
// - the tag printer's matrices in spec/vectors/qr/ (Rust, the qrcode crate's
//   Reed-Solomon and placement, tag-printer's mask choice): module for
//   module the same, mask included;
// - the node's GET /v1/qr (the qrcode crate alone, its own segmentation and
//   mask choice): module for module the same wherever both use one segment.
// Version 11 is refused with an error. In Chromium, svg() draws a symbol
// that zbarimg reads from a screenshot, and encoding a label payload is timed
// (median of 1000), with qr.js's size raw and gzip.
//
// Without zbarimg the zbar parts say so and pass, unless MADINI_REQUIRE_ZBAR
// is set (CI sets it), when they fail.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32, deflateSync, gzipSync } from 'node:zlib';
import { encode, QrTooLarge, MAX_VERSION } from '../../assets/js/qr.js';
import { startNode, launch, artefact, tempdir } from './lib.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const vectors = join(here, '..', '..', '..', 'spec', 'vectors');
const QR_JS = join(here, '..', '..', 'assets', 'js', 'qr.js');
const read = (dir) => readdirSync(join(vectors, dir)).filter((f) => f.endsWith('.json')).sort()
  .map((f) => ({ name: `${dir}/${f}`, ...JSON.parse(readFileSync(join(vectors, dir, f), 'utf8')) }));

// Data codewords per version at level M (ISO/IEC 18004 table 7), kept here
// apart from qr.js so the expected versions do not come from the code tested.
const DATA_M = [16, 28, 44, 64, 86, 108, 124, 154, 182, 216];
/** The most characters one byte-mode or one alphanumeric-mode segment holds in version v at level M. */
function capacity(v, mode) {
  const bits = 8 * DATA_M[v - 1] - 4;
  if (mode === 'byte') return Math.floor((bits - (v < 10 ? 8 : 16)) / 8);
  const free = bits - (v < 10 ? 9 : 11);
  return 2 * Math.floor(free / 11) + (free % 11 >= 6 ? 1 : 0);
}
const smallest = (n, mode) => DATA_M.findIndex((_, i) => capacity(i + 1, mode) >= n) + 1;

const cycle = (alphabet, n) => Array.from({ length: n }, (_, i) => alphabet[i % alphabet.length]).join('');
const LOWER = 'madini-tag_';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ/-';
const PREFIX = 'https://registry.example/lots/lot_0001#1/';

/** A grey-scale PNG of the symbol: `scale` pixels a module, a four-module quiet zone. */
function png({ size, modules }, scale = 3, quiet = 4) {
  const side = (size + 2 * quiet) * scale;
  const raw = Buffer.alloc((side + 1) * side, 255);
  for (let y = 0; y < side; y++) {
    raw[y * (side + 1)] = 0; // filter: none
    const my = Math.floor(y / scale) - quiet;
    for (let x = 0; x < side; x++) {
      const mx = Math.floor(x / scale) - quiet;
      if (mx >= 0 && my >= 0 && mx < size && my < size && modules[my * size + mx]) raw[y * (side + 1) + 1 + x] = 0;
    }
  }
  const chunk = (type, data) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), 8 + data.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(side, 0);
  ihdr.writeUInt32BE(side, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // grey
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

const haveZbar = spawnSync('zbarimg', ['--version']).status === 0;
/** Skips (or fails, under MADINI_REQUIRE_ZBAR) a test that needs zbarimg. */
function needZbar(t) {
  if (haveZbar) return true;
  assert.ok(!process.env.MADINI_REQUIRE_ZBAR, 'zbarimg is required (MADINI_REQUIRE_ZBAR) but not installed (Debian zbar-tools)');
  t.skip('zbarimg is not installed (Debian zbar-tools)');
  return false;
}

/** Decodes PNG files with one zbarimg run: the text each holds, or null. */
function zbar(files) {
  const r = spawnSync('zbarimg', ['--xml', '-q', ...files], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const found = new Map();
  for (const m of r.stdout.matchAll(/<source href='([^']*)'>([\s\S]*?)<\/source>/g)) {
    const data = [...m[2].matchAll(/<data><!\[CDATA\[([\s\S]*?)\]\]><\/data>/g)].map((d) => d[1]);
    found.set(m[1], data.length === 1 ? data[0] : null);
  }
  return files.map((f) => found.get(f) ?? null);
}

/** Rows of '0' and '1', as spec/vectors/qr/ holds them. */
const rows = ({ size, modules }) => Array.from({ length: size },
  (_, y) => Array.from(modules.subarray(y * size, (y + 1) * size)).join(''));

test('zbarimg reads back every tag vector payload and every length of text up to version 10', (t) => {
  if (!needZbar(t)) return;
  const dir = tempdir('qr');
  const texts = [];
  for (const v of read('tags')) texts.push({ what: v.name, text: v.payload, version: v.qr_version_m });
  // One segment of one mode: the version is the smallest whose capacity
  // holds it. A payload-like text (a byte-mode prefix, then upper case): read
  // back, and never a larger version than one byte segment.
  for (const mode of ['byte', 'alphanumeric']) {
    const alphabet = mode === 'byte' ? LOWER : UPPER;
    for (let n = 1; n <= capacity(MAX_VERSION, mode) + 3; n++) {
      texts.push({ what: `${mode} ${n}`, text: cycle(alphabet, n), version: smallest(n, mode) || undefined, mode });
    }
  }
  for (let n = 1; n <= 260; n++) texts.push({ what: `payload-like ${n}`, text: PREFIX + cycle(UPPER, n) });
  const files = [];
  const encoded = [];
  let refused = 0;
  for (const [i, c] of texts.entries()) {
    let code;
    try {
      code = encode(c.text);
    } catch (e) {
      assert.ok(e instanceof QrTooLarge, `${c.what}: ${e}`);
      // Refused only when no single-mode segment fits version 10 either.
      assert.ok(c.text.length > capacity(MAX_VERSION, 'byte'), `${c.what} refused but a byte segment fits`);
      if (c.mode) assert.equal(c.version, undefined, `${c.what} refused but fits version ${c.version}`);
      refused++;
      continue;
    }
    if (c.version !== undefined) assert.equal(code.version, c.version, `${c.what}: version`);
    assert.ok(code.version <= MAX_VERSION);
    assert.equal(code.size, 17 + 4 * code.version);
    // Never worse than one byte segment.
    if (c.text.length <= capacity(MAX_VERSION, 'byte')) assert.ok(code.version <= smallest(c.text.length, 'byte'), c.what);
    const f = join(dir, `${i}.png`);
    writeFileSync(f, png(code));
    files.push(f);
    encoded.push({ ...c, code });
  }
  assert.ok(refused >= 3, 'the texts past version 10 must be refused');
  const decoded = zbar(files);
  const wrong = encoded.filter((c, i) => decoded[i] !== c.text).map((c) => c.what);
  assert.deepEqual(wrong, [], 'zbarimg did not read back these texts');
  const versions = new Set(encoded.map((c) => c.code.version));
  assert.equal(versions.size, MAX_VERSION, 'every version 1 to 10 was drawn and read');
  const masks = new Set(encoded.map((c) => c.code.mask));
  assert.equal(masks.size, 8, 'every mask was chosen at least once and read');
  artefact('qr-zbar.json', { symbols: encoded.length, refused, versions: [...versions].sort((a, b) => a - b) });
});

test('qr.js draws the tag printer\'s matrices (spec/vectors/qr), module for module', () => {
  const cases = read('qr');
  assert.ok(cases.length >= 30, `only ${cases.length} QR vectors`);
  // The printer takes the shortest of one byte segment, the spec's split and
  // the qrcode crate's own segments; qr.js tries the first two. Where the
  // printer took one of those, the symbols must be the same, mask included.
  const exact = cases.filter((c) => c.segmentation !== 'qrcode');
  assert.ok(exact.length >= 30 && exact.filter((c) => c.name.startsWith('qr/tag-')).length >= 10);
  for (const c of exact) {
    const code = encode(c.text);
    assert.deepEqual(code.segments, c.segments, `${c.name}: segments`);
    assert.equal(code.version, c.version, `${c.name}: version`);
    assert.deepEqual(rows(code), c.rows, `${c.name}: modules differ`);
  }
  // Where qrcode's segments were strictly shorter, qr.js draws other
  // modules of the same text, never in a smaller version.
  const other = cases.filter((c) => c.segmentation === 'qrcode').map((c) => {
    const code = encode(c.text);
    assert.ok(code.version >= c.version, c.name);
    return { name: c.name, printer: c.segments, qr_js: code.segments, printer_version: c.version, qr_js_version: code.version };
  });
  artefact('qr-printer-compare.json', { same: exact.length, other });
  // The tag vectors state the version each payload needs.
  for (const v of read('tags').filter((x) => x.qr_version_m)) {
    assert.equal(encode(v.payload).version, v.qr_version_m, v.name);
  }
});

test('version 11 is refused with an error, not drawn', () => {
  const max = read('tags').find((v) => v.name === 'tags/valid-max-length.json');
  assert.equal(encode(max.payload).version, 10);
  // One more byte in the base URL (34 bytes): spec/tags.md section 5 says this needs version 11.
  const longer = max.payload.replace(max.base_url, `${max.base_url}x`);
  assert.equal(longer.length, max.payload.length + 1);
  assert.throws(() => encode(longer), (e) => e instanceof QrTooLarge && /version 10/.test(e.message) && e.bytes === longer.length);
  for (const text of [cycle(LOWER, capacity(10, 'byte') + 1), cycle(UPPER, capacity(10, 'alphanumeric') + 1), 'x'.repeat(600)]) {
    assert.throws(() => encode(text), QrTooLarge, `${text.length} characters`);
  }
});

/** The module matrix of the node's GET /v1/qr SVG (qrcode's renderer: one `M x y h w v h H x V y` per dark module). */
function parseNodeSvg(svgText) {
  const width = Number(svgText.match(/width="(\d+)"/)[1]);
  const rects = [...svgText.matchAll(/M(\d+) (\d+)h(\d+)v(\d+)H\d+V\d+/g)].map((m) => m.slice(1, 5).map(Number));
  // The first dark module is the top-left finder's corner, four modules in.
  const unit = rects[0][0] / 4;
  assert.ok(Number.isInteger(unit) && unit > 0, `module size ${unit}`);
  const size = width / unit - 8;
  const modules = new Uint8Array(size * size);
  for (const [x, y, w, h] of rects) {
    for (let my = y / unit - 4; my < (y + h) / unit - 4; my++) {
      for (let mx = x / unit - 4; mx < (x + w) / unit - 4; mx++) modules[my * size + mx] = 1;
    }
  }
  return { size, modules };
}

test('qr.js draws what the node\'s GET /v1/qr draws for texts of one mode', async () => {
  const node = await startNode({ demo: true, tls: false });
  try {
    const texts = [];
    for (let v = 1; v <= MAX_VERSION; v++) {
      for (const [mode, alphabet] of [['byte', LOWER], ['alphanumeric', UPPER]]) {
        const cap = capacity(v, mode);
        texts.push(cycle(alphabet, cap), cycle(alphabet, Math.max(1, cap - 7)));
      }
    }
    texts.push('HELLO WORLD', 'A', 'z');
    // Texts the qrcode crate may cut into several segments: compared and
    // reported, not required to match.
    const mixed = ['ed25519:7mRo3TehZmiPs3tTdfaHBa2cO9UMgh7cJ4UbHNy9RqU=', 'L-0001',
      ...read('tags').filter((v) => v.qr_version_m).map((v) => v.payload)];
    let same = 0;
    const different = [];
    for (const text of [...texts, ...mixed]) {
      const r = await fetch(`${node.url}/v1/qr?text=${encodeURIComponent(text)}`);
      assert.equal(r.status, 200, text);
      const theirs = parseNodeSvg(await r.text());
      const ours = encode(text);
      if (texts.includes(text)) {
        assert.equal(ours.segments.length, 1, text);
        assert.equal(theirs.size, ours.size, `${text}: size`);
        assert.deepEqual(rows(ours), rows(theirs), `${text}: modules differ`);
        same++;
      } else if (rows(ours).join() === rows(theirs).join()) {
        same++;
      } else {
        different.push({ text: text.slice(0, 40), ours: ours.version, theirs: (theirs.size - 17) / 4 });
      }
    }
    assert.ok(same >= texts.length, `only ${same} symbols compared`);
    artefact('qr-node-compare.json', { same, different });
  } finally {
    await node.stop();
  }
});

test('in Chromium: svg() draws a symbol zbarimg reads, and encoding a label payload is timed', async (t) => {
  const zbarOk = needZbar(t);
  const node = await startNode({ demo: true, tls: true });
  const browser = await launch({ spki: node.spki });
  try {
    const page = await browser.newPage({ viewport: { width: 600, height: 600 } });
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${node.url}/app/`);
    const payloads = read('tags').filter((v) => v.name.startsWith('tags/valid-')).map((v) => v.payload);
    const result = await page.evaluate(async (payloads) => {
      const qr = await import('/assets/js/qr.js');
      const el = qr.svg(payloads[0], { label: 'label QR' });
      el.setAttribute('id', 'qr-under-test');
      el.setAttribute('width', '456');
      el.setAttribute('height', '456');
      document.body.replaceChildren(el);
      const times = {};
      for (const p of payloads) {
        const ms = [];
        for (let i = 0; i < 1000; i++) {
          const t0 = performance.now();
          qr.encode(p);
          ms.push(performance.now() - t0);
        }
        ms.sort((a, b) => a - b);
        times[p.length] = { version: qr.encode(p).version, median_ms: ms[500], p99_ms: ms[990] };
      }
      let refused = null;
      try {
        qr.svg(`${payloads[0]}${'x'.repeat(300)}`);
      } catch (e) {
        refused = e.name;
      }
      return { times, refused, aria: el.getAttribute('aria-label') };
    }, payloads);
    assert.deepEqual(errors, []);
    assert.equal(result.refused, 'QrTooLarge');
    assert.equal(result.aria, 'label QR');
    if (zbarOk) {
      const file = join(tempdir('qr-shot'), 'svg.png');
      mkdirSync(dirname(file), { recursive: true });
      await (await page.$('#qr-under-test')).screenshot({ path: file });
      assert.deepEqual(zbar([file]), [payloads[0]]);
    }
    // Node.js, the same 1000 encodes of the worked example, for comparison.
    const ms = [];
    for (let i = 0; i < 1000; i++) {
      const t0 = performance.now();
      encode(payloads[0]);
      ms.push(performance.now() - t0);
    }
    ms.sort((a, b) => a - b);
    const source = readFileSync(QR_JS);
    artefact('qr-figures.json', {
      chromium_encode_by_payload_length: result.times,
      node_encode_median_ms: ms[500],
      qr_js_bytes: source.length,
      qr_js_gzip_bytes: gzipSync(source).length,
      cores: execFileSync('nproc').toString().trim(),
    });
    for (const { median_ms: m } of Object.values(result.times)) assert.ok(m < 50, `encode took ${m} ms`);
  } finally {
    await browser.close();
    await node.stop();
  }
});
