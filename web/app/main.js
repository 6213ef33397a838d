// Boot: messages in the page's language, the session (GET /api/v1/me), then the router.
import { onAuthFailure, prefetch } from './api.js';
import { assetUrl } from './assets.js';
import { lang, loadMessages, t } from './i18n.js';
import { currentPathForReturn, navigate, preloadCurrentPage, setFlash, startRouter } from './router.js';
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

// The review screen's data, stylesheet and modules, requested now rather than after the
// session, the route table and the page module (pages/review.js asks for the same three GETs).
function prefetchReview() {
  const m = /^\/questionnaires\/(\d{1,18})$/.exec(location.pathname);
  if (!m) return;
  const base = `/api/v1/questionnaires/${m[1]}`;
  prefetch(base);
  prefetch(`${base}/items?view=grid`);
  prefetch('/api/v1/members');
  const link = (rel, href, as) => {
    const l = document.createElement('link');
    l.rel = rel;
    l.href = href;
    if (as) l.as = as;
    document.head.append(l);
  };
  link('preload', assetUrl('styles/review.css'), 'style');
  link('modulepreload', assetUrl('app/pages/review.js'));
  link('modulepreload', assetUrl('app/pages/qkit.js'));
}

async function boot() {
  prefetchReview();
  // The route table and the page's module load alongside the messages and the session.
  const early = preloadCurrentPage().catch(() => null);
  await Promise.all([loadMessages(lang()), refreshSession().catch(() => null), early]);
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
