import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isLoopbackHost, secureUrl } from '../../../src/contract/url-policy.js';

describe('isLoopbackHost', () => {
  it('accepts localhost, its subdomains, 127.0.0.0/8 and ::1, in any case and form', () => {
    const loopback = [
      'localhost',
      'LOCALHOST',
      'localhost.',
      'app.localhost',
      'App.Localhost.',
      '127.0.0.1',
      '127.1.2.3',
      '127.255.255.255',
      '[::1]',
      '::1',
    ];
    for (const host of loopback) assert.equal(isLoopbackHost(host), true, host);
  });

  it('refuses other hosts, including look-alikes', () => {
    const others = [
      'example.com',
      'localhost.example.com',
      'notlocalhost',
      'localhost..',
      '128.0.0.1',
      '127.0.0',
      '127.0.0.1.example.com',
      '10.0.0.1',
      '[::2]',
      '[::ffff:127.0.0.1]',
      '0.0.0.0',
      '',
    ];
    for (const host of others) assert.equal(isLoopbackHost(host), false, host);
  });

  it('recognises the hosts as `URL` reports them', () => {
    for (const url of ['http://[::1]:8080/', 'http://LOCALHOST./', 'http://127.1/', 'http://0x7f000001/']) {
      assert.equal(isLoopbackHost(new URL(url).hostname), true, url);
    }
  });
});

describe('secureUrl', () => {
  it('takes https anywhere, and http on loopback hosts only', () => {
    assert.equal(secureUrl('https://example.com/token')?.href, 'https://example.com/token');
    assert.equal(secureUrl('http://[::1]:3000/token')?.href, 'http://[::1]:3000/token');
    assert.equal(secureUrl('http://example.com/token'), undefined);
    assert.equal(secureUrl('ftp://localhost/token'), undefined);
  });

  it('resolves against the base, and refuses credentials and what is not a URL', () => {
    assert.equal(
      secureUrl('/api/token', 'https://shop.example/page')?.href,
      'https://shop.example/api/token',
    );
    assert.equal(secureUrl('https://user:secret@example.com/'), undefined);
    assert.equal(secureUrl('/api/token'), undefined);
  });
});
