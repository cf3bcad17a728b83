// Shared by every page of the console and playground: the page's start data, calls to the hub's JSON APIs as the
// signed-in user (with the session's CSRF token), a small DOM builder, tables, charts' colours and number formats.

const dataElement = document.getElementById('page-data');
/** What the server put in the page: {page, user: {id, name, displayName, role} | null, csrfToken}. */
export const page = dataElement ? JSON.parse(dataElement.textContent) : { page: '', user: null };
export const isAdmin = !!page.user && (page.user.role === 'owner' || page.user.role === 'admin');

/** An API refusal: the status and the message the hub gave, ready to show. */
export class ApiError extends Error {
  constructor(status, message, body) {
    super(message);
    this.status = status;
    this.body = body;
  }
}

function messageOf(status, body) {
  if (body && typeof body === 'object') {
    const e = body.error;
    if (typeof e === 'string') return e;
    if (e && typeof e.message === 'string') return e.message;
    if (typeof body.message === 'string') return body.message;
  }
  return `The hub answered ${status}.`;
}

/**
 * Calls a hub API. `body` (an object) is sent as JSON; `query` (an object) is added to the URL, skipping empty
 * values. Answers the parsed JSON (or text); throws ApiError with the hub's message otherwise.
 */
export async function api(path, { method = 'GET', body, query, signal, headers = {} } = {}) {
  const url = new URL(path, location.origin);
  if (query) {
    for (const [k, v] of Object.entries(query)) {
      if (v !== undefined && v !== null && v !== '') url.searchParams.set(k, v);
    }
  }
  const init = { method, signal, credentials: 'same-origin', headers: { Accept: 'application/json', ...headers } };
  if (method !== 'GET' && method !== 'HEAD') init.headers['X-CSRF-Token'] = page.csrfToken || '';
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const res = await fetch(url, init);
  const type = res.headers.get('Content-Type') || '';
  const parsed = type.includes('json') ? await res.json().catch(() => null) : await res.text();
  if (!res.ok) throw new ApiError(res.status, messageOf(res.status, parsed), parsed);
  return parsed;
}

/** The headers a streaming or raw fetch() needs to act as the signed-in user. */
export function sessionHeaders(extra = {}) {
  return { 'X-CSRF-Token': page.csrfToken || '', ...extra };
}

/**
 * Builds an element: h('button', {type: 'button', onclick: f, class: 'x'}, 'text', child). Attributes starting with
 * "on" become listeners; `false`/null attributes and children are skipped; strings become text nodes (never HTML).
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === false || v === null || v === undefined) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k in el && typeof v !== 'string') el[k] = v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

/** Replaces the content of `el` (an element or id) with `children`. */
export function render(el, ...children) {
  const target = typeof el === 'string' ? document.getElementById(el) : el;
  target.replaceChildren();
  append(target, children);
  return target;
}

/** The page's main container (#app), emptied of its "Loading…" line. */
export function app() {
  return document.getElementById('app');
}

/** A notice; kind is 'error' or ''. Errors are announced to screen readers. */
export function notice(message, kind = '') {
  return h('div', { class: `notice ${kind}`, role: kind === 'error' ? 'alert' : 'status' }, message);
}

/** Shows an error (an ApiError's message or any error) in `el`, replacing what it held. */
export function showError(el, err) {
  render(el, notice(err instanceof Error ? err.message : String(err), 'error'));
}

/**
 * A table: columns are {label, value: row => string|Node, numeric?}. Rows may be empty: `empty` is shown instead.
 */
export function table(columns, rows, { empty = 'Nothing yet.', caption } = {}) {
  if (!rows || rows.length === 0) return h('p', { class: 'muted' }, empty);
  return h('div', { class: 'table-wrap' },
    h('table', {},
      caption ? h('caption', { class: 'visually-hidden' }, caption) : null,
      h('thead', {}, h('tr', {}, columns.map(c => h('th', { scope: 'col', class: c.numeric ? 'num' : null }, c.label)))),
      h('tbody', {}, rows.map(r => h('tr', {}, columns.map(c => h('td', { class: c.numeric ? 'num' : null,
        'data-label': c.label }, h('div', { class: 'cell' }, valueOf(c.value(r))))))))));
}

function valueOf(v) {
  return v === null || v === undefined ? '' : v;
}

/** A labelled form control: field('Name', h('input', {...})) gives the input an id and a <label for>. */
let fieldCount = 0;
export function field(label, control, hint) {
  if (!control.id) control.id = `f${++fieldCount}`;
  const parts = [h('label', { for: control.id }, label), control];
  if (hint) {
    const hintId = `${control.id}-hint`;
    control.setAttribute('aria-describedby', hintId);
    parts.push(h('div', { class: 'muted', id: hintId, style: 'font-size:.8rem' }, hint));
  }
  return h('div', { class: 'field' }, parts);
}

/** Runs `work` while `button` is disabled, showing an error in `errorEl` if it throws. */
export async function busy(button, work, errorEl) {
  button.disabled = true;
  try {
    if (errorEl) render(errorEl);
    return await work();
  } catch (e) {
    if (errorEl) showError(errorEl, e);
    else throw e;
  } finally {
    button.disabled = false;
  }
}

const numberFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
const creditFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 4 });

export const fmt = {
  int: n => (n === null || n === undefined ? '–' : numberFormat.format(Number(n))),
  /** Credits arrive as decimal strings; shown to 4 places. */
  credits: c => (c === null || c === undefined || c === '' ? '–' : creditFormat.format(Number(c))),
  ms: n => (n === null || n === undefined ? '–' : `${numberFormat.format(Math.round(Number(n)))} ms`),
  percent: r => (r === null || r === undefined || Number.isNaN(Number(r)) ? '–' : `${(Number(r) * 100).toFixed(1)} %`),
  /** Epoch milliseconds (or seconds, or ISO text) as local date and time. */
  time: t => {
    if (t === null || t === undefined || t === '') return '–';
    const n = typeof t === 'number' ? (t < 1e12 ? t * 1000 : t) : Date.parse(t);
    return Number.isNaN(n) ? String(t) : new Date(n).toLocaleString();
  },
};

/** Chart colours, readable on white and distinct for up to eight series. */
export const palette = ['#2456d6', '#d9480f', '#2b8a3e', '#ae3ec9', '#1098ad', '#e67700', '#c2255c', '#5c7cfa'];

/** The range picker shared by analytics pages: answers {start, end} in epoch seconds for the chosen days. */
export function rangePicker(onChange, days = 7) {
  const select = h('select', { onchange: () => onChange(rangeOf(Number(select.value))) },
    [[1, 'Last 24 hours'], [7, 'Last 7 days'], [30, 'Last 30 days'], [90, 'Last 90 days']]
      .map(([d, label]) => h('option', { value: d, selected: d === days }, label)));
  return { element: field('Range', select), current: () => rangeOf(Number(select.value)) };
}

export function rangeOf(days) {
  const end = Math.floor(Date.now() / 1000);
  return { start: end - days * 86400, end, days };
}

// The phone-size navigation toggle.
const toggle = document.querySelector('.nav-toggle');
const nav = document.getElementById('site-nav');
if (toggle && nav) {
  toggle.addEventListener('click', () => {
    const open = nav.classList.toggle('open');
    toggle.setAttribute('aria-expanded', String(open));
  });
}
// Pages replace "Loading…" themselves; this removes it once their script has run, whatever it drew.
export function ready() {
  document.querySelector('[data-loading]')?.remove();
  // The moment the page is usable, on the browser's own clock (what bench/console measures).
  if (!document.body.dataset.ready) performance.mark('hub-ready');
  document.body.dataset.ready = 'true';
}

/**
 * A library of the page (Chart, marked, DOMPurify, hljs), run on first request. The page only preloads the file, so
 * scripts ask for a library after they have started their data requests, and its compile overlaps them.
 */
const libraries = new Map();
export function library(name) {
  if (window[name]) return Promise.resolve(window[name]);
  if (!libraries.has(name)) {
    const preload = document.querySelector(`link[rel=preload][data-global="${name}"]`);
    libraries.set(name, !preload ? Promise.reject(new Error(`This page does not load ${name}.`))
      : new Promise((resolve, reject) => {
        const script = h('script', { src: preload.href });
        script.addEventListener('load', () => resolve(window[name]), { once: true });
        script.addEventListener('error', () => reject(new Error(`${name} could not be loaded; reload the page.`)),
          { once: true });
        document.head.append(script);
      }));
  }
  return libraries.get(name);
}
