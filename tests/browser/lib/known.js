'use strict';
// tests/browser/known-failures.json: defects found here that belong to other parts (see its
// "about"). Steps listed run as TODO; axe-core violations matching an entry are printed as known.
const fs = require('node:fs');
const path = require('node:path');

const known = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'known-failures.json'), 'utf8'));
known.steps = known.steps || {};
known.axe = known.axe || [];

const pattern = (p) => new RegExp(`^${p.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{id\}/g, '\\d+')}$`);

// The entry that explains violation `v` on node `n` at `pathname`, or null.
function knownAxe(v, n, pathname) {
  return known.axe.find((k) => k.rule === v.id && (!k.target || n.target.includes(k.target) || n.html.includes(k.target.replace(/^\./, '')))
    && (!k.path || pattern(k.path).test(pathname))) || null;
}

module.exports = { known, knownAxe };
