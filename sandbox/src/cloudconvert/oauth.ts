import { timingSafeEqual } from 'node:crypto';
import { BodyError, readText } from '../body.js';
import type { SandboxRequest, SandboxResponse, ServiceHandler } from '../types.js';
import type { TokenAuthority } from './auth.js';
import { consentPage, errorPage } from './consent-page.js';
import {
  CODE_LIFETIME_MS,
  CONSENT_LIFETIME_MS,
  GrantStore,
  REFRESH_TOKEN_LIFETIME_MS,
  isValidPkceValue,
  opaqueToken,
  verifierMatches,
  type PendingAuthorization,
} from './oauth-grants.js';
import { isScope, parseScopeList } from './scopes.js';

/** The OAuth client registered in the sandbox. */
export interface OAuthClient {
  clientId: string;
  clientSecret: string;
}

export interface OAuthHostOptions {
  /** Public URL of the OAuth mount, e.g. `http://127.0.0.1:8787/cloudconvert/oauth`. */
  publicUrl: string;
  client: OAuthClient;
  authority: TokenAuthority;
  accessTokenLifetimeSec: number;
}

/** An RFC 6749 §5.2 error answer of the token endpoint. */
class OAuthError extends Error {
  constructor(
    readonly error: string,
    readonly description: string,
    readonly status = 400,
  ) {
    super(description);
  }
}

const NO_STORE = { 'Cache-Control': 'no-store', Pragma: 'no-cache' };
const MAX_FORM_BYTES = 64 * 1024;

/**
 * The OAuth 2.0 host (docs/cloudconvert.md §8): `GET /authorize` shows a consent page whose forms post back
 * to `/authorize`; approval redirects with `code` and `state` (or, for `response_type=token`, the
 * implicit grant's fragment). `POST /token` exchanges codes (PKCE checked when a challenge was sent)
 * and rotates refresh tokens; access tokens are short-lived RS256 JWTs the api host accepts.
 */
export function createOAuthHandler(options: OAuthHostOptions): ServiceHandler {
  const { client, authority, publicUrl } = options;
  const grants = new GrantStore();

  const showConsent = (request: SandboxRequest): SandboxResponse => {
    const query = request.url.searchParams;
    const clientId = query.get('client_id') ?? '';
    if (clientId !== client.clientId) {
      return html(400, errorPage('Invalid client', 'The client_id is missing or unknown.'));
    }
    const redirectUri = query.get('redirect_uri') ?? '';
    if (!isRedirectUri(redirectUri)) {
      return html(
        400,
        errorPage('Invalid redirect URI', 'The redirect_uri must be an absolute http(s) URL.'),
      );
    }
    const state = query.get('state');
    const fail = (error: string, description: string): SandboxResponse =>
      redirect(redirectUri, 'query', { error, error_description: description, state });
    const responseType = query.get('response_type');
    if (responseType !== 'code' && responseType !== 'token') {
      return fail(
        'unsupported_response_type',
        'The authorization server does not support this response type.',
      );
    }
    const scopes = parseScopeList(query.get('scope'));
    const unknown = scopes.filter((scope) => !isScope(scope));
    if (unknown.length > 0)
      return fail('invalid_scope', `The requested scope is invalid: ${unknown.join(' ')}`);
    const challenge = query.get('code_challenge');
    const method = query.get('code_challenge_method') ?? 'plain';
    if (challenge !== null && (!isValidPkceValue(challenge) || (method !== 'S256' && method !== 'plain'))) {
      return fail('invalid_request', 'The code_challenge or code_challenge_method is invalid.');
    }
    grants.sweep();
    const authToken = opaqueToken();
    const pending: PendingAuthorization = {
      clientId,
      redirectUri,
      responseType,
      scopes: [...new Set(scopes)],
      state,
      codeChallenge: challenge,
      codeChallengeMethod: method === 'S256' ? 'S256' : 'plain',
      expiresAt: Date.now() + CONSENT_LIFETIME_MS,
    };
    grants.pending.set(authToken, pending);
    const page = consentPage({
      action: `${publicUrl}/authorize`,
      clientId,
      state: state ?? '',
      authToken,
      scopes: pending.scopes,
      redirectHost: new URL(redirectUri).host,
    });
    return html(200, page);
  };

  const decide = async (request: SandboxRequest, denied: boolean): Promise<SandboxResponse> => {
    const form = await readForm(request);
    const authToken = form.get('auth_token') ?? '';
    const pending = grants.pending.get(authToken);
    grants.pending.delete(authToken);
    if (!pending || pending.expiresAt <= Date.now() || form.get('client_id') !== pending.clientId) {
      return html(400, errorPage('Invalid request', 'This authorization request is unknown or has expired.'));
    }
    const mode = pending.responseType === 'token' ? 'fragment' : 'query';
    if (denied || form.get('_method')?.toUpperCase() === 'DELETE') {
      return redirect(pending.redirectUri, mode, {
        error: 'access_denied',
        error_description: 'The resource owner or authorization server denied the request.',
        state: pending.state,
      });
    }
    if (pending.responseType === 'token') {
      const access = await authority.issueAccessToken(
        pending.clientId,
        pending.scopes,
        options.accessTokenLifetimeSec,
      );
      return redirect(pending.redirectUri, 'fragment', {
        access_token: access.token,
        token_type: 'Bearer',
        expires_in: String(options.accessTokenLifetimeSec),
        state: pending.state,
      });
    }
    const code = opaqueToken(48);
    grants.codes.set(code, {
      clientId: pending.clientId,
      redirectUri: pending.redirectUri,
      scopes: pending.scopes,
      codeChallenge: pending.codeChallenge,
      codeChallengeMethod: pending.codeChallengeMethod,
      expiresAt: Date.now() + CODE_LIFETIME_MS,
      used: false,
      accessTokenIds: [],
      refreshTokens: [],
    });
    return redirect(pending.redirectUri, 'query', { code, state: pending.state });
  };

  const issueTokens = async (
    clientId: string,
    scopes: string[],
  ): Promise<{ body: Record<string, unknown>; accessTokenId: string; refreshToken: string }> => {
    const access = await authority.issueAccessToken(clientId, scopes, options.accessTokenLifetimeSec);
    const refreshToken = opaqueToken(64);
    grants.refreshTokens.set(refreshToken, {
      clientId,
      scopes,
      accessTokenId: access.tokenId,
      expiresAt: Date.now() + REFRESH_TOKEN_LIFETIME_MS,
      revoked: false,
    });
    return {
      body: {
        token_type: 'Bearer',
        expires_in: options.accessTokenLifetimeSec,
        access_token: access.token,
        refresh_token: refreshToken,
      },
      accessTokenId: access.tokenId,
      refreshToken,
    };
  };

  const exchangeCode = async (form: URLSearchParams, clientId: string): Promise<Record<string, unknown>> => {
    const codeValue = form.get('code');
    if (!codeValue)
      throw new OAuthError('invalid_request', 'The request is missing a required parameter: code.');
    const code = grants.codes.get(codeValue);
    if (!code || code.expiresAt <= Date.now() || code.clientId !== clientId) {
      throw new OAuthError('invalid_grant', 'The authorization code is invalid or has expired.');
    }
    if (code.used) {
      // RFC 6749 §4.1.2: a replayed code revokes what it issued.
      for (const id of code.accessTokenIds) authority.revoke(id);
      for (const token of code.refreshTokens) grants.refreshTokens.delete(token);
      throw new OAuthError('invalid_grant', 'The authorization code has already been used.');
    }
    if ((form.get('redirect_uri') ?? '') !== code.redirectUri) {
      throw new OAuthError(
        'invalid_grant',
        'The redirect_uri does not match the one of the authorization request.',
      );
    }
    if (code.codeChallenge !== null) {
      const verifier = form.get('code_verifier');
      if (!verifier)
        throw new OAuthError(
          'invalid_request',
          'The request is missing a required parameter: code_verifier.',
        );
      if (
        !isValidPkceValue(verifier) ||
        !verifierMatches(verifier, code.codeChallenge, code.codeChallengeMethod)
      ) {
        throw new OAuthError('invalid_grant', 'Failed to verify `code_verifier`.');
      }
    }
    code.used = true;
    const issued = await issueTokens(clientId, code.scopes);
    code.accessTokenIds.push(issued.accessTokenId);
    code.refreshTokens.push(issued.refreshToken);
    return issued.body;
  };

  const refresh = async (form: URLSearchParams, clientId: string): Promise<Record<string, unknown>> => {
    const token = form.get('refresh_token');
    if (!token)
      throw new OAuthError('invalid_request', 'The request is missing a required parameter: refresh_token.');
    const grant = grants.refreshTokens.get(token);
    if (!grant || grant.revoked || grant.expiresAt <= Date.now() || grant.clientId !== clientId) {
      throw new OAuthError('invalid_grant', 'The refresh token is invalid.');
    }
    const requested = form.has('scope') ? parseScopeList(form.get('scope')) : grant.scopes;
    if (requested.some((scope) => !grant.scopes.includes(scope))) {
      throw new OAuthError(
        'invalid_scope',
        'The requested scope exceeds the scope granted by the resource owner.',
      );
    }
    // Rotation: the old refresh token and its access token stop working.
    grant.revoked = true;
    authority.revoke(grant.accessTokenId);
    return (await issueTokens(clientId, requested)).body;
  };

  const token = async (request: SandboxRequest): Promise<SandboxResponse> => {
    const form = await readForm(request);
    const basic = basicCredentials(request.headers.authorization);
    request.credential = {
      kind: 'secret',
      where: basic ? 'header' : form.has('client_secret') ? 'body' : 'none',
    };
    try {
      const clientId = basic?.id ?? form.get('client_id') ?? '';
      const clientSecret = basic?.secret ?? form.get('client_secret') ?? '';
      if (clientId !== client.clientId || !safeEqual(clientSecret, client.clientSecret)) {
        throw new OAuthError('invalid_client', 'Client authentication failed', 401);
      }
      grants.sweep();
      const grantType = form.get('grant_type');
      if (grantType === 'authorization_code') return json(200, await exchangeCode(form, clientId));
      if (grantType === 'refresh_token') return json(200, await refresh(form, clientId));
      if (!grantType)
        throw new OAuthError('invalid_request', 'The request is missing a required parameter: grant_type.');
      throw new OAuthError(
        'unsupported_grant_type',
        'The authorization grant type is not supported by the authorization server.',
      );
    } catch (error) {
      if (!(error instanceof OAuthError)) throw error;
      const body = { error: error.error, error_description: error.description, message: error.description };
      const headers: Record<string, string> =
        error.status === 401 && basic ? { 'WWW-Authenticate': 'Basic realm="OAuth"' } : {};
      return json(error.status, body, headers);
    }
  };

  return async (request) => {
    const path = request.url.pathname.replace(/\/+$/, '');
    if (path === '/authorize') {
      if (request.method === 'GET') return showConsent(request);
      if (request.method === 'POST') return decide(request, false);
      if (request.method === 'DELETE') return decide(request, true);
      return json(405, { error: 'invalid_request', error_description: 'Method not allowed.' });
    }
    if (path === '/token') {
      if (request.method === 'POST') return token(request);
      return json(405, { error: 'invalid_request', error_description: 'Method not allowed.' });
    }
    return undefined;
  };
}

/** Reads a form (`application/x-www-form-urlencoded`) or JSON object body as parameters. */
async function readForm(request: SandboxRequest): Promise<URLSearchParams> {
  let text: string;
  try {
    text = await readText(request.body, MAX_FORM_BYTES);
  } catch (error) {
    if (error instanceof BodyError) return new URLSearchParams();
    throw error;
  }
  if (/application\/json/i.test(request.headers['content-type'] ?? '')) {
    try {
      const data = JSON.parse(text) as unknown;
      if (typeof data !== 'object' || data === null) return new URLSearchParams();
      const entries = Object.entries(data).filter(([, value]) => value !== null && typeof value !== 'object');
      return new URLSearchParams(entries.map(([key, value]): [string, string] => [key, String(value)]));
    } catch {
      return new URLSearchParams();
    }
  }
  return new URLSearchParams(text);
}

function basicCredentials(header: string | undefined): { id: string; secret: string } | undefined {
  const match = /^Basic\s+(\S+)$/i.exec(header ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1] ?? '', 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return {
    id: decodeURIComponent(decoded.slice(0, colon)),
    secret: decodeURIComponent(decoded.slice(colon + 1)),
  };
}

function isRedirectUri(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.hash === '';
  } catch {
    return false;
  }
}

/** A 302 to the client's redirect URI with parameters in its query or (implicit grant) fragment. */
function redirect(
  redirectUri: string,
  mode: 'query' | 'fragment',
  params: Record<string, string | null>,
): SandboxResponse {
  const target = new URL(redirectUri);
  const entries = Object.entries(params).filter((entry): entry is [string, string] => entry[1] !== null);
  if (mode === 'query') for (const [key, value] of entries) target.searchParams.set(key, value);
  else target.hash = new URLSearchParams(entries).toString();
  return { status: 302, headers: { Location: target.toString(), ...NO_STORE } };
}

function html(status: number, body: string): SandboxResponse {
  return { status, headers: { 'Content-Type': 'text/html; charset=utf-8', ...NO_STORE }, body };
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): SandboxResponse {
  return {
    status,
    headers: { 'Content-Type': 'application/json; charset=UTF-8', ...NO_STORE, ...headers },
    body,
  };
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
