// Messages and formatting in the page's language. The server merges every file of
// web/i18n/<lang>/ into /assets/i18n/<lang>.json, keyed by file name: t('account.title') is the
// key "title" of web/i18n/<lang>/account.json. Japanese first, English second.
import { assetUrl } from './assets.js';

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
  const res = await fetch(assetUrl(`i18n/${wanted}.json`), { credentials: 'same-origin' });
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

// Dates and numbers are written here rather than with Intl: the first Intl formatter of a page
// loads the locale's ICU data, 50-70 ms of the main thread on a small machine, in the middle of
// the page's start. The forms are those of Intl's "medium" style for ja-JP and en-GB, in the
// browser's time zone (as Intl's default).
const MONTHS_EN = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad2 = (n) => String(n).padStart(2, '0');

function dateText(d) {
  return current === 'ja'
    ? `${d.getFullYear()}/${pad2(d.getMonth() + 1)}/${pad2(d.getDate())}`
    : `${d.getDate()} ${MONTHS_EN[d.getMonth()]} ${d.getFullYear()}`;
}

// A UTC ISO time as date and time in the user's time zone; "" for an empty value.
export function formatDateTime(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return current === 'ja'
    ? `${dateText(d)} ${d.getHours()}:${pad2(d.getMinutes())}`
    : `${dateText(d)}, ${pad2(d.getHours())}:${pad2(d.getMinutes())}`;
}

// A date ("2026-12-01" or an ISO time) in the user's language; "" for an empty value.
export function formatDate(value) {
  if (!value) return '';
  const d = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00`) : new Date(value);
  if (Number.isNaN(d.getTime())) return String(value);
  return dateText(d);
}

// An integer with thousands separators (1,234 in both languages).
export function formatNumber(n) {
  const v = Number(n);
  if (!Number.isFinite(v)) return String(n);
  const [whole, frac] = String(Math.abs(v)).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${v < 0 ? '-' : ''}${grouped}${frac ? `.${frac}` : ''}`;
}
