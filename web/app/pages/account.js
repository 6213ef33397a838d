// /account: who I am, display language, password change, MFA (enrolment with the QR code and
// the secret as text, recovery codes once, turning it off), my organizations, sign-out here and
// everywhere.
import { newPasswordFields, startMfaEnrolment } from '../account_ui.js';
import { api } from '../api.js';
import { announce, button, field, form, h, notice, pageHeading, table } from '../dom.js';
import { errorText } from '../errors.js';
import { lang, t } from '../i18n.js';
import { changeLanguage } from '../layout.js';
import { navigate, reload } from '../router.js';
import { currentUser, refreshSession, signOut, switchOrganization } from '../session.js';

function section(title, testid, ...children) {
  const id = `account-${testid}`;
  return h('section', { class: 'panel', 'aria-labelledby': id, data: { testid } }, h('h2', { id }, title), ...children);
}

function profile(me) {
  // The display name (PATCH /api/v1/me {name}).
  const name = field({ label: t('account.name'), name: 'name', value: me.user.name || '', autocomplete: 'name', testid: 'account-name' });
  const { form: el } = form({
    label: t('account.name'),
    children: [name.row],
    actions: [button(t('account.name_save'), { type: 'submit', testid: 'account-name-save' })],
    fieldFor: () => name,
    onSubmit: async () => {
      await api.patch('/me', { name: name.input.value.trim() });
      await refreshSession();
      await reload();
      announce(t('account.name_saved'), 'success');
    },
  });
  return section(t('account.profile'), 'profile',
    h('dl', { class: 'facts' },
      h('dt', {}, t('account.email')), h('dd', { data: { testid: 'account-email' } }, me.user.email),
      h('dt', {}, t('account.organization')), h('dd', {}, me.organization.name),
      h('dt', {}, t('account.role')), h('dd', {}, t(`roles.${me.role}`))),
    el);
}

function language() {
  const select = field({
    label: t('account.language'), name: 'language', type: 'select', value: lang(), testid: 'language-select',
    options: [{ value: 'ja', label: '日本語' }, { value: 'en', label: 'English' }],
  });
  const { form: el } = form({
    label: t('account.language'),
    children: [select.row],
    actions: [button(t('common.save'), { kind: 'primary', type: 'submit', testid: 'language-save' })],
    onSubmit: async () => {
      if (select.input.value !== lang()) await changeLanguage(select.input.value);
    },
  });
  return section(t('account.language_title'), 'language', h('p', { class: 'muted' }, t('account.language_lead')), el);
}

function password() {
  const current = field({ label: t('auth.current_password'), name: 'current_password', type: 'password', required: true, autocomplete: 'current-password', testid: 'current-password' });
  const fresh = newPasswordFields();
  const { form: el } = form({
    label: t('account.password_title'),
    testid: 'change-password-form',
    children: [current.row, ...fresh.rows],
    actions: [button(t('account.password_submit'), { kind: 'primary', type: 'submit', testid: 'change-password-submit' })],
    fieldFor: (err) => (err.message === 'current password is wrong' ? current : fresh.password),
    onSubmit: async () => {
      if (!fresh.check()) return;
      await api.post('/me/password', { current_password: current.input.value, new_password: fresh.password.input.value });
      el.reset();
      await refreshSession();
      announce(t('account.password_changed'), 'success');
    },
  });
  return section(t('account.password_title'), 'password', h('p', { class: 'muted' }, t('account.password_lead')), el);
}

function mfa(me) {
  const area = h('div', {});
  const s = section(t('account.mfa_title'), 'mfa', area);
  if (!me.user.mfa_enrolled) {
    const start = button(t('account.mfa_start'), {
      kind: 'primary',
      testid: 'mfa-start',
      onClick: async () => {
        start.disabled = true;
        try {
          await startMfaEnrolment(area, {
            continueLabel: t('account.mfa_finish'),
            onDone: async () => {
              await refreshSession();
              await reload();
              announce(t('auth.mfa_enabled'), 'success');
            },
          });
        } catch (err) {
          start.disabled = false;
          area.append(notice('error', h('p', {}, errorText(err))));
        }
      },
    });
    area.append(
      h('p', {}, h('span', { class: 'badge badge-warn', data: { testid: 'mfa-status' } }, t('account.mfa_off')), ' ', t('account.mfa_off_lead')),
      me.mfa_required ? notice('warning', h('p', {}, t('account.mfa_required'))) : null,
      h('div', { class: 'form-actions' }, start));
    return s;
  }
  area.append(h('p', {}, h('span', { class: 'badge badge-ok', data: { testid: 'mfa-status' } }, t('account.mfa_on')), ' ', t('account.mfa_on_lead')));
  if (me.mfa_required) {
    area.append(h('p', { class: 'muted' }, t('account.mfa_required_cannot_disable')));
    return s;
  }
  const pw = field({ label: t('account.mfa_disable_password'), name: 'password', type: 'password', required: true, autocomplete: 'current-password', testid: 'mfa-disable-password' });
  const { form: el } = form({
    label: t('account.mfa_disable'),
    testid: 'mfa-disable-form',
    children: [pw.row],
    actions: [button(t('account.mfa_disable'), { kind: 'danger', type: 'submit', testid: 'mfa-disable' })],
    fieldFor: () => pw,
    onSubmit: async () => {
      await api.post('/me/mfa/disable', { password: pw.input.value });
      await refreshSession();
      await reload();
      announce(t('account.mfa_disabled'), 'success');
    },
  });
  area.append(h('h3', {}, t('account.mfa_disable')), h('p', { class: 'muted' }, t('account.mfa_disable_lead')), el);
  return s;
}

function organizations(me) {
  const orgs = Array.isArray(me.organizations) ? me.organizations : [];
  const list = table({
    caption: t('account.organizations_title'),
    columns: [
      { label: t('account.organization'), cell: (o) => o.name },
      { label: t('account.role'), cell: (o) => t(`roles.${o.role}`) },
      {
        label: t('account.actions'),
        cell: (o) => (o.id === me.organization.id
          ? h('span', { class: 'badge badge-ok' }, t('account.current'))
          : button(t('account.switch'), {
            kind: 'secondary',
            attrs: { class: 'btn btn-secondary btn-small', 'aria-label': t('account.switch_to', { name: o.name }) },
            onClick: async (event) => {
              event.currentTarget.disabled = true;
              try {
                await switchOrganization(o.id);
                await navigate('/');
                announce(t('layout.switched', { name: currentUser().organization.name }), 'success');
              } catch (err) {
                announce(errorText(err), 'error');
                event.target.disabled = false;
              }
            },
          })),
      },
    ],
    rows: orgs,
  });
  const nameField = field({ label: t('account.new_org_name'), name: 'name', required: true, autocomplete: 'organization', testid: 'new-organization' });
  const { form: el } = form({
    label: t('account.new_org'),
    children: [nameField.row],
    actions: [button(t('account.new_org_submit'), { type: 'submit', testid: 'new-organization-submit' })],
    fieldFor: () => nameField,
    onSubmit: async () => {
      const org = await api.post('/organizations', { name: nameField.input.value.trim() });
      await refreshSession();
      await reload();
      announce(t('account.new_org_done', { name: org.name }), 'success');
    },
  });
  return section(t('account.organizations_title'), 'organizations', list, h('h3', {}, t('account.new_org')), el);
}

function sessions() {
  const out = button(t('account.sign_out'), {
    testid: 'account-sign-out',
    onClick: async () => {
      out.disabled = true;
      await signOut().catch(() => {});
      await navigate('/sign-in');
      announce(t('layout.signed_out'), 'success');
    },
  });
  const everywhere = button(t('account.sign_out_everywhere'), {
    kind: 'danger',
    testid: 'sign-out-everywhere',
    onClick: async () => {
      everywhere.disabled = true;
      try {
        await signOut({ everywhere: true });
        await navigate('/sign-in');
        announce(t('account.signed_out_everywhere'), 'success');
      } catch (err) {
        everywhere.disabled = false;
        announce(errorText(err), 'error');
      }
    },
  });
  return section(t('account.sessions_title'), 'sessions', h('p', { class: 'muted' }, t('account.sessions_lead')),
    h('div', { class: 'actions' }, out, everywhere));
}

export async function render(root) {
  const me = await refreshSession();
  if (!me) return;
  root.append(
    pageHeading(t('account.title')),
    h('div', { class: 'grid-2' },
      h('div', {}, profile(me), mfa(me), organizations(me)),
      h('div', {}, password(), language(), sessions())));
}
