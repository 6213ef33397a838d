// Messages and formatting in the page's language. The server merges every file of
// web/i18n/<lang>/ into /assets/i18n/<lang>.json, keyed by file name: t('account.title') is the
// key "title" of web/i18n/<lang>/account.json. Japanese first, English second.

export const LANGUAGES = ['ja', 'en'];

let messages = {};
let current = document.documentElement.lang === 'en' ? 'en' : 'ja';
const listeners = new Set();

// The page's language: "ja" or "en".
export function lang() {
  return current;
}

// Loads the messages of `language`. With `remember`, the choice is kept in a cookie so the
// server serves the next page in that language too (the signed-in user's preference).
export async function loadMessages(language, { remember = false } = {}) {
  const wanted = LANGUAGES.includes(language) ? language : 'ja';
  const res = await fetch(`/assets/i18n/${wanted}.json`, { credentials: 'same-origin' });
  if (!res.ok) throw new Error(`messages ${wanted}: HTTP ${res.status}`);
  messages = await res.json();
  current = wanted;
  document.documentElement.lang = wanted;
  if (remember) {
    const secure = location.protocol === 'https:' ? '; Secure' : '';
    document.cookie = `ts_lang=${wanted}; Path=/; Max-Age=31536000; SameSite=Strict${secure}`;
  }
  for (const fn of listeners) fn(wanted);
}

// Calls fn(language) after every change of language.
export function onLanguageChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

// Whether the key exists in the loaded messages.
export function has(key) {
  return typeof lookup(key) === 'string';
}

function lookup(key) {
  const dot = key.indexOf('.');
  if (dot < 0) return undefined;
  const file = messages[key.slice(0, dot)];
  return file ? file[key.slice(dot + 1)] : undefined;
}

// The message `key` with {name} placeholders filled from `params`; the key itself when it is
// missing (and a warning in the console, so missing messages are found).
export function t(key, params) {
  let text = lookup(key);
  if (typeof text !== 'string') {
    console.warn(`trustsheet: missing message ${key} (${current})`);
    return key;
  }
  if (params) {
    text = text.replace(/\{(\w+)\}/g, (m, name) => (name in params ? String(params[name]) : m));
  }
  return text;
}

function locale() {
  return current === 'ja' ? 'ja-JP' : 'en-GB';
}

// Intl formatters are costly to create: one per locale and kind, kept.
const formatters = new Map();
function formatter(kind, make) {
  const key = `${kind} ${locale()}`;
  let f = formatters.get(key);
  if (!f) {
    f = make(locale());
    formatters.set(key, f);
  }
  return f;
}

// Creates the date formatters ahead of use (the first costs tens of ms): called at boot while
// the network is busy.
export function warmFormatters() {
  formatDateTime('2000-01-01T00:00:00Z');
  formatDate('2000-01-01');
}

// A UTC ISO time as date and time in the user's time zone; "" for an empty value.
export function formatDateTime(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return formatter('datetime', (l) => new Intl.DateTimeFormat(l, { dateStyle: 'medium', timeStyle: 'short' })).format(d);
}

// A date ("2026-12-01" or an ISO time) in the user's language; "" for an empty value.
export function formatDate(value) {
  if (!value) return '';
  const d = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00`) : new Date(value);
  if (Number.isNaN(d.getTime())) return String(value);
  return formatter('date', (l) => new Intl.DateTimeFormat(l, { dateStyle: 'medium' })).format(d);
}

export function formatNumber(n) {
  return formatter('number', (l) => new Intl.NumberFormat(l)).format(n);
}
