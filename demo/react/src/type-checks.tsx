// Checked by `tsc -p demo/react`, never bundled: the generated JSX types accept the element's real
// API and refuse mistakes (each @ts-expect-error fails the check if its line type-checks after all).
import type {} from 'convert-uploader/react';
import type { ConvertUploader } from 'convert-uploader';
import { useRef } from 'react';

export function Checks() {
  const ref = useRef<ConvertUploader>(null);
  return (
    <>
      <convert-uploader
        ref={ref}
        provider="cloudconvert"
        max-files={3}
        concurrency={2}
        parameters={{ PageRange: '1-2' }}
        style={{ '--convert-uploader-accent-color': 'rebeccapurple' }}
        onconvert-success={(event) => {
          const name: string | undefined = event.detail.results[0]?.name;
          const element: ConvertUploader = event.target;
          element.start();
          return name;
        }}
        onconvert-error={(event) => event.detail.error.code satisfies string}
        onconvert-progress={(event) => event.detail.progress satisfies number | null}
      />
      {/* @ts-expect-error: concurrency is a number */}
      <convert-uploader concurrency="three" />
      {/* @ts-expect-error: no such provider */}
      <convert-uploader provider="dropbox" />
      {/* @ts-expect-error: no such attribute */}
      <convert-uploader colour="red" />
      {/* @ts-expect-error: convert-success carries results, not a number */}
      <convert-uploader onconvert-success={(event: CustomEvent<number>) => event.detail.toFixed()} />
    </>
  );
}
