import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest, type Agent as HttpsAgent } from 'node:https';

export interface SendHttpRequestOptions {
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
  /** Aborting destroys the socket, whether the response has started or not. */
  readonly signal: AbortSignal;
  /** For `https:` URLs; a fresh connection with Node's default TLS checks when absent. */
  readonly httpsAgent?: HttpsAgent | undefined;
}

let freshConnections: HttpAgent | undefined;

/**
 * Opens a new connection for every request and closes it after the answer (`Connection:
 * close`), exactly as `agent: false` does, without building a throwaway Agent per probe. Made
 * on first use, not at load: the CLI's startup snapshot evaluates this module, and an Agent
 * built there would load `node:http` into the snapshot, which Node 20 cannot hold.
 */
function freshConnectionsAgent(): HttpAgent {
  freshConnections ??= new HttpAgent({ keepAlive: false });
  return freshConnections;
}

/**
 * One request on a fresh connection, resolved with the response once its head
 * has arrived; the body is left for the caller to read or destroy. Redirects are not followed: a
 * probe reports the 3xx it got. A probe runs every few seconds at most, so a kept-alive socket
 * would sit idle until the server closes it, and a reused one can be reset by that close.
 */
export function sendHttpRequest(
  url: string,
  options: SendHttpRequestOptions,
): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const parsed = new URL(url);
    const send = requestFor(parsed.protocol);
    const agent =
      parsed.protocol === 'https:' ? (options.httpsAgent ?? false) : freshConnectionsAgent();
    const req = send(parsed, { method: options.method, headers: { ...options.headers }, agent });
    req.once('response', resolve);
    // `on`, not `once`: a socket can fail again after the first error, and an 'error' nobody
    // listens to would crash the process (rejecting a settled promise does nothing).
    req.on('error', reject);
    options.signal.addEventListener('abort', () => req.destroy(), { once: true });
    req.end();
  });
}

function requestFor(protocol: string): typeof httpRequest {
  if (protocol === 'http:') return httpRequest;
  if (protocol === 'https:') return httpsRequest;
  throw new Error(`unsupported protocol ${protocol.replace(/:$/, '')}`);
}
