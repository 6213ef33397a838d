// New questionnaire (/questionnaires/new): the customer's file (drag and drop, or the file
// input), the service whose library answers it, customer, due date, title. The bytes go as
// the request body (XMLHttpRequest, for upload progress); then the server imports and drafts
// in the same request (an indeterminate progress), and the review screen opens.
import { ApiError, api } from '../api.js';
import { errorText } from '../errors.js';
import { t } from '../i18n.js';
import { setFlash } from '../router.js';
import { can, currentUser } from '../session.js';
import { h, clear, field, select, ensureStyles, nextId } from './qkit.js';

const MAX_BYTES = 20 * 1024 * 1024;
const ACCEPT = '.xlsx,.xlsm,.docx,.csv,.tsv,.txt,.pdf';

export async function render(root, ctx) {
  const [services] = await Promise.all([
    api.get('/services', { signal: ctx.signal }).catch(() => ({ items: [] })),
    ensureStyles(),
  ]);
  if (!ctx.isCurrent()) return undefined;
  const list = services.items || [];

  const page = h('div', { class: 'qn-page medium', testid: 'new-questionnaire-page' },
    h('h1', { class: 'page-title', attrs: { tabindex: '-1' } }, t('questionnaire_new.heading')),
    h('p', { class: 'lead' }, t('questionnaire_new.lead')));
  root.append(page);

  if (!can('edit')) {
    page.append(h('p', { class: 'notice notice-warning', attrs: { role: 'status' } }, t('questionnaire_new.no_permission')));
    return undefined;
  }
  if (!list.length) {
    page.append(h('div', { class: 'notice notice-info', attrs: { role: 'status' } },
      h('p', {}, t('questionnaire_new.no_service')),
      h('a', { href: '/library' }, t('questionnaire_new.no_service_link'))));
    return undefined;
  }

  // The file: a labelled input inside a drop zone (the whole zone opens the picker).
  const fileInput = h('input', { type: 'file', accept: ACCEPT, testid: 'questionnaire-file', id: nextId('file'), required: true });
  const chosen = h('p', { class: 'qn-chosen', attrs: { 'aria-live': 'polite' } });
  const fileError = h('p', { class: 'field-error', hidden: true, id: nextId('file-err') });
  const dropTitleId = nextId('drop');
  const drop = h('div', { class: 'qn-drop', testid: 'drop-zone' },
    h('label', { htmlFor: fileInput.id, id: dropTitleId },
      h('strong', {}, t('questionnaire_new.drop_title')),
      h('span', { class: 'qk-hint' }, t('questionnaire_new.drop_hint'))),
    fileInput, chosen, fileError);

  const serviceSel = select(list.map((s) => ({ value: s.id, label: s.name })), list.length === 1 ? list[0].id : (ctx.query.get('service') || list[0].id));
  serviceSel.dataset.testid = 'questionnaire-service';
  serviceSel.required = true;
  const customer = h('input', { type: 'text', maxLength: 200, required: true, testid: 'questionnaire-customer', autocomplete: 'organization' });
  const due = h('input', { type: 'date', testid: 'questionnaire-due' });
  const title = h('input', { type: 'text', maxLength: 200, testid: 'questionnaire-title' });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary', testid: 'questionnaire-submit' }, t('questionnaire_new.submit'));
  const cancel = h('a', { href: '/', class: 'btn btn-secondary' }, t('questionnaire_new.cancel'));
  const errorBox = h('div', { class: 'notice notice-error', attrs: { role: 'alert' }, hidden: true, testid: 'questionnaire-error' });
  const progress = h('progress', { max: 100, value: 0, attrs: { 'aria-labelledby': 'qn-progress-label' } });
  const progressText = h('p', { id: 'qn-progress-label', attrs: { 'aria-live': 'polite' } });
  const progressBox = h('div', { class: 'qn-progress', hidden: true, testid: 'upload-progress' }, progressText, progress);

  const customerField = field(t('questionnaire_new.customer'), customer, null, { required: true });
  const form = h('form', { class: 'form panel', attrs: { novalidate: true, 'aria-label': t('questionnaire_new.heading') } },
    drop,
    field(t('questionnaire_new.service'), serviceSel, t('questionnaire_new.service_hint'), { required: true }),
    h('div', { class: 'qn-grid' },
      customerField,
      field(t('questionnaire_new.due'), due)),
    field(t('questionnaire_new.title_label'), title, t('questionnaire_new.title_hint')),
    errorBox,
    h('div', { class: 'form-actions' }, submit, cancel),
    progressBox);
  page.append(form);

  function setFile(file) {
    clear(chosen);
    fileError.hidden = true;
    fileInput.removeAttribute('aria-invalid');
    if (!file) return;
    chosen.append(t('questionnaire_new.chosen', { name: file.name, size: sizeText(file.size) }));
    if (file.size > MAX_BYTES) showFileError(t('questionnaire_new.too_large'));
  }
  function showFileError(text) {
    fileError.textContent = text;
    fileError.hidden = false;
    fileInput.setAttribute('aria-invalid', 'true');
    fileInput.setAttribute('aria-describedby', fileError.id);
  }
  fileInput.addEventListener('change', () => setFile(fileInput.files[0]));

  // Drag and drop onto the zone (the input stays the one source of the file).
  let depth = 0;
  drop.addEventListener('dragenter', (ev) => { ev.preventDefault(); depth += 1; drop.classList.add('qn-over'); });
  drop.addEventListener('dragover', (ev) => { ev.preventDefault(); ev.dataTransfer.dropEffect = 'copy'; });
  drop.addEventListener('dragleave', () => { depth -= 1; if (depth <= 0) { depth = 0; drop.classList.remove('qn-over'); } });
  drop.addEventListener('drop', (ev) => {
    ev.preventDefault();
    depth = 0;
    drop.classList.remove('qn-over');
    const files = ev.dataTransfer?.files;
    if (!files || !files.length) return;
    try {
      fileInput.files = files;
    } catch { /* older browsers: keep our own reference */ }
    dropped = files[0];
    setFile(files[0]);
  });
  let dropped = null;

  let xhr = null;
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    errorBox.hidden = true;
    const file = fileInput.files[0] || dropped;
    if (!file) { showFileError(t('questionnaire_new.need_file')); fileInput.focus(); return; }
    if (file.size > MAX_BYTES) { showFileError(t('questionnaire_new.too_large')); fileInput.focus(); return; }
    if (!customer.value.trim()) {
      customer.setAttribute('aria-invalid', 'true');
      showError(t('questionnaire_new.need_customer'));
      customer.focus();
      return;
    }
    customer.removeAttribute('aria-invalid');
    const query = new URLSearchParams({ service: serviceSel.value, name: file.name, customer: customer.value });
    if (due.value) query.set('due_date', due.value);
    if (title.value) query.set('title', title.value);
    for (const el of form.elements) el.disabled = true;
    progressBox.hidden = false;
    progress.value = 0;
    progress.max = 100;
    progressText.textContent = t('questionnaire_new.uploading', { percent: 0 });
    try {
      const q = await upload(`/api/v1/questionnaires?${query}`, file, (loaded, total) => {
        const pct = total ? Math.round((loaded / total) * 100) : 0;
        progress.value = pct;
        progressText.textContent = t('questionnaire_new.uploading', { percent: pct });
        if (loaded >= total) {
          progress.removeAttribute('value');  // indeterminate: importing and drafting
          progressText.textContent = t('questionnaire_new.drafting');
        }
      });
      if (!ctx.isCurrent()) return;
      const n = q.progress?.total ?? '';
      setFlash('success', t('questionnaire_new.created', { name: file.name, n }));
      ctx.navigate(`/questionnaires/${q.id}`);
    } catch (err) {
      if (!ctx.isCurrent()) return;
      progressBox.hidden = true;
      for (const el of form.elements) el.disabled = false;
      showError(err instanceof ApiError ? errorText(err) : t('questionnaire_new.failed'));
    }
  });

  function showError(text) {
    errorBox.textContent = text;
    errorBox.hidden = false;
  }

  function upload(url, file, onProgress) {
    return new Promise((resolve, reject) => {
      xhr = new XMLHttpRequest();
      xhr.open('POST', url);
      xhr.setRequestHeader('Content-Type', 'application/octet-stream');
      xhr.setRequestHeader('Accept', 'application/json');
      const token = currentUser()?.csrf_token;
      if (token) xhr.setRequestHeader('X-CSRF-Token', token);
      xhr.upload.addEventListener('progress', (e) => onProgress(e.loaded, e.lengthComputable ? e.total : file.size));
      xhr.upload.addEventListener('load', () => onProgress(file.size, file.size));
      xhr.addEventListener('load', () => {
        let data = null;
        try { data = JSON.parse(xhr.responseText); } catch { data = null; }
        if (xhr.status >= 200 && xhr.status < 300 && data) resolve(data);
        else if (data && data.error) reject(new ApiError(xhr.status, data.error.code || `http_${xhr.status}`, data.error.message || ''));
        else reject(new ApiError(xhr.status, `http_${xhr.status}`, (xhr.responseText || '').slice(0, 200)));
      });
      xhr.addEventListener('error', () => reject(new ApiError(0, 'network', 'network error')));
      xhr.addEventListener('abort', () => reject(new ApiError(0, 'aborted', 'aborted')));
      xhr.send(file);
    });
  }

  return () => { if (xhr && xhr.readyState !== 4) xhr.abort(); };
}

function sizeText(bytes) {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
