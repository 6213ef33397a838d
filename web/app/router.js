// The router: the pages of web/pages.json on the History API. Each page is a module
// web/app/pages/<page>.js exporting render(root, ctx) (see web/README.md). Same-origin links
// are followed without reloading; member pages send signed-out visitors to /sign-in and back.
import { dropPrefetched } from './api.js';
import { assetUrl } from './assets.js';
import { errorText } from './errors.js';
import { h, notice } from './dom.js';
import { t } from './i18n.js';
import { renderHeader } from './layout.js';
import { currentUser, sessionState } from './session.js';

let routes = [];
let renderSeq = 0;
let cleanup = null;
let controller = null;
let firstRender = true;
let flash = null;

// Shows `text` (a notice of `kind`) at the top of the next page rendered.
export function setFlash(kind, text) {
  flash = { kind, text };
}

function compile(pages) {
  return pages.map((p) => ({ ...p, segments: p.path.split('/').slice(1) }));
}

// The route and its {name: value} parameters for a path, or null.
export function matchRoute(pathname) {
  const segments = pathname.split('/').slice(1);
  for (const route of routes) {
    if (route.segments.length !== segments.length) continue;
    const params = {};
    let ok = true;
    route.segments.forEach((p, i) => {
      if (!ok) return;
      const m = /^\{(\w+)\}$/.exec(p);
      if (m) {
        if (/^\d{1,18}$/.test(segments[i])) params[m[1]] = segments[i];
        else ok = false;
      } else if (p !== segments[i]) {
        ok = false;
      }
    });
    if (ok) return { route, params };
  }
  return null;
}

// Goes to `to` ("/account", "/sign-in?next=%2F"): a new history entry, or with `replace` the
// current one.
export function navigate(to, { replace = false } = {}) {
  if (replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  return render();
}

// Renders the current page again (after a change of language or organization).
export function reload() {
  return render({ keepFocus: true });
}

// The path to come back to after signing in (no hash: it may hold a token).
export function currentPathForReturn() {
  return location.pathname + location.search;
}

function onLinkClick(event) {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const a = event.target.closest('a[href]');
  if (!a || a.target || a.hasAttribute('download') || a.dataset.reload !== undefined) return;
  const url = new URL(a.href, location.href);
  if (url.origin !== location.origin || url.pathname.startsWith('/api/') || url.pathname.startsWith('/assets/')) return;
  if (url.pathname === location.pathname && url.search === location.search && url.hash) return;  // in-page anchor
  event.preventDefault();
  navigate(url.pathname + url.search + url.hash);
}

let routesLoaded = null;

// Reads the route table once; called early by main.js so it loads with the messages and the session.
export function loadRoutes() {
  if (!routesLoaded) {
    routesLoaded = fetch(assetUrl('pages.json'), { credentials: 'same-origin' })
      .then((res) => res.json())
      .then((pages) => { routes = compile(pages); });
  }
  return routesLoaded;
}

// Starts loading the current path's page module (and the modules it imports) before the
// session is known; render() imports the same module and gets it at once. Errors are left
// to render().
export async function preloadCurrentPage() {
  await loadRoutes();
  const found = matchRoute(location.pathname);
  if (found) import(`./pages/${found.route.page}.js`).catch(() => {});
}

export async function startRouter() {
  await loadRoutes();
  document.addEventListener('click', onLinkClick);
  window.addEventListener('popstate', () => render());
  try {
    await render();
  } finally {
    dropPrefetched();
  }
}

async function render({ keepFocus = false } = {}) {
  const seq = ++renderSeq;
  const found = matchRoute(location.pathname);
  if (found && found.route.access === 'member' && sessionState() !== 'ready') {
    history.replaceState(null, '', `/sign-in?next=${encodeURIComponent(currentPathForReturn())}`);
    return render({ keepFocus });
  }
  if (cleanup) {
    try {
      cleanup();
    } catch (e) {
      console.error(e);
    }
    cleanup = null;
  }
  if (controller) controller.abort();
  controller = new AbortController();
  renderHeader(found ? found.route : null);
  const main = document.getElementById('main');
  main.setAttribute('aria-busy', 'true');
  let mod;
  try {
    mod = await import(`./pages/${found ? found.route.page : 'not_found'}.js`);
  } catch (err) {
    console.error(err);
    if (seq !== renderSeq) return;
    main.replaceChildren(notice('error', t('errors.page_failed')));
    main.removeAttribute('aria-busy');
    return;
  }
  if (seq !== renderSeq) return;
  main.replaceChildren();
  const setTitle = (text) => {
    document.title = `${text} — ${t('common.product')}`;
  };
  setTitle(found && found.route.title ? t(found.route.title) : t('common.not_found'));
  if (flash) {
    main.append(notice(flash.kind, flash.text));
    flash = null;
  }
  const signal = controller.signal;
  const ctx = {
    params: found ? found.params : {},
    query: new URLSearchParams(location.search),
    hash: new URLSearchParams(location.hash.slice(1)),
    me: currentUser(),
    route: found ? found.route : null,
    signal,
    isCurrent: () => seq === renderSeq,
    navigate,
    setTitle,
  };
  try {
    const result = await mod.render(main, ctx);
    if (typeof result === 'function') {
      if (seq === renderSeq) cleanup = result;
      else result();
    }
  } catch (err) {
    if (err && err.name === 'AbortError') return;
    console.error(err);
    if (seq === renderSeq) main.append(notice('error', errorText(err)));
  }
  if (seq !== renderSeq) return;
  main.removeAttribute('aria-busy');
  if (!firstRender && !keepFocus) {
    const heading = main.querySelector('h1');
    if (heading) {
      if (!heading.hasAttribute('tabindex')) heading.setAttribute('tabindex', '-1');
      heading.focus();
    } else {
      main.focus();
    }
  }
  firstRender = false;
}

// For pages: a link that the router follows.
export function link(href, text, props = {}) {
  return h('a', { href, ...props }, text);
}
