// Signing in, in AWS: the deployment's OIDC issuer, with the authorization code flow and PKCE (a public client, no
// secret in the page). The access token is kept in sessionStorage, for this tab only, and sent to the API, whose
// gateway checks it. Locally (config auth "none") nobody signs in: local mode trusts its loopback caller.

export interface ConsoleConfig {
  auth: 'none' | 'oidc';
  defaultProject: string;
  issuer?: string;
  clientId?: string;
  scopes?: string;
  projectsClaim?: string;
}

interface Endpoints {
  authorization_endpoint: string;
  token_endpoint: string;
  end_session_endpoint?: string;
}

const TOKEN = 'lifeboat.token';
const EXPIRES = 'lifeboat.token.expires';
const VERIFIER = 'lifeboat.pkce.verifier';
const STATE = 'lifeboat.pkce.state';
const RETURN_TO = 'lifeboat.return-to';
const LAST_SIGN_IN = 'lifeboat.sign-in.at';

let config: ConsoleConfig = { auth: 'none', defaultProject: 'default' };
let endpoints: Endpoints | undefined;

export async function loadConfig(): Promise<ConsoleConfig> {
  const response = await fetch('/console-config.json', { headers: { Accept: 'application/json' } });
  if (!response.ok) {
    throw new Error(`the console's settings could not be read (HTTP ${response.status})`);
  }
  config = await response.json();
  return config;
}

export function signedInMode() {
  return config.auth === 'oidc';
}

/** The access token to send, while it is valid; undefined locally, where none is needed. */
export function accessToken(): string | undefined {
  if (config.auth !== 'oidc') {
    return undefined;
  }
  const token = sessionStorage.getItem(TOKEN);
  const expires = Number(sessionStorage.getItem(EXPIRES) ?? '0');
  return token && Date.now() < expires ? token : '';
}

async function discover(): Promise<Endpoints> {
  if (!endpoints) {
    const issuer = config.issuer!.replace(/\/$/, '');
    const response = await fetch(`${issuer}/.well-known/openid-configuration`);
    if (!response.ok) {
      throw new Error(`the sign-in service could not be reached (HTTP ${response.status})`);
    }
    endpoints = await response.json();
  }
  return endpoints!;
}

function base64url(bytes: Uint8Array) {
  let text = '';
  bytes.forEach((b) => (text += String.fromCharCode(b)));
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function randomText() {
  return base64url(crypto.getRandomValues(new Uint8Array(32)));
}

function redirectUri() {
  return `${window.location.origin}/`;
}

/**
 * Goes to the issuer's sign-in page, and comes back to the page the user was on. Refuses to go round in circles: a
 * second sign-in within 30 seconds of the last one is an error to show, not another redirect.
 */
export async function signIn(): Promise<never> {
  const last = Number(sessionStorage.getItem(LAST_SIGN_IN) ?? '0');
  if (Date.now() - last < 30_000) {
    throw new Error('signing in did not give a token the API accepts: ask your administrator for access to a project');
  }
  sessionStorage.setItem(LAST_SIGN_IN, String(Date.now()));
  const { authorization_endpoint } = await discover();
  const verifier = randomText();
  const state = randomText();
  const challenge = base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
  sessionStorage.setItem(VERIFIER, verifier);
  sessionStorage.setItem(STATE, state);
  sessionStorage.setItem(RETURN_TO, window.location.hash || '#/');
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: config.clientId!,
    redirect_uri: redirectUri(),
    scope: config.scopes ?? 'openid',
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  });
  window.location.assign(`${authorization_endpoint}?${query}`);
  return new Promise<never>(() => {}); // the page is leaving
}

/**
 * At start: finishes a sign-in the issuer sent back (?code=&state=), or starts one when there is no valid token.
 * Resolves once the console may call the API.
 */
export async function ensureSignedIn(): Promise<void> {
  if (config.auth !== 'oidc') {
    return;
  }
  const query = new URLSearchParams(window.location.search);
  const code = query.get('code');
  if (code) {
    const state = query.get('state');
    const expected = sessionStorage.getItem(STATE);
    const verifier = sessionStorage.getItem(VERIFIER);
    sessionStorage.removeItem(STATE);
    sessionStorage.removeItem(VERIFIER);
    const returnTo = sessionStorage.getItem(RETURN_TO) ?? '#/';
    window.history.replaceState(null, '', `/${returnTo}`);
    if (!expected || state !== expected || !verifier) {
      throw new Error('the sign-in answer does not match the sign-in this page started: sign in again');
    }
    const { token_endpoint } = await discover();
    const response = await fetch(token_endpoint, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: redirectUri(),
        client_id: config.clientId!,
        code_verifier: verifier,
      }),
    });
    if (!response.ok) {
      throw new Error(`the sign-in service refused the code (HTTP ${response.status})`);
    }
    const tokens = await response.json();
    sessionStorage.setItem(TOKEN, tokens.access_token);
    sessionStorage.setItem(EXPIRES, String(Date.now() + (Number(tokens.expires_in ?? 3600) - 30) * 1000));
    return;
  }
  if (!accessToken()) {
    await signIn();
  }
}

/** The projects the token's claim lists (for the project selector); empty locally, where every project may be used. */
export function tokenProjects(): string[] {
  const token = accessToken();
  if (!token || !config.projectsClaim) {
    return [];
  }
  try {
    const payload = JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
    const claim = payload[config.projectsClaim];
    const names: string[] = Array.isArray(claim) ? claim : String(claim ?? '').split(/[\s,]+/);
    return names.map((n) => n.replace(/^\[|\]$/g, '')).filter((n) => n.length > 0);
  } catch {
    return [];
  }
}

export async function signOut() {
  sessionStorage.removeItem(TOKEN);
  sessionStorage.removeItem(EXPIRES);
  sessionStorage.removeItem(LAST_SIGN_IN);
  const { end_session_endpoint } = await discover();
  if (end_session_endpoint) {
    const query = new URLSearchParams({ client_id: config.clientId!, post_logout_redirect_uri: redirectUri() });
    window.location.assign(`${end_session_endpoint}?${query}`);
  } else {
    window.location.assign('/');
  }
}
