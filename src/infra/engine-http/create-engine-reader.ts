import http, { type ClientRequest, type RequestOptions } from 'node:http';

/** The Engine API version every request is pinned to, as the dockerode client's (Engine 20.10). */
const ENGINE_API_VERSION = 'v1.41';

/** Query filters as the Engine takes them (`{"name": ["prod_"]}`), sent as JSON. */
type Filters = Readonly<Record<string, readonly string[]>>;

/**
 * The two reads a stack listing makes (GET /services, GET /tasks), shaped like dockerode's
 * `listServices` and `listTasks` so `listStackServices` runs on either client.
 */
export interface EngineReader {
  listServices(options: {
    readonly status?: boolean;
    readonly filters?: Filters;
    readonly abortSignal?: AbortSignal;
  }): Promise<unknown[]>;
  listTasks(options: {
    readonly filters?: Filters;
    readonly abortSignal?: AbortSignal;
  }): Promise<unknown[]>;
}

/**
 * A read-only Engine client on plain `node:http`, for the short-lived commands (`check`,
 * `run`): dockerode with docker-modem costs a cold process about 20 ms to load, more than the
 * reads themselves, and those commands only list. Errors look like docker-modem's (`statusCode`,
 * the body in `json`, socket errors with their `code`), so `toDockerError` words them the same.
 * No keep-alive by default: one listing, then the process exits. The long-running bot passes
 * its Docker client's kept-alive agent instead (see engineReaderOf).
 */
export function createEngineReader(host: string, agent: http.Agent | false = false): EngineReader {
  const target = engineTarget(host);
  const get = async (path: string, signal: AbortSignal | undefined): Promise<unknown[]> => {
    const base = { path: `/${ENGINE_API_VERSION}${path}`, agent, signal };
    if (target.socketPath !== undefined) {
      // `servername: ''`: a socket has no TLS name, and deriving one from the default `localhost`
      // compiles Node's IPv6 pattern (a few ms of a cold start) only to rule out an address.
      const options: RequestOptions & { readonly servername: string } = {
        ...base,
        servername: '',
        socketPath: target.socketPath,
      };
      return answerOf(http.request(options));
    }
    const request = target.secure ? (await import('./https-request.js')).request : http.request;
    return answerOf(request({ ...base, host: target.hostname, port: target.port }));
  };
  return {
    listServices: ({ status, filters, abortSignal }) =>
      get(`/services?${query({ status, filters })}`, abortSignal),
    listTasks: ({ filters, abortSignal }) => get(`/tasks?${query({ filters })}`, abortSignal),
  };
}

/**
 * Where a validated `docker.host` points (the config's pattern admits `unix:///path`,
 * `tcp://host:port`, `http://host:port`, `https://host:port`); `[::1]` loses its brackets.
 */
function engineTarget(host: string): {
  readonly socketPath?: string;
  readonly hostname: string;
  readonly port: number;
  readonly secure: boolean;
} {
  const url = new URL(host);
  return {
    ...(url.protocol === 'unix:' && { socketPath: decodeURIComponent(url.pathname) }),
    hostname: url.hostname.replace(/^\[|\]$/g, ''),
    // `http://h:80` and `https://h:443` parse with an empty port: the scheme's own.
    port: url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port),
    secure: url.protocol === 'https:',
  };
}

function query(options: {
  readonly status?: boolean | undefined;
  readonly filters?: Filters | undefined;
}): string {
  const params = new URLSearchParams();
  if (options.status !== undefined) params.set('status', String(options.status));
  if (options.filters !== undefined) params.set('filters', JSON.stringify(options.filters));
  return params.toString();
}

/** The JSON array of a 2xx answer; any other status rejects with the Engine's own message. */
function answerOf(request: ClientRequest): Promise<unknown[]> {
  return new Promise((resolve, reject) => {
    request.once('error', reject);
    request.once('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.once('error', reject);
      response.once('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const status = response.statusCode ?? 0;
        if (status >= 200 && status < 300) {
          try {
            resolve(JSON.parse(text) as unknown[]);
          } catch (error) {
            reject(error instanceof Error ? error : new Error(String(error)));
          }
          return;
        }
        reject(engineError(status, response.statusMessage ?? '', text));
      });
    });
    request.end();
  });
}

function engineError(statusCode: number, reason: string, text: string): Error {
  let json: unknown = text;
  try {
    json = JSON.parse(text);
  } catch {
    // Not JSON (a proxy's own page): the text is the message.
  }
  return Object.assign(new Error(`(HTTP code ${statusCode}) ${reason} - ${text.trim()}`), {
    statusCode,
    reason,
    json,
  });
}
