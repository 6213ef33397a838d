// PLACEHOLDER owned by the questionnaire UI (home, new, review, library): replace this file.
// See web/README.md.
import { notice, pageHeading } from '../dom.js';
import { t } from '../i18n.js';

export function render(root) {
  root.append(pageHeading(t('library.title')), notice('info', t('common.coming_soon')));
}
