// /sign-in: e-mail and password, then whatever the session still needs — the MFA code (or a
// recovery code), MFA enrolment when the organization requires it, a password change — and
// back to the page the user came from.
import { newPasswordFields, startMfaEnrolment } from '../account_ui.js';
import { api } from '../api.js';
import { button, field, form, h, notice, pageHeading } from '../dom.js';
import { errorText } from '../errors.js';
import { t } from '../i18n.js';
import { navigate } from '../router.js';
import { adoptUserLanguage, refreshSession, sessionState, signOut } from '../session.js';

// Only paths of this site: "/x", never "//host" or "https://...".
function safeNext(value) {
  return value && value.startsWith('/') && !value.startsWith('//') && !value.startsWith('/\\') ? value : '/';
}

function card(...children) {
  return h('div', { class: 'auth-card' }, h('div', { class: 'panel' }, ...children));
}

export async function render(root, ctx) {
  const next = safeNext(ctx.query.get('next'));
  const body = h('div', {});
  root.append(body);

  const show = (...children) => {
    body.replaceChildren(card(...children));
  };

  const cancel = () => button(t('sign_in.cancel'), {
    kind: 'link',
    onClick: async () => {
      try {
        await signOut();
      } catch {
        // Signed out here either way.
      }
      step();
    },
  });

  // After every step: the next thing the session needs, or the page the user wanted.
  const step = async () => {
    const state = sessionState();
    if (state === 'ready') {
      await adoptUserLanguage();
      await navigate(next, { replace: true });
      return;
    }
    if (state === 'mfa') return mfaStep();
    if (state === 'enrol') return enrolStep();
    if (state === 'password') return passwordStep();
    return passwordSignIn();
  };

  const passwordSignIn = () => {
    const email = field({ label: t('sign_in.email'), name: 'email', type: 'email', required: true, autocomplete: 'username', testid: 'email' });
    const password = field({ label: t('sign_in.password'), name: 'password', type: 'password', required: true, autocomplete: 'current-password', testid: 'password' });
    const { form: el } = form({
      label: t('sign_in.title'),
      testid: 'sign-in-form',
      children: [email.row, password.row],
      actions: [button(t('sign_in.submit'), { kind: 'primary', type: 'submit', testid: 'sign-in-submit' })],
      onSubmit: async () => {
        await api.post('/sign-in', { email: email.input.value.trim(), password: password.input.value });
        await refreshSession();
        await step();
      },
    });
    show(pageHeading(t('sign_in.title')), h('p', { class: 'lead' }, t('sign_in.lead')), el,
      h('p', { class: 'muted small' }, t('sign_in.forgot')));
    email.input.focus();
  };

  const mfaStep = () => {
    let recovery = false;
    const code = field({
      label: t('sign_in.mfa_code'), name: 'code', required: true, autocomplete: 'one-time-code', testid: 'mfa-code',
      hint: t('sign_in.mfa_code_hint'), attrs: { inputmode: 'numeric', maxlength: '8' },
    });
    const rcode = field({
      label: t('sign_in.recovery_code'), name: 'recovery_code', autocomplete: 'off', testid: 'recovery-code',
      hint: t('sign_in.recovery_code_hint'),
    });
    rcode.row.hidden = true;
    const toggle = button(t('sign_in.use_recovery'), {
      kind: 'link',
      testid: 'use-recovery-code',
      onClick: () => {
        recovery = !recovery;
        code.row.hidden = recovery;
        code.input.required = !recovery;
        rcode.row.hidden = !recovery;
        rcode.input.required = recovery;
        toggle.textContent = t(recovery ? 'sign_in.use_code' : 'sign_in.use_recovery');
        (recovery ? rcode : code).input.focus();
      },
    });
    const { form: el } = form({
      label: t('sign_in.mfa_title'),
      testid: 'mfa-form',
      children: [code.row, rcode.row],
      actions: [button(t('sign_in.verify'), { kind: 'primary', type: 'submit', testid: 'mfa-submit' }), toggle],
      fieldFor: () => (recovery ? rcode : code),
      onSubmit: async () => {
        await api.post('/sign-in/mfa', recovery ? { recovery_code: rcode.input.value.trim() } : { code: code.input.value.trim() });
        await refreshSession();
        await step();
      },
    });
    show(pageHeading(t('sign_in.mfa_title')), h('p', { class: 'lead' }, t('sign_in.mfa_lead')), el,
      h('p', {}, cancel()));
    code.input.focus();
  };

  const enrolStep = async () => {
    const area = h('div', {});
    show(pageHeading(t('sign_in.enrol_title')), notice('info', h('p', {}, t('sign_in.enrol_lead'))), area, h('p', {}, cancel()));
    try {
      await startMfaEnrolment(area, {
        onDone: async () => {
          await refreshSession();
          await step();
        },
      });
    } catch (err) {
      area.append(notice('error', h('p', {}, errorText(err))));
    }
  };

  const passwordStep = () => {
    const current = field({ label: t('auth.current_password'), name: 'current_password', type: 'password', required: true, autocomplete: 'current-password', testid: 'current-password' });
    const fresh = newPasswordFields();
    const { form: el } = form({
      label: t('sign_in.change_title'),
      testid: 'change-password-form',
      children: [current.row, ...fresh.rows],
      actions: [button(t('sign_in.change_submit'), { kind: 'primary', type: 'submit', testid: 'change-password-submit' })],
      fieldFor: (err) => (err.message === 'current password is wrong' ? current : fresh.password),
      onSubmit: async () => {
        if (!fresh.check()) return;
        await api.post('/me/password', { current_password: current.input.value, new_password: fresh.password.input.value });
        await refreshSession();
        await step();
      },
    });
    show(pageHeading(t('sign_in.change_title')), notice('warning', h('p', {}, t('sign_in.change_lead'))), el, h('p', {}, cancel()));
    current.input.focus();
  };

  await step();
}
