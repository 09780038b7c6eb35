import { base64url } from 'jose';
import { createSealer } from './sealed-token.js';

/** What a job ticket proves: this handler created the job, for this caller, until it expires. */
export interface JobTicketClaims {
  /** The CloudConvert job id. */
  readonly jobId: string;
  /** The API key that created the job, as a fingerprint (so a rotated key list still finds it). */
  readonly keyFingerprint: string;
  /** The cross-origin page that asked for the job, or `self` for the endpoint's own origin and non-browsers. */
  readonly caller: string;
  /** The visitor the ticket is bound to (`bindTickets`), if any. */
  readonly visitor?: string;
}

/** The outcome of opening a ticket. */
export type OpenedTicket =
  | { readonly ok: true; readonly claims: JobTicketClaims }
  | { readonly ok: false; readonly reason: 'expired' | 'invalid' };

/** Issues and opens job tickets with a rotation list of secrets (encrypt with the first, open with any). */
export interface JobTickets {
  issue(claims: JobTicketClaims): Promise<{ ticket: string; expiresAt: Date }>;
  open(ticket: string): Promise<OpenedTicket>;
}

/**
 * Job tickets are encrypted, authenticated JWTs (see `createSealer`): the browser can neither read nor forge
 * them, and they expire after `lifetimeSec`. Unbound, a ticket is a bearer capability (whoever holds the status
 * URL reads the job, its result links included): keep status paths out of logs.
 */
export function createJobTickets(secrets: readonly string[], lifetimeSec: number): JobTickets {
  const sealer = createSealer(secrets, 'cloudconvert-job-ticket');
  return {
    async issue({ jobId, keyFingerprint, caller, visitor }) {
      const expiresAt = new Date((Math.floor(Date.now() / 1000) + lifetimeSec) * 1000);
      const claims = {
        job: jobId,
        akf: keyFingerprint,
        caller,
        ...(visitor === undefined ? {} : { vis: visitor }),
      };
      const ticket = await sealer.seal(claims, { lifetimeSec });
      return { ticket, expiresAt };
    },
    async open(ticket) {
      const opened = await sealer.open(ticket);
      if (!opened.ok) return opened;
      const { job, akf, caller, vis, exp } = opened.payload;
      if (
        typeof job !== 'string' ||
        typeof akf !== 'string' ||
        typeof caller !== 'string' ||
        (vis !== undefined && typeof vis !== 'string') ||
        exp === undefined
      ) {
        return { ok: false, reason: 'invalid' };
      }
      const claims = { jobId: job, keyFingerprint: akf, caller };
      return { ok: true, claims: typeof vis === 'string' ? { ...claims, visitor: vis } : claims };
    },
  };
}

/** A short fingerprint of an API key (SHA-256, first 12 bytes), kept only inside encrypted tickets. */
export async function keyFingerprint(apiKey: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(apiKey));
  return base64url.encode(new Uint8Array(digest).slice(0, 12));
}
