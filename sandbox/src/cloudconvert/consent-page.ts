import { xmlEscape } from './s3-xml.js';

/** What the consent page shows and posts back. */
export interface ConsentPageData {
  /** Path the forms post to (the authorize endpoint's public URL). */
  action: string;
  clientId: string;
  state: string;
  authToken: string;
  scopes: readonly string[];
  redirectHost: string;
}

const SCOPE_DESCRIPTIONS: Readonly<Record<string, string>> = {
  'user.read': 'View your user data',
  'user.write': 'Update your user data',
  'task.read': 'View your tasks and jobs',
  'task.write': 'Create and delete tasks and jobs',
  'webhook.read': 'View your webhooks',
  'webhook.write': 'Create and delete webhooks',
  'preset.read': 'View your presets',
  'preset.write': 'Create and delete presets',
};

/**
 * The authorization prompt: an Approve form and a Deny form (Laravel Passport's layout: `auth_token`,
 * `state` and `client_id` hidden fields; deny posts `_method=DELETE`). Tests drive it like a browser.
 */
export function consentPage(data: ConsentPageData): string {
  const hidden = (name: string, value: string): string =>
    `<input type="hidden" name="${name}" value="${xmlEscape(value)}">`;
  const fields =
    hidden('state', data.state) + hidden('client_id', data.clientId) + hidden('auth_token', data.authToken);
  const scopes =
    data.scopes.length === 0
      ? '<li>No access beyond identifying the application</li>'
      : data.scopes
          .map(
            (scope) =>
              `<li><code>${xmlEscape(scope)}</code>: ${xmlEscape(SCOPE_DESCRIPTIONS[scope] ?? scope)}</li>`,
          )
          .join('');
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Authorization Request - CloudConvert sandbox</title></head>
<body>
<main>
<h1>Authorization Request</h1>
<p>An application (client <code>${xmlEscape(data.clientId)}</code>, returning to <strong>${xmlEscape(data.redirectHost)}</strong>) is requesting permission to access your account.</p>
<p>This application will be able to:</p>
<ul>${scopes}</ul>
<form method="post" action="${xmlEscape(data.action)}" id="approve">${fields}<button type="submit" name="approve" value="1">Authorize</button></form>
<form method="post" action="${xmlEscape(data.action)}" id="deny">${fields}${hidden('_method', 'DELETE')}<button type="submit">Cancel</button></form>
</main>
</body>
</html>
`;
}

/** A plain error page for authorize requests that cannot be redirected (unknown client, bad redirect URI). */
export function errorPage(title: string, message: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${xmlEscape(title)}</title></head>
<body><main><h1>${xmlEscape(title)}</h1><p>${xmlEscape(message)}</p></main></body></html>
`;
}
