// The answer library (/library): a service's entries, searched and filtered by the server
// (q over question, answer, remarks and number; status, owner, control, review date) and paged;
// each entry's document; the entry's detail with its history, edit, approve (four eyes: a
// proposal's author cannot approve it, the server says so with 409), retire; the library's
// duplicates and conflicts side by side (a second tab); import an answered checksheet; export.
import { ApiError, api } from '../api.js';
import { announce } from '../dom.js';
import { errorText } from '../errors.js';
import { formatDate, formatDateTime, t } from '../i18n.js';
import { can } from '../session.js';
import { h, clear, field, select, confirmDialog, todayISO, nextId, ensureStyles } from './qkit.js';

const PAGE = 500;
// The server's mark names (sheet::MarkName): it takes the same names back.
const ENTRY_MARKS = ['yes', 'no', 'partial', 'planned', 'not-applicable', 'text', 'none'];
const STATUSES = ['draft', 'approved', 'retired'];

function markLabel(m) {
  const k = { 'not-applicable': 'na' }[m] || m;
  return ['yes', 'no', 'partial', 'planned', 'na', 'text', 'none'].includes(k) ? t(`questionnaire.mark.${k}`) : String(m || '');
}

export async function render(root, ctx) {
  const [services] = await Promise.all([
    api.get('/services', { signal: ctx.signal }),
    ensureStyles(),
  ]);
  if (!ctx.isCurrent()) return undefined;

  const S = {
    services: services.items || [],
    service: null,
    status: ctx.query.get('status') || '',
    offset: 0,
    entries: [],
    total: 0,
    text: ctx.query.get('q') || '',
    control: ctx.query.get('control') || '',
    owner: ctx.query.get('owner') || '',
    overdue: ctx.query.get('overdue') === '1',
    selected: Number(ctx.query.get('entry')) || null,
    view: ctx.query.get('view') === 'conflicts' ? 'conflicts' : 'entries',
    controls: new Set(),      // every control and owner seen in this service's entries (the
    owners: new Set(),        // filters' choices; the API has no list of them)
    docNames: new Map(),      // entry id -> its document's name, from the list
    conflicts: null,          // the last GET …/conflicts reply, or null (not read, or stale)
    conflictKind: '',
  };
  if (S.control) S.controls.add(S.control);
  if (S.owner) S.owners.add(S.owner);
  const wanted = Number(ctx.query.get('service'));
  S.service = S.services.find((s) => s.id === wanted) || S.services[0] || null;

  const page = h('div', { class: 'lb-page', testid: 'library-page' },
    h('h1', { class: 'page-title', attrs: { tabindex: '-1' } }, t('library.heading')),
    h('p', { class: 'lead' }, t('library.lead')));
  root.append(page);

  // -------------------------------------------------------------- services
  const serviceSel = select(S.services.map((s) => ({ value: s.id, label: s.name })), S.service?.id ?? '');
  serviceSel.dataset.testid = 'library-service';
  const newName = h('input', { type: 'text', maxLength: 200, testid: 'new-service-name' });
  const newBtn = h('button', { type: 'submit', class: 'btn btn-secondary', testid: 'new-service' }, t('library.service_add'));
  const newForm = h('form', { class: 'lb-bar', attrs: { 'aria-label': t('library.service_add') } },
    field(t('library.service_new'), newName), newBtn);
  newForm.hidden = !can('edit');

  if (!S.services.length) {
    page.append(h('p', { class: 'notice notice-info', attrs: { role: 'status' } }, t('library.no_service')), newForm);
    newForm.addEventListener('submit', (ev) => { ev.preventDefault(); createService(); });
    return undefined;
  }

  // -------------------------------------------------------------- the bar
  // The service applies to both tabs; the filters to the entries tab.
  const statusSel = select([{ value: '', label: t('library.status_all') },
    ...STATUSES.map((s) => ({ value: s, label: t(`library.status.${s}`) }))], S.status);
  statusSel.dataset.testid = 'library-status';
  const search = h('input', { type: 'search', testid: 'library-search', autocomplete: 'off', maxLength: 300, value: S.text });
  const controlSel = select([{ value: '', label: t('library.all') }], '');
  controlSel.dataset.testid = 'library-control';
  const ownerSel = select([{ value: '', label: t('library.all') }], '');
  ownerSel.dataset.testid = 'library-owner';
  const overdueBox = h('input', { type: 'checkbox', id: nextId('overdue'), testid: 'library-overdue', checked: S.overdue });
  const clearBtn = h('button', { type: 'button', class: 'btn btn-link', testid: 'library-clear-filters' }, t('library.clear_filters'));
  const exportCsv = h('a', { class: 'btn btn-secondary', testid: 'export-csv', download: '' }, t('library.export_csv'));
  const exportJson = h('a', { class: 'btn btn-secondary', testid: 'export-json', download: '' }, t('library.export_json'));

  page.append(h('div', { class: 'lb-bar' }, field(t('library.service'), serviceSel), exportCsv, exportJson));

  // Tabs: the entries and the conflicts (WAI-ARIA tabs: arrows move between them).
  const tabEntries = h('button', { type: 'button', class: 'qh-tab lb-tab', id: nextId('tab'), testid: 'library-tab-entries',
    attrs: { role: 'tab' } }, t('library.tab_entries'));
  const conflictBadge = h('span', { class: 'lb-tab-count', testid: 'library-conflict-count' });
  const tabConflicts = h('button', { type: 'button', class: 'qh-tab lb-tab', id: nextId('tab'), testid: 'library-tab-conflicts',
    attrs: { role: 'tab' } }, t('library.tab_conflicts'), conflictBadge);
  const entriesPanel = h('div', { id: nextId('tp'), attrs: { role: 'tabpanel', 'aria-labelledby': tabEntries.id } });
  const conflictsPanel = h('div', { id: nextId('tp'), testid: 'library-conflicts', attrs: { role: 'tabpanel', 'aria-labelledby': tabConflicts.id } });
  tabEntries.setAttribute('aria-controls', entriesPanel.id);
  tabConflicts.setAttribute('aria-controls', conflictsPanel.id);
  const tabs = [tabEntries, tabConflicts];

  const filterForm = h('form', { class: 'lb-bar lb-filters', attrs: { role: 'search', 'aria-label': t('library.filters') } },
    field(t('library.search'), search, t('library.search_hint')),
    field(t('library.status_label'), statusSel),
    field(t('library.control'), controlSel),
    field(t('library.owner'), ownerSel),
    h('div', { class: 'lb-check' }, overdueBox, h('label', { htmlFor: overdueBox.id }, t('library.overdue'))),
    clearBtn);
  filterForm.addEventListener('submit', (ev) => { ev.preventDefault(); clearTimeout(timer); applySearch(); });

  const countEl = h('p', { class: 'qk-hint', attrs: { 'aria-live': 'polite' }, testid: 'library-count' });
  const listArea = h('div', { class: 'lb-list' });
  const pager = h('div', { class: 'qh-pager' });
  entriesPanel.append(filterForm, h('div', { class: 'lb-counts' }, countEl), listArea, pager);
  const detail = h('section', { class: 'panel lb-detail', testid: 'entry-detail', attrs: { 'aria-labelledby': 'lb-detail-title' } });
  page.append(h('div', { class: 'lb-body' },
    h('div', {}, h('div', { class: 'qh-tabs lb-tabs', attrs: { role: 'tablist', 'aria-label': t('library.tabs_label') } }, tabs),
      entriesPanel, conflictsPanel),
    detail));

  // -------------------------------------------------------------- import
  const importFile = h('input', { type: 'file', accept: '.xlsx,.xlsm,.docx,.csv,.tsv,.txt,.pdf', testid: 'library-import-file', required: true });
  const importDoc = h('input', { type: 'text', maxLength: 200, testid: 'library-import-document' });
  const importStatus = select([{ value: 'draft', label: t('library.status.draft') },
    ...(can('approve') ? [{ value: 'approved', label: t('library.status.approved') }] : [])], 'draft');
  importStatus.dataset.testid = 'library-import-status';
  const importBtn = h('button', { type: 'submit', class: 'btn btn-primary', testid: 'library-import' }, t('library.import_submit'));
  const importResult = h('div', { attrs: { 'aria-live': 'polite' }, testid: 'library-import-result' });
  const importForm = h('form', { class: 'form', attrs: { 'aria-labelledby': 'lb-import-title', novalidate: true } },
    field(t('library.import_file'), importFile, t('library.import_file_hint')),
    field(t('library.import_document'), importDoc, t('library.import_document_hint')),
    field(t('library.import_status'), importStatus, t('library.import_status_hint')),
    h('div', { class: 'form-actions' }, importBtn), importResult);
  const importSection = h('section', { class: 'panel lb-import', attrs: { 'aria-labelledby': 'lb-import-title' } },
    h('h2', { id: 'lb-import-title' }, t('library.import_title')),
    h('p', { class: 'qk-hint' }, t('library.import_lead')), importForm);
  if (can('edit')) page.append(importSection);
  if (can('edit')) page.append(h('section', { class: 'panel', attrs: { 'aria-labelledby': 'lb-new-service' } },
    h('h2', { id: 'lb-new-service' }, t('library.service_section')), newForm));

  // -------------------------------------------------------------- loading and listing
  function updateExport() {
    const base = `/api/v1/services/${S.service.id}/export`;
    exportCsv.href = `${base}?format=csv`;
    exportJson.href = `${base}?format=json`;
  }

  // The page's state in its address (service, tab, filters, entry), so a reload or a shared
  // link shows the same thing.
  function saveUrl() {
    const url = new URL(location.href);
    const set = (k, v) => { if (v) url.searchParams.set(k, v); else url.searchParams.delete(k); };
    set('service', S.service?.id);
    set('view', S.view === 'conflicts' ? 'conflicts' : '');
    set('status', S.status);
    set('q', S.text);
    set('control', S.control);
    set('owner', S.owner);
    set('overdue', S.overdue ? '1' : '');
    set('entry', S.selected);
    history.replaceState(history.state, '', url.pathname + url.search);
  }

  function filtered() {
    return !!(S.text || S.control || S.owner || S.overdue);
  }

  let loadSeq = 0;
  let loadAbort = null;
  async function load() {
    const seq = ++loadSeq;
    if (loadAbort) loadAbort.abort();
    loadAbort = new AbortController();
    listArea.setAttribute('aria-busy', 'true');
    saveUrl();
    try {
      const query = { status: S.status || undefined, offset: S.offset, limit: PAGE, q: S.text || undefined,
        control: S.control || undefined, owner: S.owner || undefined, review_before: S.overdue ? todayISO() : undefined };
      const r = await api.get(`/services/${S.service.id}/entries`, { query, signal: loadAbort.signal });
      if (!ctx.isCurrent() || seq !== loadSeq) return;
      S.entries = r.entries || r.items || [];
      S.total = r.total ?? S.entries.length;
      fillFilters();
      renderList();
    } catch (err) {
      if (err?.name === 'AbortError' || seq !== loadSeq) return;
      countEl.textContent = '';
      clear(listArea).append(h('p', { class: 'notice notice-error', attrs: { role: 'alert' } }, errorText(err)));
    } finally {
      if (seq === loadSeq) listArea.removeAttribute('aria-busy');
    }
  }

  // The choices of the control and owner filters: what this service's entries have shown so
  // far (the first, unfiltered page holds up to 500 entries), kept while filtering.
  function fillFilters() {
    for (const e of S.entries) {
      for (const c of e.controls || []) S.controls.add(c);
      if (e.owner) S.owners.add(e.owner);
      S.docNames.set(e.id, e.document?.name ?? null);
    }
    const refill = (sel, values, keep) => {
      clear(sel).append(h('option', { value: '' }, t('library.all')));
      const sorted = [...values].sort((x, y) => x.localeCompare(y, undefined, { numeric: true }));
      for (const v of sorted) sel.append(h('option', { value: v, selected: v === keep }, v));
      sel.value = values.has(keep) ? keep : '';
    };
    refill(controlSel, S.controls, S.control);
    refill(ownerSel, S.owners, S.owner);
  }

  function answerText(e) {
    const a = e.answer || {};
    return a.text || (a.mark && a.mark !== 'none' ? markLabel(a.mark) : '');
  }

  function docName(e) {
    const d = e.document;
    if (!d) return '';
    return d.id === 0 ? t('library.doc_proposal') : (d.name || t('library.doc_unnamed', { id: d.id }));
  }

  function renderList() {
    const shown = S.entries;
    const from = S.total ? S.offset + 1 : 0;
    const to = S.offset + shown.length;
    countEl.textContent = filtered()
      ? t('library.count_filtered', { total: S.total, from, to })
      : t('library.count', { total: S.total, from, to });
    if (!shown.length) {
      clear(listArea).append(h('p', { class: 'empty', testid: 'library-empty' },
        filtered() || S.status ? t('library.none_match') : t('library.empty')));
    } else {
      const tbody = h('tbody');
      const frag = document.createDocumentFragment();
      for (const e of shown) {
        const open = h('button', { type: 'button', class: 'lb-open', testid: 'entry-open' }, e.question || `#${e.id}`);
        const doc = docName(e);
        const tr = h('tr', { testid: 'entry-row', dataset: { entryId: e.id } },
          h('td', { class: 'lb-c-num' }, e.number || ''),
          h('td', {}, (e.section || []).length ? h('span', { class: 'qh-sub' }, e.section.join(' › ')) : null, open),
          h('td', { class: 'lb-c-ans' }, answerText(e)),
          h('td', { class: 'lb-c-rem' }, h('span', { class: 'rv-rem' }, e.remarks || '')),
          h('td', { class: 'lb-c-doc', testid: 'entry-document' }, doc || h('span', { class: 'qk-hint' }, t('library.doc_manual'))),
          h('td', { class: 'lb-c-status' }, statusChip(e.status)));
        if (S.selected === e.id) tr.setAttribute('aria-current', 'true');
        frag.append(tr);
      }
      tbody.append(frag);
      tbody.addEventListener('click', (ev) => {
        const tr = ev.target.closest('tr[data-entry-id]');
        if (tr) openEntry(Number(tr.dataset.entryId));
      });
      clear(listArea).append(h('div', { class: 'table-wrap' }, h('table', { class: 'data-table lb-table', testid: 'entry-list' },
        h('caption', { class: 'visually-hidden' }, t('library.caption', { service: S.service.name })),
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col', class: 'lb-c-num' }, t('library.col_number')),
          h('th', { scope: 'col' }, t('library.col_question')),
          h('th', { scope: 'col', class: 'lb-c-ans' }, t('library.col_answer')),
          h('th', { scope: 'col', class: 'lb-c-rem' }, t('library.col_remarks')),
          h('th', { scope: 'col', class: 'lb-c-doc' }, t('library.col_document')),
          h('th', { scope: 'col', class: 'lb-c-status' }, t('library.col_status')))),
        tbody)));
    }
    clear(pager);
    if (S.total > PAGE) {
      pager.append(h('span', {}, t('library.range', { from, to, total: S.total })),
        h('button', { type: 'button', class: 'btn btn-secondary btn-small', disabled: S.offset <= 0,
          on: { click: () => { S.offset = Math.max(0, S.offset - PAGE); load(); } } }, t('library.prev')),
        h('button', { type: 'button', class: 'btn btn-secondary btn-small', disabled: to >= S.total,
          on: { click: () => { S.offset += PAGE; load(); } } }, t('library.next')));
    }
  }

  // -------------------------------------------------------------- tabs
  function showView(view, { focus = false } = {}) {
    S.view = view;
    tabs.forEach((tab) => {
      const on = (tab === tabConflicts) === (view === 'conflicts');
      tab.setAttribute('aria-selected', String(on));
      tab.tabIndex = on ? 0 : -1;
      if (on && focus) tab.focus();
    });
    entriesPanel.hidden = view === 'conflicts';
    conflictsPanel.hidden = view !== 'conflicts';
    saveUrl();
    if (view === 'conflicts' && !S.conflicts) loadConflicts();
  }

  for (const tab of tabs) {
    tab.addEventListener('click', () => showView(tab === tabConflicts ? 'conflicts' : 'entries'));
    tab.addEventListener('keydown', (ev) => {
      const i = tabs.indexOf(tab);
      let j = -1;
      if (ev.key === 'ArrowRight') j = (i + 1) % tabs.length;
      else if (ev.key === 'ArrowLeft') j = (i + tabs.length - 1) % tabs.length;
      else if (ev.key === 'Home') j = 0;
      else if (ev.key === 'End') j = tabs.length - 1;
      if (j < 0) return;
      ev.preventDefault();
      showView(tabs[j] === tabConflicts ? 'conflicts' : 'entries', { focus: true });
    });
  }

  // -------------------------------------------------------------- conflicts
  let conflictSeq = 0;
  async function loadConflicts() {
    const seq = ++conflictSeq;
    const service = S.service;
    conflictsPanel.setAttribute('aria-busy', 'true');
    clear(conflictsPanel).append(h('p', {}, t('library.loading')));
    try {
      const r = await api.get(`/services/${service.id}/conflicts`);
      if (!ctx.isCurrent() || seq !== conflictSeq) return;
      S.conflicts = r;
      renderConflictCount();
      renderConflicts();
    } catch (err) {
      if (seq !== conflictSeq) return;
      clear(conflictsPanel).append(h('p', { class: 'notice notice-error', attrs: { role: 'alert' } }, errorText(err)));
    } finally {
      if (seq === conflictSeq) conflictsPanel.removeAttribute('aria-busy');
    }
  }

  function renderConflictCount() {
    const r = S.conflicts;
    conflictBadge.textContent = r ? ` ${t('library.tab_counts', { conflicts: r.conflicts ?? 0, duplicates: r.duplicates ?? 0 })}` : '';
    conflictBadge.classList.toggle('lb-tab-count-bad', !!(r && r.conflicts));
  }

  function renderConflicts() {
    const r = S.conflicts;
    const all = (r.items || []).slice().sort((x, y) =>
      (x.kind === 'conflict' ? 0 : 1) - (y.kind === 'conflict' ? 0 : 1) || (y.score ?? 0) - (x.score ?? 0));
    const kindSel = select([
      { value: '', label: t('library.conflict_show_all') },
      { value: 'conflict', label: t('library.conflict_show_conflicts', { n: r.conflicts ?? 0 }) },
      { value: 'duplicate', label: t('library.conflict_show_duplicates', { n: r.duplicates ?? 0 }) }], S.conflictKind);
    kindSel.dataset.testid = 'conflict-kind';
    const refresh = h('button', { type: 'button', class: 'btn btn-secondary', testid: 'conflicts-refresh',
      on: { click: () => { S.conflicts = null; loadConflicts(); } } }, t('library.conflicts_refresh'));
    const listEl = h('ol', { class: 'lb-pairs', testid: 'conflict-list' });
    const summary = h('p', { class: 'qk-hint', attrs: { 'aria-live': 'polite' } });
    const draw = () => {
      const shown = all.filter((p) => !S.conflictKind || p.kind === S.conflictKind);
      summary.textContent = t('library.conflict_counts', { conflicts: r.conflicts ?? 0, duplicates: r.duplicates ?? 0 });
      clear(listEl);
      if (!shown.length) {
        listEl.append(h('li', { class: 'empty lb-pair-none' }, all.length ? t('library.conflicts_none_kind') : t('library.conflicts_none')));
        return;
      }
      for (const p of shown) listEl.append(pairView(p));
    };
    kindSel.addEventListener('change', () => { S.conflictKind = kindSel.value; draw(); });
    clear(conflictsPanel).append(
      h('h2', { class: 'lb-conf-title' }, t('library.conflicts_title')),
      h('p', { class: 'qk-hint' }, t('library.conflicts_lead')),
      h('div', { class: 'lb-bar' }, field(t('library.conflict_kind'), kindSel), refresh),
      summary, listEl);
    draw();
  }

  function pairView(p) {
    const titleId = nextId('pair');
    const conflict = p.kind === 'conflict';
    const pct = Math.round((p.score ?? 0) * 100);
    const side = (e, label) => {
      const ans = e.answer_text || (e.mark && e.mark !== 'none' ? markLabel(e.mark) : '');
      const link = h('a', { href: `/library?service=${S.service.id}&entry=${e.id}`, class: 'lb-pair-link', testid: 'conflict-entry-link' },
        t('library.conflict_open', { label, id: e.id }));
      link.addEventListener('click', (ev) => {
        if (ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
        ev.preventDefault();
        openEntry(e.id);
      });
      return h('div', { class: 'lb-pair-side', attrs: { role: 'group', 'aria-label': t('library.conflict_side', { label, id: e.id }) } },
        h('p', { class: 'lb-pair-head' }, link, ' ', e.status ? statusChip(e.status) : null),
        h('dl', { class: 'rv-dl' },
          h('dt', {}, t('library.col_question')), h('dd', { class: 'rv-pre' }, e.question || ''),
          h('dt', {}, t('library.col_answer')), h('dd', { class: ['rv-pre', 'lb-pair-ans', conflict && 'lb-pair-ans-diff'] }, ans || t('library.none')),
          h('dt', {}, t('library.col_remarks')), h('dd', { class: 'rv-pre' }, e.remarks || t('library.none'))));
    };
    return h('li', { class: ['lb-pair', `lb-pair-${p.kind}`], testid: 'conflict-pair', dataset: { kind: p.kind } },
      h('article', { attrs: { 'aria-labelledby': titleId } },
        h('h3', { id: titleId, class: 'lb-pair-title' },
          h('span', { class: ['lb-kind', `lb-kind-${p.kind}`] }, t(`library.kind.${p.kind}`)), ' ',
          h('span', { class: 'qk-hint' }, t('library.similarity', { pct }))),
        h('p', { class: 'qk-hint lb-pair-why' }, t(`library.kind_hint.${p.kind}`)),
        h('div', { class: 'lb-pair-sides' }, side(p.a || {}, 'A'), side(p.b || {}, 'B'))));
  }

  function statusChip(status) {
    return h('span', { class: ['qk-status', `lb-status-${status}`] }, t(`library.status.${status}`));
  }

  // -------------------------------------------------------------- the entry's detail
  function renderDetailEmpty() {
    clear(detail).append(h('h2', { id: 'lb-detail-title' }, t('library.detail')), h('p', { class: 'qk-hint' }, t('library.detail_empty')));
  }

  async function openEntry(id, { focus = true } = {}) {
    S.selected = id;
    for (const tr of listArea.querySelectorAll('tr[data-entry-id]')) {
      if (Number(tr.dataset.entryId) === id) tr.setAttribute('aria-current', 'true');
      else tr.removeAttribute('aria-current');
    }
    saveUrl();
    clear(detail).append(h('h2', { id: 'lb-detail-title' }, t('library.detail')), h('p', {}, t('library.loading')));
    try {
      const e = await api.get(`/entries/${id}`);
      if (S.selected !== id || !ctx.isCurrent()) return;
      renderDetail(e);
      if (focus) detail.querySelector('h2')?.focus();
    } catch (err) {
      clear(detail).append(h('h2', { id: 'lb-detail-title' }, t('library.detail')),
        h('p', { class: 'notice notice-error', attrs: { role: 'alert' } }, errorText(err)));
    }
  }

  // Where the entry came from: its document's name (from the list, or the entry if it says),
  // 「回答依頼」 for a proposal from a questionnaire, and the place in the document.
  function sourceText(e) {
    const fromList = S.docNames.get(e.id);
    const proposal = String(e.source_item || '').startsWith('questionnaire:');
    let doc = e.document ? docName(e) : '';
    if (!doc && fromList) doc = fromList;
    if (!doc && proposal) doc = t('library.doc_proposal');
    if (!doc && e.document_id) doc = t('library.doc_unnamed', { id: e.document_id });
    if (!doc) return t('library.doc_manual');
    return e.source_item ? t('library.source_text', { doc, item: e.source_item }) : doc;
  }

  function renderDetail(e) {
    clear(detail);
    const a = e.answer || {};
    const msg = h('div', { attrs: { role: 'alert' }, class: 'form-error', hidden: true, testid: 'entry-error' });
    const showErr = (err) => { msg.textContent = errorText(err); msg.hidden = false; };
    detail.append(
      h('h2', { id: 'lb-detail-title', attrs: { tabindex: '-1' } }, t('library.entry_title', { id: e.id })),
      (e.section || []).length ? h('p', { class: 'rv-panel-sec' }, e.section.join(' › ')) : null,
      h('p', { class: 'rv-panel-title' }, e.number ? h('span', { class: 'rv-panel-num' }, e.number) : null, e.question || ''),
      h('dl', { class: 'rv-dl' },
        h('dt', {}, t('library.col_status')), h('dd', {}, statusChip(e.status)),
        h('dt', {}, t('library.col_answer')), h('dd', { class: 'rv-ans-big rv-pre' }, answerText(e) || t('library.none')),
        h('dt', {}, t('library.col_remarks')), h('dd', { class: 'rv-pre' }, e.remarks || t('library.none')),
        h('dt', {}, t('library.controls')), h('dd', { class: 'lb-controls' }, (e.controls || []).length ? e.controls.map((c) => h('code', {}, c)) : t('library.none')),
        h('dt', {}, t('library.owner')), h('dd', {}, e.owner || t('library.none')),
        h('dt', {}, t('library.review_date')), h('dd', {}, e.review_date ? formatDate(e.review_date) : t('library.none')),
        h('dt', {}, t('library.source')), h('dd', { testid: 'entry-source' }, sourceText(e)),
        h('dt', {}, t('library.updated')), h('dd', {}, `${formatDateTime(e.updated_at)} (v${e.version ?? ''})`)),
      msg);

    // Actions: approve (draft), retire (not retired), edit.
    const actions = h('div', { class: 'actions' });
    if (e.status === 'draft' && can('approve')) {
      actions.append(h('button', { type: 'button', class: 'btn btn-primary', testid: 'entry-approve', on: { click: async (ev) => {
        ev.currentTarget.disabled = true;
        try {
          const r = await api.post(`/entries/${e.id}/approve`, {});
          announce(t('library.approved'), 'success');
          afterChange(r && r.id ? r : null, e.id);
        } catch (err) {
          ev.target.disabled = false;
          if (err instanceof ApiError && err.status === 409) {
            msg.textContent = `${t('library.approve_conflict')} (${err.message})`;
            msg.hidden = false;
          } else showErr(err);
        }
      } } }, t('library.approve')));
    }
    if (can('edit')) {
      actions.append(h('button', { type: 'button', class: 'btn btn-secondary', testid: 'entry-edit', on: { click: () => showEdit() } }, t('library.edit')));
      if (e.status !== 'retired') {
        actions.append(h('button', { type: 'button', class: 'btn btn-danger', testid: 'entry-retire', on: { click: async () => {
          const ok = await confirmDialog(t, { title: t('library.retire_title'), body: t('library.retire_body'), ok: t('library.retire'), danger: true, testid: 'retire-dialog' });
          if (!ok) return;
          try {
            const r = await api.delete(`/entries/${e.id}`);
            announce(t('library.retired'), 'success');
            afterChange(r && r.id ? r : null, e.id);
          } catch (err) { showErr(err); }
        } } }, t('library.retire')));
      }
    }
    detail.append(actions);
    const editArea = h('div');
    detail.append(editArea);

    function showEdit() {
      const mark = select(ENTRY_MARKS.map((m) => ({ value: m, label: markLabel(m) })), a.mark === 'na' ? 'not-applicable' : (a.mark || 'none'));
      mark.dataset.testid = 'entry-mark';
      const text = h('textarea', { rows: 2, testid: 'entry-answer-text' });
      text.value = a.text ?? '';
      const remarks = h('textarea', { rows: 5, testid: 'entry-remarks' });
      remarks.value = e.remarks ?? '';
      const owner = h('input', { type: 'text', value: e.owner || '', testid: 'entry-owner' });
      const reviewDate = h('input', { type: 'date', value: e.review_date || '', testid: 'entry-review-date' });
      const save = h('button', { type: 'submit', class: 'btn btn-primary', testid: 'entry-save' }, t('library.save'));
      const cancel = h('button', { type: 'button', class: 'btn btn-secondary', on: { click: () => clear(editArea) } }, t('library.cancel'));
      const form = h('form', { class: 'rv-edit', attrs: { 'aria-label': t('library.edit') } },
        h('p', { class: 'qk-hint' }, t('library.edit_hint')),
        field(t('library.mark'), mark), field(t('library.answer_text'), text), field(t('library.col_remarks'), remarks),
        field(t('library.owner'), owner), field(t('library.review_date'), reviewDate),
        h('div', { class: 'rv-edit-actions' }, save, cancel));
      form.addEventListener('keydown', (ev) => { if (ev.key === 'Escape') { ev.preventDefault(); clear(editArea); } });
      form.addEventListener('submit', async (ev) => {
        ev.preventDefault();
        save.disabled = true;
        try {
          const r = await api.put(`/entries/${e.id}`, { mark: mark.value, answer_text: text.value, remarks: remarks.value, owner: owner.value, review_date: reviewDate.value });
          announce(t('library.saved'), 'success');
          afterChange(r && r.id ? r : null, e.id);
        } catch (err) {
          save.disabled = false;
          showErr(err);
        }
      });
      clear(editArea).append(form);
      mark.focus();
    }

    // History, newest first.
    const hist = (e.history || []).slice().reverse();
    detail.append(h('h3', {}, t('library.history')),
      hist.length ? h('ol', { class: 'lb-history', testid: 'entry-history' }, hist.map((r) => h('li', {},
        h('strong', {}, `v${r.version}`), ' ', formatDateTime(r.changed_at), ' ', r.actor || '', ' — ', r.action || '',
        r.entry ? h('span', { class: 'lb-hist-sub' }, `${answerText(r.entry)}${r.entry.status ? ` · ${t(`library.status.${r.entry.status}`)}` : ''}`) : null)))
        : h('p', { class: 'qk-hint' }, t('library.none')));
  }

  async function afterChange(entry, id) {
    // The conflicts are read again when next shown (at once if they are on screen).
    S.conflicts = null;
    if (S.view === 'conflicts') loadConflicts();
    if (entry) {
      const i = S.entries.findIndex((x) => x.id === id);
      if (i >= 0) S.entries[i] = { ...S.entries[i], ...entry };
      renderList();
    } else {
      await load();
    }
    await openEntry(id, { focus: false });
  }

  // -------------------------------------------------------------- events
  serviceSel.addEventListener('change', () => {
    S.service = S.services.find((s) => String(s.id) === serviceSel.value);
    S.offset = 0;
    S.selected = null;
    S.control = '';
    S.owner = '';
    S.controls.clear();
    S.owners.clear();
    S.docNames.clear();
    S.conflicts = null;
    renderConflictCount();
    updateExport();
    renderDetailEmpty();
    load();
    if (S.view === 'conflicts') loadConflicts();
  });
  statusSel.addEventListener('change', () => { S.status = statusSel.value; S.offset = 0; load(); });
  // The search goes to the server once typing pauses (or at Enter).
  let timer = 0;
  function applySearch() {
    const q = search.value.trim();
    if (q === S.text) return;
    S.text = q;
    S.offset = 0;
    load();
  }
  search.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(applySearch, 300); });
  controlSel.addEventListener('change', () => { S.control = controlSel.value; S.offset = 0; load(); });
  ownerSel.addEventListener('change', () => { S.owner = ownerSel.value; S.offset = 0; load(); });
  overdueBox.addEventListener('change', () => { S.overdue = overdueBox.checked; S.offset = 0; load(); });
  clearBtn.addEventListener('click', () => {
    clearTimeout(timer);
    search.value = '';
    Object.assign(S, { text: '', control: '', owner: '', overdue: false, status: '', offset: 0 });
    statusSel.value = '';
    controlSel.value = '';
    ownerSel.value = '';
    overdueBox.checked = false;
    load();
    search.focus();
  });

  importForm.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clear(importResult);
    const file = importFile.files[0];
    if (!file) {
      importResult.append(h('p', { class: 'field-error', attrs: { role: 'alert' } }, t('library.import_need_file')));
      importFile.focus();
      return;
    }
    importBtn.disabled = true;
    importResult.append(h('p', {}, h('progress', { attrs: { 'aria-label': t('library.importing') } }), ' ', t('library.importing')));
    try {
      const body = await file.arrayBuffer();
      const r = await api.post(`/services/${S.service.id}/checksheets`, body, {
        query: { name: file.name, document: importDoc.value || undefined, status: importStatus.value },
      });
      clear(importResult).append(h('p', { class: 'notice notice-success', attrs: { role: 'status' } },
        t('library.imported', { document: r.document ?? '', version: r.version ?? '', added: r.added ?? 0, updated: r.updated ?? 0,
          unchanged: r.unchanged ?? 0, retired: r.retired ?? 0, skipped: r.skipped ?? 0, status: t(`library.status.${r.status || 'draft'}`) })));
      importFile.value = '';
      await load();
    } catch (err) {
      clear(importResult).append(h('p', { class: 'notice notice-error', attrs: { role: 'alert' } }, errorText(err)));
    } finally {
      importBtn.disabled = false;
    }
  });

  newForm.addEventListener('submit', (ev) => { ev.preventDefault(); createService(); });

  async function createService() {
    const name = newName.value.trim();
    if (!name) { newName.focus(); return; }
    try {
      const s = await api.post('/services', { name });
      announce(t('library.service_created', { name: s.name }), 'success');
      ctx.navigate(`/library?service=${s.id}`, { replace: true });
    } catch (err) {
      announce(errorText(err), 'error');
    }
  }

  // -------------------------------------------------------------- first paint
  updateExport();
  renderDetailEmpty();
  showView(S.view);
  await load();
  if (S.selected) openEntry(S.selected, { focus: false });
  // The tab's counts, without waiting for someone to open it.
  if (!S.conflicts && S.view !== 'conflicts') loadConflicts();
  return () => clearTimeout(timer);
}
