// The frame around every page: the header with the product name, the organization and its
// switcher, the navigation, the language switch and sign-out. Public pages (sign-in, setup,
// links from mail) get the product name and the language switch only.
import { api } from './api.js';
import { announce, button, h } from './dom.js';
import { errorText } from './errors.js';
import { lang, loadMessages, t } from './i18n.js';
import { navigate, reload } from './router.js';
import { can, currentUser, sessionState, signOut, switchOrganization } from './session.js';

// Whether the signed-in user sees the administration pages.
export function canAdminister() {
  return can('manage-users') || can('manage-settings') || can('view-audit');
}

// Switches the UI to `language`; signed in, the choice is saved as the user's preference
// (PATCH /api/v1/me); a server without that field still switches the page.
export async function changeLanguage(language) {
  if (currentUser()) {
    try {
      await api.patch('/me', { language });
    } catch (err) {
      if (![400, 404, 405].includes(err.status)) throw err;
    }
    currentUser().language = language;
  }
  await loadMessages(language, { remember: true });
  await reload();
  announce(t('common.language_changed'), 'success');
}

export function languageSwitch() {
  const other = lang() === 'ja' ? 'en' : 'ja';
  return button(other === 'en' ? 'English' : '日本語', {
    kind: 'link',
    testid: 'language-switch',
    attrs: { lang: other, 'aria-label': t('common.switch_language_to', { language: other === 'en' ? 'English' : '日本語' }) },
    onClick: async (event) => {
      event.currentTarget.disabled = true;
      try {
        await changeLanguage(other);
      } catch (err) {
        announce(errorText(err), 'error');
      }
    },
  });
}

function navLink(href, label, current) {
  const active = href === '/' ? current === '/' : current === href || current.startsWith(`${href}/`);
  return h('li', {}, h('a', { href, class: 'nav-link', 'aria-current': active ? 'page' : null }, label));
}

function organizationSwitcher(me) {
  const orgs = Array.isArray(me.organizations) ? me.organizations : [];
  const name = h('span', { class: 'org-name', data: { testid: 'organization-name' } }, me.organization ? me.organization.name : '');
  if (orgs.length < 2) return h('div', { class: 'org' }, name);
  const select = h('select', { id: 'org-switch', class: 'org-select' },
    orgs.map((o) => h('option', { value: String(o.id), selected: me.organization && o.id === me.organization.id }, o.name)));
  const go = button(t('layout.switch'), {
    kind: 'secondary',
    onClick: async (event) => {
      if (Number(select.value) === me.organization.id) return;
      const btn = event.currentTarget;
      btn.disabled = true;
      try {
        await switchOrganization(select.value);
        await navigate('/');
        announce(t('layout.switched', { name: currentUser().organization.name }), 'success');
      } catch (err) {
        btn.disabled = false;
        announce(errorText(err), 'error');
      }
    },
  });
  return h('div', { class: 'org' },
    h('label', { for: 'org-switch', class: 'visually-hidden' }, t('layout.organization')), select, go);
}

// Draws the header for `route` (null: not found).
export function renderHeader(route) {
  const header = document.getElementById('site-header');
  const me = currentUser();
  const signedIn = sessionState() === 'ready';
  const brand = h('a', { href: signedIn ? '/' : '/sign-in', class: 'brand' }, t('common.product'));
  if (!signedIn || !route || route.access === 'public') {
    header.replaceChildren(h('div', { class: 'header-inner' }, brand, h('div', { class: 'header-tools' }, languageSwitch())));
    return;
  }
  const path = location.pathname;
  const nav = h('nav', { class: 'site-nav', 'aria-label': t('layout.main_navigation') },
    h('ul', {},
      navLink('/', t('layout.nav_home'), path),
      can('edit') ? navLink('/questionnaires/new', t('layout.nav_new'), path) : null,
      navLink('/library', t('layout.nav_library'), path),
      canAdminister() ? navLink('/admin', t('layout.nav_admin'), path) : null,
      navLink('/account', t('layout.nav_account'), path)));
  const signOutButton = button(t('layout.sign_out'), {
    kind: 'link',
    testid: 'sign-out',
    onClick: async () => {
      try {
        await signOut();
      } catch {
        // The session is forgotten here either way.
      }
      await navigate('/sign-in');
      announce(t('layout.signed_out'), 'success');
    },
  });
  header.replaceChildren(h('div', { class: 'header-inner' },
    brand, organizationSwitcher(me), nav,
    h('div', { class: 'header-tools' },
      h('span', { class: 'user-name' }, me.user.name || me.user.email), languageSwitch(), signOutButton)));
}
