'use strict';
// RFC 6238 TOTP (HMAC-SHA1, 30 s steps, 6 digits, T0 = 0) from a base32 secret, as an
// authenticator app computes it. The server accepts the step before, at and after its clock,
// and never a step at or before the last one used (a code works once): nextCode() remembers
// the steps it handed out per secret and gives the next usable one, waiting for a new step
// only when the one after the current is spent too.
const crypto = require('node:crypto');

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function base32Decode(text) {
  const clean = String(text).toUpperCase().replace(/[\s=-]/g, '');
  let bits = 0;
  let value = 0;
  const out = [];
  for (const ch of clean) {
    const v = ALPHABET.indexOf(ch);
    if (v < 0) throw new Error(`not base32: ${JSON.stringify(text)}`);
    value = (value << 5) | v;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

function hotp(key, counter, digits = 6, algorithm = 'sha1') {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(counter));
  const mac = crypto.createHmac(algorithm, key).update(msg).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const bin = ((mac[offset] & 0x7f) << 24) | (mac[offset + 1] << 16) | (mac[offset + 2] << 8) | mac[offset + 3];
  return String(bin % 10 ** digits).padStart(digits, '0');
}

function stepAt(unixSeconds, period = 30) {
  return Math.floor(unixSeconds / period);
}

// The code of `secret` (base32) at `unixSeconds`.
function totp(secret, unixSeconds = Date.now() / 1000, { digits = 6, period = 30 } = {}) {
  return hotp(base32Decode(secret), stepAt(unixSeconds, period), digits);
}

const lastStep = new Map();

// A code the server has not seen yet for this secret: the current step's, else the next step's
// (inside the server's drift window), else waits for a new step.
async function nextCode(secret) {
  for (;;) {
    const now = stepAt(Date.now() / 1000);
    const last = lastStep.has(secret) ? lastStep.get(secret) : -1;
    const step = Math.max(now, last + 1);
    if (step <= now + 1) {
      lastStep.set(secret, step);
      return hotp(base32Decode(secret), step);
    }
    const wait = (now + 1) * 30 * 1000 - Date.now() + 200;
    await new Promise((r) => setTimeout(r, Math.max(wait, 100)));
  }
}

module.exports = { base32Decode, hotp, totp, nextCode, stepAt };
