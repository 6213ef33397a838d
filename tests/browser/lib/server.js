'use strict';
// Starts `trustsheet serve` on 127.0.0.1 with a fresh data directory and the demo organization,
// reads the address and the one-time setup token from what it prints at first start, and stops
// it with SIGTERM (then SIGKILL if it does not stop in time). Every wait is bounded.
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const env = require('./env');

const running = new Set();
// A test process that ends any way node lets us see still takes its servers down.
for (const sig of ['exit', 'SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    for (const s of running) { try { s.child.kill('SIGKILL'); } catch { /* gone */ } }
    if (sig !== 'exit') process.exit(130);
  });
}

async function startServer({ demo = true, timeoutMs = 90000 * env.SLOW, extraArgs = [] } = {}) {
  if (!fs.existsSync(env.BIN)) throw new Error(`no trustsheet binary at ${env.BIN} (build it, or set TS_BIN)`);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'trustsheet-browser-'));
  const args = ['serve', '--data', dataDir, '--listen', '127.0.0.1:0', ...extraArgs];
  if (demo) args.push('--demo', env.SAMPLES);
  const child = spawn(env.BIN, args, { stdio: ['ignore', 'pipe', 'pipe'], cwd: env.ROOT });
  const server = { child, dataDir, url: null, setupToken: null, setupLink: null, output: '' };
  running.add(server);
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`trustsheet serve did not start within ${timeoutMs} ms:\n${server.output}`)), timeoutMs);
    const onData = (chunk) => {
      server.output += chunk;
      const link = server.output.match(/(https?:\/\/[^\s'"]+)?\/setup#token=([A-Za-z0-9_~.\-]+)/);
      if (link) { server.setupToken = link[2]; server.setupLink = link[0]; }
      const tok = server.output.match(/"token":\s*"([^"]+)"/);
      if (!server.setupToken && tok) server.setupToken = tok[1];
      const m = server.output.match(/serving on (https?:\/\/[^\s]+)/);
      if (m) { server.url = m[1].replace(/\/$/, ''); clearTimeout(timer); resolve(); }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk) => { server.output += chunk; });
    child.on('exit', (code, sig) => { clearTimeout(timer); reject(new Error(`trustsheet serve exited (${code ?? sig}) before serving:\n${server.output}`)); });
  });
  try {
    await ready;
  } catch (e) {
    await stopServer(server);
    throw e;
  }
  if (!server.setupToken) {
    await stopServer(server);
    throw new Error(`no setup token in what trustsheet serve printed:\n${server.output}`);
  }
  return server;
}

async function stopServer(server, { timeoutMs = 15000 * env.SLOW } = {}) {
  if (!server) return;
  const { child } = server;
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const t = setTimeout(() => { try { child.kill('SIGKILL'); } catch { /* gone */ } }, timeoutMs);
    await exited;
    clearTimeout(t);
  }
  running.delete(server);
  fs.rmSync(server.dataDir, { recursive: true, force: true });
}

module.exports = { startServer, stopServer };
