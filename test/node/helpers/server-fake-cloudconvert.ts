import { json, recordingFetch } from './server-fixtures.js';

/** A job as the fake CloudConvert keeps it. */
interface FakeJob {
  id: string;
  tag: string;
  status: string;
  tasks: Array<Record<string, unknown>>;
}

/**
 * A minimal in-memory CloudConvert API behind a recording `fetch`: `POST /jobs` creates a job (upload forms
 * included, with internals the kit must strip), `GET /jobs/{id}` shows it; `finish(id)` completes it.
 */
export function fakeCloudConvert(apiBase: string) {
  const jobs = new Map<string, FakeJob>();
  let counter = 0;
  const fetch = recordingFetch((call) => {
    const path = call.url.slice(apiBase.length);
    if (call.method === 'POST' && path === '/jobs') {
      const body = JSON.parse(call.body) as { tag: string; tasks: Record<string, Record<string, unknown>> };
      counter += 1;
      const id = `job-${counter}`;
      const tasks = Object.entries(body.tasks).map(([name, payload]) => ({
        id: `${id}-${name}`,
        name,
        operation: payload.operation,
        status: 'waiting',
        percent: 100,
        user_id: 37116784,
        host_name: 'internal-host',
        payload,
        links: { self: `${apiBase}/tasks/${id}-${name}` },
        result:
          payload.operation === 'import/upload'
            ? {
                form: {
                  url: 'https://storage.example/tasks',
                  parameters: { key: `${id}-${name}/\${filename}`, acl: 'private' },
                },
              }
            : null,
      }));
      const job = { id, tag: body.tag, status: 'waiting', tasks };
      jobs.set(id, job);
      return json({ data: { ...job, links: { self: `${apiBase}/jobs/${id}` } } }, 201);
    }
    const match = /^\/jobs\/([^/?]+)$/.exec(path);
    if (call.method === 'GET' && match) {
      const job = jobs.get(decodeURIComponent(match[1] as string));
      return job ? json({ data: job }) : json({ message: 'Not found', code: 'NOT_FOUND' }, 404);
    }
    return json({ message: 'Unexpected', code: 'UNEXPECTED' }, 500);
  });

  const finish = (id: string): void => {
    const job = jobs.get(id);
    if (!job) throw new Error(`no job ${id}`);
    job.status = 'finished';
    for (const task of job.tasks) {
      task.status = 'finished';
      if (task.operation === 'export/url') {
        task.result = {
          files: [
            {
              filename: `${String(task.name)}.pdf`,
              size: 1234,
              url: `https://storage.example/${String(task.id)}.pdf`,
            },
          ],
        };
      } else task.result = { files: [{ filename: 'x' }] };
    }
  };

  return { fetch, jobs, finish };
}
