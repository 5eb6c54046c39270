// The browser's canonical JSON and signing module (node/assets/js/canon.js
// and sign.js, shared by the field app and the report form) against
// spec/vectors/: every vector event re-encoded by the browser gives the
// vector's bytes, signing with the vector's key gives its signature (Ed25519
// is deterministic), key ids and tag claims match, and values with no
// canonical form are refused.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startNode, launch, artefact } from './lib.mjs';

const vectors = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'spec', 'vectors');
const read = (dir) => readdirSync(join(vectors, dir)).filter((f) => f.endsWith('.json')).sort()
  .map((f) => ({ name: `${dir}/${f}`, ...JSON.parse(readFileSync(join(vectors, dir, f), 'utf8')) }));

test('canon.js and sign.js reproduce spec/vectors in Chromium', async () => {
  const events = read('events');
  const keys = read('keys').filter((k) => k.strong);
  const jcs = read('jcs');
  const tags = read('tags').filter((t) => t.verify === 'ok');
  const consistency = read('merkle').filter((m) => m.name.includes('consistency'));
  const checkpoints = read('checkpoint');
  assert.ok(events.length >= 20 && keys.length >= 2 && jcs.length >= 20 && tags.length >= 3);
  assert.ok(consistency.length >= 4 && checkpoints.length >= 5);
  const node = await startNode({ demo: true, tls: true });
  const browser = await launch({ spki: node.spki });
  try {
    const page = await browser.newPage();
    await page.goto(`${node.url}/`);
    const result = await page.evaluate(async ({ events, keys, jcs, tags, consistency, checkpoints }) => {
      const canon = await import('/assets/js/canon.js');
      const sign = await import('/assets/js/sign.js');
      const unhex = (h) => Uint8Array.from(h.match(/../g), (x) => parseInt(x, 16));
      const bad = [];
      for (const v of events) {
        const text = canon.canonical(v.event);
        if (text !== v.event_bytes) bad.push(`${v.name}: bytes differ`);
        const key = await sign.importSeed(unhex(v.signer_seed_hex));
        const signed = await sign.signEvent(key, v.event);
        if (sign.b64(signed.sig) !== v.signature_b64) bad.push(`${v.name}: signature differs`);
        if (signed.hash !== v.event_hash) bad.push(`${v.name}: event hash differs`);
        if (sign.b64(sign.eventMessage(signed.bytes)) !== v.signed_message_b64) bad.push(`${v.name}: message differs`);
        if (!(await sign.verifyEvent(sign.parsePublic(v.public_key), signed.bytes, signed.sig))) {
          bad.push(`${v.name}: own signature does not verify`);
        }
      }
      for (const k of keys) {
        const id = await sign.keyId(sign.parsePublic(k.public_key));
        if (id !== k.key_id) bad.push(`${k.name}: key id ${id}`);
        // The public key Web Crypto derives from the seed is the vector's.
        const pair = await sign.importSeed(unhex(k.seed_hex), true);
        const jwk = await crypto.subtle.exportKey('jwk', pair);
        const x = jwk.x.replace(/-/g, '+').replace(/_/g, '/') + '=';
        if (`ed25519:${x}` !== k.public_key) bad.push(`${k.name}: derived public key differs`);
      }
      let refused = 0;
      for (const v of jcs) {
        let parsed;
        try { parsed = JSON.parse(v.input); } catch { continue; } // not JSON at all: nothing to encode
        let out = null;
        try { out = canon.canonical(parsed); } catch (e) {
          if (!(e instanceof canon.CanonError)) bad.push(`${v.name}: ${e}`);
        }
        if (v.canonical && out !== v.input) bad.push(`${v.name}: canonical input re-encoded as ${out}`);
        if (!v.canonical && out === v.input) bad.push(`${v.name}: non-canonical input reproduced`);
        if (!v.canonical) refused += 1;
      }
      for (const t of tags) {
        const bytes = sign.claimBytes(t.claim);
        if (sign.hex(bytes) !== t.claim_bytes_hex) bad.push(`${t.name}: claim bytes differ`);
        const ok = await sign.verifyClaim(sign.parsePublic(t.public_key), bytes, unhex(t.signature_hex));
        if (!ok) bad.push(`${t.name}: claim signature does not verify`);
        const ks = sign.base32(new Uint8Array([...unhex(t.claim.key_id), ...unhex(t.signature_hex)]));
        if (!t.payload.endsWith(`/${ks}`)) bad.push(`${t.name}: key-signature text differs`);
        const read = sign.readPayload(t.payload);
        if (JSON.stringify(read.claim, Object.keys(t.claim).sort()) !== JSON.stringify(
          Object.fromEntries(Object.keys(t.claim).filter((k) => k !== 'mineral_code').map((k) => [k, t.claim[k]])), Object.keys(t.claim).sort())) {
          bad.push(`${t.name}: readPayload gives ${JSON.stringify(read.claim)}`);
        }
        if (sign.hex(read.sig) !== t.signature_hex) bad.push(`${t.name}: readPayload signature differs`);
      }
      // The field app's log checks (node/assets/app/net.js): consistency
      // proofs, and checkpoints under the pinned key.
      const net = await import('/app/net.js');
      for (const c of consistency) {
        const proof = c.proof.map(sign.unb64);
        const ok = await net.consistent(c.size1, c.size2, sign.unb64(c.root1), sign.unb64(c.root2), proof);
        if (ok !== c.valid) bad.push(`${c.name}: consistent() says ${ok}`);
        if (proof.length) {
          const flipped = proof.map((p) => p.slice());
          flipped[flipped.length - 1][0] ^= 1;
          if (await net.consistent(c.size1, c.size2, sign.unb64(c.root1), sign.unb64(c.root2), flipped)) {
            bad.push(`${c.name}: a flipped proof is consistent`);
          }
        }
        const otherRoot = sign.unb64(c.root2);
        otherRoot[5] ^= 1;
        if (await net.consistent(c.size1, c.size2, sign.unb64(c.root1), otherRoot, proof)) {
          bad.push(`${c.name}: another new root is consistent`);
        }
      }
      let vkey = null;
      for (const c of checkpoints) {
        vkey ??= c.vkey;
        let ok = true;
        try {
          const cp = await net.openCheckpoint(c.note, c.vkey ?? vkey, c.origin ?? 'vectors.madini.example/log');
          if (c.root && sign.b64(cp.root) !== c.root) ok = false;
        } catch (e) {
          if (!(e instanceof net.TrustError)) bad.push(`${c.name}: ${e}`);
          ok = false;
        }
        if (ok !== Boolean(c.valid)) bad.push(`${c.name}: openCheckpoint says ${ok}`);
      }
      // Values the spec has no canonical form for are refused, not repaired.
      for (const [what, value] of [['null', { a: null }], ['fraction', { a: 1.5 }], ['-0', { a: -0 }],
        ['2^53', { a: 2 ** 53 }], ['lone surrogate', { a: '\ud800' }], ['undefined', { a: undefined }],
        ['17 levels', JSON.parse('['.repeat(17) + ']'.repeat(17))]]) {
        try { canon.canonical(value); bad.push(`${what} was encoded`); } catch (e) {
          if (!(e instanceof canon.CanonError)) bad.push(`${what}: ${e}`);
        }
      }
      // Timing: build, encode and sign one event, averaged.
      const key = await sign.importSeed(unhex(events[0].signer_seed_hex));
      const t0 = performance.now();
      for (let i = 0; i < 200; i++) await sign.signEvent(key, { ...events[0].event, time: events[0].event.time + i });
      const signMs = (performance.now() - t0) / 200;
      return { bad, counts: { events: events.length, keys: keys.length, jcs: jcs.length, refused, tags: tags.length }, signMs };
    }, { events, keys, jcs, tags, consistency, checkpoints });
    assert.deepEqual(result.bad, []);
    artefact('vectors.json', result);
  } finally {
    await browser.close();
    await node.stop();
  }
});

// The field app's pre-signing checks (node/assets/app/checks.js) against
// spec/vectors/precheck/, which the whole-log verifier generated
// (spec/verifier.md section 7). checks.js is a plain module, so Node runs
// it as the phone's browser does.
test('checks.js pre-signing checks give the verifier findings of every precheck vector', async () => {
  const checks = await import(join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'assets', 'app', 'checks.js'));
  const cases = read('precheck');
  assert.ok(cases.length >= 20, `only ${cases.length} precheck vectors`);
  assert.ok(cases.some((c) => c.findings.length === 0) && cases.some((c) => c.findings.length > 0));
  const key = (f) => JSON.stringify([f.rule, f.severity, Object.entries(f.figures).sort()]);
  for (const c of cases) {
    // The app's policy is the verifier's default, member by member.
    for (const [section, values] of Object.entries(checks.POLICY)) {
      for (const [k, v] of Object.entries(values)) {
        assert.deepEqual(v, c.policy[section][k], `${c.name}: policy ${section}.${k}`);
      }
    }
    const got = checks.precheck({ event: c.event, lots: c.lots, now: c.now, policy: c.policy });
    assert.deepEqual(got.map(key).sort(), c.findings.map(key).sort(), `${c.name}: ${c.description}`);
    for (const f of got) assert.match(f.message, /^app-presign-/, `${c.name}: message id`);
  }
});

// The report form's sealing (node/assets/js/seal.js) against
// spec/vectors/seal/: with the vector's draws, Chromium's Web Crypto seals
// to exactly the vector's bytes (which ledger-core opens); with fresh
// draws, the result differs and still has the vector's shape.
test('seal.js reproduces spec/vectors/seal in Chromium', async () => {
  const seals = read('seal');
  assert.ok(seals.length >= 2);
  const node = await startNode({ demo: true, tls: true });
  const browser = await launch({ spki: node.spki });
  try {
    const page = await browser.newPage();
    await page.goto(`${node.url}/`);
    const bad = await page.evaluate(async (seals) => {
      const seal = await import('/assets/js/seal.js');
      const sign = await import('/assets/js/sign.js');
      if (!(await seal.supported())) return ['no X25519 in this browser'];
      const out = [];
      for (const v of seals) {
        const recipients = v.recipients.map((r) => ({ key: r.key_id, publicRaw: sign.parsePublic(r.public_key) }));
        const fixed = { ephemeral: sign.unhex(v.ephemeral_secret_hex), contentKey: sign.unhex(v.content_key_hex), nonce: sign.unhex(v.nonce_hex) };
        const got = await seal.seal(v.text, recipients, fixed);
        if (JSON.stringify(got) !== JSON.stringify({ scheme: v.sealed.scheme, epk: v.sealed.epk, to: v.sealed.to, nonce: v.sealed.nonce, ciphertext: v.sealed.ciphertext })) {
          out.push(`${v.name}: ${JSON.stringify(got)}`);
        }
        const fresh = await seal.seal(v.text, recipients);
        if (fresh.epk === v.sealed.epk || fresh.nonce === v.sealed.nonce || fresh.to.length !== v.sealed.to.length) out.push(`${v.name}: fresh draws`);
      }
      return out;
    }, seals);
    assert.deepEqual(bad, []);
  } finally {
    await browser.close();
    await node.stop();
  }
});
