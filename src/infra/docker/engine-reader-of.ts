import { Agent } from 'node:http';
import type Docker from 'dockerode';
import { createEngineReader, type EngineReader } from '../engine-http/create-engine-reader.js';

/** The connection docker-modem keeps; @types/docker-modem does not declare `agent`. */
interface ModemConnection {
  readonly socketPath?: unknown;
  readonly host?: unknown;
  readonly port?: unknown;
  readonly protocol?: unknown;
  readonly agent?: unknown;
}

/**
 * The stack listing's two reads on plain `node:http`, to the Engine the dockerode client talks
 * to and on its kept-alive agent (same sockets, same connect timeout). docker-modem sends a
 * request to a socket path only after a promise turn and adds its own layers around each call;
 * on `/tas status`, that put the Engine requests on the wire after the probes' connections.
 * Falls back to the client itself when it has no agent and connection of the forms
 * createDockerClient builds.
 */
export function engineReaderOf(docker: Docker): EngineReader {
  // A client that is not dockerode's (the cold CLI's reader in its clothes) has no modem.
  const modem = (docker as { readonly modem?: ModemConnection }).modem ?? {};
  const host = hostOf(modem);
  // https.Agent extends http.Agent: a TLS Engine keeps its own agent too.
  if (!(modem.agent instanceof Agent) || host === undefined) return docker;
  return createEngineReader(host, modem.agent);
}

function hostOf(modem: ModemConnection): string | undefined {
  if (typeof modem.socketPath === 'string') return `unix://${modem.socketPath}`;
  const { host, port, protocol } = modem;
  if (typeof host !== 'string' || (typeof port !== 'number' && typeof port !== 'string'))
    return undefined;
  const scheme = protocol === 'https' ? 'https' : 'http';
  // An IPv6 address goes back into brackets, as in the configured `docker.host`.
  const name = host.includes(':') ? `[${host}]` : host;
  return `${scheme}://${name}:${String(port)}`;
}
