#!/usr/bin/env node
'use strict';
// Benchmark (not a test) of issue 11's point "Review screen for a 300-item sheet: interactive
// within 1 s of navigation on this machine". Starts `trustsheet serve` on loopback with the demo
// organization, sets up the first administrator through the JSON API, opens a generated
// N-item CSV checksheet and the 9-item blank workbook as questionnaires of 「デモサービス」, then
// loads /questionnaires/{id} (and, as the small-page baseline, /) in headless Chromium several
// times and prints what the page's performance marks and timing entries say, next to the time
// of the page's main JSON request measured from node. It asserts nothing about speed: it exits
// non-zero only when something failed (the server, a page that never got ready, a timeout).
//
//   node bench/browser/review_screen_bench.js [--bin build/dev/apps/trustsheet/trustsheet]
//        [--rows 300] [--runs 5] [--timeout 600] [--json]
//
// See README.md here for what each figure means.
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');

// ------------------------------------------------------------------ arguments
function parseArgs(argv) {
  const o = { bin: null, rows: 300, runs: 5, timeout: 600, json: false };
  for (let i = 0; i < argv.length; i += 1) {
    const a = argv[i];
    const val = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      i += 1;
      return argv[i];
    };
    if (a === '--bin') o.bin = val();
    else if (a === '--rows') o.rows = Number(val());
    else if (a === '--runs') o.runs = Number(val());
    else if (a === '--timeout') o.timeout = Number(val());
    else if (a === '--json') o.json = true;
    else if (a === '-h' || a === '--help') o.help = true;
    else throw new Error(`unknown argument ${a}`);
  }
  if (!Number.isInteger(o.rows) || o.rows < 1 || o.rows > 5000) throw new Error('--rows: 1 to 5000');
  if (!Number.isInteger(o.runs) || o.runs < 2 || o.runs > 100) throw new Error('--runs: 2 to 100 (the first is the cold one)');
  if (!(o.timeout > 0)) throw new Error('--timeout: seconds, > 0');
  return o;
}

let opts;
try {
  opts = parseArgs(process.argv.slice(2));
} catch (e) {
  process.stderr.write(`${e.message}\nusage: node bench/browser/review_screen_bench.js [--bin PATH] [--rows 300] [--runs 5] [--timeout 600] [--json]\n`);
  process.exit(2);
}
if (opts.help) {
  process.stdout.write('usage: node bench/browser/review_screen_bench.js [--bin PATH] [--rows 300] [--runs 5] [--timeout 600] [--json]\n');
  process.exit(0);
}
// tests/browser/lib/env.js reads TS_BIN when it is first required.
if (opts.bin) process.env.TS_BIN = path.resolve(opts.bin);

const LIB = path.join(ROOT, 'tests', 'browser', 'lib');
const env = require(path.join(LIB, 'env'));
const { startServer, stopServer } = require(path.join(LIB, 'server'));
const { launch, newUser, VIEWPORT } = require(path.join(LIB, 'browser'));
const { api } = require(path.join(LIB, 'api'));

const READY_TIMEOUT = 30000 * env.SLOW; // a page not ready in 30 s is a failure (TS_BROWSER_SLOW stretches it)
const IMPORT_TIMEOUT = 180000; // opening the N-item sheet drafts every item
const ADMIN = { email: 'bench@example.com', name: 'ベンチ 太郎', password: 'Kaze-to-sora-2026!', organization: 'ベンチ株式会社' };

// ------------------------------------------------------------------ the generated checksheet
// Questions of the kind customers send (written for this benchmark), each made distinct by a
// scope and a number so that no two rows are the same text.
const QUESTIONS = [
  '情報セキュリティ基本方針を策定し、経営層の承認を得ていますか。',
  '情報セキュリティに関する責任者を任命していますか。',
  '情報資産の台帳を作成し、定期的に見直していますか。',
  '従業員に対して年1回以上のセキュリティ教育を実施していますか。',
  '入社時に秘密保持に関する誓約書を取得していますか。',
  '退職者のアカウントを速やかに削除していますか。',
  'パスワードの最低文字数と複雑さの要件を定めていますか。',
  '管理者権限でのログインに多要素認証を必須としていますか。',
  'アクセス権限の棚卸しを定期的に実施していますか。',
  '特権IDの利用を記録し、上長が確認していますか。',
  '通信経路はTLS 1.2以上で暗号化されていますか。',
  '保存データは暗号化されていますか。暗号方式を記載してください。',
  '暗号鍵の管理手順を定めていますか。',
  '不正アクセスを検知する仕組みを導入していますか。',
  'サーバーのログを何日間保管していますか。',
  'ログの改ざんを防止する対策を講じていますか。',
  '脆弱性診断を定期的に実施していますか。実施頻度を記載してください。',
  'OSやミドルウェアのセキュリティパッチを適用する期限を定めていますか。',
  'ウイルス対策ソフトを全端末に導入していますか。',
  'バックアップを取得し、復元テストを行っていますか。',
  'バックアップデータを遠隔地に保管していますか。',
  '目標復旧時間（RTO）を定めていますか。',
  '事業継続計画（BCP）を策定していますか。',
  'データセンターの入退室を管理していますか。',
  'セキュリティインシデント発生時の連絡体制を整備していますか。',
  'インシデント発生時、何時間以内に顧客へ報告しますか。',
  '過去3年以内に重大な情報漏えい事故はありましたか。',
  '業務委託先のセキュリティ管理状況を確認していますか。',
  '再委託を行う場合、事前に顧客の承認を得ますか。',
  '個人情報の取り扱いに関する規程を定めていますか。',
  'プライバシーマークまたはISMS認証を取得していますか。',
  '顧客データを国外のサーバーに保管することはありますか。',
  '契約終了時に顧客データを消去し、証明書を発行できますか。',
  '開発環境と本番環境を分離していますか。',
  'ソースコードのレビューを実施していますか。',
  '本番環境への変更は承認を経て行っていますか。',
  'ペネトレーションテストを第三者に依頼していますか。',
  '可用性（稼働率）の目標値を記載してください。',
  'SLAを定め、違反時の取り決めがありますか。',
  'クラウドサービスの設定不備を点検する仕組みがありますか。',
  'シングルサインオン（SAML等）に対応していますか。',
  '監査ログを顧客に提供できますか。',
];
const SCOPES = ['本番環境', '開発環境', '委託先を含む', '全拠点', '管理部門', 'サポート窓口', '社外持出し端末'];

const csvCell = (s) => `"${String(s).replace(/"/g, '""')}"`;

function checksheetCsv(rows) {
  const lines = [['番号', '質問', '回答', '備考'].map(csvCell).join(',')];
  for (let i = 0; i < rows; i += 1) {
    const q = QUESTIONS[i % QUESTIONS.length];
    const scope = SCOPES[Math.floor(i / QUESTIONS.length) % SCOPES.length];
    lines.push([String(i + 1), `${q}（対象：${scope}／設問${i + 1}）`, '', ''].map(csvCell).join(','));
  }
  return Buffer.from(`\ufeff${lines.join('\r\n')}\r\n`, 'utf8');
}

// ------------------------------------------------------------------ small helpers
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function withTimeout(promise, ms, what) {
  let t;
  const timer = new Promise((_, reject) => { t = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms); });
  return Promise.race([promise, timer]).finally(() => clearTimeout(t));
}

function median(xs) {
  const v = xs.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return null;
  const m = Math.floor(v.length / 2);
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}
function max(xs) {
  const v = xs.filter((x) => typeof x === 'number' && Number.isFinite(x));
  return v.length ? Math.max(...v) : null;
}
const fmt = (x) => (x == null ? '-' : String(Math.round(x)));

function log(msg) {
  process.stderr.write(`# ${msg}\n`);
}

// ------------------------------------------------------------------ one page load
// Installed before any script of the page: records when `selector` first matches at least
// `count` elements in the document (rows attached, the home list shown).
function initScript({ selector, count }) {
  window.__bench = { contentAt: null };
  const check = () => {
    if (window.__bench.contentAt != null) return true;
    if (document.querySelectorAll(selector).length >= count) {
      window.__bench.contentAt = performance.now();
      return true;
    }
    return false;
  };
  const mo = new MutationObserver(() => { if (check()) mo.disconnect(); });
  mo.observe(document, { childList: true, subtree: true });
}

// Waits (in the page) for the selection to move after the next `j`: the keydown's own
// timestamp, the moment the observer sees another row get aria-current="true", and the next
// animation frame after that (the frame that shows it).
function armKeyProbe() {
  const rowsNow = () => [...document.querySelectorAll('tr[data-item-id][aria-current="true"]')].map((r) => r.dataset.itemId);
  const before = rowsNow()[0] ?? null;
  const out = { before, keyAt: null, keyHandlerAt: null, movedAt: null, frameAt: null, after: null };
  window.__benchKey = out;
  window.__benchKeyDone = new Promise((resolve) => {
    window.addEventListener('keydown', (ev) => {
      if (ev.key !== 'j') return;
      out.keyAt = ev.timeStamp;
      out.keyHandlerAt = performance.now();
    }, { capture: true, once: true });
    const mo = new MutationObserver(() => {
      const now = rowsNow()[0] ?? null;
      if (now != null && now !== before) {
        out.movedAt = performance.now();
        out.after = now;
        mo.disconnect();
        requestAnimationFrame(() => { out.frameAt = performance.now(); resolve(out); });
      }
    });
    mo.observe(document.body, { attributes: true, attributeFilter: ['aria-current'], subtree: true });
  });
  return before;
}

async function loadOnce(context, sc) {
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
  try {
    await page.addInitScript(initScript, { selector: sc.contentSelector, count: sc.contentCount });
    await page.goto(sc.url, { waitUntil: 'commit', timeout: READY_TIMEOUT });
    // Ready: the review page's own mark, or the home page's list in the document.
    await page.waitForFunction(
      (review) => (review ? performance.getEntriesByName('review:ready').length > 0 : window.__bench?.contentAt != null),
      sc.review, { timeout: READY_TIMEOUT, polling: 'raf' },
    ).catch((e) => { throw new Error(`${sc.label}: not ready within ${READY_TIMEOUT} ms (${e.message.split('\n')[0]})${errors.length ? `; ${errors.join('; ')}` : ''}`); });

    const r = { errors };
    if (sc.review) {
      const before = await page.evaluate(armKeyProbe);
      if (before == null) throw new Error(`${sc.label}: no row selected after review:ready`);
      await page.keyboard.press('j');
      const k = await withTimeout(page.evaluate(() => window.__benchKeyDone), 10000, `${sc.label}: the selection after j`);
      // keyAt is the event's timestamp (when the input arrived); fall back to the handler's
      // time if the browser gave a timestamp from another clock.
      const start = k.keyAt > 0 && k.keyAt <= k.keyHandlerAt ? k.keyAt : k.keyHandlerAt;
      r.keyMove = k.movedAt - start;
      r.keyFrame = k.frameAt - start;
      // All rows attached (they come in chunks after ready).
      await page.waitForFunction(() => window.__bench?.contentAt != null, null, { timeout: READY_TIMEOUT, polling: 100 })
        .catch(() => { throw new Error(`${sc.label}: the grid never had all ${sc.contentCount} rows`); });
    }
    const t = await page.evaluate((itemsPath) => {
      const mark = (n) => performance.getEntriesByName(n)[0]?.startTime ?? null;
      const nav = performance.getEntriesByType('navigation')[0];
      const res = itemsPath
        ? performance.getEntriesByType('resource').find((e) => new URL(e.name).pathname === itemsPath)
        : null;
      return {
        dcl: nav ? nav.domContentLoadedEventEnd : null,
        start: mark('review:start'),
        data: mark('review:data'),
        ready: mark('review:ready'),
        content: window.__bench?.contentAt ?? null,
        itemsFetch: res ? res.responseEnd - res.startTime : null,
        rows: document.querySelectorAll('tr[data-item-id]').length,
      };
    }, sc.itemsPath || null);
    Object.assign(r, t);
    if (!sc.review) r.ready = r.content;
    return r;
  } finally {
    await page.close().catch(() => {});
  }
}

// ------------------------------------------------------------------ the JSON API from node
async function timedGet(server, cookie, urlPath) {
  const t0 = performance.now();
  const res = await fetch(`${server.url}${urlPath}`, { headers: { Cookie: cookie, Accept: 'application/json' }, signal: AbortSignal.timeout(READY_TIMEOUT) });
  const body = await res.arrayBuffer();
  const ms = performance.now() - t0;
  if (!res.ok) throw new Error(`GET ${urlPath}: ${res.status}`);
  return { ms, bytes: body.byteLength };
}

// ------------------------------------------------------------------ setup
async function prepare(server, browser) {
  const admin = await newUser(browser, server);
  await admin.page.close();
  const { context } = admin;
  const setup = await context.request.post('/api/v1/setup', {
    data: { token: server.setupToken, ...ADMIN }, failOnStatusCode: false, timeout: READY_TIMEOUT,
  });
  if (setup.status() !== 201) throw new Error(`POST /api/v1/setup: ${setup.status()} ${await setup.text()}`);
  const a = await api(context);
  const me = (await a.get('/api/v1/me')).json;
  if (!me) throw new Error('GET /api/v1/me after setup: not signed in');
  const demo = (me.organizations || []).find((o) => o.name === 'デモ' || /デモ|demo/i.test(o.name));
  if (!demo) throw new Error(`the first admin is not in a demo organization (has ${JSON.stringify(me.organizations)})`);
  if (me.organization?.id !== demo.id) {
    const s = await a.post('/api/v1/me/organization', { organization: demo.id });
    if (s.status !== 200) throw new Error(`switch to the demo organization: ${s.status} ${s.text}`);
    a.resetCsrf();
  }
  const services = (await a.get('/api/v1/services')).json;
  const svc = (services?.items || services || []).find((s) => s.name === 'デモサービス');
  if (!svc) throw new Error('the demo organization has no 「デモサービス」');

  const open = async (name, bytes) => {
    const q = new URLSearchParams({ service: svc.id, customer: 'ベンチマーク商事株式会社', name });
    const t0 = performance.now();
    const r = await withTimeout(a.post(`/api/v1/questionnaires?${q}`, bytes), IMPORT_TIMEOUT, `POST /questionnaires (${name})`);
    if (r.status !== 201) throw new Error(`POST /api/v1/questionnaires (${name}): ${r.status} ${r.text}`);
    const items = (await a.get(`/api/v1/questionnaires/${r.json.id}/items`)).json?.items || [];
    log(`opened ${name}: questionnaire ${r.json.id}, ${items.length} items, ${items.filter((it) => it.draft?.confidence && it.draft.confidence !== 'none').length} drafted, in ${Math.round(performance.now() - t0)} ms`);
    return { id: r.json.id, items: items.length };
  };
  const big = await open('bench.csv', checksheetCsv(opts.rows));
  if (big.items !== opts.rows) throw new Error(`bench.csv: the server read ${big.items} items, not ${opts.rows}`);
  const small = await open('blank_layout1_answer_column.xlsx', fs.readFileSync(path.join(env.BLANK, 'blank_layout1_answer_column.xlsx')));

  const cookies = await context.cookies(server.url);
  const cookie = cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  return { admin, cookies, cookie, demo, svc, big, small };
}

// ------------------------------------------------------------------ main
async function main() {
  let server = null;
  let browser = null;
  const stop = async () => {
    if (browser) { const b = browser; browser = null; await withTimeout(b.close(), 20000, 'closing the browser').catch(() => {}); }
    if (server) { const s = server; server = null; await stopServer(s).catch(() => {}); }
  };
  const watchdog = setTimeout(async () => {
    process.stderr.write(`FAILED: the benchmark overran --timeout ${opts.timeout} s\n`);
    await stop();
    process.exit(1);
  }, opts.timeout * 1000);
  try {
    const t0 = Date.now();
    log(`binary ${env.BIN}; load average ${fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`);
    server = await startServer();
    log(`server at ${server.url} (${Date.now() - t0} ms)`);
    browser = await launch();
    log(`chromium ${browser.version()}`);
    const P = await prepare(server, browser);

    const scenarios = [
      { key: 'home', label: 'home /', items: null, url: '/', review: false, apiPath: '/api/v1/questionnaires?owner=me&limit=50',
        contentSelector: '[data-testid="questionnaire-row"], [data-testid="questionnaire-list-empty"], [data-testid="home-empty"]', contentCount: 1 },
      { key: 'small', label: `review ${P.small.items} items`, items: P.small.items, url: `/questionnaires/${P.small.id}`, review: true,
        itemsPath: `/api/v1/questionnaires/${P.small.id}/items`, apiPath: `/api/v1/questionnaires/${P.small.id}/items`,
        contentSelector: 'tr[data-item-id]', contentCount: P.small.items },
      { key: 'big', label: `review ${P.big.items} items`, items: P.big.items, url: `/questionnaires/${P.big.id}`, review: true,
        itemsPath: `/api/v1/questionnaires/${P.big.id}/items`, apiPath: `/api/v1/questionnaires/${P.big.id}/items`,
        contentSelector: 'tr[data-item-id]', contentCount: P.big.items },
    ];
    // A fresh browser context (empty cache, same session cookie) per page, so that each
    // page's first load is cold; the runs of the three pages take turns, so that the
    // machine's other load falls on all of them alike.
    for (const sc of scenarios) {
      const u = await newUser(browser, server);
      await u.page.close();
      await u.context.addCookies(P.cookies);
      sc.context = u.context;
      sc.results = [];
      sc.api = [];
    }
    await P.admin.context.close();
    for (let run = 0; run < opts.runs; run += 1) {
      for (const sc of scenarios) {
        const r = await loadOnce(sc.context, sc);
        sc.results.push(r);
        if (r.errors.length) log(`${sc.label} run ${run + 1}: ${r.errors.join('; ')}`);
        const g = await timedGet(server, P.cookie, sc.apiPath);
        sc.api.push(g.ms);
        sc.apiBytes = g.bytes;
      }
      log(`run ${run + 1}/${opts.runs} done`);
    }
    for (const sc of scenarios) await sc.context.close().catch(() => {});
    const load = fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
    await stop();
    clearTimeout(watchdog);
    report(scenarios, load);
    return 0;
  } catch (e) {
    process.stderr.write(`FAILED: ${e.stack || e.message}\n`);
    await stop();
    clearTimeout(watchdog);
    return 1;
  }
}

function report(scenarios, load) {
  const FIG = [
    ['dcl', 'DCL'],
    ['start', 'start'],
    ['data', 'data'],
    ['ready', 'ready'],
    ['content', 'rows-all'],
    ['itemsFetch', 'items-fetch'],
    ['keyMove', 'j→moved'],
    ['keyFrame', 'j→frame'],
  ];
  const rows = [];
  const json = [];
  for (const sc of scenarios) {
    const cold = sc.results.slice(0, 1);
    const warm = sc.results.slice(1);
    for (const [kind, set] of [['cold', cold], ['warm', warm]]) {
      const line = { page: sc.label, kind, items: sc.items ?? '-', runs: set.length };
      const j = { page: sc.key, kind, items: sc.items, runs: set.length };
      for (const [k, name] of FIG) {
        const vals = set.map((r) => r[k]);
        const applies = sc.review || ['dcl', 'ready'].includes(k);
        line[name] = applies ? (set.length === 1 ? fmt(vals[0]) : `${fmt(median(vals))} / ${fmt(max(vals))}`) : '-';
        if (applies) j[k] = { median: median(vals), max: max(vals), values: vals };
      }
      if (kind === 'warm') {
        line.api = `${fmt(median(sc.api))} / ${fmt(max(sc.api))} (n=${sc.api.length}, ${Math.round(sc.apiBytes / 1024)} KiB)`;
        j.api = { path: sc.apiPath, median: median(sc.api), max: max(sc.api), values: sc.api, bytes: sc.apiBytes };
      } else line.api = '';
      rows.push(line);
      json.push(j);
    }
  }
  const cols = ['page', 'kind', 'items', 'runs', ...FIG.map((f) => f[1]), 'api'];
  const head = { page: 'page', kind: 'load', items: 'items', runs: 'runs', api: 'API GET from node' };
  for (const [, n] of FIG) head[n] = n;
  const width = (c) => Math.max(...[head, ...rows].map((r) => String(r[c]).length));
  const W = Object.fromEntries(cols.map((c) => [c, width(c)]));
  const fmtRow = (r) => cols.map((c) => (['page', 'kind', 'api'].includes(c) ? String(r[c]).padEnd(W[c]) : String(r[c]).padStart(W[c]))).join('  ').trimEnd();
  const out = [];
  out.push(`review screen benchmark: ${opts.runs} loads per page (the first cold, then median / max of the rest), ms from navigation start; Chromium headless ${VIEWPORT.width}x${VIEWPORT.height}; load average at the end ${load}`);
  out.push(fmtRow(head));
  out.push(cols.map((c) => '-'.repeat(W[c])).join('  '));
  for (const r of rows) out.push(fmtRow(r));
  out.push('DCL = DOMContentLoaded end (the app\'s modules fetched and run); start = review:start (messages, session and route table read, the page module loaded); data = review:data (its three requests answered); ready = review:ready (grid built, first row selected, keys live; for / the question list in the document);');
  out.push('rows-all = every item row attached; items-fetch = GET …/items as the page saw it (request start to response end); j→moved = j keydown to another row getting aria-current; j→frame = to the next frame after it;');
  out.push('API = the same page\'s main JSON request from node\'s fetch (/: GET /api/v1/questionnaires?owner=me; review: GET …/items), median / max of all runs.');
  process.stdout.write(`${out.join('\n')}\n`);
  if (opts.json) process.stdout.write(`${JSON.stringify({ runs: opts.runs, rows: opts.rows, load, results: json }, null, 1)}\n`);
}

main().then((code) => process.exit(code), (e) => { process.stderr.write(`FAILED: ${e.stack || e}\n`); process.exit(1); });
