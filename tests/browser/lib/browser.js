'use strict';
// Debian's Chromium through playwright-core (no browser download): launch, a context per user,
// a screenshot of every page visited and an axe-core check of it.
const fs = require('node:fs');
const path = require('node:path');
const { chromium } = require('playwright-core');
const env = require('./env');
const { checkA11y } = require('./axe');

const VIEWPORT = { width: 1280, height: 900 };

// Flags from the machine notes: without the background-networking ones Chromium keeps trying
// Google's hosts, which this closed network refuses.
async function launch() {
  const args = [
    '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
  ];
  if (typeof process.getuid === 'function' && process.getuid() === 0) args.push('--no-sandbox');
  return chromium.launch({ executablePath: env.CHROMIUM, headless: true, args, timeout: 60000 * env.SLOW });
}

// A fresh profile (cookies, storage) for one user. bypassCSP lets the test inject axe-core into
// pages whose CSP forbids any script but the app's own. Japanese unless `locale` says otherwise.
async function newUser(browser, server, { locale = 'ja-JP' } = {}) {
  const context = await browser.newContext({
    baseURL: server.url,
    viewport: VIEWPORT,
    locale,
    extraHTTPHeaders: { 'Accept-Language': locale.startsWith('ja') ? 'ja,en;q=0.5' : 'en,ja;q=0.5' },
    bypassCSP: true,
    acceptDownloads: true,
    timezoneId: 'Asia/Tokyo',
  });
  context.setDefaultTimeout(15000 * env.SLOW);
  context.setDefaultNavigationTimeout(30000 * env.SLOW);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
  return { context, page, errors };
}

// Screenshots and accessibility results of one test: <test>-<NN>-<step>.png.
class Recorder {
  constructor(test) {
    this.test = test;
    this.n = 0;
    fs.mkdirSync(env.SCREENSHOTS, { recursive: true });
  }

  async shot(page, step) {
    this.n += 1;
    const file = path.join(env.SCREENSHOTS, `${this.test}-${String(this.n).padStart(2, '0')}-${step}.png`);
    try {
      await page.screenshot({ path: file, fullPage: false, timeout: 15000 * env.SLOW });
    } catch (e) {
      process.stderr.write(`screenshot ${file} failed: ${e.message}\n`);
    }
    return file;
  }
}

// Everything axe found on the pages visited, for the accessibility test at the end.
const a11yLog = [];

// Waits for the page to settle (no requests for 500 ms, the boot message gone, the router done),
// then takes its screenshot and, unless told not to, checks it with axe-core.
async function settle(page) {
  await page.waitForLoadState('networkidle', { timeout: 10000 * env.SLOW }).catch(() => {});
  await page.locator('.boot-message').waitFor({ state: 'detached', timeout: 10000 * env.SLOW }).catch(() => {});
  // The router marks <main aria-busy> while it renders a page.
  await page.locator('main[aria-busy="true"]').waitFor({ state: 'detached', timeout: 10000 * env.SLOW }).catch(() => {});
}

async function look(page, rec, step, { a11y = true } = {}) {
  await settle(page);
  const file = await rec.shot(page, step);
  if (a11y) {
    const r = await checkA11y(page).catch((e) => ({ error: e.message, serious: [] }));
    a11yLog.push({ test: rec.test, step, url: page.url().replace(/#.*/, ''), screenshot: path.basename(file), ...r }); // no tokens kept
  }
  return file;
}

async function visit(page, rec, urlPath, step, opts) {
  await page.goto(urlPath);
  return look(page, rec, step, opts);
}

module.exports = { launch, newUser, Recorder, settle, look, visit, a11yLog, VIEWPORT };
