// /setup#token=…: the first administrator and organization, with the one-time link printed at
// the server's first start. The token is read from the fragment (never sent in a URL) and
// removed from the address bar.
import { newPasswordFields } from '../account_ui.js';
import { api } from '../api.js';
import { button, field, form, h, notice, pageHeading } from '../dom.js';
import { t } from '../i18n.js';
import { navigate, setFlash } from '../router.js';
import { refreshSession } from '../session.js';

export function takeToken(ctx) {
  const token = ctx.hash.get('token') || '';
  if (location.hash) history.replaceState(null, '', location.pathname + location.search);
  return token;
}

export async function render(root, ctx) {
  const token = takeToken(ctx);
  const panel = h('div', { class: 'panel' });
  root.append(h('div', { class: 'auth-card' }, panel));
  panel.append(pageHeading(t('setup.title')));
  const health = await api.get('/health').catch(() => null);
  if (health && health.setup_required === false) {
    panel.append(notice('info', h('p', {}, t('setup.done_already'))), h('p', {}, h('a', { href: '/sign-in' }, t('setup.to_sign_in'))));
    return;
  }
  if (!token) {
    panel.append(notice('warning', h('p', {}, t('setup.no_token'))));
    return;
  }
  const email = field({ label: t('setup.email'), name: 'email', type: 'email', required: true, autocomplete: 'username', testid: 'email' });
  const name = field({ label: t('setup.name'), name: 'name', autocomplete: 'name', testid: 'name' });
  const org = field({ label: t('setup.organization'), name: 'organization', required: true, autocomplete: 'organization', hint: t('setup.organization_hint'), testid: 'organization' });
  const pw = newPasswordFields({ label: t('setup.password'), againLabel: t('setup.password_again') });
  const { form: el } = form({
    label: t('setup.title'),
    testid: 'setup-form',
    children: [email.row, name.row, org.row, ...pw.rows],
    actions: [button(t('setup.submit'), { kind: 'primary', type: 'submit', testid: 'setup-submit' })],
    fieldFor: (err) => (err.message.startsWith('password') ? pw.password : err.message.startsWith('email') ? email : null),
    onSubmit: async () => {
      if (!pw.check()) return;
      await api.post('/setup', {
        token, email: email.input.value.trim(), name: name.input.value.trim(),
        organization: org.input.value.trim(), password: pw.password.input.value,
      });
      await refreshSession();
      setFlash('success', t('setup.welcome'));
      await navigate('/', { replace: true });
    },
  });
  panel.append(h('p', { class: 'lead' }, t('setup.lead')), el);
  email.input.focus();
}
