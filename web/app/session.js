// The signed-in session as the UI knows it: the GET /api/v1/me reply (user, organization,
// role, permissions, organizations, csrf_token, mfa, password_change_required, language),
// kept in memory only and refetched on every page load.
import { api, setCsrfToken } from './api.js';
import { lang, loadMessages } from './i18n.js';

let me = null;
const listeners = new Set();

function emit() {
  for (const fn of listeners) fn(me);
}

// Calls fn(me) whenever the session changes (sign-in, sign-out, organization switch).
export function onSessionChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

// The /me reply, or null when signed out.
export function currentUser() {
  return me;
}

// "anonymous", "mfa" (a code is due), "enrol" (the organization requires MFA and none is
// enrolled), "password" (a password change is due) or "ready".
export function sessionState() {
  if (!me) return 'anonymous';
  if (me.mfa === 'verify') return 'mfa';
  if (me.mfa === 'enrol') return 'enrol';
  if (me.password_change_required) return 'password';
  return 'ready';
}

// Whether the signed-in user's role has `permission` ("read", "edit", "approve",
// "manage-users", "manage-settings", "view-audit", "delete-organization").
export function can(permission) {
  return !!me && Array.isArray(me.permissions) && me.permissions.includes(permission);
}

// Refetches /me; null when not signed in.
export async function refreshSession() {
  try {
    me = await api.get('/me');
    setCsrfToken(me.csrf_token);
  } catch (err) {
    if (err.status !== 401) throw err;
    me = null;
    setCsrfToken('');
  }
  emit();
  return me;
}

// Forgets the session locally (after a 401, or after signing out).
export function forgetSession() {
  me = null;
  setCsrfToken('');
  emit();
}

// Ends this session (or every session of the user) on the server and here.
export async function signOut({ everywhere = false } = {}) {
  try {
    await api.post(everywhere ? '/sign-out-everywhere' : '/sign-out', {});
  } finally {
    forgetSession();
  }
}

// Moves to another of the user's organizations (a new session there) and refetches /me.
export async function switchOrganization(id) {
  await api.post('/me/organization', { organization: Number(id) });
  return refreshSession();
}

// The signed-in user's language (GET /me "language") wins over the browser's.
export async function adoptUserLanguage() {
  if (me && (me.language === 'ja' || me.language === 'en') && me.language !== lang()) {
    await loadMessages(me.language, { remember: true });
  }
}
