'use strict';
// The user's story in a real browser, against the just-built `trustsheet serve` with the demo
// organization: first administrator from the one-time link, MFA, sign-in with MFA, the demo
// organization, a new questionnaire from a blank customer sheet, review by keyboard, the
// filled file checked cell by cell, another organization's user kept out, English labels, and
// axe-core on every page visited. Elements are found as a user finds them: by role, label and
// text (Japanese or English), plus the data-testid attributes agreed with the pages' authors.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const env = require('../lib/env');
const { startServer, stopServer } = require('../lib/server');
const { launch, newUser, look, visit, settle, a11yLog } = require('../lib/browser');
const { formatViolations } = require('../lib/axe');
const { knownAxe } = require('../lib/known');
const { nextCode } = require('../lib/totp');
const { api } = require('../lib/api');
const { importSheet, answerOf } = require('../lib/sheet');
const { openWorkbook } = require('../lib/xlsx');
const { createFlow } = require('../lib/flow');

const ADMIN = { email: 'admin@example.com', name: '管理 太郎', password: 'Kumo-no-ue-2026!', organization: '株式会社テスト' };
const OTHER = { email: 'other@example.org', name: '別組織 花子', password: 'Betsu-soshiki-2026!' };
const OTHER_ORG = '別組織株式会社';
const BLANK = path.join(env.BLANK, 'blank_layout1_answer_column.xlsx');
const CUSTOMER = '東京テスト商事株式会社';
const DUE = '2026-12-25';
const EDIT_REMARKS = 'ブラウザテストで修正した備考（改行なし）';

const flow = createFlow();
const S = flow.state;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'trustsheet-browser-files-'));

// Locators a user would use. Regexes take the Japanese and the English wording.
const re = {
  email: /メールアドレス|e-?mail/i,
  name: /^(氏名|名前|お名前|表示名|your name|name)/i,
  organization: /組織名|会社名|組織|organi[sz]ation/i,
  code: /確認コード|認証コード|ワンタイム|コード|code/i,
  signIn: /^(サインイン|ログイン|sign in|log in)$/i,
  next: /次へ|確認|続行|サインイン|verify|continue|sign in/i,
  submitSetup: /作成|設定|開始|登録|create|set up|start/i,
  mfaStart: /二要素|多要素|MFA|認証アプリ|authenticator|two-factor/i,
  mfaConfirm: /確認|有効|登録|confirm|enable|verify/i,
  signOut: /^(サインアウト|ログアウト|sign out|log out)$/i,
  service: /サービス|service/i,
  customer: /取引先|顧客|customer/i,
  due: /期限|due/i,
  create: /作成|取り込|アップロード|開始|create|upload|import|start/i,
  bulk: /確度「高」を一括承認|accept all high/i,
  download: /記入済みファイルをダウンロード|download filled file/i,
  save: /^(保存|save)$/i,
  ok: /件を承認する|^OK$|accept \d+|^accept$/i,
  notFound: /見つかりません|ありません|存在しません|not found|doesn.t exist|does not exist/i,
};

async function fill(page, label, value) {
  const box = page.getByLabel(label).first();
  await box.fill(value);
  return box;
}

// Every visible password field (a new password and its repetition): the same password.
async function fillPasswords(page, value) {
  const boxes = page.locator('input[type=password]:visible');
  await boxes.first().waitFor().catch(() => {});
  const n = await boxes.count();
  assert.ok(n > 0, 'no password field on the page');
  for (let i = 0; i < n; i += 1) await boxes.nth(i).fill(value);
}

async function press(page, name) {
  const b = page.getByRole('button', { name }).first();
  await b.click();
}

// The /me reply of a browser user, or null.
async function me(ctx) {
  const r = await (await api(ctx)).get('/api/v1/me');
  return r.status === 200 ? r.json : null;
}

// Waits until fn() returns something truthy (polling), or fails with `what`.
async function until(fn, what, timeoutMs = 15000 * env.SLOW) {
  const end = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      last = await fn();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what} (last: ${last instanceof Error ? last.message : JSON.stringify(last)})`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function signInPage(page, rec, who, { secret } = {}) {
  await visit(page, rec, '/sign-in', 'sign-in');
  await fill(page, re.email, who.email);
  await fillPasswords(page, who.password);
  await page.getByRole('button', { name: re.signIn }).first().click();
  if (secret) {
    const code = page.getByLabel(re.code).or(page.getByTestId('mfa-code')).first();
    await code.waitFor();
    await look(page, rec, 'mfa-step');
    await code.fill(await nextCode(secret));
    await page.getByTestId('mfa-submit').or(page.getByRole('button', { name: re.next })).first().click();
  }
  await page.waitForURL((u) => !u.pathname.startsWith('/sign-in'));
  await look(page, rec, 'signed-in');
}

// The review API's marks (yes, no, partial, na) against import's (…, not-applicable).
const sameMark = (fileMark, apiMark) => fileMark === apiMark || (apiMark === 'na' && fileMark === 'not-applicable');
const hasDraftAnswer = (it) => it.draft && it.draft.mark && it.draft.mark !== 'none' && it.draft.confidence !== 'none';

// ------------------------------------------------------------------ the JSON API fallbacks
// When a page cannot do a step, these reach the same state so later steps still run.
async function apiSignIn(ctx, who, secret) {
  const r = await ctx.request.post('/api/v1/sign-in', { data: { email: who.email, password: who.password }, failOnStatusCode: false });
  assert.equal(r.status(), 200, `API sign-in: ${await r.text()}`);
  if (secret) {
    const csrf = (await r.json()).csrf_token;
    const m = await ctx.request.post('/api/v1/sign-in/mfa', { data: { code: await nextCode(secret) }, headers: { 'X-CSRF-Token': csrf }, failOnStatusCode: false });
    assert.equal(m.status(), 200, `API sign-in MFA: ${await m.text()}`);
  }
}

async function switchTo(ctx, orgId) {
  const a = await api(ctx);
  const r = await a.post('/api/v1/me/organization', { organization: orgId });
  assert.equal(r.status, 200, `switch to organization ${orgId}: ${r.text}`);
}

// The targets of the review, from the items as drafted: one drafted item that is not high
// stays in draft (bulk-accept leaves it; it must stay empty in the file), one high draft is
// rejected (bulk-accept must leave it alone), another drafted item is accepted by key, and
// one more is edited.
function chooseTargets(list) {
  const drafted = list.filter(hasDraftAnswer);
  const notHigh = drafted.filter((it) => it.draft.confidence !== 'high');
  const high = drafted.filter((it) => it.draft.confidence === 'high');
  assert.ok(drafted.length >= 4, `the demo library drafts at least 4 items (${drafted.length} of ${list.length})`);
  const keep = notHigh.length ? notHigh[notHigh.length - 1].id : null;
  const pool = drafted.filter((it) => it.id !== keep);
  S.rejected = (high[0] || pool[0]).id;
  S.accepted = (pool.find((it) => it.id !== S.rejected && it.draft.confidence !== 'high') || pool.find((it) => it.id !== S.rejected)).id;
  const rest = list.filter((it) => ![keep, S.rejected, S.accepted].includes(it.id));
  S.edited = (rest.find((it) => it.draft?.confidence === 'high') || rest[0]).id;
  S.untouched = list.filter((it) => ![S.accepted, S.edited, S.rejected].includes(it.id) && it.draft?.confidence !== 'high').map((it) => it.id);
  process.stdout.write(`# items: ${list.map((it) => `${it.number}:${it.draft?.confidence || 'none'}`).join(' ')}; accept ${S.accepted}, edit ${S.edited}, reject ${S.rejected}, leave ${S.untouched.join(',') || 'none'}\n`);
}

// ------------------------------------------------------------------ the story
test.before(async () => {
  S.server = await startServer();
  S.browser = await launch();
  S.admin = await newUser(S.browser, S.server);
  flow.watch(S.admin.page);
});

test.after(async () => {
  if (S.browser) await S.browser.close().catch(() => {});
  await stopServer(S.server);
  fs.rmSync(tmp, { recursive: true, force: true });
});

flow.step('setup', {
  fallback: async () => {
    const r = await S.admin.context.request.post('/api/v1/setup', {
      data: { token: S.server.setupToken, email: ADMIN.email, name: ADMIN.name, password: ADMIN.password, organization: ADMIN.organization },
      failOnStatusCode: false,
    });
    assert.equal(r.status(), 201, `POST /setup: ${await r.text()}`);
    assert.ok(await me(S.admin.context), 'the setup reply signs the browser in');
  },
}, async (rec) => {
  const { page } = S.admin;
  await visit(page, rec, `/setup#token=${S.server.setupToken}`, 'form');
  assert.equal(await page.locator('html').getAttribute('lang'), 'ja', 'pages are Japanese by default');
  await fill(page, re.email, ADMIN.email);
  const name = page.getByLabel(re.name);
  if (await name.count()) await name.first().fill(ADMIN.name);
  await fill(page, re.organization, ADMIN.organization);
  await fillPasswords(page, ADMIN.password);
  await look(page, rec, 'filled', { a11y: false });
  await page.getByRole('button', { name: re.submitSetup }).first().click();
  await page.waitForURL((u) => !u.pathname.startsWith('/setup'));
  await look(page, rec, 'done');
  const m = await until(() => me(S.admin.context), 'a signed-in session after setup');
  assert.equal(m.user.email, ADMIN.email);
});

flow.step('mfa-enrol', {
  needs: ['setup'],
  fallback: async () => {
    const a = await api(S.admin.context);
    if (!S.secret) {
      const e = await a.post('/api/v1/me/mfa/enrol');
      assert.equal(e.status, 200, `POST /me/mfa/enrol: ${e.text}`);
      S.secret = e.json.secret;
    }
    const c = await a.post('/api/v1/me/mfa/confirm', { code: await nextCode(S.secret) });
    assert.equal(c.status, 200, `POST /me/mfa/confirm: ${c.text}`);
  },
}, async (rec) => {
  const { page } = S.admin;
  await visit(page, rec, '/account', 'account');
  await page.getByTestId('mfa-start').or(page.getByRole('button', { name: re.mfaStart })).first().click();
  const secretBox = page.getByTestId('mfa-secret');
  await secretBox.waitFor();
  S.secret = (await secretBox.innerText()).replace(/\s+/g, '');
  assert.match(S.secret, /^[A-Z2-7]{16,}=*$/, 'the MFA secret is shown as base32 text');
  await look(page, rec, 'qr');
  await page.getByLabel(re.code).or(page.getByTestId('mfa-code')).first().fill(await nextCode(S.secret));
  await page.getByTestId('mfa-confirm').or(page.getByRole('button', { name: re.mfaConfirm })).first().click();
  await page.getByTestId('recovery-codes').waitFor();
  await look(page, rec, 'recovery-codes');
  const codes = (await page.getByTestId('recovery-codes').innerText()).split(/\s+/).filter(Boolean);
  assert.ok(codes.length >= 10, `ten recovery codes are shown (${codes.length})`);
  const m = await me(S.admin.context);
  assert.ok(m.user.mfa_enrolled !== false, 'MFA is on for the account');
});

flow.step('sign-out', {
  needs: ['mfa-enrol'],
  fallback: async () => { await (await api(S.admin.context)).post('/api/v1/sign-out'); },
}, async (rec) => {
  const { page, context } = S.admin;
  await page.reload();
  await settle(page);
  await page.getByTestId('sign-out').or(page.getByRole('button', { name: re.signOut })).first().click();
  await page.waitForURL(/\/sign-in/);
  await look(page, rec, 'signed-out');
  assert.equal(await me(context), null, 'signed out: /me answers 401');
});

flow.step('sign-in-mfa', {
  needs: ['sign-out'],
  fallback: async () => { if (!(await me(S.admin.context))) await apiSignIn(S.admin.context, ADMIN, S.secret); },
}, async (rec) => {
  const { page, context } = S.admin;
  await signInPage(page, rec, ADMIN, { secret: S.secret });
  const m = await me(context);
  assert.ok(m, 'signed in');
  assert.equal(m.user.email, ADMIN.email);
  assert.equal(m.mfa, 'ok', 'the session passed MFA');
});

// The demo organization and its service, from /me and /services.
async function findDemo(ctx) {
  const m = await me(ctx);
  const orgs = m.organizations || [];
  const demo = orgs.find((o) => /デモ|demo/i.test(o.name)) || orgs.find((o) => o.id !== m.organization.id);
  assert.ok(demo, `the first admin belongs to the demo organization too (has ${JSON.stringify(orgs)})`);
  return demo;
}

async function findService(ctx) {
  const services = (await (await api(ctx)).get('/api/v1/services')).json;
  const list = services.items || services;
  const svc = list.find((s) => s.name === 'デモサービス');
  assert.ok(svc, `the demo organization has 「デモサービス」 (has ${JSON.stringify(list.map((s) => s.name))})`);
  return svc;
}

flow.step('demo-organization', {
  needs: ['sign-in-mfa'],
  fallback: async () => {
    S.demo = await findDemo(S.admin.context);
    await switchTo(S.admin.context, S.demo.id);
    S.service = await findService(S.admin.context);
  },
}, async (rec) => {
  const { page, context } = S.admin;
  S.demo = await findDemo(context);
  const m = await me(context);
  const entry = (m.organizations || []).find((o) => o.id === S.demo.id);
  if (entry && entry.role) assert.equal(entry.role, 'owner', 'the first admin owns the demo organization');
  await visit(page, rec, '/', 'home');
  // The header's switcher (a select labelled 組織 and its button), as a user switches. Signed
  // in to the demo organization already, the user goes to their own first and comes back.
  const own = (m.organizations || []).find((o) => o.id !== S.demo.id);
  const switchHeader = async (org, step) => {
    const banner = page.getByRole('banner');
    await banner.getByLabel(/^(組織|organization)$/i).selectOption(String(org.id));
    await banner.getByRole('button', { name: /^(切替|切り替え|切り替える|switch)$/i }).click();
    await until(async () => (await me(context))?.organization?.id === org.id, `the switch to ${org.name}`);
    await until(async () => (await banner.getByLabel(/^(組織|organization)$/i).inputValue()) === String(org.id), `the header showing ${org.name}`);
    await look(page, rec, step);
  };
  if (m.organization.id === S.demo.id && own) await switchHeader(own, 'home-own');
  await switchHeader(S.demo, 'home-demo');
  S.service = await findService(context);
});

flow.step('new-questionnaire', {
  needs: ['demo-organization'],
  timeout: 120000,
  fallback: async () => {
    const a = await api(S.admin.context);
    const q = new URLSearchParams({ service: S.service.id, name: path.basename(BLANK), customer: CUSTOMER, due_date: DUE });
    const r = await a.post(`/api/v1/questionnaires?${q}`, fs.readFileSync(BLANK));
    assert.equal(r.status, 201, `POST /questionnaires: ${r.text}`);
    S.qid = r.json.id;
  },
}, async (rec) => {
  const { page } = S.admin;
  await visit(page, rec, '/questionnaires/new', 'form');
  await page.locator('input[type=file]').first().setInputFiles(BLANK);
  const service = page.getByLabel(re.service).first();
  if (await service.evaluate((el) => el.tagName === 'SELECT')) await service.selectOption({ label: 'デモサービス' });
  await fill(page, re.customer, CUSTOMER);
  await fill(page, re.due, DUE);
  await look(page, rec, 'filled', { a11y: false });
  await page.getByRole('button', { name: re.create }).last().click();
  await page.waitForURL(/\/questionnaires\/\d+$/, { timeout: 90000 * env.SLOW });
  S.qid = Number(new URL(page.url()).pathname.split('/').pop());
  await page.getByRole('table').first().waitFor();
  await look(page, rec, 'review');
  const q = (await (await api(S.admin.context)).get(`/api/v1/questionnaires/${S.qid}`)).json;
  assert.equal(q.customer, CUSTOMER);
  assert.equal(q.due_date, DUE);
  assert.equal(q.service.name, 'デモサービス');
});

// The items as the API has them now.
async function items() {
  const r = await (await api(S.admin.context)).get(`/api/v1/questionnaires/${S.qid}/items`);
  assert.equal(r.status, 200, `GET items: ${r.text}`);
  return r.json.items;
}

// The row the review screen has selected (aria-current on the row with data-item-id).
async function selectedId(page) {
  const row = page.locator('[aria-current="true"][data-item-id], [aria-selected="true"][data-item-id]').first();
  if (!(await row.count())) return null;
  return Number(await row.getAttribute('data-item-id'));
}

// Moves the selection with j/k until item `id` is selected, as a keyboard user does.
async function selectByKeyboard(page, list, id) {
  const want = list.findIndex((it) => it.id === id);
  for (let i = 0; i < list.length + 2; i += 1) {
    const cur = await selectedId(page);
    if (cur === id) return;
    const at = list.findIndex((it) => it.id === cur);
    await page.keyboard.press(at < 0 || at < want ? 'j' : 'k');
  }
  throw new Error(`could not select item ${id} with j/k (selected: ${await selectedId(page)})`);
}

async function itemNow(id) {
  const r = await (await api(S.admin.context)).get(`/api/v1/questionnaires/${S.qid}/items/${id}`);
  return r.json;
}

flow.step('review', {
  needs: ['new-questionnaire'],
  timeout: 90000,
  fallback: async () => {
    const a = await api(S.admin.context);
    const base = `/api/v1/questionnaires/${S.qid}`;
    if (!S.accepted) chooseTargets(await items());
    const act = async (id, body) => {
      const r = await a.post(`${base}/items/${id}/review`, body);
      assert.equal(r.status, 200, `review ${JSON.stringify(body)}: ${r.text}`);
      return r.json;
    };
    if ((await itemNow(S.accepted)).state !== 'accepted') await act(S.accepted, { action: 'accept' });
    if ((await itemNow(S.edited)).state !== 'edited') {
      const before = (await itemNow(S.edited)).draft || {};
      S.editedPick = before.mark === 'no' ? { value: 'yes', label: 'yes' } : { value: 'no', label: 'no' };
      await act(S.edited, { action: 'edit', mark: S.editedPick.value, remarks: EDIT_REMARKS });
    }
    if ((await itemNow(S.rejected)).state !== 'rejected') await act(S.rejected, { action: 'reject' });
    const b = await a.post(`${base}/bulk-accept`, { confidence: 'high' });
    assert.equal(b.status, 200, `bulk-accept: ${b.text}`);
    const now = await items();
    if (!now.some((it) => it.state === 'draft')) {
      const back = now.find((it) => it.state === 'accepted' && it.id !== S.accepted);
      await act(back.id, { action: 'reset' });
      S.untouched.push(back.id);
    }
    S.final = await items();
  },
}, async (rec) => {
  const { page } = S.admin;
  const list = await items();
  assert.ok(list.length > 5, `the blank sheet has items (${list.length})`);
  chooseTargets(list);
  await visit(page, rec, `/questionnaires/${S.qid}`, 'review');
  await page.locator('[data-item-id]').first().waitFor();
  await selectByKeyboard(page, list, S.accepted);
  // The grid is read without each draft's reasons and alternatives; the panel reads them for the
  // item in view and shows them in place of its placeholder.
  const full = (await itemNow(S.accepted)).draft || {};
  if ((full.why || []).length) await page.getByTestId('draft-why').first().waitFor();
  if ((full.alternatives || []).length) await page.getByTestId('accept-alternative-1').waitFor();
  await page.getByTestId('detail-pending').waitFor({ state: 'detached' });
  await look(page, rec, 'selected', { a11y: false });
  await page.keyboard.press('a');
  await until(async () => (await itemNow(S.accepted)).state === 'accepted', 'the accepted state (key a)');
  await look(page, rec, 'accepted', { a11y: false });

  await selectByKeyboard(page, list, S.edited);
  await page.keyboard.press('e');
  const form = page.getByTestId('edit-form');
  await form.waitFor();
  const remarks = form.getByLabel(/^(備考|remarks)$/i);
  const markSelect = form.getByLabel(/回答（選択肢）|answer \(choice\)/i);
  const options = await markSelect.locator('option').evaluateAll((os) => os.map((o) => ({ value: o.value, label: o.textContent })));
  const before = (await itemNow(S.edited)).draft || {};
  // A mark different from the draft's, and not blank.
  const pick = options.find((o) => o.value && o.value !== 'none' && o.value !== before.mark) || options.find((o) => o.value);
  await markSelect.selectOption(pick.value);
  await remarks.fill(EDIT_REMARKS);
  await look(page, rec, 'edit-form');
  await form.getByRole('button', { name: re.save }).click();
  const edited = await until(async () => { const it = await itemNow(S.edited); return it.state === 'edited' && it; }, 'the edited state (key e, save)');
  S.editedPick = pick;
  assert.equal(edited.answer.mark, pick.value, 'the mark is stored as chosen');
  assert.equal(edited.answer.remarks, EDIT_REMARKS, 'the remarks are stored exactly as typed');
  await look(page, rec, 'edited', { a11y: false });

  await selectByKeyboard(page, list, S.rejected);
  await page.keyboard.press('r');
  await until(async () => (await itemNow(S.rejected)).state === 'rejected', 'the rejected state (key r)');
  await look(page, rec, 'rejected', { a11y: false });

  await page.getByRole('button', { name: re.bulk }).click();
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  await look(page, rec, 'bulk-confirm');
  await dialog.getByRole('button', { name: re.ok }).click();
  await until(async () => (await items()).every((it) => it.state !== 'draft' || it.draft?.confidence !== 'high'), 'every high draft accepted');
  await look(page, rec, 'bulk-accepted');
  let after = await items();
  assert.equal(after.find((it) => it.id === S.rejected).state, 'rejected', 'bulk-accept leaves a rejected item alone');
  assert.equal(after.find((it) => it.id === S.edited).state, 'edited', 'bulk-accept leaves an edited item alone');

  // One item back to draft (the panel's 未レビューに戻す): a draft must leave its cell empty.
  if (!after.some((it) => it.state === 'draft')) {
    const back = after.find((it) => it.state === 'accepted' && it.id !== S.accepted);
    await selectByKeyboard(page, list, back.id);
    await page.getByRole('button', { name: /未レビューに戻す|back to unreviewed/i }).click();
    await until(async () => (await itemNow(back.id)).state === 'draft', 'the draft state (reset)');
    await look(page, rec, 'reset', { a11y: false });
    S.untouched.push(back.id);
    after = await items();
  }
  S.final = after;
});

// The filled workbook holds exactly the reviewed answers: accepted and edited items their
// answer, every other item its cells as the customer sent them. Marks are compared as
// `trustsheet import` reads them; the cells' text exactly as stored (import normalizes text).
function checkFilled(file) {
  const blank = importSheet(BLANK).items;
  const filled = importSheet(file).items;
  const blankBook = openWorkbook(BLANK);
  const filledBook = openWorkbook(file);
  const wrong = [];
  const cells = (book, it) => ({
    answer: it.part && it.location?.cells?.answer ? book.cell(it.part, it.location.cells.answer) : null,
    remarks: it.part && it.location?.cells?.remarks ? book.cell(it.part, it.location.cells.remarks) : null,
  });
  for (const it of S.final) {
    const got = filled.get(it.item_id);
    const orig = blank.get(it.item_id);
    if (!got || !orig) { wrong.push(`${it.number} (${it.item_id}): not in the ${got ? 'blank' : 'filled'} sheet`); continue; }
    const a = answerOf(got);
    const raw = cells(filledBook, got);
    const rawBlank = cells(blankBook, orig);
    const label = `${it.number} ${it.state} (${got.location?.sheet}!${got.location?.cells?.answer})`;
    if (it.state === 'accepted' || it.state === 'edited') {
      const want = it.answer;
      const wantMark = it.state === 'edited' ? S.editedPick.value : want.mark;
      if (!sameMark(a.mark, wantMark)) wrong.push(`${label}: mark ${a.mark} (${JSON.stringify(a.text)}), want ${wantMark} (${JSON.stringify(want.text)})`);
      if (raw.answer !== null && (want.text || '') && raw.answer !== want.text) wrong.push(`${label}: answer cell ${JSON.stringify(raw.answer)}, want ${JSON.stringify(want.text)}`);
      const wantRemarks = it.state === 'edited' ? EDIT_REMARKS : (want.remarks || '');
      if (raw.remarks !== null && raw.remarks !== wantRemarks) wrong.push(`${label}: remarks cell ${JSON.stringify(raw.remarks)}, want ${JSON.stringify(wantRemarks)}`);
    } else {
      const b = answerOf(orig);
      if (a.mark !== b.mark || a.text !== b.text) wrong.push(`${label}: answer ${a.mark} ${JSON.stringify(a.text)}, want as in the blank: ${b.mark} ${JSON.stringify(b.text)}`);
      if (raw.answer !== rawBlank.answer) wrong.push(`${label}: answer cell ${JSON.stringify(raw.answer)}, want as in the blank ${JSON.stringify(rawBlank.answer)}`);
      if (raw.remarks !== rawBlank.remarks) wrong.push(`${label}: remarks cell ${JSON.stringify(raw.remarks)}, want as in the blank ${JSON.stringify(rawBlank.remarks)}`);
    }
  }
  assert.deepEqual(wrong, [], `the filled workbook holds exactly the reviewed answers:\n${wrong.join('\n')}`);
  const states = S.final.reduce((m, it) => ({ ...m, [it.state]: (m[it.state] || 0) + 1 }), {});
  assert.ok(states.accepted >= 1 && states.edited === 1 && states.rejected === 1, `states: ${JSON.stringify(states)}`);
  if (S.untouched.length) assert.ok(states.draft >= 1, `an item is still in draft (${JSON.stringify(states)})`);
  const edited = filled.get(S.final.find((it) => it.id === S.edited).item_id);
  assert.ok(edited.location?.cells?.remarks, 'the edited item has a remarks cell');
  assert.equal(filledBook.cell(edited.part, edited.location.cells.remarks), EDIT_REMARKS, 'the edited remarks are in the file exactly');
  assert.equal(answerOf(filled.get(S.final.find((it) => it.id === S.rejected).item_id)).mark, 'none', 'the rejected item is empty');
  return states;
}

flow.step('download', {
  needs: ['review'],
  fallback: async () => {
    const r = await (await api(S.admin.context)).get(`/api/v1/questionnaires/${S.qid}/filled`, { raw: true });
    assert.equal(r.status, 200, 'GET filled');
    const file = path.join(tmp, 'filled-api.xlsx');
    fs.writeFileSync(file, await r.response.body());
    checkFilled(file);
  },
}, async (rec) => {
  const { page } = S.admin;
  if (!/\/questionnaires\/\d+$/.test(page.url())) await visit(page, rec, `/questionnaires/${S.qid}`, 'review');
  const [download] = await Promise.all([
    page.waitForEvent('download', { timeout: 30000 * env.SLOW }),
    page.getByRole('link', { name: re.download }).or(page.getByRole('button', { name: re.download })).first().click(),
  ]);
  const file = path.join(tmp, download.suggestedFilename() || 'filled.xlsx');
  await download.saveAs(file);
  await look(page, rec, 'downloaded', { a11y: false });
  assert.match(path.basename(file), /\.xlsx$/i, 'the filled file is the customer\'s own format');
  const states = checkFilled(file);
  process.stdout.write(`# filled file ${download.suggestedFilename()}: ${JSON.stringify(states)}\n`);
});

flow.step('other-pages', { needs: ['demo-organization'] }, async (rec) => {
  const { page } = S.admin;
  for (const [p, step] of [['/', 'home'], ['/library', 'library'], ['/admin', 'admin'], ['/account', 'account']]) {
    await visit(page, rec, p, step);
    assert.equal(new URL(page.url()).pathname, p, `${p} stays (no redirect to sign-in)`);
  }
});

// The admin opens another organization (account page), switches to it, invites someone who
// will belong only there (admin page, the link shown since no mail relay is set), and comes
// back to the demo organization for the steps after this one.
flow.step('new-organization', {
  needs: ['demo-organization'],
  timeout: 90000,
  fallback: async () => {
    const a = await api(S.admin.context);
    if (!S.otherOrg) {
      const org = await a.post('/api/v1/organizations', { name: OTHER_ORG });
      assert.equal(org.status, 201, `POST /organizations: ${org.text}`);
      S.otherOrg = org.json;
    }
    await switchTo(S.admin.context, S.otherOrg.id);
    const inv = await (await api(S.admin.context)).post('/api/v1/invitations', { email: OTHER.email, role: 'editor' });
    assert.equal(inv.status, 201, `POST /invitations: ${inv.text}`);
    S.inviteLink = inv.json.link || `${S.server.url}/invitation#token=${inv.json.token}`;
    await switchTo(S.admin.context, S.demo.id);
  },
}, async (rec) => {
  const { page, context } = S.admin;
  await visit(page, rec, '/account', 'account');
  await page.getByLabel('組織名', { exact: true }).or(page.getByTestId('new-organization')).first().fill(OTHER_ORG);
  await page.getByTestId('new-organization-submit').or(page.getByRole('button', { name: /^(作成|create)$/i })).first().click();
  const created = await until(async () => (await me(context))?.organizations?.find((o) => o.name === OTHER_ORG), `organization ${OTHER_ORG}`);
  S.otherOrg = created;
  await look(page, rec, 'created', { a11y: false });
  if ((await me(context)).organization.id !== created.id) {
    await page.getByRole('button', { name: new RegExp(`${OTHER_ORG}.*(切り替え|switch)|(switch|切り替え).*${OTHER_ORG}`, 'i') }).click();
    await until(async () => (await me(context))?.organization?.id === created.id, `the switch to ${OTHER_ORG}`);
  }
  await visit(page, rec, '/admin', 'admin');
  await page.getByLabel(/^(メールアドレス|e-?mail)/i).or(page.getByTestId('invite-email')).first().fill(OTHER.email);
  await page.getByLabel(/^(権限|role)$/i).or(page.getByTestId('invite-role')).first().selectOption('editor');
  await page.getByRole('button', { name: /^(招待する|invite)$/i }).click();
  const link = page.getByTestId('invitation-link');
  await link.waitFor();
  S.inviteLink = (await link.innerText()).trim();
  assert.match(S.inviteLink, /#token=/, 'the invitation link is shown');
  await look(page, rec, 'invited');
  await switchTo(context, S.demo.id);
});

flow.step('invitation', {
  needs: ['new-organization'],
  timeout: 90000,
  fallback: async () => {
    const token = new URL(S.inviteLink).hash.replace(/^#token=/, '');
    const r = await S.other.context.request.post('/api/v1/invitations/accept', {
      data: { token, name: OTHER.name, password: OTHER.password }, failOnStatusCode: false,
    });
    assert.ok([201, 404].includes(r.status()), `POST /invitations/accept: ${await r.text()}`); // 404: the page used it
    if (!(await me(S.other.context))) await apiSignIn(S.other.context, OTHER);
  },
}, async (rec) => {
  S.other = await newUser(S.browser, S.server);
  const o = S.other.page;
  flow.watch(o);
  // The link exactly as the admin was given it, as the invited person opens it.
  const given = new URL(S.inviteLink);
  await visit(o, rec, given.pathname + given.hash, 'link');
  let linkProblem = null;
  const acceptButton = o.getByRole('button', { name: /招待を受け入れる|参加|承諾|accept|join/i });
  if (await o.getByText(re.notFound).count() || !(await acceptButton.count())) {
    linkProblem = `the invitation link ${given.pathname}#token=… does not open the invitation page (/invitation)`;
    await visit(o, rec, `/invitation${given.hash}`, 'invitation');
  }
  const name = o.getByLabel(re.name);
  if (await name.count()) await name.first().fill(OTHER.name);
  await fillPasswords(o, OTHER.password);
  await acceptButton.click();
  await o.waitForURL((u) => !u.pathname.startsWith('/invit'));
  await look(o, rec, 'accepted');
  if (!(await me(S.other.context))) await signInPage(o, rec, OTHER);
  assert.equal(linkProblem, null, linkProblem);
});

flow.step('tenant-isolation', { needs: ['invitation', 'new-questionnaire'] }, async (rec) => {
  const o = S.other.page;
  const m = await me(S.other.context);
  assert.ok(m, 'the invited user is signed in');
  assert.equal(m.organization.id, S.otherOrg.id, 'the invited user is in the new organization');
  assert.ok(!(m.organizations || []).some((x) => x.id === S.demo.id), 'and not in the demo organization');
  await visit(o, rec, `/questionnaires/${S.qid}`, 'foreign-questionnaire');
  await o.getByText(re.notFound).first().waitFor();
  const body = await o.locator('main').innerText();
  assert.ok(!body.includes(CUSTOMER), 'the other organization\'s page shows nothing of the questionnaire');
  const b = await api(S.other.context);
  for (const u of [`/api/v1/questionnaires/${S.qid}`, `/api/v1/questionnaires/${S.qid}/items`, `/api/v1/questionnaires/${S.qid}/filled`]) {
    const r = await b.get(u);
    assert.equal(r.status, 404, `${u} answers another organization's user 404 (got ${r.status})`);
  }
});

flow.step('english', { needs: ['new-questionnaire'] }, async (rec) => {
  const { page, context } = S.admin;
  if ((await me(context))?.organization?.id !== S.demo.id) await switchTo(context, S.demo.id);
  await visit(page, rec, `/questionnaires/${S.qid}`, 'review-ja');
  await page.getByTestId('language-switch').click();
  await until(async () => (await page.locator('html').getAttribute('lang')) === 'en', 'html lang=en');
  await page.reload();
  await look(page, rec, 'review-en');
  assert.equal(await page.locator('html').getAttribute('lang'), 'en', 'the choice outlives a reload');
  await page.getByRole('link', { name: /^Download filled file$/ }).or(page.getByRole('button', { name: /^Download filled file$/ })).first().waitFor();
  await page.getByRole('button', { name: /^Accept all high drafts/ }).waitFor();
  for (const header of ['No.', 'Question', 'Answer', 'Remarks', 'Confidence', 'State']) {
    assert.ok(await page.getByRole('columnheader', { name: header, exact: true }).count(), `column header ${header}`);
  }
  const text = await page.locator('body').innerText();
  for (const ja of ['記入済みファイルをダウンロード', '一括承認', '絞り込み', 'ステータス']) {
    assert.ok(!text.includes(ja), `no Japanese label 「${ja}」 on the English review screen`);
  }
  // Back to Japanese for whoever looks next.
  await page.getByTestId('language-switch').click();
  await until(async () => (await page.locator('html').getAttribute('lang')) === 'ja', 'html lang=ja');
});

test('accessibility: no serious or critical axe-core violations on any page visited', () => {
  // Split each view's findings into known ones (known-failures.json, printed) and new ones (fail).
  const fresh = [];
  const old = [];
  for (const r of a11yLog) {
    const pathname = new URL(r.url).pathname;
    const unknown = [];
    for (const v of r.serious) {
      const nodes = v.nodes.filter((n) => {
        const k = knownAxe(v, n, pathname);
        if (k) old.push(`${r.test}/${r.step} ${pathname}: [${v.impact}] ${v.id} at ${n.target} (known: ${k.why})`);
        return !k;
      });
      if (nodes.length) unknown.push({ ...v, nodes });
    }
    if (unknown.length || r.error) fresh.push({ ...r, serious: unknown });
  }
  const lines = fresh.map((r) => `${r.test}/${r.step} ${new URL(r.url).pathname} (${r.screenshot})${r.error ? `: axe failed: ${r.error}` : ''}\n${formatViolations(r.serious)}`);
  const seen = [...new Set(a11yLog.map((r) => new URL(r.url).pathname.replace(/\d+$/, '{id}')))].sort();
  process.stdout.write(`# axe-core checked ${a11yLog.length} page views: ${seen.join(' ')}\n`);
  for (const l of [...new Set(old)]) process.stdout.write(`# known: ${l}\n`);
  fs.writeFileSync(path.join(env.SCREENSHOTS, 'axe.json'), JSON.stringify(a11yLog, null, 1));
  assert.ok(a11yLog.length > 0, 'no page was checked');
  for (const p of ['/setup', '/sign-in', '/account', '/', '/questionnaires/new', '/questionnaires/{id}', '/library', '/admin', '/invitation|/invite']) {
    assert.ok(p.split('|').some((x) => seen.includes(x)), `axe-core checked ${p}`);
  }
  assert.equal(fresh.length, 0, `serious or critical violations on ${fresh.length} page view(s):\n${lines.join('\n')}`);
});
