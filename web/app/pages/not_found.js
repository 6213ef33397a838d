// The page for a path the UI does not know (the server answers it with status 404).
import { h, pageHeading } from '../dom.js';
import { t } from '../i18n.js';

export function render(root) {
  root.append(
    pageHeading(t('common.not_found')),
    h('p', {}, t('common.not_found_text')),
    h('p', {}, h('a', { href: '/' }, t('common.back_home'))));
}
