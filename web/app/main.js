// Boot: messages in the page's language, the session (GET /api/v1/me), then the router.
import { onAuthFailure } from './api.js';
import { lang, loadMessages, t } from './i18n.js';
import { currentPathForReturn, navigate, setFlash, startRouter } from './router.js';
import { adoptUserLanguage, currentUser, forgetSession, refreshSession } from './session.js';

// A 401 while signed in: the session ended (timeout, signed out elsewhere, disabled); back to
// sign-in, and back here after. A pending MFA or password change: to the step it needs.
onAuthFailure(async (err) => {
  if (!currentUser() || location.pathname === '/sign-in') return;
  const next = `/sign-in?next=${encodeURIComponent(currentPathForReturn())}`;
  if (err.status === 401) {
    forgetSession();
    setFlash('warning', t(err.code === 'session_expired' ? 'errors.session_expired_flash' : 'errors.signed_out_flash'));
  } else {
    await refreshSession().catch(() => forgetSession());
  }
  await navigate(next, { replace: true });
});

async function boot() {
  await Promise.all([loadMessages(lang()), refreshSession().catch(() => null)]);
  await adoptUserLanguage();
  await startRouter();
}

boot().catch((err) => {
  console.error(err);
  const main = document.getElementById('main');
  const p = document.createElement('p');
  p.className = 'notice notice-error';
  p.setAttribute('role', 'alert');
  p.textContent = document.documentElement.lang === 'en'
    ? 'The page could not be loaded. Reload to try again.'
    : 'ページを読み込めませんでした。再読み込みしてください。';
  main.replaceChildren(p);
});
