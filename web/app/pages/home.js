// Home (/): the questionnaires (mine, or the whole organization's) with status, due date and
// progress, and the items assigned to me with links into the review screen at that item.
// An organization without questionnaires gets the first steps instead.
import { api } from '../api.js';
import { errorText } from '../errors.js';
import { formatDate, formatDateTime, t } from '../i18n.js';
import { can } from '../session.js';
import { h, clear, field, select, isOverdue, STATUSES, statusChip, stateChip, progressBar, ensureStyles } from './qkit.js';

const PAGE = 50;

export async function render(root, ctx) {
  const view0 = ctx.query.get('view') === 'all' ? 'all' : (ctx.query.get('view') === 'mine' ? 'mine' : '');
  const S = { view: view0 || 'mine', status: ctx.query.get('status') || '', q: ctx.query.get('q') || '', offset: 0 };

  const [mine, all, assigned, services] = await Promise.all([
    api.get('/questionnaires', { query: { owner: 'me', limit: PAGE }, signal: ctx.signal }),
    api.get('/questionnaires', { query: { limit: 1 }, signal: ctx.signal }),
    api.get('/assignments', { query: { limit: 100 }, signal: ctx.signal }).catch(() => ({ items: [] })),
    api.get('/services', { signal: ctx.signal }).catch(() => ({ items: [] })),
    ensureStyles(),
  ]);
  if (!ctx.isCurrent()) return undefined;
  // Nothing of mine yet: the organization's list is the useful one.
  if (!view0 && !mine.total && all.total) S.view = 'all';

  const page = h('div', { class: 'qh-page', testid: 'home-page' });
  const newLink = can('edit')
    ? h('a', { href: '/questionnaires/new', class: 'btn btn-primary', testid: 'new-questionnaire' }, t('home.new'))
    : null;
  page.append(h('div', { class: 'qh-head' }, h('h1', { class: 'page-title', attrs: { tabindex: '-1' } }, t('home.heading')), newLink));
  root.append(page);

  if (!all.total) {
    page.append(emptyState((services.items || []).length > 0));
    if ((assigned.items || []).length) page.append(assignedSection(assigned));
    return undefined;
  }

  // Tabs (buttons with aria-pressed: two views of one list), filters, the table, the pager.
  const tabMine = h('button', { type: 'button', class: 'qh-tab', testid: 'tab-mine' }, t('home.tab_mine'));
  const tabAll = h('button', { type: 'button', class: 'qh-tab', testid: 'tab-all' }, t('home.tab_all'));
  const statusSel = select([{ value: '', label: t('home.status_all') },
    ...STATUSES.map((s) => ({ value: s, label: t(`questionnaire.status.${s}`) }))], S.status);
  statusSel.dataset.testid = 'home-status-filter';
  const search = h('input', { type: 'search', value: S.q, testid: 'home-search', autocomplete: 'off' });
  const listArea = h('div', { class: 'qh-list', attrs: { 'aria-live': 'polite', 'aria-busy': 'false' } });

  const listSection = h('section', { class: 'qh-section', attrs: { 'aria-labelledby': 'qh-list-title' } },
    h('h2', { id: 'qh-list-title', class: 'visually-hidden' }, t('home.list_title')),
    h('div', { class: 'qh-tabs', attrs: { role: 'group', 'aria-label': t('home.tabs_label') } }, tabMine, tabAll),
    h('div', { class: 'qh-filters' },
      field(t('home.filter_status'), statusSel),
      field(t('home.search'), search)),
    listArea);
  page.append(listSection);
  page.append(assignedSection(assigned));

  function syncUrl() {
    const u = new URLSearchParams();
    if (S.view === 'all') u.set('view', 'all');
    if (S.status) u.set('status', S.status);
    if (S.q) u.set('q', S.q);
    const qs = u.toString();
    history.replaceState(history.state, '', qs ? `/?${qs}` : '/');
  }

  let seq = 0;
  async function load(first) {
    tabMine.setAttribute('aria-pressed', String(S.view === 'mine'));
    tabAll.setAttribute('aria-pressed', String(S.view === 'all'));
    const my = ++seq;
    let data;
    if (first && S.view === 'mine' && !S.status && !S.q && !S.offset) data = mine;
    else {
      listArea.setAttribute('aria-busy', 'true');
      try {
        data = await api.get('/questionnaires', {
          query: { owner: S.view === 'mine' ? 'me' : undefined, status: S.status, q: S.q, offset: S.offset, limit: PAGE },
        });
      } catch (err) {
        if (my !== seq) return;
        listArea.setAttribute('aria-busy', 'false');
        clear(listArea).append(h('p', { class: 'notice notice-error', attrs: { role: 'alert' } }, errorText(err)));
        return;
      }
    }
    if (my !== seq || !ctx.isCurrent()) return;
    listArea.setAttribute('aria-busy', 'false');
    clear(listArea).append(listTable(data, S.view));
    if (!first) syncUrl();
  }

  function listTable(data, view) {
    const items = data.items || [];
    if (!items.length) {
      return h('p', { class: 'empty', testid: 'questionnaire-list-empty' },
        S.status || S.q ? t('home.none_match') : (view === 'mine' ? t('home.none_mine') : t('home.none_all')));
    }
    const rows = items.map((q) => {
      const over = isOverdue(q);
      return h('tr', { testid: 'questionnaire-row', dataset: { questionnaireId: q.id } },
        h('td', {}, q.customer || h('span', { class: 'qk-hint' }, t('home.no_customer'))),
        h('td', { class: 'qh-title' }, h('a', { href: `/questionnaires/${q.id}`, testid: 'questionnaire-link' }, q.title || q.file?.name || `#${q.id}`),
          h('span', { class: 'qh-sub' }, q.service?.name || '')),
        h('td', {}, statusChip(t, q.status)),
        h('td', { class: ['nowrap', over && 'qk-overdue'] }, q.due_date ? formatDate(q.due_date) : h('span', { class: 'qk-hint' }, t('home.no_due')),
          over ? h('span', { class: 'qh-sub qk-overdue' }, t('questionnaire.overdue')) : null),
        h('td', { class: 'nowrap' }, progressBar(t, q.progress)),
        h('td', { class: 'nowrap' }, q.owner ? (q.owner.name || q.owner.email) : h('span', { class: 'qk-hint' }, t('home.no_owner'))),
        h('td', { class: 'nowrap qk-hint' }, formatDateTime(q.updated_at)));
    });
    const total = data.total ?? items.length;
    const from = (data.offset ?? S.offset) + 1;
    const to = (data.offset ?? S.offset) + items.length;
    const prev = h('button', { type: 'button', class: 'btn btn-secondary btn-small', disabled: S.offset <= 0,
      on: { click: () => { S.offset = Math.max(0, S.offset - PAGE); load(false); } } }, t('home.prev'));
    const next = h('button', { type: 'button', class: 'btn btn-secondary btn-small', disabled: to >= total,
      on: { click: () => { S.offset += PAGE; load(false); } } }, t('home.next'));
    return h('div', {},
      h('div', { class: 'table-wrap' }, h('table', { class: 'data-table qh-table', testid: 'questionnaire-list' },
        h('caption', { class: 'visually-hidden' }, view === 'mine' ? t('home.tab_mine') : t('home.tab_all')),
        h('thead', {}, h('tr', {},
          ['col_customer', 'col_title', 'col_status', 'col_due', 'col_progress', 'col_owner', 'col_updated']
            .map((k) => h('th', { scope: 'col' }, t(`home.${k}`))))),
        h('tbody', {}, rows))),
      total > PAGE ? h('div', { class: 'qh-pager' }, h('span', {}, t('home.range', { from, to, total })), prev, next) : null);
  }

  tabMine.addEventListener('click', () => { S.view = 'mine'; S.offset = 0; load(false); });
  tabAll.addEventListener('click', () => { S.view = 'all'; S.offset = 0; load(false); });
  statusSel.addEventListener('change', () => { S.status = statusSel.value; S.offset = 0; load(false); });
  let timer = 0;
  search.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => { S.q = search.value; S.offset = 0; load(false); }, 250);
  });

  await load(true);
  return () => clearTimeout(timer);
}

function assignedSection(assigned) {
  const items = assigned.items || [];
  const section = h('section', { class: 'qh-section', testid: 'assignments', attrs: { 'aria-labelledby': 'qh-assigned-title' } },
    h('h2', { id: 'qh-assigned-title' }, t('home.assigned_title', { n: assigned.total ?? items.length })));
  if (!items.length) {
    section.append(h('p', { class: 'empty' }, t('home.assigned_none')));
    return section;
  }
  const rows = items.map((it) => {
    const q = it.questionnaire || {};
    const over = q.due_date && isOverdue({ due_date: q.due_date, status: q.status || '' });
    return h('tr', { testid: 'assignment-row', dataset: { itemId: it.id } },
      h('td', {}, q.customer || '', h('span', { class: 'qh-sub' }, q.title || '')),
      h('td', { class: 'nowrap' }, it.number || ''),
      h('td', {}, h('a', { href: `/questionnaires/${q.id}?item=${it.id}`, testid: 'assignment-link' }, it.question || t('home.open_item'))),
      h('td', {}, stateChip(t, it.state)),
      h('td', { class: ['nowrap', over && 'qk-overdue'] }, q.due_date ? formatDate(q.due_date) : ''));
  });
  section.append(h('div', { class: 'table-wrap' }, h('table', { class: 'data-table qh-table' },
    h('caption', { class: 'visually-hidden' }, t('home.assigned_caption')),
    h('thead', {}, h('tr', {}, ['a_col_questionnaire', 'a_col_number', 'a_col_question', 'a_col_state', 'a_col_due']
      .map((k) => h('th', { scope: 'col' }, t(`home.${k}`))))),
    h('tbody', {}, rows))));
  return section;
}

function emptyState(hasService) {
  return h('section', { class: 'qh-empty', testid: 'home-empty', attrs: { 'aria-labelledby': 'qh-empty-title' } },
    h('h2', { id: 'qh-empty-title' }, t('home.empty_title')),
    h('p', {}, t('home.empty_lead')),
    h('ol', {},
      h('li', {}, hasService ? t('home.empty_step1_done') : t('home.empty_step1'), ' ', h('a', { href: '/library' }, t('home.empty_step1_link'))),
      h('li', {}, t('home.empty_step2')),
      h('li', {}, t('home.empty_step3'))),
    can('edit') ? h('a', { href: '/questionnaires/new', class: 'btn btn-primary' }, t('home.empty_cta')) : h('p', { class: 'qk-hint' }, t('home.empty_no_edit')));
}
