// The JSON API client: every call goes through request(), which adds the CSRF token to
// requests that change state, adopts a new token from any reply that carries one (sign-in,
// MFA, password change, organization switch) and turns error replies into ApiError.

export class ApiError extends Error {
  // status: the HTTP status (0: the server could not be reached); code: the API's error code
  // ("unauthenticated", "locked", ...); message: the server's message (English).
  constructor(status, code, message) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
  }
}

let csrfToken = '';
const failureListeners = new Set();

export function setCsrfToken(token) {
  csrfToken = token || '';
}

// Calls fn(error) for every 401 and for 403 mfa_required / password_change_required, so the
// session can end or move to the step the server asks for.
export function onAuthFailure(fn) {
  failureListeners.add(fn);
  return () => failureListeners.delete(fn);
}

function url(path, query) {
  let out = path.startsWith('/api/') ? path : `/api/v1${path}`;
  if (query) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) {
      if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
    }
    const s = q.toString();
    if (s) out += (out.includes('?') ? '&' : '?') + s;
  }
  return out;
}

// GETs started before the page that wants them is loaded (see prefetch); each is used once.
const prefetched = new Map();

// Starts GET `path` now, at boot, in parallel with the session and the page's module; the
// page's own api.get of the same path (no query, no headers) takes the response instead of
// fetching again. Replies are read and checked only then, exactly as for a fetch of its own.
export function prefetch(path) {
  const u = url(path);
  if (prefetched.has(u)) return;
  // The body is read and parsed as soon as it arrives, while the page's module still loads.
  const p = fetch(u, { method: 'GET', headers: { Accept: 'application/json' }, credentials: 'same-origin' })
    .then(async (res) => ({ res, data: parseBody(await res.text()) }));
  p.catch(() => {});
  prefetched.set(u, p);
}

// Forgets what was prefetched and not used (after the first page), so nothing stale is used later.
export function dropPrefetched() {
  prefetched.clear();
}

// A reply's body: its JSON, else the text itself, null when empty.
function parseBody(text) {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

// method, path ("/me" or "/api/v1/me"), options: body (an object is sent as JSON; a Blob,
// File or ArrayBuffer as bytes), query (an object), headers, raw (return the Response of a
// successful call instead of its JSON: downloads), signal (AbortSignal).
export async function request(method, path, { body, query, headers = {}, raw = false, signal } = {}) {
  const h = { Accept: 'application/json', ...headers };
  let payload;
  if (body instanceof Blob || body instanceof ArrayBuffer) {
    payload = body;
    if (!h['Content-Type']) h['Content-Type'] = 'application/octet-stream';
  } else if (body !== undefined) {
    payload = JSON.stringify(body);
    if (!h['Content-Type']) h['Content-Type'] = 'application/json';
  }
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) h['X-CSRF-Token'] = csrfToken;
  let res;
  let data = null;
  const target = url(path, query);
  const early = method === 'GET' && !raw && !query && !Object.keys(headers).length ? prefetched.get(target) : undefined;
  if (early) prefetched.delete(target);
  try {
    if (early && signal?.aborted) throw new DOMException('The operation was aborted.', 'AbortError');
    if (early) ({ res, data } = await early);
    else res = await fetch(target, { method, headers: h, body: payload, credentials: 'same-origin', signal });
  } catch (e) {
    if (e && e.name === 'AbortError') throw e;
    throw new ApiError(0, 'network', String(e && e.message));
  }
  if (raw && res.ok) return res;
  if (!early) data = parseBody(await res.text());
  if (!res.ok) {
    const err =
      data && typeof data === 'object' && data.error
        ? new ApiError(res.status, data.error.code || `http_${res.status}`, data.error.message || '')
        : new ApiError(res.status, `http_${res.status}`, typeof data === 'string' ? data.slice(0, 200) : '');
    if (res.status === 401 || err.code === 'mfa_required' || err.code === 'password_change_required') {
      for (const fn of failureListeners) fn(err, path);
    }
    throw err;
  }
  if (data && typeof data === 'object' && typeof data.csrf_token === 'string' && data.csrf_token) {
    csrfToken = data.csrf_token;
  }
  return data;
}

export const api = {
  get: (path, options) => request('GET', path, options),
  post: (path, body, options) => request('POST', path, { ...options, body }),
  put: (path, body, options) => request('PUT', path, { ...options, body }),
  patch: (path, body, options) => request('PATCH', path, { ...options, body }),
  delete: (path, body, options) => request('DELETE', path, { ...options, body }),
};
