// The smoke-test site of the runtime tests, in plain JavaScript so that every runtime runs it as it is: the
// server kit as it ships (dist/server.js, passed in as `kit`), a ConvertAPI token route and CloudConvert server
// jobs (creation and status), both against the sandbox named in `config`.

/**
 * @param {typeof import('../../../../dist/types/server/index.js')} kit
 * @param {{ convertapi: { base: string, secret: string, apiKey: string },
 *           cloudconvert: { api: string, apiKey: string }, ticketSecret: string }} config
 * @param {{ clientIp?: import('../../../../dist/types/server/index.js').ClientIpResolver }} [platform]
 * @returns {(request: Request) => Promise<Response>}
 */
export function createApp(kit, config, platform = {}) {
  const tokens = kit.convertApiTokens({
    secret: config.convertapi.secret,
    apiKey: config.convertapi.apiKey,
    apiBase: config.convertapi.base,
    bindClientIp: true,
    ...platform,
  });
  const jobs = kit.cloudConvertJobs({
    apiKey: config.cloudconvert.apiKey,
    apiBase: config.cloudconvert.api,
    formats: { to: ['pdf'], from: ['txt'] },
    ticketSecret: config.ticketSecret,
    bindTickets: 'cookie',
    ...platform,
  });
  return (request) => {
    const { pathname } = new URL(request.url);
    return pathname.startsWith('/api/convert/jobs') ? jobs(request) : tokens(request);
  };
}
