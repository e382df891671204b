import type { IncomingMessage, ServerResponse } from 'node:http';
import { engineJson } from './engine-json.js';
import { BodyTooLarge, readBody } from './read-body.js';
import { decideUpdate, type InspectedService } from './socket-proxy-decision.js';
import { forward, refuse, type ProxyExchange } from './socket-proxy-forward.js';
import { parseStrictJson } from './socket-proxy-json.js';
import { parseUpdateQuery } from './socket-proxy-query.js';
import type { OwnService } from './socket-proxy-self.js';
import type { SpecRules } from './socket-proxy-spec.js';

/** What deciding an update needs beyond the exchange. */
export interface UpdateRules extends ProxyExchange, SpecRules {
  readonly ownService: OwnService;
  readonly forwardRegistryAuth?: boolean;
  readonly maxBodyBytes: number;
}

/**
 * `POST /v1.41/services/{id}/update`: the body read within its limit and parsed strictly, the
 * service inspected, the change decided, and then the proxy's own serialisation of the object it
 * checked sent to the ID and version it inspected, with only the headers it chose.
 */
export async function checkedUpdate(
  rules: UpdateRules,
  req: IncomingMessage,
  res: ServerResponse,
  service: string,
  query: string,
): Promise<void> {
  const { log, maxBodyBytes } = rules;
  const parsedQuery = parseUpdateQuery(query);
  if (!parsedQuery.ok) return refuse(log, req, res, 403, parsedQuery.reason);
  const tooLarge = `the update body is larger than ${maxBodyBytes} bytes`;
  if (Number(req.headers['content-length'] ?? 0) > maxBodyBytes)
    return refuse(log, req, res, 413, tooLarge);
  let body: Buffer;
  try {
    body = await readBody(req, maxBodyBytes);
  } catch (error) {
    if (error instanceof BodyTooLarge) return refuse(log, req, res, 413, tooLarge);
    return refuse(log, req, res, 400, 'the update body ended early');
  }
  const parsed = parseStrictJson(body);
  if (!parsed.ok) return refuse(log, req, res, 400, `the update body is refused: ${parsed.reason}`);
  const current = await engineJson(
    rules.socketPath,
    `/v1.41/services/${encodeURIComponent(service)}`,
  );
  if (current.status !== 200) {
    res.writeHead(current.status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(current.json));
    return;
  }
  const decision = decideUpdate(current.json as InspectedService, parsed.value, parsedQuery, rules);
  if (!decision.ok) return refuse(log, req, res, decision.status, decision.reason);
  const { id, version } = decision;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const auth = req.headers['x-registry-auth'];
  if (rules.forwardRegistryAuth === true && typeof auth === 'string')
    headers['x-registry-auth'] = auth;
  const out = Buffer.from(JSON.stringify(parsed.value), 'utf8');
  headers['content-length'] = String(out.length);
  log.info({ service: id, version }, 'service update allowed');
  const path = `/v1.41/services/${encodeURIComponent(id)}/update?version=${version}`;
  forward(rules, req, res, { path, headers, body: out });
}
