import { Agent } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpProbeSpec } from '../../../../src/core/ports/prober.js';
import { createProber } from '../../../../src/infra/probes/create-prober.js';
import {
  selfSignedCertFor127,
  startLoopbackServer,
  type LoopbackServer,
  type SelfSignedCert,
} from './loopback-server.js';

let cert: SelfSignedCert;
let server: LoopbackServer;

beforeAll(async () => {
  cert = selfSignedCertFor127();
  server = await startLoopbackServer(cert);
  server.handle((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"OK"}');
  });
});

afterAll(async () => {
  await server.close();
});

function spec(): HttpProbeSpec {
  return {
    kind: 'http',
    name: 'readiness',
    url: `${server.origin}/api/status/readiness`,
    method: 'GET',
    headers: {},
    expectStatus: [200],
    expectJson: { status: 'OK' },
    timeoutMs: 2000,
  };
}

describe('createProber (HTTPS)', () => {
  describe('when the certificate is not trusted', () => {
    it('refuses the connection and names the certificate error', async () => {
      const result = await createProber().probe(spec());

      expect(result).toMatchObject({
        outcome: 'error',
        detail: `DEPTH_ZERO_SELF_SIGNED_CERT 127.0.0.1:${server.port} (self-signed certificate)`,
      });
      expect(result).not.toHaveProperty('status');
    });
  });

  describe('when the certificate is trusted', () => {
    it('probes over TLS like over plain HTTP', async () => {
      const httpsAgent = new Agent({ ca: cert.cert, keepAlive: false });

      const result = await createProber({ httpsAgent }).probe(spec());

      httpsAgent.destroy();
      expect(result).toMatchObject({ outcome: 'ok', status: 200, detail: '200 OK' });
    });
  });
});
