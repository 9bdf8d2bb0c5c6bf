// The sampler's session: a bearer token kept on the phone (no cookie), renewed with the refresh token when it
// expires, and every API call made with it.
import { KEYS, read, write, deviceId } from './local.js';

let session = read(KEYS.session);  // { token, refreshToken, username, role }
let oneTimePassword = null;        // kept in memory only, until it has been changed
let renewing = null;

export const signedIn = () => Boolean(session);

/** Scans go up only in a session that is more than a first log-in waiting for its new password. */
export const mayUpload = () => Boolean(session) && !oneTimePassword;

export async function api(path, method = 'GET', body = undefined, mayRenew = true) {
  const headers = { Accept: 'application/json', 'X-Device-Id': deviceId() };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (session) headers.Authorization = 'Bearer ' + session.token;
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store' });
  // An access token lives 12 hours; a shift that outlasts it goes on with the refresh token, once per expiry.
  if (response.status === 401 && mayRenew && session && session.refreshToken && await renew()) {
    return api(path, method, body, false);
  }
  let data = null;
  try { data = await response.json(); } catch { /* 204, or not JSON */ }
  return { status: response.status, ok: response.ok, data };
}

// One refresh at a time: a refresh token is good once, and a second use would end the session.
function renew() {
  renewing ??= (async () => {
    try {
      const response = await fetch('/api/v1/auth/refresh', {
        method: 'POST', cache: 'no-store',
        headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
        body: JSON.stringify({ refreshToken: session.refreshToken }),
      });
      if (!response.ok) return false;
      const pair = await response.json();
      session = { ...session, token: pair.accessToken, refreshToken: pair.refreshToken };
      write(KEYS.session, session);
      return true;
    } catch {
      return false;
    } finally {
      renewing = null;
    }
  })();
  return renewing;
}

// The roles the page serves (<html data-roles>), and what it says to anyone else (<html data-wrong-role>).
const ROLES = (document.documentElement.dataset.roles || 'sampler,admin').split(',');
const WRONG_ROLE = document.documentElement.dataset.wrongRole || '该账号不是采样员账号';

/**
 * Signs in as one of the page's roles (a sampler, or an admin). Resolves to { refused: problem } when that fails, { mustChangePassword }
 * when the password is a one-time one, which must be changed before anything else, and {} once the session is kept.
 */
export async function signIn(username, password) {
  const token = await api('/api/v1/auth/token', 'POST', { username, password });
  if (!token.ok) return { refused: token.data };
  session = { token: token.data.accessToken, refreshToken: token.data.refreshToken, username };
  const me = await api('/api/v1/auth/me');
  if (!me.ok || !ROLES.includes(me.data.role)) {
    session = null;
    return { refused: me.ok ? { title: WRONG_ROLE } : me.data };
  }
  session.role = me.data.role;
  if (me.data.mustChangePassword) {
    // The token is good for nothing but the change; it is not kept.
    oneTimePassword = password;
    return { mustChangePassword: true };
  }
  write(KEYS.session, session);
  return {};
}

/** Replaces the one-time password. Resolves to { refused: problem }, or to { username } to sign in again with. */
export async function changePassword(newPassword) {
  const changed = await api('/api/v1/auth/password', 'POST', { oldPassword: oneTimePassword, newPassword });
  if (!changed.ok) return { refused: changed.data };
  // The old token died with the old password.
  const username = session.username;
  session = null;
  oneTimePassword = null;
  return { username };
}

/** Sign-out ends the session on the server too, so a copied token is worth nothing afterwards. */
export function signOut() {
  if (session) api('/api/v1/auth/logout', 'POST', {}, false).catch(() => {});
  end();
}

/** Forgets a session the server no longer takes. */
export function end() {
  session = null;
  write(KEYS.session, null);
}
