// Being written (account and admin pages).
// See web/README.md.
import { notice, pageHeading } from '../dom.js';
import { t } from '../i18n.js';

export function render(root) {
  root.append(pageHeading(t('password_reset.title')), notice('info', t('common.coming_soon')));
}
