// Pieces shared by the sign-in steps and the account page: new-password fields with the policy
// hint, TOTP enrolment (QR code and the secret as text), and the recovery codes shown once.
import { api } from './api.js';
import { button, copyButton, download, field, form, h, notice } from './dom.js';
import { t } from './i18n.js';

// The new password and its confirmation; check() returns false (and marks the field) when
// they differ.
export function newPasswordFields({ label, againLabel } = {}) {
  const pw = field({
    label: label || t('auth.new_password'), name: 'new_password', type: 'password', required: true,
    autocomplete: 'new-password', hint: t('auth.password_hint'), testid: 'new-password',
  });
  const again = field({
    label: againLabel || t('auth.new_password_again'), name: 'new_password_again', type: 'password', required: true,
    autocomplete: 'new-password', testid: 'new-password-again',
  });
  const check = () => {
    if (pw.input.value !== again.input.value) {
      again.setError(t('auth.passwords_differ'));
      again.input.focus();
      return false;
    }
    return true;
  };
  return { rows: [pw.row, again.row], password: pw, again, check };
}

function svgDataUrl(svg) {
  const bytes = new TextEncoder().encode(svg);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return `data:image/svg+xml;base64,${btoa(binary)}`;
}

// The recovery codes, shown once, with copy and download.
export function recoveryCodesView(codes) {
  const text = `${codes.join('\n')}\n`;
  return h('div', { class: 'recovery' },
    notice('warning', h('p', {}, t('auth.recovery_once'))),
    h('ul', { class: 'code-list', data: { testid: 'recovery-codes' }, 'aria-label': t('auth.recovery_codes') },
      codes.map((c) => h('li', {}, c))),
    h('div', { class: 'actions' },
      copyButton(text),
      button(t('auth.recovery_download'), { onClick: () => download('trustsheet-recovery-codes.txt', text) })));
}

// TOTP enrolment in `container`: starts it (POST /me/mfa/enrol), shows the QR code and the
// secret, confirms a code (POST /me/mfa/confirm), then shows the recovery codes and calls
// onDone() when the user continues.
export async function startMfaEnrolment(container, { onDone, continueLabel }) {
  const enrolment = await api.post('/me/mfa/enrol', {});
  const code = field({
    label: t('auth.code'), name: 'code', required: true, autocomplete: 'one-time-code', testid: 'mfa-code',
    attrs: { inputmode: 'numeric', pattern: '[0-9]*', maxlength: '8', class: 'code-input' },
  });
  const submit = button(t('auth.mfa_confirm'), { kind: 'primary', type: 'submit', testid: 'mfa-confirm' });
  const { form: confirmForm } = form({
    label: t('auth.mfa_confirm'),
    children: [code.row],
    actions: [submit],
    fieldFor: () => code,
    onSubmit: async () => {
      const reply = await api.post('/me/mfa/confirm', { code: code.input.value.trim() });
      const next = button(continueLabel || t('auth.continue'), { kind: 'primary', onClick: () => onDone() });
      container.replaceChildren(
        notice('success', h('p', {}, t('auth.mfa_enabled'))),
        recoveryCodesView(reply.recovery_codes || []),
        h('div', { class: 'form-actions' }, next));
      next.focus();
    },
  });
  container.replaceChildren(
    h('ol', { class: 'steps' },
      h('li', {}, t('auth.mfa_step_app')),
      h('li', {}, t('auth.mfa_step_scan'),
        h('img', { class: 'qr', src: svgDataUrl(enrolment.qr_svg), alt: t('auth.qr_alt'), width: '192', height: '192' }),
        h('p', {}, t('auth.mfa_manual')),
        h('p', {}, h('code', { class: 'secret', data: { testid: 'mfa-secret' } }, enrolment.secret))),
      h('li', {}, t('auth.mfa_step_code'), confirmForm)));
  code.input.focus();
}
