// API errors in the user's language. The server's messages are English and precise; the ones a
// person meets in the UI are mapped to messages (web/i18n/*/errors.json), the rest by error
// code, with the server's words kept as a detail.
import { ApiError } from './api.js';
import { has, lang, t } from './i18n.js';

// Exact server messages -> errors.<key>.
const KNOWN = {
  'e-mail or password is wrong': 'wrong_password',
  'too many failed sign-ins; try again later': 'locked',
  'too many failed sign-ins from this address; try again later': 'throttled',
  'code is wrong or was used already': 'wrong_code',
  "code is wrong; check the authenticator's clock": 'wrong_code_clock',
  'current password is wrong': 'current_password_wrong',
  'password is wrong': 'password_wrong',
  'password of the existing account is wrong': 'existing_password_wrong',
  'setup link is invalid or was used already': 'setup_link_invalid',
  'invitation link is invalid, expired or used': 'invitation_link_invalid',
  'reset link is invalid, expired or used': 'reset_link_invalid',
  'email is not an e-mail address': 'email_invalid',
  'this organization requires MFA': 'mfa_required_by_org',
  'the organization needs at least one owner': 'last_owner',
  'you cannot disable yourself': 'cannot_disable_self',
  'you cannot delete yourself': 'cannot_delete_self',
  'only an owner may grant or remove the owner role': 'owner_only',
  'MFA is enrolled already; disable it first': 'mfa_already',
  'session ended after inactivity; sign in again': 'session_idle',
  'session reached its maximum length; sign in again': 'session_absolute',
  'account is disabled': 'account_disabled',
};

// Patterns -> errors.<key> with the captured numbers as {a}, {b}.
const PATTERNS = [
  [/^use at least (\d+) characters \(this has (\d+)\)$/, 'policy_min_length'],
  [/^use at most (\d+) characters$/, 'policy_max_length'],
  [/^mix at least (\d+) of: /, 'policy_classes'],
  [/^this password is among the most commonly used ones$/, 'policy_common'],
  [/^do not use your name, e-mail address or organization in the password$/, 'policy_personal'],
  [/^do not reuse any of your last (\d+) passwords$/, 'policy_history'],
  [/^password was changed less than (\d+) days ago$/, 'policy_min_age'],
  [/^settings: the allow-lists would block your own address (.+)$/, 'allowlist_self'],
  [/^(\w+) is required$/, 'field_required'],
];

function fromPattern(message) {
  for (const [re, key] of PATTERNS) {
    const m = re.exec(message);
    if (m) return t(`errors.${key}`, { a: m[1], b: m[2] });
  }
  return null;
}

// The text to show for `err` (an ApiError or anything thrown).
export function errorText(err) {
  if (!(err instanceof ApiError)) return t('errors.unexpected');
  if (err.status === 0) return t('errors.network');
  const known = KNOWN[err.message];
  if (known) return t(`errors.${known}`);
  const prefix = 'password does not meet the policy: ';
  if (err.message.startsWith(prefix)) {
    const parts = err.message.slice(prefix.length).split('; ').map((p) => fromPattern(p) || p);
    const sep = lang() === 'ja' ? '' : ' ';  // Japanese sentences end in 。 and need no space
    return [t('errors.policy'), ...parts].join(sep);
  }
  const patterned = fromPattern(err.message);
  if (patterned) return patterned;
  const byCode = `errors.code_${err.code}`;
  const general = has(byCode) ? t(byCode) : t('errors.unexpected');
  // The server's own words help support; shown as a detail after the localized text.
  return err.message && !['internal'].includes(err.code) ? `${general} (${err.message})` : general;
}
