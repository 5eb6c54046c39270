// The report form's signing (spec/http.md, "Whistle-blowing"). With Ed25519
// in Web Crypto, the form is signed here: a one-time key pair whose private
// half cannot be exported, the anonymous incident.report of spec/events.md
// section 6 built and signed through sign.js (the field app's module), the
// envelope posted to /report/signed, and the key dropped. Without Ed25519 (or
// with this script blocked) nothing here runs and the form posts itself to
// /report, where the node records an intake report.
//
// The sentences come from the form's data-m-* attributes, which the node
// fills from the report catalog in the page's language: no second request on
// a slow connection.

import { supported, generate, publicRaw, publicText, keyId, signEvent, parsePublic } from './sign.js';
import * as sealing from './seal.js';

const form = document.getElementById('report-form');

/** A message of the page's catalog with its { $name } placeholders filled. */
function msg(name, args = {}) {
  let text = form.dataset[name] ?? name;
  // The node formats the message without its arguments, so Fluent leaves
  // each placeholder as `{$name}`; the catalog writes `{ $name }`.
  for (const [k, v] of Object.entries(args)) text = text.replace(new RegExp(`\\{ ?\\$${k} ?\\}`, 'g'), () => v);
  return text;
}

function status(text) {
  document.getElementById('status').textContent = text;
}

function showError(text) {
  let box = document.getElementById('error');
  if (!box) {
    box = document.createElement('div');
    box.id = 'error';
    box.className = 'report-error';
    box.setAttribute('role', 'alert');
    form.before(box);
  }
  box.replaceChildren();
  const title = document.createElement('p');
  const strong = document.createElement('strong');
  strong.textContent = msg('mErrorTitle');
  title.append(strong);
  const body = document.createElement('p');
  body.textContent = text;
  box.append(title, body);
  status('');
  box.scrollIntoView({ block: 'nearest' });
}

/** The text as the node cleans it: LF line ends, tabs as spaces, no controls. */
function cleanText(s) {
  return s.replace(/\r\n?/g, '\n').replace(/\t/g, ' ')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g, '').trim();
}

const ID = /^[A-Za-z0-9][A-Za-z0-9._:+-]{0,63}$/;
const SITE = /^[A-Z]{2}-[+-]?[0-9]+\.[0-9]{4}[+-][0-9]+\.[0-9]{4}-[0-9]+$/;

/** The event's fields from the form, or an Error whose message is for people. */
function read() {
  const data = new FormData(form);
  const category = data.get('category');
  if (!category) throw new Error(msg('mCategory'));
  const site = String(data.get('site') ?? '').trim().toUpperCase();
  const actor = String(data.get('actor') ?? '').trim();
  const lot = String(data.get('lot') ?? '').trim();
  const summary = cleanText(String(data.get('summary') ?? ''));
  if (!summary) throw new Error(msg('mNoText'));
  if (new TextEncoder().encode(summary).length > 4000) throw new Error(msg('mTooLong'));
  const subjects = {};
  if (site) {
    if (site.length > 64 || !SITE.test(site)) throw new Error(msg('mBadSite', { id: site }));
    subjects.sites = [site];
  }
  if (actor) {
    if (!ID.test(actor)) throw new Error(msg('mBadId', { id: actor }));
    subjects.actors = [actor];
  }
  if (lot) {
    if (!ID.test(lot)) throw new Error(msg('mBadId', { id: lot }));
    subjects.lots = [lot];
  }
  if (!site && !actor && !lot) throw new Error(msg('mNoSubject'));
  return { category, subjects, summary, site, actor, lot, lang: data.get('lang') };
}

/** The sentence for a problem the node answered, from its rule id. */
function refusal(problem, fields) {
  switch (problem.rule) {
    case 'site-unknown': return msg('mSiteUnknown', { id: fields.site });
    case 'actor-unknown': return msg('mActorUnknown', { id: fields.actor });
    case 'lot-unknown': return msg('mLotUnknown', { id: fields.lot });
    case 'rate-limited': return msg('mTooMany');
    case 'body-too-large': return msg('mTooLarge');
    case 'bad-signature': return msg('mSignature');
    case 'writes-stopped': return msg('mStopped');
    default: return msg('mRefused', { reason: problem.detail ?? problem.title ?? '' });
  }
}

async function send(event) {
  event.preventDefault();
  let fields;
  try {
    fields = read();
  } catch (e) {
    showError(e.message);
    return;
  }
  const button = document.getElementById('send');
  button.disabled = true;
  try {
    status(msg('mSigning'));
    const pair = await generate();
    const raw = await publicRaw(pair.publicKey);
    const report = {
      type: 'incident.report',
      v: 1,
      log: form.dataset.origin,
      key: await keyId(raw),
      time: Date.now(),
      subjects: fields.subjects,
      category: fields.category,
      summary: fields.summary,
      anonymous_key: publicText(raw),
    };
    // Sealed to the registry's case handlers when the reporter left the
    // box ticked (spec/events.md section 6, "Sealed text"): the public
    // summary is then the catalog's sentence.
    if (document.getElementById('seal')?.checked && recipients.length) {
      status(msg('mSealing'));
      try {
        report.sealed = await sealing.seal(fields.summary, recipients);
      } catch (e) {
        showError(msg('mRefused', { reason: e.message }));
        return;
      }
      report.summary = msg('mSealedSummary');
    }
    const signed = await signEvent(pair.privateKey, report);
    status(msg('mSending'));
    let res;
    try {
      res = await fetch('/report/signed', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(signed.envelope),
        credentials: 'omit',
        referrerPolicy: 'no-referrer',
      });
    } catch {
      showError(msg('mOffline'));
      return;
    }
    const body = await res.json().catch(() => ({}));
    if (res.ok && body.receipt_url) {
      window.location.assign(`${body.receipt_url}?lang=${encodeURIComponent(fields.lang ?? 'en')}&new=1`);
      return;
    }
    showError(refusal(body, fields));
  } finally {
    button.disabled = false;
  }
}

/**
 * The case handlers' keys the node wrote into the form: [{key, publicRaw}].
 * Each key id is computed here from the public key, not taken from the
 * node, so a sealed entry always names the key it was sealed to.
 */
const recipients = [];
async function readRecipients() {
  const words = (form.dataset.sealTo ?? '').split(' ').filter(Boolean);
  for (let i = 0; i + 1 < words.length; i += 2) {
    try {
      const raw = parsePublic(words[i + 1]);
      recipients.push({ key: await keyId(raw), publicRaw: raw });
    } catch {
      // A key the browser cannot read is left out; the others still seal.
    }
  }
}

if (form) {
  supported().then(async (ok) => {
    if (!ok) return;
    form.dataset.signing = 'browser';
    form.addEventListener('submit', send);
    await readRecipients();
    if (recipients.length && await sealing.supported()) {
      document.getElementById('seal-box')?.removeAttribute('hidden');
    } else {
      document.getElementById('seal')?.removeAttribute('checked');
      const box = document.getElementById('seal');
      if (box) box.checked = false;
    }
  });
}
