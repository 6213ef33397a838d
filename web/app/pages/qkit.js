import { assetUrl } from '../assets.js';
import { can } from '../session.js';

// Small helpers shared by the questionnaire pages (home, new questionnaire, review, library):
// DOM building without innerHTML, labels of states and bands, dates, a confirm dialog.
// No inline style anywhere: every look is a class in web/styles/review.css.

// h('tr', {class: 'x', dataset: {itemId: 3}, attrs: {'aria-label': '…'}, on: {click: f}}, child, …)
// Children may be strings, nodes, arrays, null or false (skipped).
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  if (props) {
    for (const [k, v] of Object.entries(props)) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'class') el.className = Array.isArray(v) ? v.filter(Boolean).join(' ') : v;
      else if (k === 'text') el.textContent = v;
      else if (k === 'dataset') for (const [dk, dv] of Object.entries(v)) { if (dv !== undefined && dv !== null) el.dataset[dk] = String(dv); }
      else if (k === 'attrs') for (const [ak, av] of Object.entries(v)) { if (av !== undefined && av !== null && av !== false) el.setAttribute(ak, av === true ? '' : String(av)); }
      else if (k === 'on') for (const [ev, fn] of Object.entries(v)) el.addEventListener(ev, fn);
      else if (k === 'testid') el.dataset.testid = v;
      else if (k in el) el[k] = v;
      else el.setAttribute(k, v === true ? '' : String(v));
    }
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : String(c));
  }
  return el;
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

let uid = 0;
export function nextId(prefix) { uid += 1; return `${prefix}-${uid}`; }

// A labelled control (the core's .field look): label, hint, then the control given.
export function field(label, control, hint, { required = false } = {}) {
  if (!control.id) control.id = nextId('f');
  let hintEl = null;
  if (hint) {
    hintEl = h('p', { class: 'hint', id: nextId('hint') }, hint);
    control.setAttribute('aria-describedby', hintEl.id);
  }
  const mark = required ? h('span', { class: 'required', attrs: { 'aria-hidden': 'true' } }, ' *') : null;
  return h('div', { class: 'field qk-field' }, h('label', { htmlFor: control.id }, label, mark), hintEl, control);
}

export function select(options, value) {
  const s = h('select');
  for (const o of options) s.append(h('option', { value: o.value, text: o.label, selected: String(o.value) === String(value) }));
  return s;
}

// Dates -------------------------------------------------------------------------------------

export function todayISO() {
  const d = new Date();
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

export function isOverdue(q) {
  return !!q.due_date && q.status !== 'done' && q.due_date < todayISO();
}

// Labels ------------------------------------------------------------------------------------

export const STATUSES = ['not_started', 'in_progress', 'awaiting_review', 'done'];
export const STATES = ['draft', 'accepted', 'edited', 'rejected', 'needs_info'];
export const BANDS = ['high', 'medium', 'low', 'none'];
export const MARKS = ['yes', 'no', 'partial', 'na', 'none'];

export function statusChip(t, status) {
  return h('span', { class: ['qk-status', `qk-status-${status}`] }, t(`questionnaire.status.${status}`));
}

export function stateChip(t, state) {
  return h('span', { class: ['qk-state', `qk-state-${state}`], testid: 'item-state-chip' }, t(`questionnaire.state.${state}`));
}

export function bandChip(t, band) {
  const b = band || 'none';
  return h('span', { class: ['qk-band', `qk-band-${b}`] }, h('span', { class: 'qk-dot', attrs: { 'aria-hidden': 'true' } }), t(`questionnaire.band.${b}`));
}

// reviewed / total with a <progress> (no inline width) and the numbers as text.
export function progressOf(p) {
  const total = p?.total ?? 0;
  const reviewed = total - (p?.draft ?? 0);
  return { total, reviewed };
}

export function progressBar(t, p, extraClass) {
  const { total, reviewed } = progressOf(p);
  const label = t('questionnaire.progress.label', { reviewed, total });
  return h('span', { class: ['qk-progress', extraClass] },
    h('progress', { max: Math.max(total, 1), value: reviewed, attrs: { 'aria-label': label } }),
    h('span', { class: 'qk-progress-text' }, `${reviewed} / ${total}`));
}

// The words a sheet uses for each mark. The API gives `vocabulary` (words) and, if it can,
// `vocabulary_marks` (parallel) or a list of {word, mark}; otherwise the common words are read.
const WORD_MARKS = [
  [/^(はい|有|有り|あり|◯|○|〇|◎|yes|y|実施|実施している|対応|対応している|済|可)$/i, 'yes'],
  [/^(いいえ|無|無し|なし|✕|×|x|no|n|未実施|未対応|不可)$/i, 'no'],
  [/^(一部|一部対応|一部実施|部分的|△|▲|partial|partially)$/i, 'partial'],
  [/^(該当なし|該当無し|対象外|非該当|[-－―ー]|n\/?a|not applicable)$/i, 'na'],
];

export function markOfWord(word) {
  const w = String(word).trim();
  for (const [re, m] of WORD_MARKS) if (re.test(w)) return m;
  return null;
}

export function vocabularyOf(item) {
  const v = item.vocabulary || [];
  const marks = item.vocabulary_marks || [];
  return v.map((x, i) => (typeof x === 'object' && x !== null
    ? { word: x.word ?? x.text ?? '', mark: x.mark ?? markOfWord(x.word ?? x.text ?? '') }
    : { word: String(x), mark: marks[i] ?? markOfWord(x) }));
}

export function wordFor(item, mark, t) {
  const hit = vocabularyOf(item).find((v) => v.mark === mark);
  if (hit) return hit.word;
  return mark === 'none' ? '' : t(`questionnaire.mark.${mark}`);
}

// A modal confirm built on <dialog>; resolves true/false. Focus goes back where it was.
export function confirmDialog(t, { title, body, ok, cancel, danger, testid }) {
  return new Promise((resolve) => {
    const back = document.activeElement;
    const titleId = nextId('dlg');
    const okBtn = h('button', { type: 'button', class: ['btn', danger ? 'btn-danger' : 'btn-primary'], testid: testid ? `${testid}-ok` : 'confirm-ok' }, ok || t('questionnaire.ok'));
    const cancelBtn = h('button', { type: 'button', class: 'btn btn-secondary', testid: testid ? `${testid}-cancel` : 'confirm-cancel' }, cancel || t('questionnaire.cancel'));
    const dlg = h('dialog', { class: 'qk-dialog', attrs: { 'aria-labelledby': titleId }, testid: testid || 'confirm-dialog' },
      h('h2', { id: titleId, class: 'qk-dialog-title' }, title),
      h('p', { class: 'qk-dialog-body' }, body),
      h('div', { class: 'qk-dialog-actions' }, cancelBtn, okBtn));
    let result = false;
    okBtn.addEventListener('click', () => { result = true; dlg.close(); });
    cancelBtn.addEventListener('click', () => dlg.close());
    dlg.addEventListener('close', () => {
      dlg.remove();
      if (back && back.focus) back.focus();
      resolve(result);
    });
    document.body.append(dlg);
    dlg.showModal();
    okBtn.focus();
  });
}

// Is the key event typed into a field (where shortcuts must not fire)?
export function isTyping(ev) {
  const el = ev.target;
  if (!el || !el.closest) return false;
  if (el.isContentEditable) return true;
  return !!el.closest('input, textarea, select, [contenteditable=""], [contenteditable="true"]');
}

// Review actions need the `review` permission (owner, admin, editor, reviewer); a server that
// does not list it yet is read through edit/approve. The server decides in any case.
export function canReview() {
  return can('review') || can('edit') || can('approve');
}

// The questionnaire pages' stylesheet (web/styles/review.css), linked once; resolves when it
// has loaded, so a page never paints unstyled. A same-origin <link>: allowed by the CSP.
let stylesLoaded = null;
export function ensureStyles() {
  if (stylesLoaded) return stylesLoaded;
  const href = assetUrl('styles/review.css');
  const existing = document.querySelector(`link[rel="stylesheet"][href="${href}"]`);
  if (existing) {
    stylesLoaded = Promise.resolve();
    return stylesLoaded;
  }
  stylesLoaded = new Promise((resolve) => {
    const link = h('link', { rel: 'stylesheet', href });
    link.addEventListener('load', () => resolve());
    link.addEventListener('error', () => resolve());
    document.head.append(link);
  });
  return stylesLoaded;
}
