#!/usr/bin/env node
'use strict';
// Runs the browser suite: node's test runner over tests/*.test.js against one trustsheet binary,
// in Debian's Chromium. ctest calls it (label `browser`); by hand, from the repository:
//   node tests/browser/run.js --bin build/dev/apps/trustsheet/trustsheet [--only e2e] [--timeout 240]
// Exits 77 (ctest: skipped) when what it needs is not installed: scripts/test installs it.
// Everything it starts (test processes, servers, Chromium) is in one process group, which it
// ends when the suite overruns its time.
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const SKIP = 77;
const here = __dirname;
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : dflt;
};
const root = path.resolve(here, '..', '..');
const bin = path.resolve(opt('bin', process.env.TS_BIN || path.join(root, 'build', 'dev', 'apps', 'trustsheet', 'trustsheet')));
const shots = path.resolve(opt('screenshots', process.env.TS_SCREENSHOTS || path.join(path.dirname(path.dirname(path.dirname(bin))), 'browser-screenshots')));
const chromium = process.env.TS_CHROMIUM || '/usr/bin/chromium';
const budget = Number(opt('timeout', process.env.TS_BROWSER_TIMEOUT || 240)) * 1000;
const only = opt('only', '');

function skip(why) {
  process.stdout.write(`browser tests skipped: ${why}\n`);
  process.exit(SKIP);
}
for (const mod of ['playwright-core', 'axe-core']) {
  if (!fs.existsSync(path.join(here, 'node_modules', mod, 'package.json'))) {
    skip(`tests/browser/node_modules/${mod} is missing; run scripts/test (it runs npm ci in tests/browser)`);
  }
}
if (!fs.existsSync(chromium)) skip(`${chromium} is missing; run scripts/test (it installs Debian's chromium from deps/debian-packages.txt)`);
if (!fs.existsSync(bin)) {
  process.stderr.write(`no trustsheet binary at ${bin}\n`);
  process.exit(1);
}

// A fresh screenshot folder on every run: what is there is what this run saw.
fs.mkdirSync(shots, { recursive: true });
for (const f of fs.readdirSync(shots)) if (f.endsWith('.png') || f.endsWith('.json')) fs.rmSync(path.join(shots, f));

const testDir = path.join(here, 'tests');
const files = fs.readdirSync(testDir).filter((f) => f.endsWith('.test.js') && (!only || f.startsWith(only))).sort()
  .map((f) => path.join(testDir, f));
const started = Date.now();
const child = spawn(process.execPath, [
  '--test', '--test-concurrency=1', `--test-timeout=${budget}`, '--test-reporter=spec', ...files,
], {
  cwd: root,
  stdio: 'inherit',
  detached: true, // its own process group: one kill reaches servers and browsers too
  env: { ...process.env, TS_BIN: bin, TS_SCREENSHOTS: shots, TS_CHROMIUM: chromium, FORCE_COLOR: '0', NO_COLOR: '1' },
});

let timedOut = false;
const killGroup = (sig) => { try { process.kill(-child.pid, sig); } catch { /* gone */ } };
const timer = setTimeout(() => {
  timedOut = true;
  process.stderr.write(`browser suite overran ${budget / 1000} s: stopping it\n`);
  killGroup('SIGTERM');
  setTimeout(() => killGroup('SIGKILL'), 10000).unref();
}, budget + 15000);
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => { killGroup('SIGTERM'); setTimeout(() => { killGroup('SIGKILL'); process.exit(1); }, 5000).unref(); });
}
child.on('exit', (code, sig) => {
  clearTimeout(timer);
  killGroup('SIGKILL'); // anything a test left behind
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  process.stdout.write(`browser suite: ${secs} s; screenshots in ${shots}\n`);
  process.exit(timedOut ? 1 : code ?? (sig ? 1 : 0));
});
