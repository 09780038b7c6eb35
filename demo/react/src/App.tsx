// The widget in React 19: attributes and properties as JSX props, events as `on<event-name>` props,
// all typed by the JSX types generated from custom-elements.json (convert-uploader/react).
import 'convert-uploader/define';
import type {} from 'convert-uploader/react';
import type { ConversionResult, ConvertCompleteEvent, ConvertSuccessEvent } from 'convert-uploader';
import { useEffect, useState } from 'react';

/** The part of the demo backend's /api/demo-config this page reads: where the sandbox is. */
interface DemoConfig {
  convertapi: { apiBase?: string };
}

export function App() {
  const [apiBase, setApiBase] = useState<string>();
  const [ready, setReady] = useState(false);
  const [results, setResults] = useState<ConversionResult[]>([]);
  const [summary, setSummary] = useState('');

  useEffect(() => {
    void fetch('/api/demo-config')
      .then((response) => response.json() as Promise<DemoConfig>)
      .then((config) => {
        setApiBase(config.convertapi.apiBase);
        setReady(true);
      });
  }, []);

  const handleSuccess = (event: ConvertSuccessEvent) => {
    const converted = event.detail.results;
    setResults((current) => [...current, ...converted]);
  };
  const handleComplete = (event: ConvertCompleteEvent) => {
    const { succeeded, failed } = event.detail;
    setSummary(`${succeeded} converted, ${failed} failed`);
  };

  return (
    <main>
      <h1>convert-uploader in React 19</h1>
      <convert-uploader
        provider="convertapi"
        token-endpoint="/api/convert-token"
        to="pdf"
        multiple
        apiBase={apiBase ?? ''}
        disabled={!ready}
        strings={{ chooseFiles: 'Choose files for React' }}
        onconvert-success={handleSuccess}
        onconvert-complete={handleComplete}
      />
      <h2>Converted (rendered by React)</h2>
      <ul aria-label="Converted files">
        {results.map((result) => (
          <li key={result.url}>
            <a href={result.url}>{result.name}</a>
          </li>
        ))}
      </ul>
      <p role="status">{summary}</p>
    </main>
  );
}
