// /password-reset#token=…: a new password from a reset link an administrator issued.
import { newPasswordFields } from '../account_ui.js';
import { api } from '../api.js';
import { button, form, h, notice, pageHeading } from '../dom.js';
import { t } from '../i18n.js';
import { navigate, setFlash } from '../router.js';
import { takeToken } from './setup.js';

export async function render(root, ctx) {
  const token = takeToken(ctx);
  const panel = h('div', { class: 'panel' });
  root.append(h('div', { class: 'auth-card' }, panel));
  panel.append(pageHeading(t('password_reset.title')));
  if (!token) {
    panel.append(notice('warning', h('p', {}, t('password_reset.no_token'))));
    return;
  }
  const pw = newPasswordFields();
  const { form: el } = form({
    label: t('password_reset.title'),
    testid: 'password-reset-form',
    children: pw.rows,
    actions: [button(t('password_reset.submit'), { kind: 'primary', type: 'submit', testid: 'password-reset-submit' })],
    fieldFor: (err) => (err.message.startsWith('password') ? pw.password : null),
    onSubmit: async () => {
      if (!pw.check()) return;
      await api.post('/password-reset', { token, password: pw.password.input.value });
      setFlash('success', t('password_reset.done'));
      await navigate('/sign-in', { replace: true });
    },
  });
  panel.append(h('p', { class: 'lead' }, t('password_reset.lead')), el);
  pw.password.input.focus();
}
