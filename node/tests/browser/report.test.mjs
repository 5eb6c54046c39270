// Whistle-blowing in a real browser (issue 14, spec/http.md
// "Whistle-blowing"): a report signed in the page with a one-time key and
// followed by its receipt; the same with JavaScript off, recorded under the
// node's intake key; refusals in the reporter's language with nothing on
// the log; the form, the receipt page and the lookup in every language at
// phone size, checked by axe-core; and the form's first load over a slow
// connection.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startNode, launch, PHONE, shot, axe, assertNoViolations, artefact, cli } from './lib.mjs';

/** The log's size, read by the page (the node's TLS certificate is the test's). */
const treeSize = async (page) => page.evaluate(async () => (await (await fetch('/v1/log')).json()).tree_size);

test('whistle-blowing: report, receipt, follow-up, refusals, no-JS intake, languages, slow network', async () => {
  const node = await startNode({ demo: true, tls: true });
  const browser = await launch({ spki: node.spki });
  const figures = {};
  try {
    const context = await browser.newContext(PHONE);
    const page = await context.newPage();
    await page.goto(`${node.url}/report?lang=sw`);
    const site = await page.evaluate(async () => (await (await fetch('/v1/sites')).json()).sites[0].record.id);

    // 1. Signed in the browser, in Swahili.
    await page.waitForSelector('form[data-signing=browser]');
    assert.equal(await page.getAttribute('html', 'lang'), 'sw');
    await shot(page, 'report-01-form-sw');
    assertNoViolations(await axe(page), 'the report form (sw)');
    // Refused before signing: no text. The sentence is the page's own
    // (Swahili) message, and nothing reaches the log.
    const before = await treeSize(page);
    await page.check('input[name=category][value=child-labour]');
    await page.fill('#site', site);
    await page.click('#send');
    await page.waitForSelector('#error');
    const noText = await page.getAttribute('#report-form', 'data-m-no-text');
    assert.equal((await page.textContent('#error p:last-child')).trim(), noText);
    // Refused by the node: a site the registry does not hold.
    await page.fill('#summary', 'Watoto wanachimba usiku kwenye shimo la pili.');
    await page.fill('#site', 'CD-1.0000+29.0000-99999');
    await page.click('#send');
    await page.waitForFunction(() => document.querySelector('#error p:last-child')?.textContent.includes('99999'), null, { timeout: 5000 }).catch(async (e) => { await shot(page, 'report-debug'); throw new Error(`${e.message}: ${await page.textContent('main')}`); });
    assert.equal(await treeSize(page), before, 'nothing refused is on the log');
    await shot(page, 'report-02-refused-sw');
    // Accepted: a receipt page.
    await page.fill('#site', site);
    const t0 = Date.now();
    await Promise.all([page.waitForURL(/\/r\/[^/?]+\?lang=sw&new=1$/), page.click('#send')]);
    figures.sign_and_send_ms = Date.now() - t0;
    const receipt = (await page.textContent('#receipt')).trim();
    assert.match(receipt, /^[0-9A-Z-]{8,40}$/, `receipt ${receipt}`);
    assert.equal(await page.getAttribute('#case-signer', 'data-signer'), 'anonymous');
    assert.equal(await page.getAttribute('#case-category', 'data-category'), 'child-labour');
    // Sealed by default to the registry's case handlers: the public text is
    // the form's sentence, and the page says who can read the rest.
    assert.doesNotMatch(await page.textContent('main'), /Watoto wanachimba/, 'the sealed text is nowhere on the page');
    assert.equal(await page.locator('#case-sealed').count(), 1, 'the page names who can read the sealed text');
    assert.match(await page.textContent('#case-sealed'), /REG-CD/);
    assert.equal(await page.locator('.receipt-qr svg').count(), 1, 'the receipt as a QR code');
    assert.equal(await treeSize(page), before + 1, 'the report is one entry');
    await shot(page, 'report-03-receipt-sw');
    assertNoViolations(await axe(page), 'the receipt page (sw)');
    // The log holds it signed by its one-time key, not by the node.
    const caseId = await page.getAttribute('#case', 'data-case');
    const cased = await page.evaluate(async (id) => (await fetch(`/v1/cases/${id}`)).json(), caseId);
    assert.equal(cased.history[0].event.category, 'child-labour');
    assert.ok(cased.history[0].event.anonymous_key?.startsWith('ed25519:'), JSON.stringify(cased.history[0]));
    assert.equal(cased.history[0].event.sealed?.scheme, 'x25519-hkdf-sha256-aes256gcm');
    assert.doesNotMatch(JSON.stringify(cased), /Watoto/, 'the log holds no plain text');
    // The registry officer, a case handler, opens it with its own key.
    const env = { MADINI_CA_FILE: node.cert };
    const registry = join(node.data, 'devices', 'registry');
    const opened = cli(registry, ['--node', node.url, 'incident', 'open', caseId], { env });
    assert.equal(opened.trim(), 'Watoto wanachimba usiku kwenye shimo la pili.');
    // Another actor's key, one it was not sealed to, cannot.
    assert.throws(() => cli(join(node.data, 'devices', 'trader'), ['--node', node.url, 'incident', 'open', caseId], { env }),
      /not sealed to your key/);
    // Nothing was stored in the browser for the node to find: no cookie.
    assert.deepEqual(await context.cookies(), []);

    // 2. Following the case by its receipt, typed as a person would read
    // it over the phone (lower case, spaces), in French.
    await page.goto(`${node.url}/r?lang=fr`);
    await page.fill('#receipt', receipt.toLowerCase().replace(/-/g, ' '));
    await Promise.all([page.waitForURL(/\/r\/[^/?]+/), page.click('#lookup button')]);
    assert.equal((await page.textContent('#receipt')).trim(), receipt);
    assert.ok(await page.locator('#history li').count() >= 1, 'the status history');
    await shot(page, 'report-04-followed-fr');
    assertNoViolations(await axe(page), 'the receipt page (fr)');
    // A malformed receipt gets a page that says so.
    const bad = await page.goto(`${node.url}/r/%3Cb%3E?lang=fr`);
    assert.equal(bad.status(), 400);
    assert.doesNotMatch(await page.content(), /<b>/);

    // 3. JavaScript off: the plain form, recorded under the intake key.
    const off = await (await browser.newContext({ ...PHONE, javaScriptEnabled: false })).newPage();
    await off.goto(`${node.url}/report?lang=en`);
    assert.equal(await off.getAttribute('#report-form', 'data-signing'), null);
    await off.check('input[name=category][value=armed-group]');
    await off.fill('#site', site);
    await off.fill('#summary', 'Armed men collect a "tax" at the road block every Friday.');
    await Promise.all([off.waitForURL(/\/r\/[^/?]+/), off.click('#send')]);
    assert.equal(await off.getAttribute('#case-signer', 'data-signer'), 'intake');
    assert.match(await off.textContent('#case-text'), /road block/);
    await shot(off, 'report-05-intake-en');
    // An oversized text with JavaScript off: the form again, in English,
    // with the text kept, and nothing on the log.
    const sizeBefore = await treeSize(page);
    await off.goto(`${node.url}/report?lang=en`);
    await off.check('input[name=category][value=fraud]');
    await off.fill('#site', site);
    await off.evaluate(() => { document.getElementById('summary').removeAttribute('maxlength'); });
    await off.fill('#summary', 'x'.repeat(4100));
    const refused = await Promise.all([off.waitForNavigation(), off.click('#send')]);
    assert.ok([400, 413, 422].includes(refused[0].status()), `status ${refused[0].status()}`);
    assert.equal(await off.locator('#error').count(), 1);
    assert.equal((await off.inputValue('#summary')).length, 4100, 'the text is kept');
    assert.equal(await treeSize(page), sizeBefore);

    // 4. The form in every language, its size, and its first load at
    // 400 kbit/s with a 400 ms round trip.
    for (const lang of ['en', 'fr', 'sw']) {
      const slow = await context.newPage();
      const cdp = await context.newCDPSession(slow);
      await cdp.send('Network.enable');
      await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
      await cdp.send('Network.emulateNetworkConditions', {
        offline: false, latency: 400, downloadThroughput: 400_000 / 8, uploadThroughput: 400_000 / 8,
      });
      let transferred = 0;
      cdp.on('Network.loadingFinished', (e) => { transferred += e.encodedDataLength; });
      const start = Date.now();
      await slow.goto(`${node.url}/report?lang=${lang}`);
      await slow.waitForSelector('form[data-signing=browser]');
      figures[`form_${lang}_slow_ms`] = Date.now() - start;
      figures[`form_${lang}_bytes`] = transferred;
      assert.doesNotMatch(await slow.locator('body').innerText(), /\{ ?\$|report-[a-z]+-/, `${lang}: an unfilled message`);
      assertNoViolations(await axe(slow), `the report form (${lang})`);
      await shot(slow, `report-06-form-${lang}`);
      await slow.close();
    }
    artefact('report-figures.json', figures);
  } finally {
    await browser.close();
    await node.stop();
  }
});
