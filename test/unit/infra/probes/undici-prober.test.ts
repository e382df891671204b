import { MockAgent } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HttpProbeSpec } from '../../../../src/core/ports/prober.js';
import { MAX_BODY_BYTES } from '../../../../src/infra/probes/probe-http.js';
import { createProber } from '../../../../src/infra/probes/undici-prober.js';

const ORIGIN = 'https://tas.example';

function spec(overrides: Partial<HttpProbeSpec> = {}): HttpProbeSpec {
  return {
    kind: 'http',
    name: 'readiness',
    url: `${ORIGIN}/api/status/readiness`,
    method: 'GET',
    headers: {},
    expectStatus: [200],
    timeoutMs: 1000,
    ...overrides,
  };
}

let agent: MockAgent;

beforeEach(() => {
  agent = new MockAgent();
  agent.disableNetConnect();
});

afterEach(async () => {
  await agent.close();
});

const pool = () => agent.get(ORIGIN);

describe('createProber', () => {
  describe('when the status is expected', () => {
    it('reports ok with the status line', async () => {
      pool().intercept({ path: '/api/status/readiness' }).reply(200, { status: 'OK' });

      const result = await createProber({ dispatcher: agent }).probe(spec());

      expect(result).toMatchObject({
        name: 'readiness',
        target: `${ORIGIN}/api/status/readiness`,
        outcome: 'ok',
        status: 200,
        detail: '200 OK',
        body: '{"status":"OK"}',
      });
      expect(result.latencyMs).toBeGreaterThanOrEqual(0);
    });

    it('accepts any status of the expected list', async () => {
      pool().intercept({ path: '/' }).reply(204, '');

      const result = await createProber({ dispatcher: agent }).probe(
        spec({ url: `${ORIGIN}/`, expectStatus: [200, 204] }),
      );

      expect(result).toMatchObject({ outcome: 'ok', detail: '204 No Content' });
      expect(result).not.toHaveProperty('body');
    });

    it('sends the configured method and headers', async () => {
      pool()
        .intercept({
          path: '/api/health',
          method: 'POST',
          headers: { authorization: 'Bearer t0ken' },
        })
        .reply(200, 'ok');

      const result = await createProber({ dispatcher: agent }).probe(
        spec({
          url: `${ORIGIN}/api/health`,
          method: 'POST',
          headers: { authorization: 'Bearer t0ken' },
        }),
      );

      expect(result.outcome).toBe('ok');
    });
  });

  describe('when the status is not expected', () => {
    it('shows the status and the JSON body on one line', async () => {
      pool()
        .intercept({ path: '/api/status/readiness' })
        .reply(503, '{\n  "status": "UNAVAILABLE"\n}', {
          headers: { 'content-type': 'application/json' },
        });

      const result = await createProber({ dispatcher: agent }).probe(spec());

      expect(result).toMatchObject({
        outcome: 'fail',
        status: 503,
        detail: '503 {"status":"UNAVAILABLE"}',
      });
    });

    it('names the failing component from failureField instead of the body', async () => {
      pool()
        .intercept({ path: '/api/status/readiness' })
        .reply(503, { status: 'DOWN', component: 'database' });

      const result = await createProber({ dispatcher: agent }).probe(
        spec({ failureField: 'component' }),
      );

      expect(result.detail).toBe('503 component=database');
    });

    it('reads failureField from a nested path', async () => {
      pool()
        .intercept({ path: '/api/status/readiness' })
        .reply(500, { error: { component: 'elasticsearch' } });

      const result = await createProber({ dispatcher: agent }).probe(
        spec({ failureField: 'error.component' }),
      );

      expect(result.detail).toBe('500 error.component=elasticsearch');
    });

    it('uses the status text when the body is empty', async () => {
      pool().intercept({ path: '/api/status/readiness' }).reply(502, '');

      expect((await createProber({ dispatcher: agent }).probe(spec())).detail).toBe(
        '502 Bad Gateway',
      );
    });

    it('collapses an HTML error page into a short line', async () => {
      const page = `<html>\n<body>\n<h1>502 Bad Gateway</h1>\n${'<p>nginx</p>\n'.repeat(50)}</body></html>`;
      pool().intercept({ path: '/api/status/readiness' }).reply(502, page);

      const { detail } = await createProber({ dispatcher: agent }).probe(spec());

      expect(detail).toMatch(/^502 <html> <body> <h1>502 Bad Gateway<\/h1> <p>nginx/);
      expect(detail.length).toBeLessThanOrEqual(130);
      expect(detail).not.toContain('\n');
    });
  });

  describe('when a JSON subset is expected', () => {
    it('passes when the body contains the subset', async () => {
      pool()
        .intercept({ path: '/api/status/readiness' })
        .reply(200, {
          status: 'OK',
          version: '5.15.2',
          checks: [
            { name: 'db', status: 'UP' },
            { name: 'es', status: 'UP' },
          ],
        });

      const result = await createProber({ dispatcher: agent }).probe(
        spec({ expectJson: { status: 'OK', checks: [{ name: 'es', status: 'UP' }] } }),
      );

      expect(result).toMatchObject({ outcome: 'ok', detail: '200 OK' });
    });

    it('says which field differs', async () => {
      pool().intercept({ path: '/api/status/readiness' }).reply(200, { status: 'DEGRADED' });

      const result = await createProber({ dispatcher: agent }).probe(
        spec({ expectJson: { status: 'OK' } }),
      );

      expect(result).toMatchObject({
        outcome: 'fail',
        status: 200,
        detail: 'expected status "OK", got "DEGRADED"',
      });
    });

    it('adds the failing component when the body names one', async () => {
      pool()
        .intercept({ path: '/api/status/readiness' })
        .reply(200, { status: 'DEGRADED', component: 'redis' });

      const result = await createProber({ dispatcher: agent }).probe(
        spec({ expectJson: { status: 'OK' }, failureField: 'component' }),
      );

      expect(result.detail).toBe('expected status "OK", got "DEGRADED" (component=redis)');
    });

    it('fails a body that is not JSON', async () => {
      pool().intercept({ path: '/api/status/readiness' }).reply(200, 'all good');

      const result = await createProber({ dispatcher: agent }).probe(
        spec({ expectJson: { status: 'OK' } }),
      );

      expect(result).toMatchObject({
        outcome: 'fail',
        detail: 'expected a JSON body, got "all good"',
      });
    });
  });

  describe('when the body is large', () => {
    it(`reads at most ${MAX_BODY_BYTES} bytes of it`, async () => {
      pool()
        .intercept({ path: '/api/status/readiness' })
        .reply(200, 'x'.repeat(1024 * 1024));

      const result = await createProber({ dispatcher: agent }).probe(spec());

      expect(result.outcome).toBe('ok');
      expect(result.body?.length).toBe(MAX_BODY_BYTES);
    });

    it('ends the body before a token the size cap would cut in half', async () => {
      // Redaction runs later, wherever the body is shown: half a token would not be recognised.
      const token = `ghp_${'FAKEfake'.repeat(5)}`;
      const head = `{"status":"DOWN","detail":"${'x'.repeat(MAX_BODY_BYTES - 50)} `;
      pool().intercept({ path: '/api/status/readiness' }).reply(200, `${head}${token} more"}`);

      const result = await createProber({ dispatcher: agent }).probe(spec());

      expect(result.body).toBe(head);
    });

    it('ends a failure snippet before a URL the snippet length would cut in half', async () => {
      pool()
        .intercept({ path: '/api/status/readiness' })
        .reply(503, `database down: ${'z'.repeat(90)} postgres://app:S3cretPassw0rd@db:5432/app`);

      const result = await createProber({ dispatcher: agent }).probe(spec());

      expect(result.detail).toBe(`503 database down: ${'z'.repeat(90)} …`);
    });
  });

  describe('when no answer comes in time', () => {
    it('reports timeout at its timeout, not when the server finally answers', async () => {
      pool().intercept({ path: '/api/status/readiness' }).reply(200, 'late').delay(5000);

      const result = await createProber({ dispatcher: agent }).probe(spec({ timeoutMs: 200 }));

      expect(result).toMatchObject({
        outcome: 'timeout',
        detail: 'timed out after 200ms waiting for a response',
      });
      expect(result.latencyMs).toBeGreaterThanOrEqual(195);
    });
  });

  describe('when the connection fails', () => {
    it('reports the error code and address without throwing', async () => {
      const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:18081'), {
        code: 'ECONNREFUSED',
        address: '127.0.0.1',
        port: 18081,
      });
      pool().intercept({ path: '/api/status/readiness' }).replyWithError(refused);

      const result = await createProber({ dispatcher: agent }).probe(spec());

      expect(result).toMatchObject({ outcome: 'error', detail: 'ECONNREFUSED 127.0.0.1:18081' });
    });

    it('reports a request nothing was set up for as an error, never reaching the network', async () => {
      const result = await createProber({ dispatcher: agent }).probe(
        spec({ url: 'https://unmocked.example/health' }),
      );

      expect(result.outcome).toBe('error');
      expect(result.detail).toMatch(/^UND_MOCK_ERR_MOCK_NOT_MATCHED unmocked\.example/);
    });
  });
});
