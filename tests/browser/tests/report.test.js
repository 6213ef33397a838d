'use strict';
// The customer's comparison report (`trustsheet compare SHEET... -o report.html`), opened in
// Chromium as a user would open the file: its charts render (bars drawn with the widths their
// scores give), its tables are there, nothing on it fails, and axe-core finds nothing serious.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { launch, Recorder } = require('../lib/browser');
const { checkA11y } = require('../lib/axe');
const env = require('../lib/env');

const ASSESS = path.join(env.ROOT, 'tests', 'data', 'assess', 'dev');

test('compare report: three vendors, charts drawn, findings listed', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ts-report-'));
  const out = path.join(dir, 'report.html');
  const sheets = ['vendor_a_maru_batsu.csv', 'vendor_b_umu.csv', 'vendor_e_english.csv'].map((f) => path.join(ASSESS, f));
  const printed = execFileSync(env.BIN, ['compare', ...sheets, '-o', out, '--title', '取引先 3 社の比較'], { encoding: 'utf8' });
  assert.match(printed, /vendor_b_umu\.csv: スコア \d+\.\d \((問題なし|要確認|不可)\)/);
  const browser = await launch();
  try {
    const page = await browser.newPage({ viewport: { width: 1100, height: 1400 } });
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto('file://' + out);
    const rec = new Recorder('report');
    await rec.shot(page, 'compare');
    assert.equal(await page.locator('h1').textContent(), '取引先 3 社の比較');
    assert.equal(await page.locator('table.summary tbody tr').count(), 3);
    // The bar chart: one bar per vendor and domain, laid out by the browser with the width its
    // score gives (440 px for 100).
    const bars = page.locator('svg.chart rect.bar');
    const n = await bars.count();
    assert.ok(n >= 3 * 5, `bars: ${n}`);
    for (let i = 0; i < n; i += 1) {
      const box = await bars.nth(i).boundingBox();
      const title = await bars.nth(i).locator('title').textContent();
      const score = Number(title.split(': ').pop());
      assert.ok(box && Math.abs(box.width - (440 * score) / 100) <= 1.5, `${title}: width ${box && box.width}`);
    }
    assert.ok((await page.locator('table.heat tbody tr').count()) >= 5);
    assert.ok((await page.locator('table.findings tr.risk').count()) > 0);
    await page.locator('table.findings').first().scrollIntoViewIfNeeded();
    await rec.shot(page, 'findings');
    const a11y = await checkA11y(page);
    assert.deepEqual(a11y.serious.map((v) => v.id), [], JSON.stringify(a11y.serious, null, 1));
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
