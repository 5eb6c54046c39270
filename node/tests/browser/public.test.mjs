// The registry anyone can look at (issue 14): the dashboard, a mine site's
// page, an actor's page and a lot's page, in every language at 360x640 and
// 1280x800, with a screenshot of each, no WCAG 2.1 A/AA violation found by
// axe-core, and everything there with JavaScript turned off.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startNode, launch, PHONE, DESKTOP, shot, axe, assertNoViolations } from './lib.mjs';

const LANGS = ['en', 'fr', 'sw'];
const SIZES = [['360x640', PHONE], ['1280x800', DESKTOP]];

test('the public pages render in every language, pass axe and need no script', async () => {
  const node = await startNode({ demo: true, tls: true });
  const browser = await launch({ spki: node.spki });
  try {
    // Without JavaScript: find a site, an actor and a lot by following the
    // dashboard's own links, and check each page holds its content.
    const off = await (await browser.newContext({ ...DESKTOP, javaScriptEnabled: false })).newPage();
    let res = await off.goto(`${node.url}/?lang=en`);
    assert.equal(res.status(), 200);
    assert.equal(await off.locator('#verdict').count(), 1);
    assert.ok(await off.locator('svg.map a').count() > 0, 'the map has sites');
    assert.ok(await off.locator('#flows-by-country tbody tr').count() > 0, 'flows are shown');
    assert.equal(await off.locator('script').count(), 0, 'the dashboard carries no script');
    const sitePath = new URL(await off.locator('svg.map a').first().getAttribute('href'), node.url).pathname;
    const lotPath = new URL(await off.locator('#h-latest ~ ul a, section[aria-labelledby="h-latest"] a').first().getAttribute('href'), node.url).pathname;
    // The search form works as a plain GET.
    await off.fill('#q', '<b>x</b>');
    await off.click('form.search button');
    assert.match(off.url(), /\/search\?q=/);
    assert.match(await off.locator('main').innerText(), /<b>x<\/b>/);
    res = await off.goto(`${node.url}${sitePath}?lang=fr`);
    assert.equal(res.status(), 200);
    assert.ok(await off.locator('#history li').count() > 0, 'status history');
    assert.equal(await off.locator('svg.chart').count(), 1, 'production chart');
    const actorHref = await off.locator('#summary a[href^="/actors/"]').first().getAttribute('href');
    const actorPath = new URL(actorHref, node.url).pathname;
    res = await off.goto(`${node.url}${actorPath}?lang=sw`);
    assert.equal(res.status(), 200);
    assert.ok(await off.locator('#keys li').count() > 0, 'keys listed');
    res = await off.goto(`${node.url}${lotPath}`);
    assert.equal(res.status(), 200);
    assert.equal(await off.locator('#verdict').count(), 1);
    // Its provenance as a graph (the lot itself highlighted) and its path.
    assert.equal(await off.locator('svg.dag rect.lot.this').count(), 1);
    assert.ok(await off.locator('svg.map a').count() > 0, 'the lot path names its site');
    res = await off.goto(`${node.url}/sites/NOWHERE?lang=sw`);
    assert.equal(res.status(), 404);

    const pages = [['dashboard', '/'], ['site', sitePath], ['actor', actorPath], ['lot', lotPath]];
    for (const [size, ctx] of SIZES) {
      const page = await (await browser.newContext(ctx)).newPage();
      for (const lang of LANGS) {
        for (const [name, path] of pages) {
          const r = await page.goto(`${node.url}${path}?lang=${lang}`);
          assert.equal(r.status(), 200, `${name} ${lang}`);
          if (name !== 'lot') {
            assert.equal(await page.getAttribute('html', 'lang'), lang, `${name} speaks ${lang}`);
          }
          // Every message found its text and its values.
          const body = await page.locator('body').innerText();
          assert.doesNotMatch(body, /\{ ?\$|\bpages-[a-z]/, `${name} ${lang}: an unfilled message`);
          // Nothing wider than the screen but the scrolling tables.
          const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
          assert.ok(overflow <= 1, `${name} ${lang} ${size}: ${overflow}px wider than the screen`);
          await shot(page, `public-${name}-${lang}-${size}`);
          assertNoViolations(await axe(page), `${name} (${lang}, ${size})`);
        }
      }
    }
  } finally {
    await browser.close();
    await node.stop();
  }
});
