'use strict';
// One user story as a sequence of node:test tests sharing state: a step whose prerequisite
// failed is skipped with the reason (so one broken page does not bury the rest under noise),
// and a failing step leaves a screenshot of every open page named <test>-NN-failed. A step may
// have a fallback that reaches the same state through the JSON API: the step fails, the story
// goes on.
const test = require('node:test');
const { Recorder } = require('./browser');
const { known } = require('./known');

function createFlow() {
  const done = new Set();
  const failed = new Map();
  const pages = new Set(); // pages to photograph on failure
  const flow = {
    state: {},
    watch(page) { pages.add(page); return page; },
    unwatch(page) { pages.delete(page); },
    step(name, { needs = [], timeout = 60000, fallback = null } = {}, fn) {
      test(name, { timeout }, async (t) => {
        for (const n of needs) {
          if (!done.has(n)) {
            t.skip(`needs "${n}"${failed.has(n) ? ` (${failed.get(n)})` : ''}`);
            failed.set(name, `skipped: needs ${n}`);
            return;
          }
        }
        const rec = new Recorder(name);
        const knownFailure = known.steps[name];
        // A defect reported to another part's owner: its failure is shown as TODO.
        if (knownFailure) t.todo(`known failure: ${knownFailure}`);
        try {
          await fn(rec, t);
          done.add(name);
          if (knownFailure) t.diagnostic(`${name} passes now: remove it from tests/browser/known-failures.json`);
        } catch (e) {
          failed.set(name, String(e && e.message ? e.message.split('\n')[0] : e).slice(0, 160));
          for (const p of pages) {
            if (!p.isClosed()) await rec.shot(p, 'failed').catch(() => {});
          }
          // The page failed; the story goes on through the JSON API so that the steps after
          // this one still test what they can. This step still fails.
          let note = '';
          if (fallback) {
            try {
              await fallback();
              done.add(name);
              note = `the steps after this one went on: ${name} was done through the JSON API instead`;
            } catch (e2) {
              note = `doing ${name} through the JSON API failed too: ${e2.message}`;
            }
            t.diagnostic(note);
          }
          const err = new Error(`${e && e.message ? e.message : e}${note ? `\n(${note})` : ''}`);
          err.stack = `${err.message}\n${String((e && e.stack) || '').split('\n').filter((l) => /^\s+at /.test(l)).slice(0, 4).join('\n')}`;
          throw err;
        }
      });
    },
    passed: (name) => done.has(name),
  };
  return flow;
}

module.exports = { createFlow };
