// The review screen (/questionnaires/{id}): the customer's items in the customer's order and
// numbering, the selected item's source, reasons, alternatives, assignee and comments, and the
// review actions, keyboard first. Every item is loaded once (GET …/items); filters, counts and
// moves are computed in the page, never one fetch per row.
import { api } from '../api.js';
import { announce, notice } from '../dom.js';
import { errorText } from '../errors.js';
import { formatDate, formatDateTime, t } from '../i18n.js';
import { can } from '../session.js';
import {
  h, clear, field, select, nextId, isOverdue, STATES, BANDS, STATUSES,
  stateChip, bandChip, progressOf, markOfWord, confirmDialog, isTyping, canReview as mayReview, ensureStyles,
} from './qkit.js';

const COLS = 6;

// ------------------------------------------------------------------ marks and the sheet's words
// The server names marks yes, no, partial, planned, not-applicable, text, none (sheet::MarkName)
// and takes the same names back; the page's guess from the words says "na".
const MARKS_SENT = ['yes', 'no', 'partial', 'planned', 'not-applicable'];
function normMark(m) {
  return m === 'na' ? 'not-applicable' : m;
}
function markLabel(m) {
  const k = { 'not-applicable': 'na' }[m] || m;
  return ['yes', 'no', 'partial', 'planned', 'na', 'text', 'none'].includes(k) ? t(`questionnaire.mark.${k}`) : String(m || '');
}
// The sheet's words with the mark each means: the item's vocabulary_marks (parallel to
// vocabulary, from the server's own reading), else the page's guess from the common words.
function sheetWords(it) {
  const marks = it.vocabulary_marks || [];
  return (it.vocabulary || []).map((x, i) => {
    const word = typeof x === 'object' && x !== null ? String(x.word ?? x.text ?? '') : String(x);
    const given = normMark(typeof x === 'object' && x !== null ? x.mark : marks[i]);
    return { word, mark: MARKS_SENT.includes(given) ? given : normMark(markOfWord(word)) };
  });
}
function wordFor(it, mark) {
  const m = normMark(mark);
  const hit = sheetWords(it).find((v) => v.mark === m);
  if (hit) return hit.word;
  return m === 'none' ? '' : markLabel(m);
}

// ------------------------------------------------------------------ the matcher's reasons
// The drafter explains itself in fixed English lines (src/match/draft.cc, Explain and
// DraftFor); they are read here and said again from the messages (review.why.*). A line the
// page does not know is shown as it is; every raw line stays under 「技術的な詳細」.
const SIGNALS = ['question_bigrams', 'question_words', 'entry_words', 'remark_words', 'entry_bigrams', 'concepts',
  'entry_concepts', 'concept_miss', 'section', 'opposite', 'kind_mismatch', 'unseen', 'agreement'];
const pct = (x) => `${Math.round(Number(x) * 100)}`;

function signalNode(name, up) {
  const label = SIGNALS.includes(name) ? t(`review.signal.${name}`) : name;
  return h('span', { class: ['rv-sig', up ? 'rv-sig-up' : 'rv-sig-down'] }, label,
    h('span', { class: 'rv-sig-arrow', attrs: { 'aria-hidden': 'true' } }, up ? ' ↑' : ' ↓'),
    h('span', { class: 'visually-hidden' }, ` (${t(up ? 'review.why.raises' : 'review.why.lowers')})`));
}

// One line → the nodes to show, or null when the line is not one the page knows.
function explainLine(line) {
  const raw = String(line);
  let m = /^probability (\d+(?:\.\d+)?) from (.*)$/.exec(raw);
  if (m) {
    const rest = m[2].trim();
    if (rest === 'no strong signal') return [t('review.why.probability_none', { p: pct(m[1]) })];
    const parts = rest.split(/,\s*/).map((x) => /^([a-z_]+) (-?\d+(?:\.\d+)?) \(([+-])\)$/.exec(x.trim()));
    if (parts.some((x) => !x)) return null;
    const out = [t('review.why.probability', { p: pct(m[1]) })];
    parts.forEach((x, i) => { if (i) out.push(t('review.why.sep')); out.push(signalNode(x[1], x[3] === '+')); });
    return out;
  }
  m = /^confidence (\d+(?:\.\d+)?): margin (-?\d+(?:\.\d+)?) to the best entry with a different answer$/.exec(raw);
  if (m) {
    const margin = Number(m[2]);
    return [margin > 0
      ? t('review.why.confidence', { c: pct(m[1]), margin: pct(margin) })
      : t('review.why.confidence_tie', { c: pct(m[1]) })];
  }
  m = /^same control: (.*)$/.exec(raw);
  if (m) return [t('review.why.same_control', { list: m[1].split(/,\s+/).join(t('review.why.list_sep')) })];
  m = /^shared terms: (.*)$/.exec(raw);
  if (m) return [t('review.why.shared_terms', { list: m[1].split('、').join(t('review.why.list_sep')) })];
  if (raw.startsWith('opposite meaning:')) return [t('review.why.opposite')];
  if (raw === 'the question asks for a figure the entry does not give') return [t('review.why.kind_mismatch')];
  if (raw === 'a reviewer accepted this entry for the same question before') return [t('review.why.accepted_before')];
  if (raw === 'the library is empty') return [t('review.why.library_empty')];
  if (raw === 'the reviewers rejected every entry proposed for this question') return [t('review.why.all_rejected')];
  m = /^best library entry: probability (\d+(?:\.\d+)?), confidence (\d+(?:\.\d+)?) below (\d+(?:\.\d+)?)/.exec(raw);
  if (m) return [t('review.why.below_low', { p: pct(m[1]), c: pct(m[2]), low: pct(m[3]) })];
  return null;
}

// The reasons as a list in plain words, with the raw lines in a closed <details>.
function reasonsView(lines, { compact = false, testid } = {}) {
  const list = h('ul', { class: ['rv-why', compact && 'rv-why-compact'], testid });
  for (const line of lines) {
    const said = explainLine(line);
    list.append(h('li', { class: said ? null : 'rv-why-raw', title: String(line) }, said || String(line)));
  }
  const tech = h('details', { class: 'rv-why-tech' },
    h('summary', {}, t('review.why.technical')),
    h('pre', { class: 'rv-why-pre' }, lines.join('\n')));
  return [list, tech];
}

export async function render(root, ctx) {
  performance.mark('review:start');
  const qid = ctx.params.id;
  const base = `/api/v1/questionnaires/${encodeURIComponent(qid)}`;

  const [q0, list, members] = await Promise.all([
    api.get(base, { signal: ctx.signal }),
    api.get(`${base}/items?view=grid`, { signal: ctx.signal }),
    api.get('/api/v1/members', { signal: ctx.signal }).catch(() => ({ items: [] })),
    ensureStyles(),
  ]);
  if (!ctx.isCurrent()) return undefined;
  performance.mark('review:data');

  const S = {
    q: q0,
    items: list.items || [],
    byId: new Map(),
    rows: new Map(),          // item id -> <tr>
    order: [],                // every <tr> of the grid (section and item rows) in order
    members: members.items || [],
    filter: { confidence: '', state: '', assignee: '' },
    selected: null,           // item id
    editing: false,
    pending: new Set(),       // item ids with a request in flight
    commentTimer: 0,
    comments: new Map(),      // item id -> its thread, once read
    details: new Map(),       // item id -> the request for its alternatives and reasons
    serverProgress: null,     // the questionnaire's progress from the last review reply
  };
  for (const it of S.items) S.byId.set(it.id, it);
  const canReview = mayReview();
  const canEdit = can('edit');
  const meId = ctx.me?.user?.id;

  // ---------------------------------------------------------------- layout
  const titleEl = h('h1', { class: 'rv-title', attrs: { tabindex: '-1' } });
  const metaEl = h('p', { class: 'rv-meta' });
  const statusSel = select(STATUSES.map((s) => ({ value: s, label: t(`questionnaire.status.${s}`) })), S.q.status);
  statusSel.dataset.testid = 'questionnaire-status';
  statusSel.disabled = !canEdit;
  const progressEl = h('div', { class: 'rv-progress', testid: 'review-progress' });

  const dlInclude = h('input', { type: 'checkbox', testid: 'download-include-drafts', id: nextId('dl') });
  const dlLink = h('a', { class: 'btn btn-primary', testid: 'download-filled', download: '' }, t('review.download'));
  const head = h('header', { class: 'rv-head' },
    h('div', { class: 'rv-head-main' },
      h('p', { class: 'rv-crumb' }, h('a', { href: '/' }, t('review.back_home'))),
      titleEl, metaEl),
    h('div', { class: 'rv-head-side' },
      progressEl,
      field(t('review.status_label'), statusSel),
      h('div', { class: 'rv-download' }, dlLink,
        h('span', { class: 'rv-check' }, dlInclude, h('label', { htmlFor: dlInclude.id }, t('review.download_include'))))));

  // Toolbar: filters, bulk accept, re-draft, download, help.
  const fConf = select([{ value: '', label: t('review.filter.all') },
    ...BANDS.map((b) => ({ value: b, label: t(`questionnaire.band.${b}`) }))], '');
  fConf.dataset.testid = 'filter-confidence';
  const fState = select([{ value: '', label: t('review.filter.all') },
    ...STATES.map((s) => ({ value: s, label: t(`questionnaire.state.${s}`) }))], '');
  fState.dataset.testid = 'filter-state';
  const fAssignee = select([{ value: '', label: t('review.filter.all') },
    { value: 'me', label: t('review.filter.me') }, { value: 'none', label: t('review.filter.unassigned') },
    ...S.members.map((m) => ({ value: String(m.id), label: m.name || m.email }))], '');
  fAssignee.dataset.testid = 'filter-assignee';
  const shownEl = h('span', { class: 'rv-shown', testid: 'shown-count' });

  const bulkBtn = h('button', { type: 'button', class: 'btn btn-secondary', testid: 'bulk-accept', disabled: !canReview });
  const redraftBtn = h('button', { type: 'button', class: 'btn btn-secondary', testid: 'redraft', disabled: !canEdit }, t('review.redraft'));
  const helpBtn = h('button', { type: 'button', class: 'btn btn-link', testid: 'shortcut-help',
    attrs: { 'aria-keyshortcuts': '?' } }, t('review.help_button'));

  const toolbar = h('div', { class: 'rv-toolbar', attrs: { role: 'region', 'aria-label': t('review.toolbar') } },
    h('div', { class: 'rv-filters' },
      field(t('review.filter.confidence'), fConf),
      field(t('review.filter.state'), fState),
      field(t('review.filter.assignee'), fAssignee),
      shownEl),
    h('div', { class: 'rv-tools' }, bulkBtn, redraftBtn, helpBtn));

  const tbody = h('tbody');
  const table = h('table', { class: 'rv-grid', testid: 'item-grid' },
    h('caption', { class: 'visually-hidden' }, t('review.grid_caption')),
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col', class: 'rv-c-num' }, t('review.col.number')),
      h('th', { scope: 'col', class: 'rv-c-q' }, t('review.col.question')),
      h('th', { scope: 'col', class: 'rv-c-ans' }, t('review.col.answer')),
      h('th', { scope: 'col', class: 'rv-c-rem' }, t('review.col.remarks')),
      h('th', { scope: 'col', class: 'rv-c-conf' }, t('review.col.confidence')),
      h('th', { scope: 'col', class: 'rv-c-state' }, t('review.col.state')))),
    tbody);
  const gridWrap = h('div', { class: 'rv-grid-wrap', attrs: { role: 'region', 'aria-label': t('review.grid_caption') } }, table);
  const emptyEl = h('p', { class: 'rv-empty', hidden: true }, t('review.no_match'));
  const panel = h('aside', { class: 'rv-panel', testid: 'item-panel', attrs: { 'aria-label': t('review.panel') } });
  const body = h('div', { class: 'rv-body' }, h('div', { class: 'rv-left' }, gridWrap, emptyEl), panel);

  const page = h('div', { class: 'rv-page', testid: 'review-page' }, head, toolbar, body);
  root.append(page);

  // ---------------------------------------------------------------- header and counts
  function renderHead() {
    const q = S.q;
    titleEl.textContent = q.title || q.file?.name || t('review.untitled');
    clear(metaEl);
    const item = (label, ...value) => h('span', { class: 'rv-meta-item' }, h('span', { class: 'rv-meta-label' }, label), ' ', ...value);
    if (q.customer) metaEl.append(item(t('review.meta.customer'), h('strong', {}, q.customer)));
    if (q.service) metaEl.append(item(t('review.meta.service'), q.service.name));
    if (q.due_date) {
      const over = isOverdue(q);
      const due = item(t('review.meta.due'), formatDate(q.due_date), over ? ` ${t('questionnaire.overdue')}` : '');
      if (over) due.classList.add('qk-overdue');
      metaEl.append(due);
    }
    if (q.file) metaEl.append(item(t('review.meta.file'), q.file.name));
    if (q.drafted_at) metaEl.append(item(t('review.meta.drafted'), formatDateTime(q.drafted_at)));
    statusSel.value = q.status;
    ctx.setTitle(titleEl.textContent);
  }

  function counts() {
    const c = { total: S.items.length };
    for (const s of STATES) c[s] = 0;
    let highDrafts = 0;
    for (const it of S.items) {
      c[it.state] = (c[it.state] || 0) + 1;
      if (it.state === 'draft' && it.draft?.confidence === 'high') highDrafts += 1;
    }
    return { c, highDrafts };
  }

  // The counts of the items as loaded; after a review reply, the questionnaire's progress as the
  // server counted it (which includes what others did meanwhile).
  function renderCounts() {
    const { c: local, highDrafts } = counts();
    const c = S.serverProgress && typeof S.serverProgress.total === 'number' ? { ...local, ...S.serverProgress } : local;
    const { reviewed, total } = progressOf(c);
    clear(progressEl);
    const label = t('questionnaire.progress.label', { reviewed, total });
    progressEl.append(
      h('progress', { max: Math.max(total, 1), value: reviewed, attrs: { 'aria-label': label } }),
      h('span', { class: 'rv-progress-text' }, label),
      h('span', { class: 'rv-progress-detail' },
        STATES.filter((s) => s !== 'draft').map((s) => h('span', { class: ['rv-count', `qk-state-${s}`] }, `${t(`questionnaire.state.${s}`)} ${c[s]}`))));
    bulkBtn.textContent = t('review.bulk_accept', { n: highDrafts });
    bulkBtn.disabled = !canReview || highDrafts === 0;
  }

  function updateDownload() {
    dlLink.href = `${base}/filled${dlInclude.checked ? '?include_drafts=high' : ''}`;
  }

  // ---------------------------------------------------------------- rows
  function isDecided(it) {
    return !!it.answer && (it.state === 'accepted' || it.state === 'edited');
  }

  function shownAnswer(it) {
    if (isDecided(it)) return { ...it.answer, reviewed: true };
    const d = it.draft || {};
    return { mark: d.mark, text: d.text, remarks: d.remarks, reviewed: false };
  }

  function answerWord(it, a) {
    if (a.text) return a.text;
    if (a.mark && a.mark !== 'none') return wordFor(it, a.mark);
    return '';
  }

  function fillRow(tr, it) {
    const a = shownAnswer(it);
    const word = answerWord(it, a);
    const selected = S.selected === it.id;
    tr.className = ['rv-row', `rv-state-${it.state}`, S.pending.has(it.id) && 'rv-pending', selected && 'rv-selected']
      .filter(Boolean).join(' ');
    const [cNum, cQ, cAns, cRem, cConf, cState] = tr.children;
    cNum.textContent = it.number || '';
    clear(cQ).append(h('span', { class: 'rv-q-text' }, it.question || ''));
    if (it.comments || it.assignee) {
      const badges = h('span', { class: 'rv-badges' });
      if (it.comments) badges.append(h('span', { class: 'rv-badge' }, t('review.comments_count', { n: it.comments })));
      if (it.assignee) badges.append(h('span', { class: 'rv-badge rv-badge-person' }, `${t('review.assignee_short')}: ${it.assignee.name || it.assignee.email}`));
      cQ.append(badges);
    }
    clear(cAns);
    if (word) {
      cAns.append(h('span', { class: ['rv-ans', !a.reviewed && 'rv-ans-draft'] }, word));
      if (!a.reviewed) cAns.append(h('span', { class: 'visually-hidden' }, ` (${t('review.draft_suffix')})`));
    } else {
      cAns.append(h('span', { class: 'rv-none', attrs: { 'aria-label': t('review.no_answer_label') } }, t('review.no_answer')));
    }
    clear(cRem).append(h('span', { class: ['rv-rem', !a.reviewed && 'rv-ans-draft'] }, a.remarks || ''));
    clear(cConf).append(bandChip(t, it.draft?.confidence));
    clear(cState).append(stateChip(t, it.state));
    cState.dataset.state = it.state;
    if (selected) tr.setAttribute('aria-current', 'true');
    else tr.removeAttribute('aria-current');
    tr.tabIndex = selected ? 0 : -1;
  }

  function sectionText(it) {
    const s = it.section;
    if (!s) return '';
    return Array.isArray(s) ? s.filter(Boolean).join(' › ') : String(s);
  }

  // Rows are built and attached in chunks: the first screenful at once, the rest one chunk per
  // frame, so a 300-item sheet is interactive before the browser has built and laid out every
  // row. S.order is the plan of the grid (section and item rows in order, each with its <tr>
  // once built); anything that needs a later row (a move, a filter) builds the rest first.
  const FIRST_CHUNK = 30;
  const CHUNK = 60;
  let built = 0;              // S.order[0 .. built) are built and attached
  let chunkTimer = 0;

  function buildRows() {
    S.rows.clear();
    S.order = [];
    let lastSection = null;
    for (const it of S.items) {
      const sec = sectionText(it);
      if (sec && sec !== lastSection) S.order.push({ section: sec, tr: null, hidden: false });
      lastSection = sec;
      S.order.push({ id: it.id, tr: null, hidden: false });
    }
    built = 0;
    applyFilter();
    cancelAnimationFrame(chunkTimer);
    clear(tbody);
    attachUpTo(FIRST_CHUNK);
    if (built < S.order.length) chunkTimer = requestAnimationFrame(attachChunk);
  }

  function buildRow(slot) {
    if (slot.section !== undefined) {
      slot.tr = h('tr', { class: 'rv-section' }, h('th', { scope: 'colgroup', colSpan: COLS }, slot.section));
    } else {
      const it = S.byId.get(slot.id);
      const tr = h('tr', { testid: 'item-row', dataset: { itemId: it.id } },
        h('td', { class: 'rv-c-num' }),
        h('td', { class: 'rv-c-q' }),
        h('td', { class: 'rv-c-ans' }),
        h('td', { class: 'rv-c-rem' }),
        h('td', { class: 'rv-c-conf' }),
        h('td', { class: 'rv-c-state', testid: 'item-state' }));
      fillRow(tr, it);
      S.rows.set(it.id, tr);
      slot.tr = tr;
    }
    slot.tr.hidden = slot.hidden;
    return slot.tr;
  }

  function attachUpTo(n) {
    const end = Math.min(n, S.order.length);
    if (built >= end) return;
    const frag = document.createDocumentFragment();
    while (built < end) frag.append(buildRow(S.order[built++]));
    tbody.append(frag);
  }

  function attachChunk() {
    attachUpTo(built + CHUNK);
    if (built < S.order.length) chunkTimer = requestAnimationFrame(() => setTimeout(attachChunk, 0));
  }

  function attachAll() {
    if (built >= S.order.length) return;
    cancelAnimationFrame(chunkTimer);
    attachUpTo(S.order.length);
  }

  function updateRow(it) {
    const tr = S.rows.get(it.id);
    if (!tr) return;
    fillRow(tr, it);
    tr.hidden = !matches(it);
  }

  function matches(it) {
    const f = S.filter;
    if (f.confidence && (it.draft?.confidence || 'none') !== f.confidence) return false;
    if (f.state && it.state !== f.state) return false;
    if (f.assignee === 'me') return !!it.assignee && it.assignee.id === meId;
    if (f.assignee === 'none') return !it.assignee;
    if (f.assignee) return !!it.assignee && String(it.assignee.id) === f.assignee;
    return true;
  }

  function applyFilter() {
    let shown = 0;
    let sectionSlot = null;
    let sectionHasRow = false;
    const setHidden = (slot, hidden) => {
      slot.hidden = hidden;
      if (slot.tr) slot.tr.hidden = hidden;
    };
    for (const slot of S.order) {
      if (slot.section !== undefined) {
        if (sectionSlot) setHidden(sectionSlot, !sectionHasRow);
        sectionSlot = slot;
        sectionHasRow = false;
        continue;
      }
      const ok = matches(S.byId.get(slot.id));
      setHidden(slot, !ok);
      if (ok) { shown += 1; sectionHasRow = true; }
    }
    if (sectionSlot) setHidden(sectionSlot, !sectionHasRow);
    shownEl.textContent = t('review.shown', { shown, total: S.items.length });
    emptyEl.hidden = shown > 0 || S.items.length === 0;
    return shown;
  }

  function visibleIds() {
    const out = [];
    for (const it of S.items) if (matches(it)) out.push(it.id);
    return out;
  }

  // ---------------------------------------------------------------- selection
  function choose(id, { focus = true, scroll = true } = {}) {
    const prev = S.selected;
    S.selected = id;
    S.editing = false;
    if (prev != null) markRow(prev, false);
    if (id == null) { renderPanel(); return; }
    const it = S.byId.get(id);
    if (!S.rows.has(id)) attachAll();
    markRow(id, true);
    const tr = S.rows.get(id);
    if (tr && scroll) tr.scrollIntoView({ block: 'nearest' });
    if (tr && focus) tr.focus({ preventScroll: true });
    const url = new URL(location.href);
    url.searchParams.set('item', id);
    history.replaceState(history.state, '', url.pathname + url.search);
    renderPanel();
  }

  // Selection changes only the two rows' marks, never their content.
  function markRow(id, on) {
    const tr = S.rows.get(id);
    if (!tr) return;
    tr.classList.toggle('rv-selected', on);
    if (on) tr.setAttribute('aria-current', 'true');
    else tr.removeAttribute('aria-current');
    tr.tabIndex = on ? 0 : -1;
  }

  function move(delta) {
    const ids = visibleIds();
    if (!ids.length) return;
    let i = ids.indexOf(S.selected);
    if (i < 0) i = delta > 0 ? -1 : ids.length;
    const j = Math.min(ids.length - 1, Math.max(0, i + delta));
    choose(ids[j]);
  }

  tbody.addEventListener('click', (ev) => {
    const tr = ev.target.closest('tr[data-item-id]');
    if (tr) choose(Number(tr.dataset.itemId), { scroll: false });
  });

  // ---------------------------------------------------------------- side panel
  const live = { list: null, box: null, detail: null };

  function section(title, ...children) {
    const id = nextId('sec');
    return h('section', { class: 'rv-sec', attrs: { 'aria-labelledby': id } }, h('h3', { id, class: 'rv-sec-title' }, title), ...children);
  }

  function answerBlock(it, a, cls) {
    return h('dl', { class: ['rv-dl', cls] },
      h('dt', {}, t('review.answer')), h('dd', { class: 'rv-ans-big rv-pre' }, answerWord(it, a) || h('span', { class: 'rv-none' }, t('review.none'))),
      h('dt', {}, t('review.remarks')), h('dd', { class: 'rv-pre' }, a.remarks || h('span', { class: 'rv-none' }, t('review.none'))));
  }

  function hasDraftAnswer(d) {
    return !!(d && ((d.mark && d.mark !== 'none') || d.text));
  }

  // The reasons and the alternatives (each with its accept button) of an item read in full.
  function detailSections(it) {
    const d = it.draft || {};
    const out = [];
    if (d.why && d.why.length) out.push(section(t('review.why'), reasonsView(d.why, { testid: 'draft-why' })));
    const alts = d.alternatives || [];
    if (alts.length) {
      out.push(section(t('review.alternatives'), h('ol', { class: 'rv-alts' }, alts.map((alt, i) => h('li', { class: 'rv-alt' },
        h('p', { class: 'rv-alt-q' }, alt.question || ''),
        h('p', { class: 'rv-alt-a' }, h('strong', {}, alt.text || (alt.mark && alt.mark !== 'none' ? markLabel(alt.mark) : '')),
          typeof alt.score === 'number' ? h('span', { class: 'qk-hint' }, ` ${t('review.score_pct', { p: pct(alt.score) })}`) : null),
        alt.remarks ? h('p', { class: 'rv-alt-r rv-pre' }, alt.remarks) : null,
        alt.why && alt.why.length ? h('div', { class: 'rv-alt-why' }, reasonsView(alt.why, { compact: true, testid: 'alternative-why' })) : null,
        i < 3 ? h('button', { type: 'button', class: 'btn btn-secondary btn-small', testid: `accept-alternative-${i + 1}`, disabled: !canReview || S.pending.has(it.id),
          attrs: { 'aria-keyshortcuts': String(i + 1) }, on: { click: () => review(it.id, 'accept', { alternative: i }) } },
        t('review.accept_alternative', { n: i + 1 }), h('kbd', { class: 'rv-kbd', attrs: { 'aria-hidden': 'true' } }, String(i + 1))) : null)))));
    }
    return out;
  }

  // Reads an item in full (once) for its reasons and alternatives and puts them in the panel in
  // place of the placeholder, leaving the rest of the panel (a comment being typed) alone.
  function loadDetail(id) {
    if (!S.details.has(id)) {
      const p = api.get(`${base}/items/${id}`).then((full) => {
        // A summary gives way to the full item (as new or newer); an item a review reply already
        // replaced is full and stays.
        const cur = S.byId.get(id);
        if (cur && cur.summary) {
          const idx = S.items.indexOf(cur);
          if (idx >= 0) S.items[idx] = full;
          S.byId.set(id, full);
          if (cur.version !== full.version) { updateRow(full); renderCounts(); }
        }
        return S.byId.get(id);
      });
      p.catch(() => S.details.delete(id));
      S.details.set(id, p);
    }
    const request = S.details.get(id);
    request.then((it) => {
      if (S.selected !== id || !live.detail || !live.detail.isConnected || !it || it.summary) return;
      live.detail.replaceWith(...detailSections(it));
      live.detail = null;
    }, (err) => {
      if (S.selected === id && live.detail && live.detail.isConnected) live.detail.replaceChildren(notice('error', errorText(err)));
    });
    return request;
  }

  // Redraws the panel; a control that had the focus gets it back (same data-testid), so a
  // keyboard user who pressed a button does not land at the top of the page.
  function renderPanel() {
    const had = panel.contains(document.activeElement) ? document.activeElement.dataset?.testid : null;
    drawPanel();
    if (had && !S.editing) {
      const again = panel.querySelector(`[data-testid="${had}"]`);
      if (again && !again.disabled) again.focus({ preventScroll: true });
      else { const tr = S.rows.get(S.selected); if (tr) tr.focus({ preventScroll: true }); }
    }
  }

  function drawPanel() {
    clear(panel);
    live.list = null;
    live.box = null;
    live.detail = null;
    const it = S.byId.get(S.selected);
    if (!it) {
      panel.append(h('p', { class: 'rv-panel-empty' }, S.items.length ? t('review.panel_empty') : t('review.no_items')));
      return;
    }
    const d = it.draft || {};
    const sec = sectionText(it);
    const who = it.decided_by ? (it.decided_by.name || it.decided_by.email || '') : '';
    panel.append(h('div', { class: 'rv-panel-head' },
      sec ? h('p', { class: 'rv-panel-sec' }, sec) : null,
      h('h2', { class: 'rv-panel-title' }, it.number ? h('span', { class: 'rv-panel-num' }, it.number) : null, it.question || ''),
      h('p', { class: 'rv-panel-loc' }, stateChip(t, it.state),
        who ? h('span', { class: 'qk-hint' }, ` ${t('review.decided', { who, when: formatDateTime(it.decided_at) })}`) : null,
        it.location ? h('span', { class: 'qk-hint' }, ` ${t('review.location')}: ${it.location}`) : null)));

    // Actions
    const busy = S.pending.has(it.id);
    const btn = (action, key, label, extra, onClick) => h('button', {
      type: 'button', class: ['btn', extra || 'btn-secondary'], testid: `action-${action}`, disabled: !canReview || busy,
      attrs: { 'aria-keyshortcuts': key }, on: { click: onClick || (() => review(it.id, action)) },
    }, label, h('kbd', { class: 'rv-kbd', attrs: { 'aria-hidden': 'true' } }, key));
    const acceptBtn = btn('accept', 'a', t('review.action.accept'), 'btn-primary');
    if (!hasDraftAnswer(d)) acceptBtn.disabled = true;
    panel.append(h('div', { class: 'rv-actions', attrs: { role: 'group', 'aria-label': t('review.actions') } },
      acceptBtn,
      btn('edit', 'e', t('review.action.edit'), null, startEdit),
      btn('reject', 'r', t('review.action.reject')),
      btn('needs_info', 'n', t('review.action.needs_info')),
      it.state !== 'draft' ? h('button', { type: 'button', class: 'btn btn-link', testid: 'action-reset', disabled: !canReview || busy,
        on: { click: () => review(it.id, 'reset') } }, t('review.action.reset')) : null));

    if (S.editing) panel.append(editForm(it));

    // The answer as decided, then the draft.
    if (isDecided(it)) panel.append(section(t('review.current_answer'), answerBlock(it, it.answer, 'rv-dl-final')));
    panel.append(section(t('review.draft'),
      h('p', { class: 'rv-draft-band' }, t('review.col.confidence'), ' ', bandChip(t, d.confidence),
        typeof d.score === 'number' ? h('span', { class: 'qk-hint' }, ` ${t('review.score_pct', { p: pct(d.score) })}`) : null),
      hasDraftAnswer(d) ? answerBlock(it, d) : h('p', { class: 'rv-none' }, t('review.no_draft'))));

    // Source entry
    const src = d.source;
    if (src) {
      const srcAnswer = src.answer_text || (src.mark && src.mark !== 'none' ? markLabel(src.mark) : '');
      panel.append(section(t('review.source'),
        h('dl', { class: 'rv-dl' },
          h('dt', {}, t('review.source_question')), h('dd', {}, src.question || ''),
          h('dt', {}, t('review.answer')), h('dd', {}, srcAnswer || h('span', { class: 'rv-none' }, t('review.none'))),
          h('dt', {}, t('review.remarks')), h('dd', { class: 'rv-pre' }, src.remarks || h('span', { class: 'rv-none' }, t('review.none'))),
          h('dt', {}, t('review.source_document')), h('dd', {}, src.document || '', src.item ? ` (${src.item})` : '',
            src.entry ? [' ', h('a', { href: `/library?${S.q.service?.id ? `service=${encodeURIComponent(S.q.service.id)}&` : ''}entry=${encodeURIComponent(src.entry)}` }, t('review.open_entry', { id: src.entry }))] : null))));
    }

    // Reasons and alternatives: the grid's list leaves them out; the item's own GET brings them.
    if (it.summary) {
      live.detail = h('div', { class: 'rv-detail-pending', testid: 'detail-pending' }, h('p', { class: 'rv-none' }, t('review.loading')));
      panel.append(live.detail);
      loadDetail(it.id);
    } else {
      panel.append(...detailSections(it));
    }

    // Assignee
    const assignSel = select([{ value: '', label: t('review.nobody') },
      ...S.members.map((m) => ({ value: String(m.id), label: m.name ? `${m.name} (${m.email})` : m.email }))], it.assignee ? String(it.assignee.id) : '');
    assignSel.dataset.testid = 'assignee-select';
    assignSel.disabled = !canReview;
    assignSel.addEventListener('change', () => assign(it.id, assignSel.value ? Number(assignSel.value) : null));
    panel.append(section(t('review.assignee'), field(t('review.assignee_label'), assignSel)));

    // Proposal to the library
    if (it.state === 'edited' || it.proposal) {
      const prop = it.proposal
        ? h('p', {}, t('review.proposed_state'), ' ',
          h('a', { href: `/library?${S.q.service?.id ? `service=${encodeURIComponent(S.q.service.id)}&` : ''}entry=${encodeURIComponent(it.proposal)}` }, t('review.open_entry', { id: it.proposal })))
        : h('button', { type: 'button', class: 'btn btn-secondary', testid: 'propose', disabled: !canReview, on: { click: (ev) => propose(it.id, ev.currentTarget) } }, t('review.propose'));
      panel.append(section(t('review.library'), it.proposal ? null : h('p', { class: 'qk-hint' }, t('review.propose_hint')), prop));
    }

    // Comments
    const listEl = h('ol', { class: 'rv-comments', testid: 'comment-list' });
    const box = h('textarea', { rows: 3, maxLength: 4000, testid: 'comment-box', attrs: { 'aria-keyshortcuts': 'c' } });
    const send = h('button', { type: 'submit', class: 'btn btn-secondary', testid: 'comment-send' }, t('review.comment_send'));
    const form = h('form', { class: 'rv-comment-form', on: { submit: (ev) => { ev.preventDefault(); addComment(it.id, box, send); } } },
      field(t('review.comment_label'), box, t('review.comment_hint')), send);
    box.addEventListener('keydown', (ev) => {
      if (ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey)) { ev.preventDefault(); form.requestSubmit(); }
      if (ev.key === 'Escape') { ev.preventDefault(); const tr = S.rows.get(S.selected); if (tr) tr.focus(); }
    });
    live.list = listEl;
    live.box = box;
    panel.append(section(t('review.comments'), listEl, form));
    // The thread read before, unless the item's count says someone has written since.
    if (S.comments.has(it.id) && S.comments.get(it.id).length === (it.comments || 0)) renderComments(S.comments.get(it.id));
    else {
      listEl.append(h('li', { class: 'rv-none' }, it.comments ? t('review.loading') : t('review.no_comments')));
      if (it.comments) scheduleComments(it);
    }
  }

  function renderComments(items) {
    const listEl = live.list;
    if (!listEl) return;
    clear(listEl);
    if (!items.length) { listEl.append(h('li', { class: 'rv-none' }, t('review.no_comments'))); return; }
    for (const c of items) {
      listEl.append(h('li', { class: 'rv-comment' },
        h('p', { class: 'rv-comment-meta' }, h('strong', {}, c.author?.name || c.author?.email || ''), ' ',
          h('span', { class: 'qk-hint' }, formatDateTime(c.created_at))),
        h('p', { class: 'rv-pre' }, c.body)));
    }
  }

  function scheduleComments(it) {
    clearTimeout(S.commentTimer);
    if (!it.comments) return;
    // Waits until the selection settles (j held down), then one fetch.
    S.commentTimer = setTimeout(async () => {
      try {
        const r = await api.get(`${base}/items/${it.id}/comments`);
        S.comments.set(it.id, r.items || []);
        if (S.selected === it.id) renderComments(r.items || []);
      } catch (err) {
        if (S.selected === it.id) announce(errorText(err), 'error');
      }
    }, 150);
  }

  // ---------------------------------------------------------------- edit form
  function editForm(it) {
    const cur = isDecided(it) ? it.answer : (it.draft || {});
    const vocab = sheetWords(it);
    const marks = [];
    for (const v of vocab) if (v.mark && !marks.some((m) => m.value === v.mark)) marks.push({ value: v.mark, label: v.word, word: v.word });
    // The sheet's own words only, when it has them (its cells may be a validation list);
    // otherwise the plain marks.
    if (!marks.length) {
      for (const m of ['yes', 'no', 'partial', 'not-applicable']) marks.push({ value: m, label: markLabel(m), word: markLabel(m) });
    }
    marks.push({ value: 'none', label: t('review.mark_blank'), word: '' });
    const curMark = normMark(cur.mark);
    const startMark = marks.some((m) => m.value === curMark) ? curMark : 'none';
    const markSel = select(marks, startMark);
    markSel.dataset.testid = 'edit-mark';
    const text = h('textarea', { rows: 2, testid: 'edit-text' });
    text.value = cur.text ?? '';
    const remarks = h('textarea', { rows: 5, testid: 'edit-remarks' });
    remarks.value = cur.remarks ?? '';
    let lastWord = text.value;
    markSel.addEventListener('change', () => {
      // The answer cell follows the choice while nobody typed their own words in it.
      if (text.value === lastWord || text.value === '') {
        text.value = marks.find((m) => m.value === markSel.value)?.word ?? '';
        lastWord = text.value;
      }
    });
    const save = h('button', { type: 'submit', class: 'btn btn-primary', testid: 'edit-save' }, t('review.edit_save'));
    const cancel = h('button', { type: 'button', class: 'btn btn-secondary', testid: 'edit-cancel', on: { click: cancelEdit } }, t('review.edit_cancel'));
    const form = h('form', { class: 'rv-edit', testid: 'edit-form', attrs: { 'aria-label': t('review.edit_title') } },
      h('h3', { class: 'rv-sec-title' }, t('review.edit_title')),
      field(t('review.edit_mark'), markSel, vocab.length ? t('review.edit_mark_hint', { words: vocab.map((v) => v.word).join(' / ') }) : null),
      field(t('review.edit_text'), text, t('review.edit_text_hint')),
      field(t('review.edit_remarks'), remarks),
      h('div', { class: 'rv-edit-actions' }, save, cancel, h('span', { class: 'qk-hint' }, t('review.edit_keys'))));
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      // Sent exactly as typed: no trimming, line breaks kept.
      review(it.id, 'edit', { mark: markSel.value, text: text.value, remarks: remarks.value });
    });
    form.addEventListener('keydown', (ev) => {
      if (ev.key === 'Escape') { ev.preventDefault(); ev.stopPropagation(); cancelEdit(); }
      if (ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey)) { ev.preventDefault(); form.requestSubmit(); }
    });
    queueMicrotask(() => { markSel.focus(); form.scrollIntoView({ block: 'nearest' }); });
    return form;
  }

  function startEdit() {
    if (!canReview || S.selected == null || S.pending.has(S.selected)) return;
    S.editing = true;
    renderPanel();
  }

  function cancelEdit() {
    S.editing = false;
    renderPanel();
    const tr = S.rows.get(S.selected);
    if (tr) tr.focus();
  }

  // ---------------------------------------------------------------- server calls
  function replaceItem(it) {
    const old = S.byId.get(it.id);
    const idx = S.items.indexOf(old);
    if (idx >= 0) S.items[idx] = it;
    S.byId.set(it.id, it);
    updateRow(it);
    renderCounts();
    if (S.selected === it.id && !S.editing) renderPanel();
  }

  async function reloadItem(id) {
    try {
      replaceItem(await api.get(`${base}/items/${id}`));
    } catch (err) {
      announce(errorText(err), 'error');
    }
  }

  async function refreshQuestionnaire() {
    try { S.q = await api.get(base); renderHead(); } catch { /* keep the header as it is */ }
  }

  async function review(id, action, extra = {}) {
    let it = S.byId.get(id);
    if (!it || !canReview || S.pending.has(id)) return;
    if (extra.alternative !== undefined && it.summary) {
      // The alternatives are not read yet (1/2/3 pressed at once): read them first.
      try { it = await loadDetail(id); } catch (err) { announce(errorText(err), 'error'); return; }
      if (!it || S.pending.has(id)) return;
    }
    if (action === 'accept' && extra.alternative === undefined && !hasDraftAnswer(it.draft)) {
      announce(t('review.cannot_accept', { number: it.number || '' }), 'error');
      return;
    }
    if (extra.alternative !== undefined && !(it.draft?.alternatives || [])[extra.alternative]) return;
    const wasNotStarted = S.q.status === 'not_started';
    S.pending.add(id);
    const editing = action === 'edit';
    if (editing) S.editing = false;
    updateRow(it);
    // A decision moves on to the next shown item while the server answers (optimistic); the
    // row is redrawn from the server's reply, and put back if the server refuses.
    const advance = ['accept', 'reject', 'needs_info'].includes(action) && S.selected === id;
    if (advance) move(1);
    else if (S.selected === id) renderPanel();
    try {
      const { questionnaire_summary: summary, ...reply } = await api.post(`${base}/items/${id}/review`, { action, version: it.version, ...extra });
      S.pending.delete(id);
      // The questionnaire's status and progress come with the reply (the first action moves
      // 未着手 to 作業中); an older server without them is asked once.
      if (summary) {
        S.q = { ...S.q, status: summary.status ?? S.q.status, progress: summary.progress ?? S.q.progress };
        S.serverProgress = summary.progress || null;
        renderHead();
      }
      replaceItem(reply);
      announce(t('review.done', { number: reply.number || '', state: t(`questionnaire.state.${reply.state}`) }), 'success');
      if (editing && S.selected === id) { const tr = S.rows.get(id); if (tr) tr.focus(); }
      if (wasNotStarted && !summary) refreshQuestionnaire();
    } catch (err) {
      S.pending.delete(id);
      if (err.status === 409) {
        announce(t('review.stale', { number: it.number || '' }), 'error');
        await reloadItem(id);
      } else {
        updateRow(it);
        if (S.selected === id) renderPanel();
        announce(`${t('review.failed', { number: it.number || '' })} ${errorText(err)}`, 'error');
      }
    }
  }

  async function assign(id, user) {
    try {
      const reply = await api.put(`${base}/items/${id}/assignee`, { user });
      replaceItem(reply);
      announce(user ? t('review.assigned', { who: reply.assignee?.name || reply.assignee?.email || '' }) : t('review.unassigned'), 'success');
    } catch (err) {
      announce(errorText(err), 'error');
      reloadItem(id);
    }
  }

  async function addComment(id, box, send) {
    const text = box.value;
    if (!text.trim()) { box.focus(); return; }
    send.disabled = true;
    try {
      await api.post(`${base}/items/${id}/comments`, { body: text });
      box.value = '';
      const it = S.byId.get(id);
      const updated = { ...it, comments: (it.comments || 0) + 1 };
      S.items[S.items.indexOf(it)] = updated;
      S.byId.set(id, updated);
      updateRow(updated);
      const r = await api.get(`${base}/items/${id}/comments`);
      S.comments.set(id, r.items || []);
      if (S.selected === id) renderComments(r.items || []);
      announce(t('review.comment_added'), 'success');
    } catch (err) {
      announce(errorText(err), 'error');
    } finally {
      send.disabled = false;
    }
  }

  async function propose(id, button) {
    if (button) button.disabled = true;
    try {
      const r = await api.post(`${base}/items/${id}/propose`, {});
      const entry = typeof r.entry === 'object' && r.entry ? r.entry.id : r.entry;
      announce(t('review.proposed', { id: entry ?? '' }), 'success');
      await reloadItem(id);
    } catch (err) {
      if (button) button.disabled = false;
      announce(errorText(err), 'error');
    }
  }

  async function reloadAll() {
    const r = await api.get(`${base}/items?view=grid`);
    S.details.clear();
    S.serverProgress = null;
    S.items = r.items || [];
    S.byId.clear();
    for (const it of S.items) S.byId.set(it.id, it);
    if (!S.byId.has(S.selected)) S.selected = visibleIds()[0] ?? null;
    buildRows();
    renderCounts();
    renderPanel();
  }

  bulkBtn.addEventListener('click', async () => {
    const { highDrafts } = counts();
    if (!highDrafts) return;
    const ok = await confirmDialog(t, {
      title: t('review.bulk_title'), body: t('review.bulk_body', { n: highDrafts }),
      ok: t('review.bulk_ok', { n: highDrafts }), testid: 'bulk-accept-dialog',
    });
    if (!ok) return;
    bulkBtn.disabled = true;
    try {
      const r = await api.post(`${base}/bulk-accept`, { confidence: 'high' });
      if (r.questionnaire) { S.q = r.questionnaire; renderHead(); }
      await reloadAll();
      announce(t('review.bulk_done', { n: r.accepted ?? 0 }), 'success');
    } catch (err) {
      announce(errorText(err), 'error');
      renderCounts();
    }
  });

  redraftBtn.addEventListener('click', async () => {
    const ok = await confirmDialog(t, {
      title: t('review.redraft_title'), body: t('review.redraft_body'), ok: t('review.redraft'), testid: 'redraft-dialog',
    });
    if (!ok) return;
    redraftBtn.disabled = true;
    announce(t('review.redrafting'));
    try {
      const r = await api.post(`${base}/redraft`, {});
      if (r.questionnaire) { S.q = r.questionnaire; renderHead(); }
      await reloadAll();
      announce(t('review.redraft_done', { n: r.redrafted ?? 0, kept: r.kept ?? 0 }), 'success');
    } catch (err) {
      announce(errorText(err), 'error');
    } finally {
      redraftBtn.disabled = !canEdit;
    }
  });

  statusSel.addEventListener('change', async () => {
    const want = statusSel.value;
    try {
      S.q = await api.patch(base, { status: want });
      renderHead();
      announce(t('review.status_changed', { status: t(`questionnaire.status.${S.q.status}`) }), 'success');
    } catch (err) {
      statusSel.value = S.q.status;
      announce(errorText(err), 'error');
    }
  });

  for (const [sel, key] of [[fConf, 'confidence'], [fState, 'state'], [fAssignee, 'assignee']]) {
    sel.addEventListener('change', () => {
      S.filter[key] = sel.value;
      attachAll();
      applyFilter();
      const cur = S.byId.get(S.selected);
      if (!cur || !matches(cur)) choose(visibleIds()[0] ?? null, { focus: false });
    });
  }
  dlInclude.addEventListener('change', updateDownload);
  dlLink.addEventListener('click', () => announce(t('review.downloading')));

  // ---------------------------------------------------------------- keyboard
  const helpDialog = buildHelp();
  helpBtn.addEventListener('click', () => helpDialog.showModal());

  function buildHelp() {
    const rows = [
      ['j', 'review.key.next'], ['k', 'review.key.prev'], ['a', 'review.key.accept'], ['e', 'review.key.edit'],
      ['r', 'review.key.reject'], ['n', 'review.key.needs_info'], ['1 – 3', 'review.key.alternative'],
      ['c', 'review.key.comment'], ['Esc', 'review.key.escape'], ['Ctrl + Enter', 'review.key.submit'], ['?', 'review.key.help'],
    ];
    const titleId = nextId('help');
    const close = h('button', { type: 'button', class: 'btn btn-secondary', testid: 'shortcut-help-close' }, t('review.close'));
    const dlg = h('dialog', { class: 'qk-dialog', testid: 'shortcut-help-dialog', attrs: { 'aria-labelledby': titleId } },
      h('h2', { id: titleId, class: 'qk-dialog-title' }, t('review.help_title')),
      h('table', { class: 'rv-keys' },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('review.key.col_key')), h('th', { scope: 'col' }, t('review.key.col_action')))),
        h('tbody', {}, rows.map(([k, m]) => h('tr', {}, h('td', {}, h('kbd', {}, k)), h('td', {}, t(m)))))),
      h('p', { class: 'qk-hint' }, t('review.help_note')),
      h('div', { class: 'qk-dialog-actions' }, close));
    close.addEventListener('click', () => dlg.close());
    page.append(dlg);
    return dlg;
  }

  function onKey(ev) {
    if (ev.defaultPrevented || ev.ctrlKey || ev.metaKey || ev.altKey) return;
    if (document.querySelector('dialog[open]')) return;
    if (ev.key === 'Escape' && S.editing) { ev.preventDefault(); cancelEdit(); return; }
    if (isTyping(ev)) return;
    const it = S.byId.get(S.selected);
    const inGrid = !!ev.target.closest?.('.rv-grid');
    switch (ev.key) {
      case 'j': ev.preventDefault(); move(1); break;
      case 'k': ev.preventDefault(); move(-1); break;
      case 'ArrowDown': if (inGrid) { ev.preventDefault(); move(1); } break;
      case 'ArrowUp': if (inGrid) { ev.preventDefault(); move(-1); } break;
      case 'a': if (it) { ev.preventDefault(); review(it.id, 'accept'); } break;
      case 'e': if (it) { ev.preventDefault(); startEdit(); } break;
      case 'r': if (it) { ev.preventDefault(); review(it.id, 'reject'); } break;
      case 'n': if (it) { ev.preventDefault(); review(it.id, 'needs_info'); } break;
      case '1': case '2': case '3':
        if (it) { ev.preventDefault(); review(it.id, 'accept', { alternative: Number(ev.key) - 1 }); } break;
      case 'c':
        if (it && live.box) { ev.preventDefault(); live.box.scrollIntoView({ block: 'nearest' }); live.box.focus(); } break;
      case '?': ev.preventDefault(); helpDialog.showModal(); break;
      default: break;
    }
  }
  document.addEventListener('keydown', onKey);

  // ---------------------------------------------------------------- first paint
  renderHead();
  updateDownload();
  buildRows();
  renderCounts();
  const want = Number(ctx.query.get('item'));
  const first = S.byId.has(want) ? want : (visibleIds()[0] ?? null);
  choose(first, { focus: S.byId.has(want), scroll: true });
  // For the 300-item benchmark: marks review:start, review:data (fetched), review:ready (built).
  performance.mark('review:ready');

  return () => {
    document.removeEventListener('keydown', onKey);
    clearTimeout(S.commentTimer);
    cancelAnimationFrame(chunkTimer);
  };
}
