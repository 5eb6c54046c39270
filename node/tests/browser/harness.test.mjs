// The harness itself: a node over HTTPS with a throwaway certificate that
// Chromium trusts (a secure context, so Web Crypto and service workers
// work), the CSP on every page, and Ed25519 in this Chromium's Web Crypto.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startNode, launch, PHONE, shot } from './lib.mjs';

test('a node over HTTPS is a secure context with Ed25519 in Web Crypto', async () => {
  const node = await startNode({ demo: true, tls: true });
  const browser = await launch({ spki: node.spki });
  try {
    const page = await (await browser.newContext(PHONE)).newPage();
    const res = await page.goto(`${node.url}/`);
    assert.equal(res.status(), 200);
    assert.match(node.url, /^https:/);
    const csp = res.headers()['content-security-policy'];
    assert.match(csp, /script-src 'self'/);
    assert.match(csp, /default-src 'self'/);
    const secure = await page.evaluate(() => window.isSecureContext);
    assert.equal(secure, true, 'the page is not a secure context');
    const ed = await page.evaluate(async () => {
      const k = await crypto.subtle.generateKey({ name: 'Ed25519' }, false, ['sign', 'verify']);
      const sig = await crypto.subtle.sign({ name: 'Ed25519' }, k.privateKey, new Uint8Array([1, 2, 3]));
      return { extractable: k.privateKey.extractable, len: sig.byteLength };
    });
    assert.deepEqual(ed, { extractable: false, len: 64 });
    await shot(page, 'harness-home-360x640');
  } finally {
    await browser.close();
    await node.stop();
  }
});

test('a certificate Chromium was not told to trust is refused', async () => {
  const node = await startNode({ demo: false, tls: true, data: undefined }).catch((e) => e);
  // An empty data directory without --demo holds no ledger: the node refuses
  // to start, which is what the harness must report as an error.
  assert.ok(node instanceof Error, 'a node started on a directory holding no ledger');
  const demo = await startNode({ demo: true, tls: true });
  const browser = await launch({});
  try {
    const page = await browser.newPage();
    await assert.rejects(page.goto(`${demo.url}/`), /ERR_CERT/);
  } finally {
    await browser.close();
    await demo.stop();
  }
});
