// /admin, /admin/settings, /admin/api-tokens, /admin/audit: the organization's members and
// invitations, security settings, API tokens and audit log. Shown to roles that may (owners and
// admins: `permissions` in /me); everyone else gets a clear message.
import { api } from '../api.js';
import { announce, busy, button, checkbox, copyButton, download, field, form, h, notice, pageHeading, table } from '../dom.js';
import { errorText } from '../errors.js';
import { formatDateTime, t } from '../i18n.js';
import { canAdminister } from '../layout.js';
import { can, currentUser } from '../session.js';

const ROLES = ['owner', 'admin', 'editor', 'reviewer', 'viewer'];

const SECTIONS = [
  { path: '/admin', key: 'users', permission: 'manage-users', render: renderUsers },
  { path: '/admin/settings', key: 'settings', permission: 'manage-settings', render: renderSettings },
  { path: '/admin/api-tokens', key: 'tokens', permission: 'manage-settings', render: renderTokens },
  { path: '/admin/audit', key: 'audit', permission: 'view-audit', render: renderAudit },
];

function subnav(current) {
  return h('nav', { class: 'subnav', 'aria-label': t('admin.sections') },
    h('ul', {}, SECTIONS.filter((s) => can(s.permission)).map((s) =>
      h('li', {}, h('a', { href: s.path, 'aria-current': s === current ? 'page' : null }, t(`admin.section_${s.key}`))))));
}

function roleOptions() {
  const mine = currentUser().role;
  // Only owners grant ownership; the server says so too.
  return ROLES.filter((r) => r !== 'owner' || mine === 'owner').map((r) => ({ value: r, label: t(`roles.${r}`) }));
}

// A place above a table for results that must be seen (a link to pass on), announced.
function resultArea() {
  return h('div', { class: 'result-area', 'aria-live': 'polite' });
}

function shownLink(kind, reply) {
  return notice('success',
    h('p', {}, t(`admin.${kind}_link_shown`, { expires: formatDateTime(reply.expires_at) })),
    h('p', {}, h('code', { class: 'secret', data: { testid: `${kind}-link` } }, reply.link)),
    h('div', { class: 'actions' }, copyButton(reply.link)));
}

// ---------------------------------------------------------------- users and invitations

async function renderUsers(root, ctx) {
  const results = resultArea();
  const listArea = h('div', {});
  const email = field({ label: t('admin.invite_email'), name: 'email', type: 'email', required: true, testid: 'invite-email' });
  const role = field({ label: t('admin.invite_role'), name: 'role', type: 'select', value: 'editor', options: roleOptions(), testid: 'invite-role' });
  const { form: inviteForm } = form({
    label: t('admin.invite_title'),
    testid: 'invite-form',
    children: [h('div', { class: 'inline-form' }, email.row, role.row)],
    actions: [button(t('admin.invite_submit'), { kind: 'primary', type: 'submit', testid: 'invite-submit' })],
    fieldFor: (err) => (err.message.startsWith('email') ? email : null),
    onSubmit: async () => {
      const reply = await api.post('/invitations', { email: email.input.value.trim(), role: role.input.value });
      email.input.value = '';
      if (reply.delivery === 'shown') {
        results.replaceChildren(shownLink('invitation', reply));
      } else {
        results.replaceChildren(notice('success', h('p', {}, t('admin.invitation_mailed', { email: reply.email }))));
      }
    },
  });

  const load = async () => {
    const data = await api.get('/users', { signal: ctx.signal });
    if (!ctx.isCurrent()) return;
    listArea.replaceChildren(usersTable(data.items || [], results, load));
  };

  root.append(
    h('section', { class: 'panel', 'aria-labelledby': 'admin-invite' },
      h('h2', { id: 'admin-invite' }, t('admin.invite_title')), h('p', { class: 'muted' }, t('admin.invite_lead')), inviteForm),
    results,
    h('section', { 'aria-labelledby': 'admin-users' }, h('h2', { id: 'admin-users' }, t('admin.users_title')), listArea));
  await load();
}

function usersTable(users, results, reload) {
  const me = currentUser();
  const act = (label, opts, fn) => button(label, {
    kind: opts.kind || 'secondary',
    testid: opts.testid,
    attrs: { class: `btn btn-${opts.kind || 'secondary'} btn-small`, 'aria-label': opts.aria },
    onClick: async (event) => {
      const btn = event.currentTarget;
      if (opts.confirm && !window.confirm(opts.confirm)) return;
      try {
        await busy(btn, fn);
      } catch (err) {
        announce(errorText(err), 'error');
        results.replaceChildren(notice('error', h('p', {}, errorText(err))));
      }
    },
  });
  return table({
    caption: t('admin.users_title'),
    testid: 'users-table',
    empty: t('admin.users_empty'),
    rows: users,
    columns: [
      { label: t('admin.col_name'), cell: (u) => h('span', {}, u.name || t('account.no_name'), u.id === me.user.id ? h('span', { class: 'muted' }, ` ${t('admin.you')}`) : null) },
      { label: t('admin.col_email'), cell: (u) => u.email },
      {
        label: t('admin.col_role'),
        class: 'nowrap',
        cell: (u) => {
          if (u.id === me.user.id) return t(`roles.${u.role}`);
          const id = `role-${u.id}`;
          const select = h('select', { id, class: 'role-select', data: { testid: `role-${u.email}` } },
            ROLES.map((r) => h('option', { value: r, selected: r === u.role, disabled: r === 'owner' && me.role !== 'owner' && u.role !== 'owner' }, t(`roles.${r}`))));
          return h('div', { class: 'inline-form' },
            h('label', { for: id, class: 'visually-hidden' }, t('admin.role_of', { name: u.name || u.email })),
            select,
            act(t('admin.role_change'), { aria: t('admin.role_change_of', { name: u.name || u.email }) }, async () => {
              await api.put(`/users/${u.id}/role`, { role: select.value });
              announce(t('admin.role_changed', { name: u.name || u.email, role: t(`roles.${select.value}`) }), 'success');
              await reload();
            }));
        },
      },
      {
        label: t('admin.col_status'),
        class: 'nowrap',
        cell: (u) => h('span', { class: 'actions' },
          u.disabled ? h('span', { class: 'badge badge-bad' }, t('admin.disabled')) : h('span', { class: 'badge badge-ok' }, t('admin.active')),
          u.mfa_enrolled ? h('span', { class: 'badge' }, t('admin.mfa_on')) : h('span', { class: 'badge badge-warn' }, t('admin.mfa_off'))),
      },
      { label: t('admin.col_created'), class: 'nowrap', cell: (u) => formatDateTime(u.created_at) },
      {
        label: t('admin.col_actions'),
        cell: (u) => {
          const who = u.name || u.email;
          if (u.id === me.user.id) return h('span', { class: 'muted' }, t('admin.self_hint'));
          return h('div', { class: 'actions' },
            u.disabled
              ? act(t('admin.enable'), { aria: t('admin.enable_of', { name: who }) }, async () => {
                await api.post(`/users/${u.id}/enable`, {});
                announce(t('admin.enabled', { name: who }), 'success');
                await reload();
              })
              : act(t('admin.disable'), { aria: t('admin.disable_of', { name: who }), confirm: t('admin.disable_confirm', { name: who }) }, async () => {
                await api.post(`/users/${u.id}/disable`, {});
                announce(t('admin.disabled_done', { name: who }), 'success');
                await reload();
              }),
            act(t('admin.reset_password'), { aria: t('admin.reset_password_of', { name: who }), confirm: t('admin.reset_password_confirm', { name: who }) }, async () => {
              const reply = await api.post(`/users/${u.id}/reset-password`, {});
              results.replaceChildren(reply.delivery === 'shown'
                ? shownLink('reset', reply)
                : notice('success', h('p', {}, t('admin.reset_mailed', { name: who }))));
              results.scrollIntoView({ block: 'nearest' });
            }),
            u.mfa_enrolled
              ? act(t('admin.reset_mfa'), { aria: t('admin.reset_mfa_of', { name: who }), confirm: t('admin.reset_mfa_confirm', { name: who }) }, async () => {
                await api.post(`/users/${u.id}/reset-mfa`, {});
                announce(t('admin.mfa_reset_done', { name: who }), 'success');
                await reload();
              })
              : null,
            act(t('admin.delete'), { kind: 'danger', aria: t('admin.delete_of', { name: who }), confirm: t('admin.delete_confirm', { name: who }) }, async () => {
              await api.delete(`/users/${u.id}`);
              announce(t('admin.deleted', { name: who }), 'success');
              await reload();
            }));
        },
      },
    ],
  });
}

// ---------------------------------------------------------------- settings

async function renderSettings(root, ctx) {
  const s = await api.get('/settings', { signal: ctx.signal });
  if (!ctx.isCurrent()) return;
  const num = (name, value, min, max) => field({
    label: t(`admin.setting_${name.replace('.', '_')}`), name, type: 'number', value: String(value), required: true,
    hint: t(`admin.setting_${name.replace('.', '_')}_hint`, { min, max }), attrs: { min: String(min), max: String(max), step: '1' },
    testid: `setting-${name}`,
  });
  const fields = {
    'password.min_length': num('password.min_length', s.password.min_length, 8, 128),
    'password.min_classes': num('password.min_classes', s.password.min_classes, 1, 4),
    'password.history': num('password.history', s.password.history, 0, 24),
    'password.max_age_days': num('password.max_age_days', s.password.max_age_days, 0, 3650),
    'password.min_age_days': num('password.min_age_days', s.password.min_age_days, 0, 365),
    'session.idle_minutes': num('session.idle_minutes', s.session.idle_minutes, 1, 1440),
    'session.absolute_hours': num('session.absolute_hours', s.session.absolute_hours, 1, 168),
  };
  const mfa = checkbox({ label: t('admin.setting_mfa_required'), name: 'mfa_required', checked: !!s.mfa_required, testid: 'setting-mfa_required' });
  const list = (name, value) => field({
    label: t(`admin.setting_${name}`), name, type: 'textarea', value: (value || []).join('\n'),
    hint: t(`admin.setting_${name}_hint`), testid: `setting-${name}`, attrs: { rows: '4', spellcheck: 'false' },
  });
  fields.ip_allow = list('ip_allow', s.ip_allow);
  fields.admin_ip_allow = list('admin_ip_allow', s.admin_ip_allow);
  const lines = (input) => input.value.split(/[\n,]+/).map((x) => x.trim()).filter(Boolean);
  const { form: el } = form({
    label: t('admin.section_settings'),
    testid: 'settings-form',
    children: [
      h('fieldset', {}, h('legend', {}, t('admin.settings_password')),
        fields['password.min_length'].row, fields['password.min_classes'].row, fields['password.history'].row,
        fields['password.max_age_days'].row, fields['password.min_age_days'].row),
      h('fieldset', {}, h('legend', {}, t('admin.settings_session')),
        fields['session.idle_minutes'].row, fields['session.absolute_hours'].row),
      h('fieldset', {}, h('legend', {}, t('admin.settings_mfa')), mfa.row, h('p', { class: 'hint' }, t('admin.setting_mfa_required_hint'))),
      h('fieldset', {}, h('legend', {}, t('admin.settings_ip')), h('p', { class: 'hint' }, t('admin.settings_ip_lead')),
        fields.ip_allow.row, fields.admin_ip_allow.row),
    ],
    actions: [button(t('common.save'), { kind: 'primary', type: 'submit', testid: 'settings-save' })],
    fieldFor: (err) => {
      const m = /^settings: ([a-z_.]+)/.exec(err.message);
      return m && fields[m[1]] ? fields[m[1]] : null;
    },
    onSubmit: async () => {
      const n = (k) => Number(fields[k].input.value);
      await api.patch('/settings', {
        password: {
          min_length: n('password.min_length'), min_classes: n('password.min_classes'), history: n('password.history'),
          max_age_days: n('password.max_age_days'), min_age_days: n('password.min_age_days'),
        },
        session: { idle_minutes: n('session.idle_minutes'), absolute_hours: n('session.absolute_hours') },
        mfa_required: mfa.input.checked,
        ip_allow: lines(fields.ip_allow.input),
        admin_ip_allow: lines(fields.admin_ip_allow.input),
      }, { headers: { 'Content-Type': 'application/merge-patch+json' } });
      announce(t('admin.settings_saved'), 'success');
    },
  });
  root.append(h('section', { class: 'panel medium', 'aria-labelledby': 'admin-settings' },
    h('h2', { id: 'admin-settings' }, t('admin.section_settings')), h('p', { class: 'muted' }, t('admin.settings_lead')), el));
}

// ---------------------------------------------------------------- API tokens

async function renderTokens(root, ctx) {
  const results = resultArea();
  const listArea = h('div', {});
  const load = async () => {
    const data = await api.get('/api-tokens', { signal: ctx.signal });
    if (!ctx.isCurrent()) return;
    const now = Date.now();
    listArea.replaceChildren(table({
      caption: t('admin.tokens_title'),
      testid: 'tokens-table',
      empty: t('admin.tokens_empty'),
      rows: data.items || [],
      columns: [
        { label: t('admin.col_token_name'), cell: (x) => x.name },
        { label: t('admin.col_scopes'), cell: (x) => (x.scopes || []).map((s) => t(`admin.scope_${s}`)).join('・') },
        { label: t('admin.col_created'), class: 'nowrap', cell: (x) => formatDateTime(x.created_at) },
        { label: t('admin.col_expires'), class: 'nowrap', cell: (x) => formatDateTime(x.expires_at) },
        {
          label: t('admin.col_status'),
          cell: (x) => (x.revoked
            ? h('span', { class: 'badge badge-bad' }, t('admin.token_revoked'))
            : new Date(x.expires_at).getTime() <= now
              ? h('span', { class: 'badge badge-warn' }, t('admin.token_expired'))
              : h('span', { class: 'badge badge-ok' }, t('admin.token_active'))),
        },
        {
          label: t('admin.col_actions'),
          cell: (x) => (x.revoked ? '' : button(t('admin.token_revoke'), {
            kind: 'danger',
            attrs: { class: 'btn btn-danger btn-small', 'aria-label': t('admin.token_revoke_of', { name: x.name }) },
            onClick: async (event) => {
              if (!window.confirm(t('admin.token_revoke_confirm', { name: x.name }))) return;
              try {
                await busy(event.currentTarget, () => api.delete(`/api-tokens/${x.id}`));
                announce(t('admin.token_revoked_done', { name: x.name }), 'success');
                await load();
              } catch (err) {
                announce(errorText(err), 'error');
              }
            },
          })),
        },
      ],
    }));
  };
  const name = field({ label: t('admin.token_name'), name: 'name', required: true, hint: t('admin.token_name_hint'), testid: 'token-name' });
  const read = checkbox({ label: t('admin.scope_read'), name: 'scope_read', checked: true, testid: 'token-scope-read' });
  const write = checkbox({ label: t('admin.scope_write'), name: 'scope_write', testid: 'token-scope-write' });
  const days = field({ label: t('admin.token_days'), name: 'expires_in_days', type: 'number', value: '90', required: true, hint: t('admin.token_days_hint'), attrs: { min: '1', max: '365' }, testid: 'token-days' });
  const { form: el } = form({
    label: t('admin.token_create'),
    testid: 'token-form',
    children: [name.row, h('fieldset', {}, h('legend', {}, t('admin.col_scopes')), read.row, write.row), days.row],
    actions: [button(t('admin.token_create'), { kind: 'primary', type: 'submit', testid: 'token-create' })],
    onSubmit: async () => {
      const scopes = [read.input.checked ? 'read' : null, write.input.checked ? 'write' : null].filter(Boolean);
      const reply = await api.post('/api-tokens', { name: name.input.value.trim(), scopes, expires_in_days: Number(days.input.value) });
      name.input.value = '';
      results.replaceChildren(notice('success',
        h('p', {}, t('admin.token_shown_once', { name: reply.name })),
        h('p', {}, h('code', { class: 'secret', data: { testid: 'api-token-secret' } }, reply.token)),
        h('div', { class: 'actions' }, copyButton(reply.token))));
      await load();
    },
  });
  root.append(
    h('section', { class: 'panel medium', 'aria-labelledby': 'admin-token-new' },
      h('h2', { id: 'admin-token-new' }, t('admin.token_create')), h('p', { class: 'muted' }, t('admin.tokens_lead')), el),
    results,
    h('section', { 'aria-labelledby': 'admin-tokens' }, h('h2', { id: 'admin-tokens' }, t('admin.tokens_title')), listArea));
  await load();
}

// ---------------------------------------------------------------- audit log

// "2026-12-01" in the user's time zone -> UTC ISO time of that local midnight (+days).
function localDayStart(date, plusDays = 0) {
  if (!date) return '';
  const d = new Date(`${date}T00:00:00`);
  d.setDate(d.getDate() + plusDays);
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function isoDay(d) {
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

async function renderAudit(root, ctx) {
  let members = [];
  if (can('manage-users')) {
    members = ((await api.get('/users', { signal: ctx.signal }).catch(() => ({ items: [] }))).items) || [];
  }
  if (!ctx.isCurrent()) return;
  const names = new Map(members.map((m) => [`user:${m.id}`, m.name || m.email]));
  const actorLabel = (a) => (names.has(a) ? `${names.get(a)} (${a})` : a);
  const weekAgo = new Date();
  weekAgo.setDate(weekAgo.getDate() - 7);
  const action = field({ label: t('admin.audit_action'), name: 'action', hint: t('admin.audit_action_hint'), testid: 'audit-action' });
  const actor = members.length
    ? field({ label: t('admin.audit_actor'), name: 'actor', type: 'select', value: '', testid: 'audit-actor',
      options: [{ value: '', label: t('admin.audit_anyone') }, ...members.map((m) => ({ value: `user:${m.id}`, label: m.name || m.email }))] })
    : field({ label: t('admin.audit_actor'), name: 'actor', hint: t('admin.audit_actor_hint'), testid: 'audit-actor' });
  const since = field({ label: t('admin.audit_since'), name: 'since', type: 'date', value: isoDay(weekAgo), testid: 'audit-since' });
  const until = field({ label: t('admin.audit_until'), name: 'until', type: 'date', testid: 'audit-until' });
  const query = () => ({
    action: action.input.value.trim(), actor: actor.input.value.trim(),
    since: localDayStart(since.input.value), until: localDayStart(until.input.value, 1),
  });
  const listArea = h('div', { 'aria-live': 'polite' });
  const more = button(t('admin.audit_more'), { testid: 'audit-more' });
  more.hidden = true;
  let rows = [];
  let nextAfter = null;
  let current = {};
  const draw = () => {
    listArea.replaceChildren(
      h('p', { class: 'muted' }, t('admin.audit_count', { count: rows.length })),
      table({
        caption: t('admin.section_audit'),
        testid: 'audit-table',
        empty: t('admin.audit_empty'),
        rows,
        columns: [
          { label: t('admin.audit_col_time'), class: 'nowrap', cell: (r) => formatDateTime(r.time) },
          { label: t('admin.audit_col_actor'), cell: (r) => actorLabel(r.actor) },
          { label: t('admin.audit_col_source'), cell: (r) => r.source },
          { label: t('admin.audit_col_action'), cell: (r) => h('code', {}, r.action) },
          { label: t('admin.audit_col_target'), cell: (r) => r.target },
          { label: t('admin.audit_col_result'), cell: (r) => r.result },
        ],
      }));
    more.hidden = nextAfter === null;
  };
  const fetchPage = async (after) => {
    const data = await api.get('/audit', { query: { ...current, after, limit: 200 }, signal: ctx.signal });
    rows = rows.concat(data.items || []);
    nextAfter = data.next_after ?? null;
    draw();
  };
  more.addEventListener('click', async () => {
    try {
      await busy(more, () => fetchPage(nextAfter));
    } catch (err) {
      announce(errorText(err), 'error');
    }
  });
  const { form: filters } = form({
    label: t('admin.audit_filters'),
    testid: 'audit-filters',
    children: [h('div', { class: 'filters' }, action.row, actor.row, since.row, until.row)],
    actions: [button(t('admin.audit_search'), { kind: 'primary', type: 'submit', testid: 'audit-search' })],
    onSubmit: async () => {
      current = query();
      rows = [];
      nextAfter = null;
      await fetchPage(0);
    },
  });
  const exportCsv = button(t('admin.audit_export_csv'), {
    testid: 'audit-export-csv',
    onClick: async () => {
      try {
        await busy(exportCsv, async () => {
          const res = await api.get('/audit', { query: { ...query(), format: 'csv', limit: 100000 }, raw: true, headers: { Accept: 'text/csv' } });
          download('audit.csv', await res.blob());
        });
      } catch (err) {
        announce(errorText(err), 'error');
      }
    },
  });
  const exportJson = button(t('admin.audit_export_json'), {
    testid: 'audit-export-json',
    onClick: async () => {
      try {
        await busy(exportJson, async () => {
          const q = query();
          const all = [];
          let after = 0;
          for (let page = 0; page < 200; page += 1) {
            const data = await api.get('/audit', { query: { ...q, after, limit: 500 } });
            all.push(...(data.items || []));
            if (data.next_after === undefined || data.next_after === null) break;
            after = data.next_after;
          }
          download('audit.json', `${JSON.stringify(all, null, 2)}\n`, 'application/json');
        });
      } catch (err) {
        announce(errorText(err), 'error');
      }
    },
  });
  root.append(
    h('section', { class: 'panel', 'aria-labelledby': 'admin-audit' },
      h('h2', { id: 'admin-audit' }, t('admin.audit_filters')), h('p', { class: 'muted' }, t('admin.audit_lead')), filters,
      h('div', { class: 'actions' }, exportCsv, exportJson)),
    listArea, h('div', { class: 'form-actions' }, more));
  current = query();
  await fetchPage(0);
}

export async function render(root, ctx) {
  root.append(pageHeading(t('admin.title')));
  if (!canAdminister()) {
    root.append(notice('warning', h('p', { data: { testid: 'admin-forbidden' } }, t('admin.forbidden'))));
    return;
  }
  const section = SECTIONS.find((s) => s.path === location.pathname) || SECTIONS[0];
  root.append(subnav(section));
  ctx.setTitle(`${t(`admin.section_${section.key}`)} — ${t('admin.title')}`);
  if (!can(section.permission)) {
    root.append(notice('warning', h('p', {}, t('admin.forbidden_section'))));
    return;
  }
  await section.render(root, ctx);
}
