// The field app: screens for a cooperative clerk, a trader, a processor, an
// exporter and an inspector, on a 360x640 phone, offline first
// (spec/http.md, "The field app"). Every screen is built with DOM calls (no
// HTML from strings, so nothing the node or a person typed becomes markup)
// and every text comes from the app.ftl catalogs.

import * as sign from '/assets/js/sign.js';
import * as qr from '/assets/js/qr.js';
import { load, t, chosen, choose, LANGS } from '/assets/js/i18n.js';
import { all, put, kv, setKv } from './db.js';
import { api, trustedLog, queue, outbox, push, TrustError } from './net.js';
import * as checks from './checks.js';
import { CUSTODY_ROLES as CUSTODY, SIGNERS } from './authz.js';

const MINERALS = {
  '2609.00.00': 'app-mineral-cassiterite',
  '2615.90.00': 'app-mineral-coltan',
  '2611.00.00': 'app-mineral-wolframite',
  '7108.12.00': 'app-mineral-gold',
};
const UNLOCK_MS = 5 * 60 * 1000;

const state = {
  lang: 'en',
  profile: null, // the current profile (IndexedDB record)
  view: null, // its cached DeviceView
  skew: 0, // node clock minus phone clock, ms, at the last refresh
  unlockedUntil: 0,
  // Notes shown above the screen ({id, args, kind, shown}): each stays
  // through redraws of the screen it was first shown on (a background sync
  // redraws it at once) and goes when the person moves to another screen.
  messages: [],
  editing: false, // the person has typed into the screen shown
};

// ---------------------------------------------------------------- helpers

/** An element: h('p', {class: 'x'}, 'text', child...). */
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

const fmt = {
  kg: (g) => `${new Intl.NumberFormat(state.lang, { minimumFractionDigits: 0, maximumFractionDigits: 3 }).format(g / 1000)} kg`,
  pct: (bp) => `${new Intl.NumberFormat(state.lang, { maximumFractionDigits: 2 }).format(bp / 100)} %`,
  time: (ms) => new Intl.DateTimeFormat(state.lang, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(ms)),
  wait: (ms) => {
    const m = Math.round(ms / 60000);
    if (m < 1) return t('app-wait-now');
    if (m < 120) return t('app-wait-minutes', { n: m });
    return t('app-wait-hours', { n: Math.round(m / 60) });
  },
};

const field = (label, input, hint) => h('label', { class: 'field' }, h('span', {}, label), input, hint ? h('small', {}, hint) : null);
const button = (text, onclick, cls = '') => h('button', { type: 'button', class: cls, onclick }, text);
const link = (text, href, cls = '') => h('a', { href, class: cls }, text);

function say(id, args = {}, kind = 'ok') {
  // The same note again replaces the older one rather than stacking.
  state.messages = state.messages.filter((m) => m.id !== id);
  state.messages.push({ id, args, kind, shown: null });
}

function roles() {
  return state.view?.actor?.profile?.roles ?? [];
}

/** Whether this actor's roles may sign events of `type` (spec/events.md
 * section 3, rule 7; the conditions on top are the node's to check). */
function may(type) {
  const s = SIGNERS[type];
  return s === 'any' || s === 'anyone' || (Array.isArray(s) && roles().some((r) => s.includes(r)));
}

function registered() {
  return Boolean(state.view?.actor);
}

function keyActive() {
  return state.view?.status === 'active';
}

// ---------------------------------------------------------------- start

async function start() {
  state.lang = chosen();
  await load(state.lang, ['app']);
  document.documentElement.lang = state.lang;
  if (!(await sign.supported())) {
    render(h('section', { class: 'card warn' }, h('h2', {}, t('app-no-ed25519-title')), h('p', {}, t('app-no-ed25519'))));
    return;
  }
  if (navigator.storage?.persist) navigator.storage.persist().catch(() => {});
  if ('serviceWorker' in navigator) navigator.serviceWorker.register('/app/sw.js', { scope: '/app/' }).catch(() => {});
  const current = await kv('current');
  const profiles = await all('profiles');
  state.profile = profiles.find((p) => p.id === current) ?? profiles[0] ?? null;
  if (state.profile) state.view = await kv(`view:${state.profile.id}`);
  // A navigation is the person's own: it always draws its screen.
  window.addEventListener('hashchange', () => {
    state.editing = false;
    state.messages = state.messages.filter((m) => m.shown === null || m.shown === location.hash);
    route();
  });
  window.addEventListener('online', () => sync());
  route();
  sync();
}

/** Reads the node (checked) and pushes the outbox; quiet when offline. */
async function sync() {
  if (!navigator.onLine) return;
  // The profile this sync reads for: the person may switch profiles while
  // it waits for the node, and one profile's view must never be stored as
  // another's.
  const profile = state.profile;
  const refresh = async () => {
    if (!profile) return;
    // While events of this profile wait in the outbox, the phone's view is
    // ahead of the node's (a lot's head moved by an event not sent yet):
    // the node's view would make the next event follow a stale head.
    if ((await outbox()).some((i) => i.profile === profile.id && i.state === 'queued')) return;
    const r = await api(`/v1/devices/${profile.id}`);
    if (!r.ok) return;
    await setKv(`view:${profile.id}`, r.body);
    await setKv('skew', r.body.now - Date.now());
    if (state.profile?.id === profile.id) {
      state.view = r.body;
      state.skew = r.body.now - Date.now();
    }
  };
  try {
    const log = await trustedLog();
    await setKv('logOrigin', log.origin);
    const stats = await push();
    await refresh();
    if (profile && !profile.qr) {
      const q = await api(`/v1/qr?text=${encodeURIComponent(profile.publicKey)}`);
      if (q.ok) {
        profile.qr = q.body;
        await put('profiles', profile);
      }
    }
    for (const [k, path] of [['actors', '/v1/actors'], ['sites', '/v1/sites'], ['keys', '/v1/keys']]) {
      const r = await api(path);
      if (r.ok) await setKv(k, r.body);
    }
    if (stats.sent || stats.refused) {
      say(stats.refused ? 'app-pushed-refused' : 'app-pushed', { sent: stats.sent, refused: stats.refused }, stats.refused ? 'warn' : 'ok');
    }
  } catch (e) {
    if (e instanceof TrustError) say('app-untrusted', { reason: e.message }, 'warn');
  }
  // render() keeps a screen the person is filling in, whenever the screen
  // function gets there (it may await data first).
  route();
}

// ---------------------------------------------------------------- frame

function header() {
  const select = h('select', { id: 'lang', 'aria-label': t('app-language') },
    LANGS.map(([code, name]) => h('option', { value: code, selected: code === state.lang }, name)));
  select.addEventListener('change', async () => {
    choose(select.value);
    state.lang = select.value;
    await load(state.lang, ['app']);
    document.documentElement.lang = state.lang;
    // The person asked for the screen in another language: redraw it.
    state.editing = false;
    route();
  });
  const who = state.profile ? (state.view?.actor?.profile?.id ?? state.profile.label) : '';
  return h('header', { class: 'bar' },
    h('a', { href: '#home', class: 'brand' }, 'Madini'),
    who ? h('span', { class: 'who' }, who) : null,
    h('span', { class: navigator.onLine ? 'net on' : 'net off' }, navigator.onLine ? t('app-online') : t('app-offline')),
    select);
}

function render(...content) {
  // A background sync must not redraw a form the person is filling in:
  // checked here, when the new screen is ready, so a choice made while the
  // screen function awaited its data is not lost either. Only the header
  // (online state, who) is brought up to date.
  if (state.editing) {
    document.querySelector('header.bar')?.replaceWith(header());
    return;
  }
  const root = document.getElementById('app');
  root.replaceChildren(header());
  const main = h('main', { id: 'main' });
  for (const m of state.messages) {
    main.append(h('p', { class: `note ${m.kind}`, role: 'status', 'data-message': m.id }, t(m.id, m.args)));
    m.shown ??= location.hash;
  }
  main.append(...content.filter((c) => c !== null && c !== undefined && c !== false));
  main.addEventListener('input', () => { state.editing = true; });
  main.addEventListener('change', () => { state.editing = true; });
  root.append(main);
  document.title = `Madini · ${t('app-title')}`;
}

async function route() {
  const [name, arg] = location.hash.replace(/^#/, '').split('/').map(decodeURIComponent);
  if (!state.profile && name !== 'new') return screenNew();
  const screens = {
    new: screenNew, key: screenKey, register: screenRegister, lots: screenLots, offer: screenOffer,
    offers: screenOffers, accept: screenAccept, refuse: screenRefuse, inspect: screenInspect,
    outbox: screenOutbox, label: screenLabel, profiles: screenProfiles, check: screenCheck,
    tax: screenTax, transport: screenTransport, store: screenStore, split: screenSplit, merge: () => screenCombine('merge'),
    process: () => screenCombine('process'), export: screenExport,
  };
  await (screens[name] ?? screenHome)(arg);
}

// ---------------------------------------------------------------- signing

/** Asks the PIN (unless unlocked in the last five minutes). */
function unlock() {
  if (Date.now() < state.unlockedUntil) return Promise.resolve(true);
  return new Promise((resolve) => {
    const input = h('input', { type: 'password', inputmode: 'numeric', autocomplete: 'off', id: 'pin', minlength: 4 });
    const error = h('p', { class: 'error', role: 'alert' });
    const dialog = h('dialog', { class: 'pin', 'aria-labelledby': 'pin-title' },
      h('form', { method: 'dialog' },
        h('h2', { id: 'pin-title' }, t('app-pin-title')),
        field(t('app-pin'), input), error,
        h('div', { class: 'row' },
          h('button', { type: 'submit', value: 'ok', class: 'primary' }, t('app-sign')),
          h('button', { type: 'submit', value: 'cancel', formnovalidate: true }, t('app-cancel')))));
    dialog.addEventListener('close', async () => {
      if (dialog.returnValue !== 'ok') { dialog.remove(); resolve(false); return; }
      if (await pinMatches(state.profile, input.value)) {
        state.unlockedUntil = Date.now() + UNLOCK_MS;
        dialog.remove();
        resolve(true);
      } else {
        error.textContent = t('app-pin-wrong');
        input.value = '';
        dialog.showModal();
      }
    });
    document.body.append(dialog);
    dialog.showModal();
    input.focus();
  });
}

async function pinHash(pin, salt) {
  const base = await crypto.subtle.importKey('raw', new TextEncoder().encode(pin), 'PBKDF2', false, ['deriveBits']);
  const bits = await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations: 100000 }, base, 256);
  return sign.b64(new Uint8Array(bits));
}

async function pinMatches(profile, pin) {
  return (await pinHash(pin, sign.unb64(profile.pin.salt))) === profile.pin.hash;
}

/**
 * Signs an event body of `type` with the current profile's key and queues
 * it; `local` updates the cached view so the next screen shows the result
 * offline. Returns the signed event, or null when the person cancelled.
 */
async function signAndQueue(type, body, time, local) {
  if (!registered()) throw new checks.Refusal('app-not-registered');
  if (!keyActive()) throw new checks.Refusal('app-key-not-active');
  if (!(await unlock())) return null;
  const profile = state.profile;
  const event = { ...body, type, v: 1, log: state.view.log, key: profile.id, time };
  const signed = await sign.signEvent(profile.privateKey, event);
  await queue(profile.id, signed, { type, lot: body.lot, time });
  if (local) local(signed.hash);
  await setKv(`view:${profile.id}`, state.view);
  return signed;
}

/** Runs a form's submit: refusals become a sentence, warnings ask first. */
function submitter(build) {
  return async (ev) => {
    ev.preventDefault();
    const form = ev.target;
    const out = form.querySelector('.error');
    out.textContent = '';
    try {
      const { warnings = [], run } = await build(form);
      if (warnings.length && !form.dataset.confirmed) {
        out.replaceChildren(...warnings.map((w) => h('span', { class: 'warnline' }, t(w.id, w.args))),
          h('span', { class: 'warnline' }, t('app-warn-confirm')));
        form.dataset.confirmed = '1';
        form.querySelector('button[type=submit]').textContent = t('app-sign-anyway');
        return;
      }
      const done = await run();
      if (done === null) return;
      sync();
    } catch (e) {
      if (e instanceof checks.Refusal) out.textContent = t(e.id, e.args);
      else if (e?.what) out.textContent = t('app-cannot-sign', { reason: e.message });
      else throw e;
    }
  };
}

function timeInput(ms = Date.now()) {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60000);
  return h('input', { type: 'datetime-local', name: 'time', value: d.toISOString().slice(0, 16), required: true });
}

function claimedTime(form) {
  const v = form.elements.time?.value;
  const ms = v ? new Date(v).getTime() : Date.now();
  if (!Number.isSafeInteger(ms) || ms < 0) throw new checks.Refusal('app-bad-time');
  return ms;
}

function clockWarning() {
  const m = checks.clockSkewMinutes(state.skew);
  return m ? h('p', { class: 'note warn', role: 'alert' }, t('app-clock-skew', { minutes: m })) : null;
}

const errorLine = () => h('p', { class: 'error', role: 'alert', 'aria-live': 'polite' });

// ---------------------------------------------------------------- screens

async function screenNew() {
  const label = h('input', { name: 'label', required: true, maxlength: 60, autocomplete: 'off' });
  const pin = h('input', { name: 'pin', type: 'password', inputmode: 'numeric', required: true, minlength: 4, autocomplete: 'new-password' });
  const again = h('input', { name: 'again', type: 'password', inputmode: 'numeric', required: true, minlength: 4, autocomplete: 'new-password' });
  const form = h('form', { class: 'card' },
    h('h2', {}, t('app-new-title')), h('p', {}, t('app-new-intro')),
    field(t('app-new-label'), label, t('app-new-label-hint')),
    field(t('app-pin-new'), pin, t('app-pin-hint')),
    field(t('app-pin-again'), again), errorLine(),
    h('button', { type: 'submit', class: 'primary' }, t('app-new-create')));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const out = form.querySelector('.error');
    if (!/^\d{4,12}$/.test(pin.value)) { out.textContent = t('app-pin-hint'); return; }
    if (pin.value !== again.value) { out.textContent = t('app-pin-differ'); return; }
    const pair = await sign.generate();
    const raw = await sign.publicRaw(pair.publicKey);
    const salt = crypto.getRandomValues(new Uint8Array(16));
    const profile = {
      id: await sign.keyId(raw), label: label.value.trim(), publicKey: sign.publicText(raw),
      privateKey: pair.privateKey, pin: { salt: sign.b64(salt), hash: await pinHash(pin.value, salt) }, created: Date.now(),
    };
    await put('profiles', profile);
    await setKv('current', profile.id);
    state.profile = profile;
    state.view = null;
    state.unlockedUntil = 0;
    location.hash = '#key';
    sync();
  });
  render(form);
}

async function screenKey() {
  const p = state.profile;
  const status = registered()
    ? t('app-key-registered', { actor: state.view.actor.profile.id, roles: roles().join(', ') })
    : t('app-key-not-registered');
  const qr = p.qr ? h('img', { class: 'qr', alt: t('app-key-qr-alt'), src: `data:image/svg+xml;charset=utf-8,${encodeURIComponent(p.qr)}` })
    : h('p', { class: 'note' }, t('app-key-qr-later'));
  render(h('section', { class: 'card' },
    h('h2', {}, t('app-key-title')), h('p', {}, t('app-key-intro')),
    qr, h('p', {}, h('code', { id: 'public-key', class: 'key' }, p.publicKey)),
    h('p', {}, t('app-key-command')),
    h('pre', { class: 'cmd' }, `madini actor register --id <ID> --role <ROLE> --public-key ${p.publicKey}`),
    h('p', { id: 'key-status', class: registered() ? 'note ok' : 'note' }, status),
    h('p', { class: 'small' }, t('app-key-lost')),
    Object.assign(button(t('app-refresh'), () => sync(), 'primary'), { id: 'refresh' }), ' ', link(t('app-home'), '#home')));
}

async function screenHome() {
  const r = roles();
  const box = await outbox();
  const queued = box.filter((i) => i.state === 'queued' && i.profile === state.profile.id).length;
  const refused = box.filter((i) => i.state === 'refused' && i.profile === state.profile.id).length;
  const actions = [];
  if (!registered()) actions.push(link(t('app-show-key'), '#key', 'tile primary'));
  if (may('lot.register')) actions.push(link(t('app-register-lot'), '#register', 'tile primary'));
  if (r.some((x) => CUSTODY.includes(x))) {
    actions.push(link(t('app-my-lots', { n: state.view?.lots?.length ?? 0 }), '#lots', 'tile'));
    actions.push(link(t('app-offers', { n: state.view?.offers?.length ?? 0 }), '#offers', 'tile'));
  }
  if (may('site.inspect')) actions.push(link(t('app-inspect'), '#inspect', 'tile primary'));
  actions.push(link(t('app-check-label'), '#check', 'tile'));
  actions.push(link(t('app-outbox', { n: queued }), '#outbox', refused ? 'tile warn' : 'tile'));
  const status = !registered() ? t('app-key-not-registered')
    : keyActive() ? t('app-key-registered', { actor: state.view.actor.profile.id, roles: r.join(', ') })
      : t('app-key-not-active');
  render(
    h('section', { class: 'card' }, h('h2', {}, state.profile.label), h('p', { id: 'key-status' }, status),
      refused ? h('p', { class: 'note warn' }, t('app-refused-waiting', { n: refused })) : null),
    clockWarning(),
    h('nav', { class: 'tiles', 'aria-label': t('app-actions') }, actions),
    h('p', { class: 'row' }, button(t('app-sync'), () => sync()), ' ', link(t('app-profiles'), '#profiles'), ' ', link(t('app-show-key'), '#key')));
}

async function screenProfiles() {
  const profiles = await all('profiles');
  render(h('section', { class: 'card' }, h('h2', {}, t('app-profiles')),
    h('ul', { class: 'list' }, profiles.map((p) => h('li', {},
      h('span', {}, p.label, ' ', h('code', {}, p.id.slice(0, 8))),
      p.id === state.profile.id ? h('strong', {}, t('app-current'))
        : button(t('app-switch'), async () => {
          await setKv('current', p.id);
          state.profile = p;
          state.view = await kv(`view:${p.id}`);
          state.unlockedUntil = 0;
          location.hash = '#home';
          sync();
        })))),
    link(t('app-new-title'), '#new', 'tile')));
}

async function screenRegister() {
  const sites = state.view?.sites ?? [];
  if (!sites.length) {
    render(h('section', { class: 'card' }, h('h2', {}, t('app-register-lot')), h('p', {}, t('app-no-sites')), link(t('app-home'), '#home')));
    return;
  }
  const site = h('select', { name: 'site', required: true }, sites.map((s) => h('option', { value: s.id }, `${s.name} (${s.id})`)));
  const mineral = h('select', { name: 'mineral', required: true });
  const fillMinerals = () => {
    const s = sites.find((x) => x.id === site.value);
    mineral.replaceChildren(...(s?.minerals ?? Object.keys(MINERALS)).map((m) => h('option', { value: m }, t(MINERALS[m] ?? m))));
  };
  site.addEventListener('change', fillMinerals);
  fillMinerals();
  const gps = h('input', { type: 'checkbox', name: 'gps', checked: 'geolocation' in navigator });
  const form = h('form', { class: 'card', novalidate: true },
    h('h2', {}, t('app-register-lot')), clockWarning(),
    field(t('app-site'), site),
    field(t('app-tag'), h('input', { name: 'tag', required: true, autocomplete: 'off', autocapitalize: 'characters' }), t('app-tag-hint')),
    field(t('app-lot-id'), h('input', { name: 'lot', autocomplete: 'off', autocapitalize: 'characters' }), t('app-lot-id-hint')),
    field(t('app-mineral'), mineral),
    field(t('app-mass'), h('input', { name: 'mass', inputmode: 'decimal', required: true, autocomplete: 'off' }), t('app-mass-hint')),
    field(t('app-grade'), h('input', { name: 'grade', inputmode: 'decimal', required: true, autocomplete: 'off' }), t('app-grade-hint')),
    h('label', { class: 'check' }, gps, t('app-gps')),
    field(t('app-time'), timeInput()), errorLine(),
    h('button', { type: 'submit', class: 'primary' }, t('app-sign')));
  form.addEventListener('submit', submitter(async (f) => {
    const s = sites.find((x) => x.id === f.elements.site.value);
    const tag = checks.id(f.elements.tag.value, t('app-tag'));
    checks.tagInRanges(tag, s.ranges);
    const lot = checks.id(f.elements.lot.value || tag, t('app-lot-id'));
    const body = { lot, site: s.id, tag, mineral: f.elements.mineral.value, mass_g: checks.grams(f.elements.mass.value), grade_bp: checks.basisPoints(f.elements.grade.value) };
    if (state.view.lots.some((l) => l.id === lot)) throw new checks.Refusal('app-lot-exists', { lot });
    const time = claimedTime(f);
    return {
      warnings: precheckWarnings('lot.register', body, time, []),
      run: async () => {
        if (gps.checked) {
          const pos = await position();
          if (pos) body.gps = pos;
        }
        const signed = await signAndQueue('lot.register', body, time, (hash) => {
          state.view.lots.unshift({ id: lot, mineral: body.mineral, mass_g: body.mass_g, grade_bp: body.grade_bp, custodian: state.view.actor.profile.id, status: 'open', head: hash, tag, pending_offer_to: null, created_index: -1 });
        });
        if (!signed) return null;
        await setKv(`reg:${lot}`, { ...body, time });
        say('app-queued', { what: lot });
        location.hash = '#lots';
        return signed;
      },
    };
  }));
  render(form);
}

function position() {
  return new Promise((resolve) => {
    navigator.geolocation.getCurrentPosition(
      (p) => resolve({ lat_e6: Math.round(p.coords.latitude * 1e6), lon_e6: Math.round(p.coords.longitude * 1e6) }),
      () => resolve(null), { timeout: 8000, maximumAge: 600000 });
  });
}

function lotLine(l, ...actions) {
  return h('li', { class: 'lot' },
    h('div', {}, h('strong', {}, l.id), ' ', t(MINERALS[l.mineral] ?? l.mineral)),
    h('div', { class: 'figures' }, `${fmt.kg(l.mass_g)} · ${fmt.pct(l.grade_bp)}`),
    l.pending_offer_to ? h('div', { class: 'small' }, t('app-offered-to', { actor: l.pending_offer_to })) : null,
    h('div', { class: 'row' }, actions, link(t('app-lot-page'), `/lots/${encodeURIComponent(l.id)}`)));
}

async function screenLots() {
  const lots = state.view?.lots ?? [];
  const own = await Promise.all(lots.map(async (l) => Boolean(await kv(`reg:${l.id}`))));
  render(h('section', { class: 'card' }, h('h2', {}, t('app-my-lots', { n: lots.length })),
    lots.length ? h('ul', { class: 'list' }, lots.map((l, i) => lotLine(l,
      link(t('app-offer'), `#offer/${encodeURIComponent(l.id)}`, 'btn'),
      link(t('app-tax'), `#tax/${encodeURIComponent(l.id)}`, 'btn'),
      link(t('app-transport'), `#transport/${encodeURIComponent(l.id)}`, 'btn'),
      link(t('app-store'), `#store/${encodeURIComponent(l.id)}`, 'btn'),
      link(t('app-split'), `#split/${encodeURIComponent(l.id)}`, 'btn'),
      may('lot.export') ? link(t('app-export'), `#export/${encodeURIComponent(l.id)}`, 'btn') : null,
      own[i] ? link(t('app-label'), `#label/${encodeURIComponent(l.id)}`, 'btn') : null)))
      : h('p', {}, t('app-no-lots')),
    lots.length > 1 ? h('p', { class: 'row' }, link(t('app-merge'), '#merge', 'btn'),
      may('lot.process') ? link(t('app-process'), '#process', 'btn') : null) : null));
}

async function screenOffer(lotId) {
  const lot = state.view?.lots?.find((l) => l.id === lotId);
  if (!lot) return screenMissing(lotId);
  const actors = ((await kv('actors'))?.actors ?? [])
    .filter((a) => a.profile.id !== state.view.actor.profile.id && a.profile.roles.some((r) => CUSTODY.includes(r)));
  // No receiver is preselected: a lot handed to the wrong actor is on the
  // ledger for ever.
  const to = h('select', { name: 'to', required: true }, h('option', { value: '' }, t('app-offer-choose')),
    actors.map((a) => h('option', { value: a.profile.id }, `${a.profile.name} (${a.profile.id})`)));
  const form = h('form', { class: 'card', novalidate: true },
    h('h2', {}, t('app-offer-title', { lot: lot.id })), clockWarning(),
    h('p', {}, `${fmt.kg(lot.mass_g)} · ${fmt.pct(lot.grade_bp)}`),
    field(t('app-offer-to'), to),
    field(t('app-mass'), h('input', { name: 'mass', inputmode: 'decimal', required: true, value: String(lot.mass_g / 1000).replace('.', state.lang === 'en' ? '.' : ',') })),
    field(t('app-grade'), h('input', { name: 'grade', inputmode: 'decimal', required: true, value: String(lot.grade_bp / 100).replace('.', state.lang === 'en' ? '.' : ',') })),
    field(t('app-time'), timeInput()), errorLine(),
    h('button', { type: 'submit', class: 'primary' }, t('app-sign')));
  form.addEventListener('submit', submitter(async (f) => {
    if (!f.elements.to.value) throw new checks.Refusal('app-offer-no-receiver');
    const body = { lot: lot.id, prev: lot.head, to: f.elements.to.value, mass_g: checks.grams(f.elements.mass.value), grade_bp: checks.basisPoints(f.elements.grade.value) };
    const time = claimedTime(f);
    return {
      warnings: precheckWarnings('lot.offer', body, time, [lot]),
      run: async () => {
        const signed = await signAndQueue('lot.offer', body, time, (hash) => { lot.head = hash; lot.pending_offer_to = body.to; });
        if (signed) { say('app-queued', { what: lot.id }); location.hash = '#lots'; }
        return signed;
      },
    };
  }));
  render(form);
}

/** Minor units per currency the region's taxes are paid in (ISO 4217). */
const CURRENCIES = { USD: 2, CDF: 2, RWF: 0, BIF: 0, UGX: 0 };

async function screenTax(lotId) {
  const lot = state.view?.lots?.find((l) => l.id === lotId);
  if (!lot) return screenMissing(lotId);
  const currency = h('select', { name: 'currency' }, Object.keys(CURRENCIES).map((c) => h('option', { value: c }, c)));
  const form = h('form', { class: 'card', novalidate: true },
    h('h2', {}, t('app-tax-title', { lot: lot.id })), clockWarning(),
    field(t('app-tax-type'), h('input', { name: 'type', required: true, maxlength: 200, value: t('app-tax-royalty') })),
    field(t('app-tax-amount'), h('input', { name: 'amount', inputmode: 'decimal', required: true, autocomplete: 'off' })),
    field(t('app-tax-currency'), currency),
    field(t('app-tax-authority'), h('input', { name: 'authority', required: true, maxlength: 200 })),
    field(t('app-tax-receipt'), h('input', { name: 'receipt', required: true, maxlength: 200, autocomplete: 'off' })),
    field(t('app-tax-paid'), h('input', { type: 'date', name: 'paid', required: true, value: new Date().toISOString().slice(0, 10) })),
    errorLine(), h('button', { type: 'submit', class: 'primary' }, t('app-sign')));
  form.addEventListener('submit', submitter(async (f) => {
    const text = (name) => {
      const v = f.elements[name].value.trim();
      if (!v) throw new checks.Refusal('app-field-empty', { field: f.elements[name].closest('label').querySelector('span').textContent });
      return v;
    };
    const paid = Date.parse(`${f.elements.paid.value}T00:00:00Z`);
    if (!Number.isSafeInteger(paid)) throw new checks.Refusal('app-bad-time');
    const tax = { type: text('type'), amount: checks.money(f.elements.amount.value, CURRENCIES[currency.value]), currency: currency.value,
      authority: text('authority'), receipt: text('receipt'), paid };
    return {
      run: async () => {
        const signed = await signAndQueue('lot.tax', { lot: lot.id, prev: lot.head, tax }, Date.now(), (hash) => { lot.head = hash; });
        if (signed) { say('app-queued', { what: lot.id }); location.hash = '#lots'; }
        return signed;
      },
    };
  }));
  render(form);
}

async function screenTransport(lotId) {
  const lot = state.view?.lots?.find((l) => l.id === lotId);
  if (!lot) return screenMissing(lotId);
  const now = Date.now();
  const form = h('form', { class: 'card', novalidate: true },
    h('h2', {}, t('app-transport-title', { lot: lot.id })), clockWarning(),
    field(t('app-transport-from'), h('input', { name: 'from', required: true, maxlength: 200 })),
    field(t('app-transport-to'), h('input', { name: 'to', required: true, maxlength: 200 })),
    field(t('app-transport-departed'), Object.assign(timeInput(now), { name: 'departed' })),
    field(t('app-transport-arrived'), Object.assign(timeInput(now), { name: 'arrived' })),
    field(t('app-transport-method'), h('input', { name: 'method', required: true, maxlength: 200, value: t('app-transport-truck') })),
    field(t('app-transport-carrier'), h('input', { name: 'carrier', maxlength: 200 })),
    errorLine(), h('button', { type: 'submit', class: 'primary' }, t('app-sign')));
  form.addEventListener('submit', submitter(async (f) => {
    const when = (name) => {
      const ms = new Date(f.elements[name].value).getTime();
      if (!Number.isSafeInteger(ms) || ms < 0) throw new checks.Refusal('app-bad-time');
      return ms;
    };
    const body = { lot: lot.id, prev: lot.head, from: { name: f.elements.from.value.trim() }, to: { name: f.elements.to.value.trim() },
      departed: when('departed'), arrived: when('arrived'), method: f.elements.method.value.trim() };
    if (!body.from.name || !body.to.name || !body.method) throw new checks.Refusal('app-transport-incomplete');
    if (body.arrived < body.departed) throw new checks.Refusal('app-transport-arrived-before');
    const carrier = f.elements.carrier.value.trim();
    if (carrier) body.carrier = carrier;
    return {
      warnings: precheckWarnings('lot.transport', body, body.arrived, [lot]),
      run: async () => {
        const signed = await signAndQueue('lot.transport', body, body.arrived, (hash) => { lot.head = hash; });
        if (signed) { say('app-queued', { what: lot.id }); location.hash = '#lots'; }
        return signed;
      },
    };
  }));
  render(form);
}

async function screenStore(lotId) {
  const lot = state.view?.lots?.find((l) => l.id === lotId);
  if (!lot) return screenMissing(lotId);
  const warehouses = ((await kv('actors'))?.actors ?? []).filter((a) => a.profile.roles.includes('warehouse'));
  const gps = h('input', { type: 'checkbox', name: 'gps', checked: 'geolocation' in navigator });
  const form = h('form', { class: 'card', novalidate: true },
    h('h2', {}, t('app-store-title', { lot: lot.id })), clockWarning(),
    field(t('app-store-place'), h('input', { name: 'place', required: true, maxlength: 200 })),
    field(t('app-store-warehouse'), h('select', { name: 'warehouse' }, h('option', { value: '' }, t('app-store-no-warehouse')),
      warehouses.map((a) => h('option', { value: a.profile.id }, `${a.profile.name} (${a.profile.id})`)))),
    h('label', { class: 'check' }, gps, t('app-gps')),
    field(t('app-time'), timeInput()), errorLine(),
    h('button', { type: 'submit', class: 'primary' }, t('app-sign')));
  form.addEventListener('submit', submitter(async (f) => {
    const name = f.elements.place.value.trim();
    if (!name) throw new checks.Refusal('app-field-empty', { field: t('app-store-place') });
    const body = { lot: lot.id, prev: lot.head, place: { name } };
    if (f.elements.warehouse.value) body.warehouse = f.elements.warehouse.value;
    const time = claimedTime(f);
    return {
      warnings: precheckWarnings('lot.store', body, time, [lot]),
      run: async () => {
        if (gps.checked) {
          const pos = await position();
          if (pos) Object.assign(body.place, pos);
        }
        const signed = await signAndQueue('lot.store', body, time, (hash) => { lot.head = hash; });
        if (signed) { say('app-queued', { what: lot.id }); location.hash = '#lots'; }
        return signed;
      },
    };
  }));
  render(form);
}

async function screenOffers() {
  const offers = state.view?.offers ?? [];
  render(h('section', { class: 'card' }, h('h2', {}, t('app-offers', { n: offers.length })),
    h('p', {}, Object.assign(button(t('app-sync'), () => sync()), { id: 'sync' })),
    offers.length ? h('ul', { class: 'list' }, offers.map((o) => h('li', { class: 'lot' },
      h('div', {}, h('strong', {}, o.lot.id), ' ', t(MINERALS[o.lot.mineral] ?? o.lot.mineral)),
      h('div', {}, t('app-offer-from', { actor: o.from, mass: fmt.kg(o.mass_g), grade: fmt.pct(o.grade_bp) })),
      h('div', { class: 'row' },
        link(t('app-accept'), `#accept/${encodeURIComponent(o.lot.id)}`, 'btn primary'),
        link(t('app-refuse'), `#refuse/${encodeURIComponent(o.lot.id)}`, 'btn'),
        link(t('app-lot-page'), `/lots/${encodeURIComponent(o.lot.id)}`)))))
      : h('p', {}, t('app-no-offers'))));
}

function screenMissing(lotId) {
  render(h('section', { class: 'card' }, h('p', {}, t('app-lot-not-here', { lot: lotId ?? '' })), button(t('app-sync'), () => sync()), ' ', link(t('app-home'), '#home')));
}

async function screenAccept(lotId) {
  const o = state.view?.offers?.find((x) => x.lot.id === lotId);
  if (!o) return screenMissing(lotId);
  const form = h('form', { class: 'card', novalidate: true },
    h('h2', {}, t('app-accept-title', { lot: o.lot.id })), clockWarning(),
    h('p', {}, t('app-offer-from', { actor: o.from, mass: fmt.kg(o.mass_g), grade: fmt.pct(o.grade_bp) })),
    field(t('app-mass-measured'), h('input', { name: 'mass', inputmode: 'decimal', required: true, autocomplete: 'off' }), t('app-mass-hint')),
    field(t('app-grade-measured'), h('input', { name: 'grade', inputmode: 'decimal', required: true, autocomplete: 'off' }), t('app-grade-hint')),
    field(t('app-time'), timeInput()), errorLine(),
    h('button', { type: 'submit', class: 'primary' }, t('app-accept')));
  form.addEventListener('submit', submitter(async (f) => {
    const body = { lot: o.lot.id, prev: o.lot.head, mass_g: checks.grams(f.elements.mass.value), grade_bp: checks.basisPoints(f.elements.grade.value) };
    const time = claimedTime(f);
    return {
      warnings: precheckWarnings('lot.accept', body, time, [{ ...o.lot, offer: { mass_g: o.mass_g, grade_bp: o.grade_bp } }]),
      run: async () => {
        const signed = await signAndQueue('lot.accept', body, time, (hash) => {
          state.view.offers = state.view.offers.filter((x) => x !== o);
          state.view.lots.unshift({ ...o.lot, mass_g: body.mass_g, grade_bp: body.grade_bp, custodian: state.view.actor.profile.id, head: hash, pending_offer_to: null });
        });
        if (signed) { say('app-queued', { what: o.lot.id }); location.hash = '#outbox'; }
        return signed;
      },
    };
  }));
  render(form);
}

async function screenRefuse(lotId) {
  const o = state.view?.offers?.find((x) => x.lot.id === lotId);
  if (!o) return screenMissing(lotId);
  const form = h('form', { class: 'card', novalidate: true },
    h('h2', {}, t('app-refuse-title', { lot: o.lot.id })),
    field(t('app-reason'), h('textarea', { name: 'reason', required: true, maxlength: 4000, rows: 3 })),
    field(t('app-time'), timeInput()), errorLine(),
    h('button', { type: 'submit', class: 'primary' }, t('app-refuse')));
  form.addEventListener('submit', submitter(async (f) => {
    const reason = f.elements.reason.value.trim();
    if (!reason) throw new checks.Refusal('app-reason-empty');
    const time = claimedTime(f);
    return {
      run: async () => {
        const signed = await signAndQueue('lot.refuse', { lot: o.lot.id, prev: o.lot.head, reason }, time, () => {
          state.view.offers = state.view.offers.filter((x) => x !== o);
        });
        if (signed) { say('app-queued', { what: o.lot.id }); location.hash = '#outbox'; }
        return signed;
      },
    };
  }));
  render(form);
}

async function screenInspect() {
  const sites = (await kv('sites'))?.sites ?? [];
  const site = h('select', { name: 'site', required: true }, sites.map((s) => h('option', { value: s.record.id }, `${s.record.name} (${s.record.id})`)));
  const today = new Date().toISOString().slice(0, 10);
  const result = (n, id) => h('label', { class: `check status-${n}` }, h('input', { type: 'radio', name: 'result', value: String(n), required: true }), t(id));
  const form = h('form', { class: 'card', novalidate: true },
    h('h2', {}, t('app-inspect')), clockWarning(),
    field(t('app-site'), site),
    field(t('app-inspection-id'), h('input', { name: 'id', required: true, autocomplete: 'off', value: `INSP-${today.replaceAll('-', '')}-${Math.floor(Math.random() * 9000 + 1000)}` })),
    field(t('app-inspection-date'), h('input', { name: 'date', type: 'date', required: true, value: today })),
    h('fieldset', {}, h('legend', {}, t('app-result')), result(1, 'app-green'), result(2, 'app-yellow'), result(3, 'app-red')),
    field(t('app-summary'), h('textarea', { name: 'summary', maxlength: 4000, rows: 3 })),
    errorLine(), h('button', { type: 'submit', class: 'primary' }, t('app-sign')));
  form.addEventListener('submit', submitter(async (f) => {
    const r = f.elements.result.value;
    if (!r) throw new checks.Refusal('app-result-missing');
    const date = Date.parse(`${f.elements.date.value}T00:00:00Z`);
    if (!Number.isSafeInteger(date)) throw new checks.Refusal('app-bad-time');
    const inspection = { id: checks.id(f.elements.id.value, t('app-inspection-id')), date, result: Number(r) };
    const summary = f.elements.summary.value.trim();
    if (summary) inspection.summary = summary;
    return {
      run: async () => {
        const signed = await signAndQueue('site.inspect', { site: f.elements.site.value, inspection }, Date.now());
        if (signed) { say('app-queued', { what: inspection.id }); location.hash = '#outbox'; }
        return signed;
      },
    };
  }));
  render(form);
}

// ------------------------------------------------- pre-signing warnings

/** A finding's figures as the person reads them: masses, grades, times. */
function figureArgs(figures, extra = {}) {
  const args = { ...extra };
  for (const [k, v] of Object.entries(figures)) {
    if (k.endsWith('_g')) args[k] = fmt.kg(v);
    else if (k.endsWith('_bp')) args[k] = fmt.pct(v);
    else if (k.endsWith('_ms')) args[k] = fmt.time(v);
    else args[k] = v;
  }
  return args;
}

/**
 * What the verifier would find on this event if it were recorded now
 * (spec/verifier.md section 7), as warnings the person may sign through.
 * `lots` are the lots it names, as the phone holds them.
 */
function precheckWarnings(type, body, time, lots) {
  const event = { ...body, type, time };
  return checks.precheck({ event, lots, now: Date.now() + state.skew })
    .map((f) => ({ id: f.message, args: figureArgs(f.figures, f.args) }));
}

/** The decimal separator of the language, for figures put back in a field. */
const decimal = (n) => String(n).replace('.', state.lang === 'en' ? '.' : ',');

/** The lots open in the actor's custody, with no offer pending. */
const ownLots = () => (state.view?.lots ?? []).filter((l) => l.status === 'open' && !l.pending_offer_to);

async function screenSplit(lotId) {
  const lot = state.view?.lots?.find((l) => l.id === lotId);
  if (!lot) return screenMissing(lotId);
  const parts = h('div', { class: 'parts' });
  const addPart = () => {
    const n = parts.children.length + 1;
    parts.append(h('fieldset', { class: 'part' }, h('legend', {}, t('app-split-part', { n })),
      field(t('app-lot-id'), h('input', { name: `lot${n}`, required: true, autocomplete: 'off', autocapitalize: 'characters', value: `${lot.id}-${n}` })),
      field(t('app-mass'), h('input', { name: `mass${n}`, inputmode: 'decimal', required: true, autocomplete: 'off' })),
      field(t('app-grade'), h('input', { name: `grade${n}`, inputmode: 'decimal', required: true, autocomplete: 'off', value: decimal(lot.grade_bp / 100) }))));
  };
  addPart();
  addPart();
  const form = h('form', { class: 'card', novalidate: true },
    h('h2', {}, t('app-split-title', { lot: lot.id })), clockWarning(),
    h('p', {}, `${fmt.kg(lot.mass_g)} · ${fmt.pct(lot.grade_bp)}`), h('p', { class: 'small' }, t('app-split-hint')),
    parts, h('p', {}, button(t('app-split-add'), () => { if (parts.children.length < 100) addPart(); })),
    field(t('app-time'), timeInput()), errorLine(),
    h('button', { type: 'submit', class: 'primary' }, t('app-sign')));
  form.addEventListener('submit', submitter(async (f) => {
    const children = [];
    for (let n = 1; n <= parts.children.length; n += 1) {
      const child = checks.id(f.elements[`lot${n}`].value, t('app-lot-id'));
      if (child === lot.id || children.some((c) => c.lot === child)) throw new checks.Refusal('app-split-same-id', { lot: child });
      children.push({ lot: child, mass_g: checks.grams(f.elements[`mass${n}`].value), grade_bp: checks.basisPoints(f.elements[`grade${n}`].value) });
    }
    const body = { lot: lot.id, prev: lot.head, children };
    const time = claimedTime(f);
    return {
      warnings: precheckWarnings('lot.split', body, time, [lot]),
      run: async () => {
        const signed = await signAndQueue('lot.split', body, time, (hash) => {
          state.view.lots = state.view.lots.filter((l) => l !== lot);
          state.view.lots.unshift(...children.map((c) => ({ ...lot, id: c.lot, mass_g: c.mass_g, grade_bp: c.grade_bp, head: hash, tag: null, created_index: -1 })));
        });
        if (signed) { say('app-queued', { what: lot.id }); location.hash = '#lots'; }
        return signed;
      },
    };
  }));
  render(form);
}

/** Merging lots (`lot.merge`), or processing them into a concentrate (`lot.process`). */
async function screenCombine(kind) {
  const lots = ownLots();
  const title = kind === 'merge' ? 'app-merge' : 'app-process';
  if (kind === 'process' && !may('lot.process')) {
    render(h('section', { class: 'card' }, h('h2', {}, t(title)), h('p', {}, t('app-process-not-processor')), link(t('app-home'), '#home')));
    return;
  }
  const boxes = lots.map((l) => h('label', { class: 'check' },
    h('input', { type: 'checkbox', name: 'input', value: l.id }),
    `${l.id} · ${t(MINERALS[l.mineral] ?? l.mineral)} · ${fmt.kg(l.mass_g)} · ${fmt.pct(l.grade_bp)}`));
  const mass = h('input', { name: 'mass', inputmode: 'decimal', required: true, autocomplete: 'off' });
  const grade = h('input', { name: 'grade', inputmode: 'decimal', required: true, autocomplete: 'off' });
  const chosenLots = () => boxes.map((b) => b.querySelector('input')).filter((i) => i.checked).map((i) => lots.find((l) => l.id === i.value));
  // A merge's figures follow from its inputs: the total and the
  // mass-weighted grade are filled in as the person ticks lots.
  const fill = () => {
    if (kind !== 'merge') return;
    const ins = chosenLots();
    const sum = ins.reduce((a, l) => a + l.mass_g, 0);
    if (!sum) return;
    mass.value = decimal(sum / 1000);
    grade.value = decimal(Math.floor(ins.reduce((a, l) => a + l.mass_g * l.grade_bp, 0) / sum) / 100);
  };
  for (const b of boxes) b.addEventListener('change', fill);
  const form = h('form', { class: 'card', novalidate: true },
    h('h2', {}, t(title)), clockWarning(),
    h('fieldset', {}, h('legend', {}, t('app-combine-choose')), boxes.length ? boxes : h('p', {}, t('app-no-lots'))),
    field(t('app-output-id'), h('input', { name: 'lot', required: true, autocomplete: 'off', autocapitalize: 'characters' }), t('app-output-id-hint')),
    field(t(kind === 'merge' ? 'app-mass' : 'app-mass-measured'), mass, t('app-mass-hint')),
    field(t(kind === 'merge' ? 'app-grade' : 'app-grade-measured'), grade, t('app-grade-hint')),
    kind === 'process' ? field(t('app-process-method'), h('input', { name: 'method', required: true, maxlength: 200, value: t('app-process-method-default') })) : null,
    field(t('app-time'), timeInput()), errorLine(),
    h('button', { type: 'submit', class: 'primary' }, t('app-sign')));
  form.addEventListener('submit', submitter(async (f) => {
    const ins = chosenLots();
    if (ins.length < (kind === 'merge' ? 2 : 1)) throw new checks.Refusal(kind === 'merge' ? 'app-merge-need-two' : 'app-process-need-one');
    if (new Set(ins.map((l) => l.mineral)).size > 1) throw new checks.Refusal('app-combine-minerals');
    const out = checks.id(f.elements.lot.value, t('app-output-id'));
    if ((state.view.lots ?? []).some((l) => l.id === out)) throw new checks.Refusal('app-lot-exists', { lot: out });
    const body = { inputs: ins.map((l) => ({ lot: l.id, prev: l.head })), lot: out, mass_g: checks.grams(mass.value), grade_bp: checks.basisPoints(grade.value) };
    if (kind === 'process') {
      body.method = f.elements.method.value.trim();
      if (!body.method) throw new checks.Refusal('app-field-empty', { field: t('app-process-method') });
    }
    const type = kind === 'merge' ? 'lot.merge' : 'lot.process';
    const time = claimedTime(f);
    return {
      warnings: precheckWarnings(type, body, time, ins),
      run: async () => {
        const signed = await signAndQueue(type, body, time, (hash) => {
          state.view.lots = state.view.lots.filter((l) => !ins.includes(l));
          state.view.lots.unshift({ id: out, mineral: ins[0].mineral, mass_g: body.mass_g, grade_bp: body.grade_bp, custodian: state.view.actor.profile.id, status: 'open', head: hash, tag: null, pending_offer_to: null, created_index: -1 });
        });
        if (signed) { say('app-queued', { what: out }); location.hash = '#lots'; }
        return signed;
      },
    };
  }));
  render(form);
}

async function screenExport(lotId) {
  const lot = state.view?.lots?.find((l) => l.id === lotId);
  if (!lot) return screenMissing(lotId);
  const form = h('form', { class: 'card', novalidate: true },
    h('h2', {}, t('app-export-title', { lot: lot.id })), clockWarning(),
    h('p', {}, `${fmt.kg(lot.mass_g)} · ${fmt.pct(lot.grade_bp)}`),
    field(t('app-export-cert'), h('input', { name: 'cert', required: true, autocomplete: 'off', autocapitalize: 'characters' }), t('app-export-cert-hint')),
    field(t('app-mass'), h('input', { name: 'mass', inputmode: 'decimal', required: true, value: decimal(lot.mass_g / 1000) })),
    field(t('app-export-destination'), h('input', { name: 'destination', required: true, maxlength: 2, autocomplete: 'off', autocapitalize: 'characters' }), t('app-export-destination-hint')),
    field(t('app-time'), timeInput()), errorLine(),
    h('button', { type: 'submit', class: 'primary' }, t('app-sign')));
  form.addEventListener('submit', submitter(async (f) => {
    const destination = f.elements.destination.value.trim().toUpperCase();
    if (!/^[A-Z]{2}$/.test(destination)) throw new checks.Refusal('app-bad-country', { value: f.elements.destination.value });
    const body = { lot: lot.id, prev: lot.head, cert: checks.id(f.elements.cert.value, t('app-export-cert')), mass_g: checks.grams(f.elements.mass.value), destination };
    const time = claimedTime(f);
    return {
      warnings: precheckWarnings('lot.export', body, time, [lot]),
      run: async () => {
        const signed = await signAndQueue('lot.export', body, time, () => {
          state.view.lots = state.view.lots.filter((l) => l !== lot);
        });
        if (signed) { say('app-queued', { what: lot.id }); location.hash = '#outbox'; }
        return signed;
      },
    };
  }));
  render(form);
}

function ruleText(problem) {
  const id = `app-rule-${problem.rule}`;
  const text = t(id);
  return text === id ? t('app-rule-other', { rule: problem.rule }) : text;
}

async function screenOutbox() {
  const items = (await outbox()).filter((i) => i.profile === state.profile.id).reverse();
  const now = Date.now();
  render(h('section', { class: 'card' }, h('h2', {}, t('app-outbox-title')),
    h('p', { class: 'row' }, button(t('app-send-now'), () => sync(), 'primary')),
    items.length ? h('ul', { class: 'list', id: 'outbox' }, items.map((i) => h('li', { class: `out ${i.state}`, 'data-state': i.state },
      h('div', {}, h('strong', {}, t(`app-type-${i.type.replace('.', '-')}`)), i.lot ? ` · ${i.lot}` : ''),
      h('div', { class: 'small' }, t('app-claimed', { time: fmt.time(i.time) })),
      i.state === 'queued' ? h('div', { class: 'small' }, t('app-waiting', { wait: fmt.wait(now - i.queued) })) : null,
      i.state === 'sent' ? h('div', { class: 'small' }, t('app-sent', { index: i.index, wait: fmt.wait(i.answered - i.queued) })) : null,
      i.state === 'refused' ? h('div', { class: 'refusal', role: 'note' }, h('strong', {}, t('app-refused')), ' ', ruleText(i.problem)) : null)))
      : h('p', {}, t('app-outbox-empty'))));
}

async function screenLabel(lotId) {
  const reg = await kv(`reg:${lotId}`);
  if (!reg) return screenMissing(lotId);
  const day = Math.floor(reg.time / 86400000);
  const claim = { key_id: state.profile.id, mineral: reg.mineral, mass_g: reg.mass_g, grade_bp: reg.grade_bp, day, tag: reg.tag, lot: reg.lot, site: reg.site };
  let payload = await kv(`label:${lotId}`);
  if (!payload) {
    if (!(await unlock())) return route();
    const bytes = sign.claimBytes(claim);
    const sig = await sign.signClaim(state.profile.privateKey, bytes);
    const ks = sign.base32(new Uint8Array([...sign.unhex(state.profile.id), ...sig]));
    payload = `${location.origin}/lots/${reg.lot}#1/${reg.tag}/${reg.site}/${sign.MINERAL_CODES[reg.mineral]}/${reg.mass_g}/${reg.grade_bp}/${day}/${ks}`;
    await setKv(`label:${lotId}`, payload);
  }
  // Drawn on the phone (spec/tags.md section 5), so it needs no network.
  let code;
  try {
    code = qr.svg(payload, { label: t('app-label-qr-alt', { lot: lotId }) });
    code.setAttribute('class', 'qr');
    code.setAttribute('id', 'label-qr');
  } catch (e) {
    if (!(e instanceof qr.QrTooLarge)) throw e;
    code = h('p', { class: 'note warn', id: 'label-qr-too-large' }, t('app-label-too-large'));
  }
  render(h('section', { class: 'card' }, h('h2', {}, t('app-label-title', { lot: lotId })),
    h('p', {}, `${reg.tag} · ${t(MINERALS[reg.mineral])} · ${fmt.kg(reg.mass_g)} · ${fmt.pct(reg.grade_bp)}`),
    code,
    h('p', {}, h('code', { class: 'key', id: 'label-payload' }, payload)),
    h('p', { class: 'small' }, t('app-label-print')),
    // Online, the node's tag printer makes the printable label from the
    // signed payload (spec/http.md, GET /v1/labels).
    navigator.onLine ? h('p', { class: 'row' },
      link(t('app-label-pdf'), `/v1/labels?payload=${encodeURIComponent(payload)}&lang=${state.lang}`, 'btn'),
      link(t('app-label-png'), `/v1/labels?payload=${encodeURIComponent(payload)}&format=png&lang=${state.lang}`, 'btn')) : null));
}

/**
 * Checks a label offline: its claim's signature against the key list this
 * phone cached when it was last online, and what the registry said about
 * that key then.
 */
async function screenCheck() {
  const input = h('textarea', { name: 'payload', rows: 4, autocomplete: 'off', spellcheck: 'false' });
  const result = h('div', { id: 'check-result', 'aria-live': 'polite' });
  const check = async (payload) => {
    result.replaceChildren();
    let read;
    try {
      read = sign.readPayload(payload.trim());
    } catch {
      result.append(h('p', { class: 'note warn' }, t('app-check-unreadable')));
      return;
    }
    const keys = (await kv('keys'))?.keys ?? [];
    const key = keys.find((k) => k.key_id === read.keyId);
    const c = read.claim;
    const facts = h('p', {}, `${c.lot} · ${c.tag} · ${c.site} · ${t(MINERALS[c.mineral])} · ${fmt.kg(c.mass_g)} · ${fmt.pct(c.grade_bp)} · ${fmt.time(c.day * 86400000)}`);
    if (!key) {
      result.append(h('p', { class: 'note warn', 'data-verdict': 'unknown-key' }, t('app-check-unknown-key')), facts);
      return;
    }
    const ok = await sign.verifyClaim(sign.parsePublic(key.public_key), sign.claimBytes(c), read.sig);
    if (!ok) {
      result.append(h('p', { class: 'note warn', 'data-verdict': 'bad-signature' }, t('app-check-bad')), facts);
      return;
    }
    const active = key.status === 'active';
    result.append(h('p', { class: active ? 'note ok' : 'note warn', 'data-verdict': active ? 'ok' : 'key-not-active' },
      t(active ? 'app-check-ok' : 'app-check-ok-key-not-active', { actor: key.actor })), facts,
    link(t('app-lot-page'), `/lots/${encodeURIComponent(c.lot)}`));
  };
  const form = h('form', { class: 'card' }, h('h2', {}, t('app-check-label')), h('p', {}, t('app-check-intro')),
    field(t('app-check-payload'), input), h('button', { type: 'submit', class: 'primary' }, t('app-check')));
  form.addEventListener('submit', (ev) => { ev.preventDefault(); check(input.value); });
  const parts = [form, result];
  if ('BarcodeDetector' in window && navigator.mediaDevices?.getUserMedia) {
    const video = h('video', { playsinline: true, muted: true, class: 'camera', 'aria-label': t('app-check-camera') });
    parts.splice(1, 0, h('p', {}, button(t('app-check-camera'), async () => {
      const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' } }).catch(() => null);
      if (!stream) return;
      video.srcObject = stream;
      await video.play();
      // eslint-disable-next-line no-undef
      const detector = new BarcodeDetector({ formats: ['qr_code'] });
      const scan = async () => {
        const codes = await detector.detect(video).catch(() => []);
        if (codes.length) {
          stream.getTracks().forEach((tr) => tr.stop());
          input.value = codes[0].rawValue;
          check(codes[0].rawValue);
        } else if (video.srcObject) requestAnimationFrame(scan);
      };
      scan();
    })), video);
  }
  render(...parts);
}

start().catch((e) => {
  document.getElementById('app').textContent = `${e}`;
});

