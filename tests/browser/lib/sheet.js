'use strict';
// Reads a checksheet the way trustsheet does (`trustsheet import FILE --json`): the items of
// every part keyed by their item id, with the answer and remarks each cell holds.
const { execFileSync } = require('node:child_process');
const env = require('./env');

function importSheet(file) {
  const out = execFileSync(env.BIN, ['import', file, '--json'], { encoding: 'utf8', timeout: 60000 * env.SLOW, maxBuffer: 64 << 20 });
  const doc = JSON.parse(out);
  const items = new Map();
  for (const part of doc.parts || []) {
    for (const it of part.items || []) items.set(it.id, { ...it, part: part.source_part || null });
  }
  return { doc, items };
}

// "" for a blank cell: the answer's printed text, else its mark when it is not none.
function answerOf(it) {
  const a = it.answer || {};
  if (a.mark === 'none' || !a.mark) return { mark: 'none', text: a.text || '' };
  return { mark: a.mark, text: a.text || '' };
}

module.exports = { importSheet, answerOf };
