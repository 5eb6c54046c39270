// Helpers shared by Madini's browser tests (node --test *.test.mjs, driven by
// node/tests/browser.rs): start a node on 127.0.0.1 port 0 (over HTTPS with a
// throwaway certificate Chromium is told to trust), launch Debian's headless
// Chromium through playwright-core, save screenshots as artefacts, run
// axe-core in the page, and run the `madini` CLI as a device.

import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..', '..');

/** The binaries, from the Rust runner (or target/debug when run by hand). */
export const NODE_BIN = process.env.MADINI_NODE_BIN ?? join(repo, 'target', 'debug', 'madini-node');
export const CLI_BIN = process.env.MADINI_CLI_BIN ?? join(repo, 'target', 'debug', 'madini');
/** Where screenshots and other artefacts go. */
export const ARTEFACTS = process.env.MADINI_ARTEFACTS ?? join(repo, 'target', 'browser-artefacts');
export const CHROMIUM = process.env.MADINI_CHROMIUM ?? '/usr/bin/chromium';

/** A fresh temporary directory. */
export function tempdir(tag) {
  return mkdtempSync(join(process.env.MADINI_TMP ?? tmpdir(), `madini-${tag}-`));
}

/**
 * A self-signed certificate for 127.0.0.1 and localhost, made with openssl,
 * and the base64 SHA-256 of its public key, which Chromium's
 * --ignore-certificate-errors-spki-list accepts as trusted (for this key
 * only: every other certificate error still fails).
 */
export function testCertificate(dir) {
  const cert = join(dir, 'tls-cert.pem');
  const key = join(dir, 'tls-key.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1',
    '-nodes', '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
    '-keyout', key, '-out', cert], { stdio: 'ignore' });
  const spki = execFileSync('sh', ['-c',
    `openssl x509 -in '${cert}' -pubkey -noout | openssl pkey -pubin -outform der | openssl dgst -sha256 -binary | base64`]);
  return { cert, key, spki: spki.toString().trim() };
}

/**
 * Starts `madini-node serve` on 127.0.0.1:0. Options: `data` (a directory;
 * default a fresh one), `demo` (default true), `tls` (default true).
 * Resolves to { url, data, spki, cert (the certificate's PEM file, for
 * MADINI_CA_FILE), stop() }.
 */
export async function startNode({ data, demo = true, tls = true } = {}) {
  data ??= join(tempdir('node'), 'data');
  mkdirSync(data, { recursive: true });
  const args = ['serve', '--listen', '127.0.0.1:0', '--data', data];
  if (demo) args.push('--demo');
  let spki = null;
  let cert = null;
  if (tls) {
    const c = testCertificate(dirname(data));
    args.push('--tls-cert', c.cert, '--tls-key', c.key);
    spki = c.spki;
    cert = c.cert;
  }
  const child = spawn(NODE_BIN, args, {
    env: { ...process.env, MADINI_LOG: process.env.MADINI_LOG ?? 'error' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  const out = [];
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`madini-node did not start: ${out.join('\n')}`)), 120_000);
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`madini-node exited ${code}: ${out.join('\n')}`)); });
    lines.on('line', (line) => {
      out.push(line);
      const m = line.match(/ at (https?:\/\/127\.0\.0\.1:\d+)\/?$/);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
  });
  child.removeAllListeners('exit');
  return {
    url, data, spki, cert, output: out,
    async stop() {
      if (child.exitCode !== null) return;
      const done = new Promise((r) => child.on('exit', r));
      child.kill('SIGINT');
      await done;
    },
  };
}

/** Launches headless Chromium; `spki` (from startNode) makes its certificate trusted. */
export async function launch({ spki, args = [] } = {}) {
  const flags = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync', ...args];
  if (spki) flags.push(`--ignore-certificate-errors-spki-list=${spki}`);
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: flags });
}

/** A phone-sized or desktop context. */
export const PHONE = { viewport: { width: 360, height: 640 }, deviceScaleFactor: 1, isMobile: true, hasTouch: true };
export const DESKTOP = { viewport: { width: 1280, height: 800 } };

/** Saves a screenshot of `page` as ARTEFACTS/<name>.png. */
export async function shot(page, name) {
  mkdirSync(ARTEFACTS, { recursive: true });
  const path = join(ARTEFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: false });
  return path;
}

const AXE = readFileSync(join(here, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

/**
 * Runs axe-core in the page for WCAG 2.1 A and AA and returns its
 * violations (an empty list when there are none). The script is evaluated
 * through the DevTools protocol, so the page's CSP does not block it.
 */
export async function axe(page) {
  await page.evaluate(AXE);
  const result = await page.evaluate(() =>
    // eslint-disable-next-line no-undef
    axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }));
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ')),
  }));
}

/** Fails with a readable list when axe found violations. */
export function assertNoViolations(violations, where) {
  if (violations.length) {
    throw new Error(`axe-core: WCAG 2.1 A/AA violations on ${where}:\n${JSON.stringify(violations, null, 2)}`);
  }
}

/**
 * Runs `madini` as a device (MADINI_HOME=home) and returns its stdout;
 * throws with stderr on an exit code not in `okCodes` (default [0]).
 * `input` is written to its stdin.
 */
export function cli(home, args, { input, env = {}, okCodes = [0] } = {}) {
  try {
    return execFileSync(CLI_BIN, args, {
      env: { ...process.env, MADINI_HOME: home, LANG: 'C', ...env },
      input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'],
    });
  } catch (e) {
    if (okCodes.includes(e.status)) return e.stdout;
    throw new Error(`madini ${args.join(' ')} failed (${e.status}): ${e.stderr}`);
  }
}

/** Writes a JSON artefact (figures measured by a test). */
export function artefact(name, value) {
  mkdirSync(ARTEFACTS, { recursive: true });
  writeFileSync(join(ARTEFACTS, name), typeof value === 'string' ? value : JSON.stringify(value, null, 2));
}
