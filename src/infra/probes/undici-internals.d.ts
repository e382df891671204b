// Types for the two undici modules `undici-request.ts` imports directly: the package's index
// would load fetch, WebSocket, the caches and the mocks, none of which a probe uses.
declare module 'undici/lib/api/api-request.js' {
  import type { Dispatcher } from 'undici';
  /** undici's `Dispatcher.prototype.request`, called on a dispatcher. */
  const request: (
    this: Dispatcher,
    options: Dispatcher.RequestOptions,
  ) => Promise<Dispatcher.ResponseData>;
  export default request;
}

declare module 'undici/lib/global.js' {
  import type { Dispatcher } from 'undici';
  const global: { getGlobalDispatcher(): Dispatcher };
  export default global;
}

declare module 'undici/lib/core/util.js' {
  const util: { parseURL(url: string): URL };
  export default util;
}
