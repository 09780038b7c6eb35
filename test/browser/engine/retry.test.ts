import { expect } from '@open-wc/testing';
import { ConvertError } from '../../../src/engine/errors.js';
import { backoffDelay, withRetry } from '../../../src/engine/retry.js';
import { retryAfterMs } from '../../../src/engine/transport.js';

const fast = { attempts: 3, baseDelayMs: 1, maxDelayMs: 4 };

describe('retry', () => {
  it('grows the backoff exponentially with jitter, capped, and honours a longer Retry-After', () => {
    const policy = { attempts: 5, baseDelayMs: 100, maxDelayMs: 1000 };
    expect(backoffDelay(1, policy, undefined, () => 0)).to.equal(50);
    expect(backoffDelay(1, policy, undefined, () => 1)).to.equal(100);
    expect(backoffDelay(3, policy, undefined, () => 1)).to.equal(400);
    expect(backoffDelay(9, policy, undefined, () => 1)).to.equal(1000);
    expect(backoffDelay(1, policy, 2500, () => 1)).to.equal(2500);
  });

  it('reads Retry-After as seconds or as a date', () => {
    expect(retryAfterMs(new Headers({ 'retry-after': '3' }))).to.equal(3000);
    const now = Date.parse('2026-11-22T10:00:00Z');
    expect(retryAfterMs(new Headers({ 'retry-after': 'Sun, 22 Nov 2026 10:00:05 GMT' }), now)).to.equal(5000);
    expect(retryAfterMs(new Headers())).to.equal(undefined);
  });

  it('repeats transient failures until success, and gives up after the attempts', async () => {
    let calls = 0;
    const value = await withRetry(
      async () => {
        calls += 1;
        if (calls < 3) throw new ConvertError('rate-limited', 'busy', { status: 503 });
        return 'ok';
      },
      { policy: fast },
    );
    expect([value, calls]).to.deep.equal(['ok', 3]);

    calls = 0;
    const failure = await withRetry(
      async () => {
        calls += 1;
        throw new ConvertError('conversion-failed', 'gateway', { status: 502 });
      },
      { policy: fast },
    ).catch((error: unknown) => error);
    expect((failure as ConvertError).code).to.equal('conversion-failed');
    expect(calls).to.equal(3);
  });

  it('does not repeat a conversion whose answer was lost, nor a refusal', async () => {
    for (const error of [
      new ConvertError('network', 'reset'),
      new ConvertError('conversion-unsupported', 'no', { status: 400 }),
    ]) {
      let calls = 0;
      await withRetry(
        async () => {
          calls += 1;
          throw error;
        },
        { policy: fast },
      ).catch(() => undefined);
      expect(calls).to.equal(1);
    }
    let uploads = 0;
    await withRetry(
      async () => {
        uploads += 1;
        throw new ConvertError('network', 'reset');
      },
      { policy: fast, retryNetworkErrors: true },
    ).catch(() => undefined);
    expect(uploads).to.equal(3);
  });
});
