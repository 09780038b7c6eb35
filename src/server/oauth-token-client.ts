import { decodeJwt } from 'jose';
import { UpstreamError } from './errors.js';
import { fetchUpstreamJson, type FetchFunction } from './upstream.js';

/** How the server authenticates at the OAuth token endpoint (client credentials in the form body). */
export interface OAuthClient {
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly fetch: FetchFunction;
}

/** The tokens of one OAuth grant, as the server keeps them. */
export interface OAuthTokens {
  readonly accessToken: string;
  /** Unix seconds. */
  readonly expiresAt: number;
  readonly refreshToken?: string;
}

/** Exchanges an authorization code, proving possession of the PKCE verifier. */
export function exchangeAuthorizationCode(
  client: OAuthClient,
  grant: { code: string; redirectUri: string; codeVerifier: string },
): Promise<OAuthTokens> {
  return requestTokens(client, {
    grant_type: 'authorization_code',
    code: grant.code,
    redirect_uri: grant.redirectUri,
    code_verifier: grant.codeVerifier,
  });
}

/** Trades a refresh token for a fresh access token (and, when the server rotates them, a new refresh token). */
export async function refreshAccessToken(client: OAuthClient, refreshToken: string): Promise<OAuthTokens> {
  const tokens = await requestTokens(client, { grant_type: 'refresh_token', refresh_token: refreshToken });
  return tokens.refreshToken === undefined ? { ...tokens, refreshToken } : tokens;
}

async function requestTokens(client: OAuthClient, grant: Record<string, string>): Promise<OAuthTokens> {
  const body = (await fetchUpstreamJson(
    client.fetch,
    client.tokenUrl,
    {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: new URLSearchParams({
        ...grant,
        client_id: client.clientId,
        client_secret: client.clientSecret,
      }).toString(),
    },
    'The CloudConvert OAuth server',
  )) as { access_token?: unknown; expires_in?: unknown; refresh_token?: unknown };
  const accessToken = body.access_token;
  if (typeof accessToken !== 'string' || accessToken === '') {
    throw new UpstreamError('The CloudConvert OAuth server answered without an access token.');
  }
  const expiresAt = expiryOf(accessToken, body.expires_in);
  const refreshToken =
    typeof body.refresh_token === 'string' && body.refresh_token !== '' ? body.refresh_token : undefined;
  return refreshToken === undefined ? { accessToken, expiresAt } : { accessToken, expiresAt, refreshToken };
}

/** From `expires_in` (seconds), or else the `exp` of a JWT access token; without either the answer is unusable. */
function expiryOf(accessToken: string, expiresIn: unknown): number {
  const now = Math.floor(Date.now() / 1000);
  const seconds = typeof expiresIn === 'string' ? Number(expiresIn) : expiresIn;
  if (typeof seconds === 'number' && Number.isFinite(seconds) && seconds > 0)
    return now + Math.floor(seconds);
  try {
    const { exp } = decodeJwt(accessToken);
    if (typeof exp === 'number') return exp;
  } catch {
    // Not a JWT: nothing else says when it expires.
  }
  throw new UpstreamError('The CloudConvert OAuth server answered an access token without an expiry.');
}
