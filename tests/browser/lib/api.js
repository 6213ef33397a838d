'use strict';
// The JSON API as the signed-in browser user: Playwright's request context shares the browser
// context's cookies, and every request that is not GET carries the CSRF token from GET /me.
async function api(context) {
  const req = context.request;
  let csrf = null;
  const token = async () => {
    if (!csrf) {
      const r = await req.get('/api/v1/me');
      if (r.ok()) csrf = (await r.json()).csrf_token;
    }
    return csrf;
  };
  const call = async (method, url, body, { raw = false, headers = {} } = {}) => {
    const h = { ...headers };
    if (method !== 'GET') h['X-CSRF-Token'] = (await token()) || '';
    const opts = { method, headers: h, failOnStatusCode: false };
    if (body !== undefined) {
      if (Buffer.isBuffer(body)) { opts.data = body; h['Content-Type'] = h['Content-Type'] || 'application/octet-stream'; }
      else { opts.data = JSON.stringify(body); h['Content-Type'] = 'application/json'; }
    }
    const r = await req.fetch(url, opts);
    const text = raw ? null : await r.text();
    let json = null;
    if (text) { try { json = JSON.parse(text); } catch { /* not JSON */ } }
    return { status: r.status(), json, text, headers: r.headers(), response: r };
  };
  return {
    get: (u, o) => call('GET', u, undefined, o),
    post: (u, b, o) => call('POST', u, b === undefined ? {} : b, o),
    patch: (u, b, o) => call('PATCH', u, b, o),
    put: (u, b, o) => call('PUT', u, b, o),
    del: (u, b, o) => call('DELETE', u, b, o),
    setCsrf: (t) => { csrf = t; },
    resetCsrf: () => { csrf = null; },
  };
}

module.exports = { api };
