import { UpstreamError, type RequestError } from './errors.js';
import { refreshAccessToken, type OAuthClient, type OAuthTokens } from './oauth-token-client.js';
import type { Sealer } from './sealed-token.js';
import type { TokenStore } from './token-store.js';

/** Each visitor's CloudConvert connection: stored encrypted, refreshed ahead of expiry, one refresh at a time. */
export interface OAuthConnections {
  /** Encrypts and stores `tokens` for `visitorId`. */
  save(visitorId: string, tokens: OAuthTokens): Promise<void>;
  /**
   * An access token for `visitorId` with more than the leeway left, refreshing if needed. Throws the 401
   * `not-connected` error when the visitor has no (more) usable connection.
   */
  accessToken(visitorId: string): Promise<OAuthTokens>;
  /** Forgets the visitor's connection. */
  forget(visitorId: string): Promise<void>;
}

/** Builds {@link OAuthConnections}; `notConnected` makes the error thrown when there is nothing to hand out. */
export function createOAuthConnections(
  store: TokenStore,
  sealer: Sealer,
  client: OAuthClient,
  refreshLeewaySec: number,
  notConnected: () => RequestError,
): OAuthConnections {
  const refreshing = new Map<string, Promise<OAuthTokens>>();

  const save = async (visitorId: string, tokens: OAuthTokens): Promise<void> => {
    const record = {
      at: tokens.accessToken,
      ate: tokens.expiresAt,
      ...(tokens.refreshToken ? { rt: tokens.refreshToken } : {}),
    };
    await store.set(visitorId, await sealer.seal(record, { subject: visitorId }));
  };

  const load = async (visitorId: string): Promise<OAuthTokens | undefined> => {
    const sealed = await store.get(visitorId);
    if (sealed === undefined) return undefined;
    const opened = await sealer.open(sealed, { subject: visitorId });
    if (!opened.ok) return undefined;
    const { at, ate, rt } = opened.payload;
    if (typeof at !== 'string' || typeof ate !== 'number') return undefined;
    return typeof rt === 'string'
      ? { accessToken: at, expiresAt: ate, refreshToken: rt }
      : { accessToken: at, expiresAt: ate };
  };

  const refresh = async (visitorId: string, refreshToken: string): Promise<OAuthTokens> => {
    let tokens: OAuthTokens;
    try {
      tokens = await refreshAccessToken(client, refreshToken);
    } catch (error) {
      // 400/401 from the token endpoint: the grant was revoked or has expired. Anything else may be transient.
      if (error instanceof UpstreamError && (error.upstreamStatus === 400 || error.upstreamStatus === 401)) {
        await store.delete(visitorId);
        throw notConnected();
      }
      throw error;
    }
    await save(visitorId, tokens);
    return tokens;
  };

  const accessToken = async (visitorId: string): Promise<OAuthTokens> => {
    const pending = refreshing.get(visitorId);
    if (pending !== undefined) return pending;
    const tokens = await load(visitorId);
    if (tokens === undefined) throw notConnected();
    if (tokens.expiresAt - Math.floor(Date.now() / 1000) > refreshLeewaySec) return tokens;
    if (tokens.refreshToken === undefined) {
      await store.delete(visitorId);
      throw notConnected();
    }
    // Concurrent requests share one refresh: a second one would present an already rotated refresh token.
    const started = refreshing.get(visitorId);
    if (started !== undefined) return started;
    const refreshed = refresh(visitorId, tokens.refreshToken).finally(() => refreshing.delete(visitorId));
    refreshing.set(visitorId, refreshed);
    return refreshed;
  };

  return { save, accessToken, forget: async (visitorId) => store.delete(visitorId) };
}
