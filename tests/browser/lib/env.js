'use strict';
// Where things are. run.js sets these for the test processes; each has a default for running a
// test file by hand from the repository (node --test tests/browser/tests/e2e.test.js).
//   TS_BIN          the trustsheet binary           (build/dev/apps/trustsheet/trustsheet)
//   TS_SCREENSHOTS  where screenshots go            (build/dev/browser-screenshots)
//   TS_CHROMIUM     the browser                     (/usr/bin/chromium)
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..', '..');
const PRESET = process.env.TS_PRESET || 'dev';
const BIN = process.env.TS_BIN || path.join(ROOT, 'build', PRESET, 'apps', 'trustsheet', 'trustsheet');
const SCREENSHOTS = process.env.TS_SCREENSHOTS || path.join(path.dirname(path.dirname(path.dirname(BIN))), 'browser-screenshots');
const CHROMIUM = process.env.TS_CHROMIUM || '/usr/bin/chromium';
const SAMPLES = path.join(ROOT, 'tests', 'data', 'samples');
const BLANK = path.join(ROOT, 'tests', 'data', 'blank');
const AXE = require.resolve('axe-core/axe.min.js');
// Slower builds (asan) get more time for every wait.
const SLOW = Number(process.env.TS_BROWSER_SLOW || 1);

module.exports = { ROOT, PRESET, BIN, SCREENSHOTS, CHROMIUM, SAMPLES, BLANK, AXE, SLOW };
