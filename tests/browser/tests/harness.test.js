'use strict';
// The harness itself: TOTP against RFC 6238's vectors, and a server that starts on a free port,
// prints its one-time setup token, answers, and stops on SIGTERM.
const test = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');
const { totp, hotp, base32Decode, nextCode, stepAt } = require('../lib/totp');
const { startServer, stopServer } = require('../lib/server');

test('TOTP matches RFC 6238 (SHA-1 vectors, last 6 digits) and RFC 4226', () => {
  const secret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'; // "12345678901234567890"
  assert.equal(base32Decode(secret).toString(), '12345678901234567890');
  assert.equal(totp(secret, 59), '287082'); // 94287082
  assert.equal(totp(secret, 1111111109), '081804'); // 07081804
  assert.equal(totp(secret, 1234567890), '005924'); // 89005924
  assert.equal(totp(secret, 20000000000), '353130'); // 65353130
});

test('TOTP: RFC 4226 HOTP values', () => {
  const key = Buffer.from('12345678901234567890');
  const want = ['755224', '287082', '359152', '969429', '338314', '254676', '287922', '162583', '399871', '520489'];
  want.forEach((w, i) => assert.equal(hotp(key, i), w));
});

test('TOTP: nextCode never hands out a step twice', async () => {
  const secret = 'JBSWY3DPEHPK3PXP';
  const a = await nextCode(secret);
  const b = await nextCode(secret);
  assert.notEqual(a, b);
  const now = stepAt(Date.now() / 1000);
  assert.equal(a, hotp(base32Decode(secret), now));
  assert.equal(b, hotp(base32Decode(secret), now + 1));
});

function get(url) {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { timeout: 10000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => { body += c; });
      res.on('end', () => resolve({ status: res.statusCode, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error('timeout')));
  });
}

test('server: starts on a free port with a setup token, answers, stops on SIGTERM', { timeout: 60000 }, async () => {
  const s = await startServer({ demo: false });
  try {
    assert.match(s.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.match(s.setupToken, /^[A-Za-z0-9_~.-]{16,}$/);
    const h = await get(`${s.url}/api/v1/health`);
    assert.equal(h.status, 200);
    assert.equal(JSON.parse(h.body).setup_required, true);
  } finally {
    await stopServer(s);
  }
  assert.notEqual(s.child.exitCode ?? s.child.signalCode, null, 'the server process has ended');
  assert.match(s.output, /SIGTERM/);
});
