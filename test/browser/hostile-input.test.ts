import { expect } from '@open-wc/testing';
import { html } from 'lit';
import type { ConvertUploader } from '../../src/index.js';
import { addFaults, backendInfo, resetBackend, settled, until } from './support/backend-client.js';
import { expectCleanPages } from './support/clean-page.js';
import { fixture, makeFile } from './support/fixture.js';

async function uploader(extra = ''): Promise<ConvertUploader> {
  const { convertapiBase } = await backendInfo();
  const el = await fixture<ConvertUploader>(
    html`<convert-uploader
      multiple
      to="pdf"
      token-endpoint="/api/convert-token"
      api-base=${convertapiBase}
    ></convert-uploader>`,
  );
  if (extra) el.setAttribute('auto-start', extra);
  return el;
}

function rows(el: ConvertUploader): HTMLElement[] {
  return [...el.shadowRoot!.querySelectorAll<HTMLElement>('[part="file-list"] [part="file"]')];
}

describe('hostile input', function () {
  this.timeout(60_000);
  expectCleanPages();

  beforeEach(async () => {
    await resetBackend();
  });

  it('shows file names with markup, script, bidi overrides and 5,000 characters as plain text', async () => {
    const el = await uploader('false');
    const names = [
      '<img src=x onerror="globalThis.__pwned=1">.txt',
      '<script>globalThis.__pwned=1</script>.txt',
      'invoice\u202Efdp.exe.txt',
      `${'long-'.repeat(1000)}.txt`,
    ];
    el.addFiles(names.map((name) => makeFile(name, 'x')));
    await el.updateComplete;
    const shown = rows(el).map((row) => row.querySelector('[part="file-name"]')!);
    // Only the element's own two pieces of a name (the start, which may be cut, and the end); nothing of the names' markup.
    expect(
      shown.map((node) => [...node.querySelectorAll('*')].map((child) => child.className)),
    ).to.deep.equal(Array(4).fill(['start', 'end']));
    expect(shown[0]?.textContent).to.equal(names[0]);
    expect(shown[1]?.textContent).to.equal(names[1]);
    expect(shown[2]?.textContent).to.equal('invoice\uFFFDfdp.exe.txt');
    expect(el.shadowRoot!.querySelectorAll('img, script')).to.have.length(0);
    expect((globalThis as { __pwned?: number }).__pwned).to.equal(undefined);
    const width = el.getBoundingClientRect().width;
    expect(rows(el)[3]!.getBoundingClientRect().width).to.be.at.most(width);
  });

  for (const url of [
    'data:application/pdf;base64,JVBERi0=',
    'http://elsewhere.example/x.pdf',
    'javascript:alert(1)',
    'ftp://files.example/x.pdf',
  ]) {
    it(`never renders a result link to ${url.slice(0, url.indexOf(':'))}: (invalid-response instead)`, async () => {
      const el = await uploader();
      await addFaults([
        {
          match: { service: 'convertapi', path: '/convert/*' },
          times: 1,
          action: { status: 200, body: { Files: [{ FileName: 'x.pdf', FileExt: 'pdf', Url: url }] } },
        },
      ]);
      el.addFiles([makeFile('a.txt', 'A')]);
      const [item] = await settled(el, 1);
      expect(item?.error?.code).to.equal('invalid-response');
      await el.updateComplete;
      expect(el.shadowRoot!.querySelectorAll('a')).to.have.length(0);
    });
  }

  it('rejects a 0-byte file before any upload', async () => {
    const el = await uploader();
    const codes: string[] = [];
    el.addEventListener('convert-rejected', (event) =>
      codes.push((event as CustomEvent<{ code: string }>).detail.code),
    );
    el.addFiles([makeFile('nothing.txt', '')]);
    expect(codes).to.deep.equal(['empty-file']);
    expect(el.items).to.have.length(0);
  });

  it('a file whose type lies ends in a clear conversion failure', async () => {
    const el = await uploader();
    el.to = 'jpg';
    el.addFiles([makeFile('photo.png', 'this is not a PNG at all', 'image/png')]);
    const [item] = await settled(el, 1);
    expect(item?.error).to.include({ code: 'conversion-failed', providerCode: 5002 });
  });

  it('takes 1,000 files at once and lists every one', async () => {
    const el = await uploader('false');
    const files = Array.from({ length: 1000 }, (_, index) => makeFile(`file-${index}.txt`, String(index)));
    el.addFiles(files);
    await el.updateComplete;
    // The list grows a slice per frame, so that the page never stalls.
    expect(rows(el).length).to.be.within(1, 999);
    await until(() => rows(el).length === 1000, 'every row');
    el.clear();
    await el.updateComplete;
    expect(rows(el)).to.have.length(0);
  });
});
