// api.js — the JSON API of docs/openapi.yaml, from the browser.
// The session cookie is HttpOnly and sent by the browser; every unsafe request
// carries the session's CSRF token (from login or GET /auth/me) in X-CSRF-Token.

const BASE = '/api/v1';
let csrf = '';

export function setCsrf(token) { csrf = token || ''; }

export class ApiError extends Error {
  constructor(status, message) {
    super(message || ('HTTP ' + status));
    this.status = status;
  }
}

/* Listeners told when the API answers 401 (the session is gone). */
const onUnauth = [];
export function onUnauthorized(fn) { onUnauth.push(fn); }

export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) {
    if (v === undefined || v === null || v === '') continue;
    q.set(k, String(v));
  }
  const s = q.toString();
  return s ? '?' + s : '';
}

/* body: an object sent as JSON; or, with a contentType, sent as it is
   (a string, Blob or File: the raw bytes of a claim file). */
export async function api(method, path, body, params, contentType) {
  const headers = { Accept: 'application/json' };
  const init = { method, headers, credentials: 'same-origin' };
  if (body !== undefined && body !== null) {
    headers['Content-Type'] = contentType || 'application/json';
    init.body = contentType ? body : JSON.stringify(body);
  }
  if (method !== 'GET' && method !== 'HEAD' && csrf) headers['X-CSRF-Token'] = csrf;
  let res;
  try {
    res = await fetch(BASE + path + query(params), init);
  } catch (e) {
    throw new ApiError(0, e.message);
  }
  let data = null;
  const text = await res.text();
  if (text) {
    try { data = JSON.parse(text); } catch (_) { data = null; }
  }
  if (!res.ok) {
    const msg = data && data.error && data.error.message ? data.error.message : res.statusText;
    const err = new ApiError(res.status, msg);
    if (res.status === 401 && path !== '/auth/login' && path !== '/auth/me') onUnauth.forEach((fn) => fn(err));
    throw err;
  }
  return data;
}

export const get = (path, params) => api('GET', path, null, params);
export const post = (path, body) => api('POST', path, body === undefined ? {} : body);
/* POST of a raw body (File, Blob or string) with its own Content-Type; still carries X-CSRF-Token. */
export const postRaw = (path, body, contentType) => api('POST', path, body, null, contentType);

/* /claims/{facility}/{key} from a claim id "FACILITY:KEY" or the two parts. */
export function claimPath(facility, key) {
  if (key === undefined) {
    const i = String(facility).indexOf(':');
    key = facility.slice(i + 1);
    facility = facility.slice(0, i);
  }
  return '/claims/' + encodeURIComponent(facility) + '/' + encodeURIComponent(key);
}
