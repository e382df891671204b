import type { Dispatcher } from 'undici';
import apiRequest from 'undici/lib/api/api-request.js';
import undiciGlobal from 'undici/lib/global.js';
import undiciUtil from 'undici/lib/core/util.js';

export interface UndiciRequestOptions {
  readonly method: Dispatcher.HttpMethod;
  readonly headers: Record<string, string>;
  readonly signal: AbortSignal;
  /** undici's global dispatcher when absent, as undici's own `request` does. */
  readonly dispatcher?: Dispatcher | undefined;
}

/**
 * undici's `request(url, options)`, built from the modules it is made of. Imported through the
 * package's index, undici also loads fetch, WebSocket, the caches and the mocks: twice the code
 * to compile, about 20 ms of every cold `run "/tas status"`, for nothing a probe uses.
 */
export function undiciRequest(
  url: string,
  options: UndiciRequestOptions,
): Promise<Dispatcher.ResponseData> {
  const parsed = undiciUtil.parseURL(url);
  const { dispatcher = undiciGlobal.getGlobalDispatcher(), ...rest } = options;
  return apiRequest.call(dispatcher, {
    ...rest,
    origin: parsed.origin,
    path: parsed.search ? `${parsed.pathname}${parsed.search}` : parsed.pathname,
  });
}
