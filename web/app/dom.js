// DOM helpers for pages. The CSP forbids inline script and style: never set style, HTML text
// with markup, or on* attributes; h() refuses them. Listeners go through `on`.
import { ApiError } from './api.js';
import { errorText } from './errors.js';
import { t } from './i18n.js';

let nextId = 0;

// A fresh element id: uid('email') -> "email-7".
export function uid(prefix = 'id') {
  nextId += 1;
  return `${prefix}-${nextId}`;
}

// h('button', {class: 'btn', on: {click: fn}, data: {testid: 'x'}}, 'text', child, [more])
// props: class, text, on {event: fn}, data {key: value} (data-* attributes), for, and any
// attribute; value/checked/selected/disabled/hidden are set as properties. null, undefined
// and false children or props are skipped.
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'style' || /^on[a-z]/.test(key)) {
      throw new Error(`h(): ${key} is not allowed (CSP: no inline style or handlers)`);
    }
    if (key === 'class') el.className = Array.isArray(value) ? value.filter(Boolean).join(' ') : value;
    else if (key === 'text') el.textContent = value;
    else if (key === 'on') for (const [ev, fn] of Object.entries(value)) el.addEventListener(ev, fn);
    else if (key === 'data') for (const [k, v] of Object.entries(value)) el.dataset[k] = v;
    else if (key === 'for') el.htmlFor = value;
    else if (['value', 'checked', 'selected', 'disabled', 'hidden', 'indeterminate'].includes(key)) el[key] = value;
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

// Appends children (nodes, strings, numbers, nested arrays; null/false skipped).
export function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

export function clear(el) {
  el.replaceChildren();
  return el;
}

// Says `text` in the page's aria-live status region (and shows it briefly). kind: "info",
// "success" or "error".
export function announce(text, kind = 'info') {
  const region = document.getElementById('status');
  if (!region) return;
  region.textContent = '';
  region.dataset.kind = kind;
  // A fresh text node after a tick, so screen readers repeat the same message twice.
  window.setTimeout(() => {
    region.textContent = text;
  }, 30);
  window.clearTimeout(announce.timer);
  announce.timer = window.setTimeout(() => {
    region.textContent = '';
  }, kind === 'error' ? 15000 : 6000);
}

// A notice box: kind "info", "success", "warning" or "error" (errors are role=alert).
export function notice(kind, ...children) {
  return h('div', { class: ['notice', `notice-${kind}`], role: kind === 'error' ? 'alert' : 'status' }, ...children);
}

// A labelled form control. type: text, email, password, number, date, datetime-local,
// textarea, select (options: [{value, label}]). Returns {row, input, setError(text)}.
export function field({ label, name, type = 'text', value, hint, required = false, autocomplete, options, testid, attrs = {} }) {
  const id = uid(name || 'field');
  const hintId = hint ? `${id}-hint` : null;
  const errorId = `${id}-error`;
  let input;
  if (type === 'textarea') {
    input = h('textarea', { id, name, required, autocomplete, ...attrs });
    if (value !== undefined && value !== null) input.value = value;
  } else if (type === 'select') {
    input = h('select', { id, name, required, ...attrs },
      (options || []).map((o) => h('option', { value: o.value, selected: String(o.value) === String(value) }, o.label)));
  } else {
    input = h('input', { id, name, type, required, autocomplete, value: value ?? undefined, ...attrs });
  }
  if (testid) input.dataset.testid = testid;
  const error = h('p', { id: errorId, class: 'field-error', hidden: true });
  const describe = [hintId].filter(Boolean);
  if (describe.length) input.setAttribute('aria-describedby', describe.join(' '));
  const row = h('div', { class: 'field' },
    // The asterisk stays outside the label, so the control's name is the label's words alone;
    // `required` tells assistive technology.
    h('div', { class: 'field-label' }, h('label', { for: id }, label),
      required ? h('span', { class: 'required', 'aria-hidden': 'true' }, '*') : null),
    hint ? h('p', { id: hintId, class: 'hint' }, hint) : null,
    input, error);
  const setError = (text) => {
    error.textContent = text || '';
    error.hidden = !text;
    if (text) {
      input.setAttribute('aria-invalid', 'true');
      input.setAttribute('aria-describedby', [...describe, errorId].join(' '));
    } else {
      input.removeAttribute('aria-invalid');
      if (describe.length) input.setAttribute('aria-describedby', describe.join(' '));
      else input.removeAttribute('aria-describedby');
    }
  };
  return { row, input, setError };
}

// A labelled checkbox. Returns {row, input}.
export function checkbox({ label, name, checked = false, testid }) {
  const id = uid(name || 'check');
  const input = h('input', { id, name, type: 'checkbox', checked, data: testid ? { testid } : undefined });
  return { row: h('div', { class: 'field field-check' }, input, h('label', { for: id }, label)), input };
}

// A button. kind: primary, secondary, danger, link.
export function button(text, { kind = 'secondary', type = 'button', onClick, testid, attrs = {} } = {}) {
  return h('button', {
    type, class: ['btn', `btn-${kind}`], on: onClick ? { click: onClick } : undefined,
    data: testid ? { testid } : undefined, ...attrs,
  }, text);
}

// Runs fn() with `elements` (buttons, a form's controls) disabled and aria-busy set; returns
// fn's result.
export async function busy(elements, fn) {
  const els = (Array.isArray(elements) ? elements : [elements]).filter(Boolean);
  const saved = els.map((e) => e.disabled);
  for (const e of els) {
    e.disabled = true;
    e.setAttribute('aria-busy', 'true');
  }
  try {
    return await fn();
  } finally {
    els.forEach((e, i) => {
      e.disabled = saved[i];
      e.removeAttribute('aria-busy');
    });
  }
}

// A form whose submit runs `onSubmit(event)` with its buttons disabled; an error it throws is
// shown above the buttons (ApiError in the user's language) and, when `fieldErrors` maps an
// error to a field ({fieldName: setError}), beside that field. Returns {form, showError}.
// children: field rows and anything else; actions: buttons (the first is the submit).
export function form({ children = [], actions = [], onSubmit, testid, label, fieldFor }) {
  const errorBox = h('div', { class: 'form-error', role: 'alert', hidden: true });
  const el = h('form', { class: 'form', novalidate: true, 'aria-label': label, data: testid ? { testid } : undefined },
    ...children, errorBox, h('div', { class: 'form-actions' }, ...actions));
  const showError = (err) => {
    if (!err) {
      errorBox.hidden = true;
      errorBox.textContent = '';
      return;
    }
    const text = errorText(err);
    const target = fieldFor ? fieldFor(err) : null;
    if (target) {
      target.setError(text);
      target.input.focus();
    } else {
      errorBox.textContent = text;
      errorBox.hidden = false;
    }
  };
  el.addEventListener('submit', async (event) => {
    event.preventDefault();
    showError(null);
    for (const e of el.querySelectorAll('.field-error')) {
      e.hidden = true;
      e.textContent = '';
    }
    for (const e of el.querySelectorAll('[aria-invalid]')) e.removeAttribute('aria-invalid');
    // Required fields first, in the page's language (the browser's own bubbles are off).
    for (const input of el.querySelectorAll('[required]')) {
      if (!String(input.value || '').trim()) {
        const errorEl = document.getElementById(`${input.id}-error`);
        if (errorEl) {
          errorEl.textContent = t('errors.required');
          errorEl.hidden = false;
          input.setAttribute('aria-invalid', 'true');
        }
        input.focus();
        return;
      }
    }
    const controls = [...el.querySelectorAll('button, input[type=submit]')];
    try {
      await busy(controls, () => onSubmit(event));
    } catch (err) {
      if (!(err instanceof ApiError)) console.error(err);
      showError(err);
    }
  });
  return { form: el, showError };
}

// A table: columns [{label, cell: (row) => node or text, class}], rows. caption is read by
// screen readers; empty is shown when there are no rows.
export function table({ caption, columns, rows, empty, testid, captionHidden = true }) {
  if (!rows.length && empty) return h('p', { class: 'empty', data: testid ? { testid } : undefined }, empty);
  return h('div', { class: 'table-wrap' },
    h('table', { class: 'data-table', data: testid ? { testid } : undefined },
      caption ? h('caption', { class: captionHidden ? 'visually-hidden' : null }, caption) : null,
      h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col', class: c.class }, c.label)))),
      h('tbody', {}, rows.map((r) => h('tr', {}, columns.map((c) => h('td', { class: c.class }, c.cell(r))))))));
}

// Saves `text` as a file named `name` (client-side export).
export function download(name, text, type = 'text/plain;charset=utf-8') {
  const blob = text instanceof Blob ? text : new Blob([text], { type });
  const href = URL.createObjectURL(blob);
  const a = h('a', { href, download: name, class: 'visually-hidden' });
  document.body.append(a);
  a.click();
  a.remove();
  window.setTimeout(() => URL.revokeObjectURL(href), 10000);
}

// A button that copies `text` to the clipboard and says so.
export function copyButton(text, label) {
  return button(label || t('common.copy'), {
    onClick: async () => {
      try {
        await navigator.clipboard.writeText(text);
        announce(t('common.copied'), 'success');
      } catch {
        announce(t('common.copy_failed'), 'error');
      }
    },
  });
}

// A page heading that receives focus after navigation.
export function pageHeading(text, level = 1) {
  return h(`h${level}`, { tabindex: '-1', class: 'page-title' }, text);
}
