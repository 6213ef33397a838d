// /invitation#token=…: accept an invitation — a new account (name and password), or an
// existing account proving its password — then sign in.
import { newPasswordFields } from '../account_ui.js';
import { api } from '../api.js';
import { button, checkbox, field, form, h, notice, pageHeading } from '../dom.js';
import { t } from '../i18n.js';
import { navigate, setFlash } from '../router.js';
import { takeToken } from './setup.js';

export async function render(root, ctx) {
  const token = takeToken(ctx);
  const panel = h('div', { class: 'panel' });
  root.append(h('div', { class: 'auth-card' }, panel));
  panel.append(pageHeading(t('invitation.title')));
  if (!token) {
    panel.append(notice('warning', h('p', {}, t('invitation.no_token'))));
    return;
  }
  const existing = checkbox({ label: t('invitation.existing'), name: 'existing', testid: 'existing-account' });
  const name = field({ label: t('invitation.name'), name: 'name', autocomplete: 'name', testid: 'name' });
  const pw = newPasswordFields({ label: t('invitation.password'), againLabel: t('invitation.password_again') });
  const current = field({ label: t('invitation.existing_password'), name: 'password', type: 'password', autocomplete: 'current-password', testid: 'existing-password' });
  current.row.hidden = true;
  existing.input.addEventListener('change', () => {
    const yes = existing.input.checked;
    name.row.hidden = yes;
    for (const r of pw.rows) r.hidden = yes;
    pw.password.input.required = !yes;
    pw.again.input.required = !yes;
    current.row.hidden = !yes;
    current.input.required = yes;
  });
  const { form: el } = form({
    label: t('invitation.title'),
    testid: 'invitation-form',
    children: [existing.row, name.row, ...pw.rows, current.row],
    actions: [button(t('invitation.submit'), { kind: 'primary', type: 'submit', testid: 'invitation-submit' })],
    fieldFor: (err) => (existing.input.checked ? current : err.message.startsWith('password') ? pw.password : null),
    onSubmit: async () => {
      const yes = existing.input.checked;
      if (!yes && !pw.check()) return;
      const reply = await api.post('/invitations/accept', yes
        ? { token, password: current.input.value }
        : { token, name: name.input.value.trim(), password: pw.password.input.value });
      setFlash('success', t('invitation.done', { organization: reply.organization ? reply.organization.name : '' }));
      await navigate('/sign-in', { replace: true });
    },
  });
  panel.append(h('p', { class: 'lead' }, t('invitation.lead')), el);
  name.input.focus();
}
