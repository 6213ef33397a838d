// The answer library (/library): a service's entries with status filter and paging, a search
// and filters over the loaded page (the API has no text search yet), the entry's detail with
// its history, edit, approve (four eyes: a proposal's author cannot approve it, the server says
// so with 409), retire; import an answered checksheet; export CSV/JSON.
import { ApiError, api } from '../api.js';
import { announce } from '../dom.js';
import { errorText } from '../errors.js';
import { formatDate, formatDateTime, t } from '../i18n.js';
import { can } from '../session.js';
import { h, clear, field, select, confirmDialog, todayISO, nextId, ensureStyles } from './qkit.js';

const PAGE = 500;
const ENTRY_MARKS = ['yes', 'no', 'partial', 'na', 'text', 'none'];
const STATUSES = ['draft', 'approved', 'retired'];

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
    text: '',
    control: '',
    owner: '',
    overdue: false,
    selected: null,
  };
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
  const statusSel = select([{ value: '', label: t('library.status_all') },
    ...STATUSES.map((s) => ({ value: s, label: t(`library.status.${s}`) }))], S.status);
  statusSel.dataset.testid = 'library-status';
  const search = h('input', { type: 'search', testid: 'library-search', autocomplete: 'off' });
  const controlSel = select([{ value: '', label: t('library.all') }], '');
  controlSel.dataset.testid = 'library-control';
  const ownerSel = select([{ value: '', label: t('library.all') }], '');
  const overdueBox = h('input', { type: 'checkbox', id: nextId('overdue'), testid: 'library-overdue' });
  const exportCsv = h('a', { class: 'btn btn-secondary', testid: 'export-csv', download: '' }, t('library.export_csv'));
  const exportJson = h('a', { class: 'btn btn-secondary', testid: 'export-json', download: '' }, t('library.export_json'));

  page.append(h('div', { class: 'lb-bar' },
    field(t('library.service'), serviceSel),
    field(t('library.status_label'), statusSel),
    field(t('library.search'), search),
    field(t('library.control'), controlSel),
    field(t('library.owner'), ownerSel),
    h('div', { class: 'lb-check' }, overdueBox, h('label', { htmlFor: overdueBox.id }, t('library.overdue'))),
    exportCsv, exportJson));

  const countEl = h('p', { class: 'qk-hint', attrs: { 'aria-live': 'polite' }, testid: 'library-count' });
  const searchNote = h('p', { class: 'qk-hint' }, t('library.search_hint'));
  const listArea = h('div', { class: 'lb-list' });
  const pager = h('div', { class: 'qh-pager' });
  const detail = h('section', { class: 'panel lb-detail', testid: 'entry-detail', attrs: { 'aria-labelledby': 'lb-detail-title' } });
  page.append(h('div', { class: 'lb-body' }, h('div', {}, h('div', { class: 'lb-counts' }, countEl, searchNote), listArea, pager), detail));

  // -------------------------------------------------------------- import
  const importFile = h('input', { type: 'file', accept: '.xlsx,.xlsm,.csv,.tsv,.txt,.pdf', testid: 'library-import-file', required: true });
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

  async function load() {
    listArea.setAttribute('aria-busy', 'true');
    try {
      const r = await api.get(`/services/${S.service.id}/entries`, { query: { status: S.status, offset: S.offset, limit: PAGE } });
      if (!ctx.isCurrent()) return;
      S.entries = r.entries || r.items || [];
      S.total = r.total ?? S.entries.length;
      fillFilters();
      renderList();
    } catch (err) {
      clear(listArea).append(h('p', { class: 'notice notice-error', attrs: { role: 'alert' } }, errorText(err)));
    } finally {
      listArea.removeAttribute('aria-busy');
    }
  }

  function fillFilters() {
    const controls = new Set();
    const owners = new Set();
    for (const e of S.entries) {
      for (const c of e.controls || []) controls.add(c);
      if (e.owner) owners.add(e.owner);
    }
    const refill = (sel, values, keep) => {
      clear(sel).append(h('option', { value: '' }, t('library.all')));
      for (const v of [...values].sort()) sel.append(h('option', { value: v, selected: v === keep }, v));
      if (!values.has(keep)) sel.value = '';
    };
    refill(controlSel, controls, S.control);
    refill(ownerSel, owners, S.owner);
    S.control = controlSel.value;
    S.owner = ownerSel.value;
  }

  function answerText(e) {
    const a = e.answer || {};
    return a.text || (a.mark && a.mark !== 'none' ? t(`questionnaire.mark.${a.mark}`) : '');
  }

  function matches(e) {
    if (S.control && !(e.controls || []).includes(S.control)) return false;
    if (S.owner && e.owner !== S.owner) return false;
    if (S.overdue && !(e.review_date && e.review_date < todayISO())) return false;
    if (S.text) {
      const hay = [e.number, e.question, answerText(e), e.remarks, (e.section || []).join(' '), (e.controls || []).join(' '), e.owner]
        .join('\n').toLowerCase();
      for (const word of S.text.toLowerCase().split(/\s+/).filter(Boolean)) if (!hay.includes(word)) return false;
    }
    return true;
  }

  function renderList() {
    const shown = S.entries.filter(matches);
    countEl.textContent = S.text || S.control || S.owner || S.overdue
      ? t('library.count_filtered', { shown: shown.length, loaded: S.entries.length, total: S.total })
      : t('library.count', { loaded: S.entries.length, total: S.total });
    if (!shown.length) {
      clear(listArea).append(h('p', { class: 'empty' }, S.entries.length ? t('library.none_match') : t('library.empty')));
    } else {
      const tbody = h('tbody');
      const frag = document.createDocumentFragment();
      for (const e of shown) {
        const open = h('button', { type: 'button', class: 'lb-open', testid: 'entry-open' }, e.question || `#${e.id}`);
        const tr = h('tr', { testid: 'entry-row', dataset: { entryId: e.id } },
          h('td', { class: 'lb-c-num' }, e.number || ''),
          h('td', {}, (e.section || []).length ? h('span', { class: 'qh-sub' }, e.section.join(' › ')) : null, open),
          h('td', { class: 'lb-c-ans' }, answerText(e)),
          h('td', { class: 'lb-c-rem' }, h('span', { class: 'rv-rem' }, e.remarks || '')),
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
          h('th', { scope: 'col', class: 'lb-c-status' }, t('library.col_status')))),
        tbody)));
    }
    clear(pager);
    if (S.total > PAGE) {
      const to = S.offset + S.entries.length;
      pager.append(h('span', {}, t('library.range', { from: S.offset + 1, to, total: S.total })),
        h('button', { type: 'button', class: 'btn btn-secondary btn-small', disabled: S.offset <= 0,
          on: { click: () => { S.offset = Math.max(0, S.offset - PAGE); load(); } } }, t('library.prev')),
        h('button', { type: 'button', class: 'btn btn-secondary btn-small', disabled: to >= S.total,
          on: { click: () => { S.offset += PAGE; load(); } } }, t('library.next')));
    }
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
    const url = new URL(location.href);
    url.searchParams.set('entry', id);
    history.replaceState(history.state, '', url.pathname + url.search);
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
        h('dt', {}, t('library.source')), h('dd', {}, t('library.source_text', { doc: e.document_id ?? '', item: e.source_item || '' })),
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
      const mark = select(ENTRY_MARKS.map((m) => ({ value: m, label: t(`questionnaire.mark.${m}`) })), a.mark || 'none');
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
    const url = new URL(location.href);
    url.searchParams.set('service', S.service.id);
    url.searchParams.delete('entry');
    history.replaceState(history.state, '', url.pathname + url.search);
    updateExport();
    renderDetailEmpty();
    load();
  });
  statusSel.addEventListener('change', () => { S.status = statusSel.value; S.offset = 0; load(); });
  let timer = 0;
  search.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(() => { S.text = search.value.trim(); renderList(); }, 150); });
  controlSel.addEventListener('change', () => { S.control = controlSel.value; renderList(); });
  ownerSel.addEventListener('change', () => { S.owner = ownerSel.value; renderList(); });
  overdueBox.addEventListener('change', () => { S.overdue = overdueBox.checked; renderList(); });

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
  await load();
  const entry = Number(ctx.query.get('entry'));
  if (entry) openEntry(entry, { focus: false });
  return () => clearTimeout(timer);
}
