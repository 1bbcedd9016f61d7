/**
 * Secrets that travel in URLs (calendar feed `?token=`, survey and ticket links) must not reach
 * the access logs: whoever reads the logs could otherwise open a visitor's survey or an agent's feed.
 */
const PATH_SECRETS = /(\/api\/v1\/public\/(?:surveys|tickets)\/)[^/?#]+/;
const QUERY_SECRETS = /([?&](?:token|key)=)[^&#]*/g;

export function redactUrl(url: string): string {
  return url.replace(PATH_SECRETS, '$1[redacted]').replace(QUERY_SECRETS, '$1[redacted]');
}

/** pino-http request serializer: receives the standard serialized request. */
export function redactRequest<T extends { url?: string; query?: unknown; params?: unknown }>(req: T): T {
  if (typeof req.url === 'string') req.url = redactUrl(req.url);
  delete req.query;
  delete req.params;
  return req;
}
