// The session and every call to WearIt's APIs. The access token lives in memory only; the refresh token in an
// HttpOnly cookie that scripts cannot read (ApiService sets it when asked with X-Refresh-Token-Transport), so a
// reload keeps the user signed in. localStorage only remembers that there is a session, so a signed-out visitor
// does not ask for a refresh that must fail. Tokens are refreshed a minute before they expire.
const SESSION_KEY = "wearit.signedIn";
const COOKIE_TRANSPORT = { "X-Refresh-Token-Transport": "cookie" };
let accessToken = null;
let refreshTimer = null;
let configPromise = null;

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `Request failed (${status})`);
    this.status = status;
    this.code = problem?.code || "error";
    this.errors = problem?.errors || {};
  }
}

export function config() {
  configPromise ??= fetch("/api/v1/config").then(async (response) => {
    if (!response.ok) throw new ApiError(response.status, await response.json().catch(() => null));
    return response.json();
  });
  return configPromise;
}

export const isSignedIn = () => accessToken !== null;
export const token = () => accessToken;

function remember(tokens) {
  accessToken = tokens.access_token;
  localStorage.setItem(SESSION_KEY, "1");
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(() => refresh().catch(() => signOutLocally()), Math.max(5, tokens.expires_in - 60) * 1000);
}

export function signOutLocally() {
  accessToken = null;
  clearTimeout(refreshTimer);
  localStorage.removeItem(SESSION_KEY);
}

/** Exchanges the refresh cookie for a new pair; false when there is no session or it is no longer valid. */
export async function refresh() {
  if (!localStorage.getItem(SESSION_KEY)) return false;
  const response = await fetch("/api/v1/auth/refresh", { method: "POST", headers: { "Content-Type": "application/json", ...COOKIE_TRANSPORT }, body: "{}" });
  if (!response.ok) { signOutLocally(); return false; }
  remember(await response.json());
  return true;
}

/** Calls an API; JSON in and out, problem details thrown as ApiError; one retry after a refresh on 401. */
export async function call(path, { method = "GET", body, form, base = "", retry = true, headers: extra = {} } = {}) {
  const headers = { ...(path.startsWith("/api/v1/auth/") && !base ? COOKIE_TRANSPORT : {}), ...extra };
  if (accessToken) headers.Authorization = `Bearer ${accessToken}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  let response;
  try {
    response = await fetch(base + path, { method, headers, body: form ?? (body === undefined ? undefined : JSON.stringify(body)) });
  } catch {
    throw new ApiError(0, { code: "network", detail: "The service cannot be reached. Check your connection and try again." });
  }
  if (response.status === 401 && retry && accessToken && await refresh()) return call(path, { method, body, form, base, retry: false, headers: extra });
  if (response.status === 204) return null;
  const data = await response.json().catch(() => null);
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

export async function tryonCall(path, options = {}) {
  const { tryonBaseUrl } = await config();
  return call(path, { ...options, base: tryonBaseUrl.replace(/\/$/, "") });
}

export async function signup(fields) {
  const result = await call("/api/v1/auth/signup", { method: "POST", body: fields });
  remember(result.tokens);
  return result.user;
}

export async function login(email, password) {
  remember(await call("/api/v1/auth/login", { method: "POST", body: { email, password } }));
}

export async function logout() {
  await call("/api/v1/auth/logout", { method: "POST", body: {} }).catch(() => null);
  signOutLocally();
}
