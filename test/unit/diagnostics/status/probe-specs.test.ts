import { STATUS_CODES } from 'node:http';
import { describe, expect, it } from 'vitest';
import type { ProbeResult } from '../../../../src/core/ports/prober.js';
import { refusalOf, toProbeSpec } from '../../../../src/diagnostics/status/probe-specs.js';
import { environment } from './status-fakes.js';

function probeConfig(probe: Record<string, unknown>) {
  const [parsed] = environment({ probes: [probe] }).probes;
  return parsed!;
}

describe('toProbeSpec', () => {
  it('fills an HTTP probe from the schema defaults', () => {
    expect(
      toProbeSpec(
        probeConfig({ name: 'liveness', url: 'https://tas.example/api/status/liveness' }),
      ),
    ).toEqual({
      kind: 'http',
      name: 'liveness',
      url: 'https://tas.example/api/status/liveness',
      method: 'GET',
      headers: {},
      expectStatus: [200],
      timeoutMs: 5000,
    });
  });

  it('carries status lists, the JSON subset, failureField and the timeout', () => {
    const spec = toProbeSpec(
      probeConfig({
        name: 'readiness',
        url: 'https://tas.example/api/status/readiness',
        method: 'HEAD',
        headers: { 'x-probe': 'tas-chatops' },
        expect: { status: [200, 204], json: { status: 'OK' } },
        failureField: 'component',
        timeout: '2s',
      }),
    );

    expect(spec).toEqual({
      kind: 'http',
      name: 'readiness',
      url: 'https://tas.example/api/status/readiness',
      method: 'HEAD',
      headers: { 'x-probe': 'tas-chatops' },
      expectStatus: [200, 204],
      expectJson: { status: 'OK' },
      failureField: 'component',
      timeoutMs: 2000,
    });
  });

  it('splits a TCP target into host and port', () => {
    expect(toProbeSpec(probeConfig({ name: 'mongo', tcp: 'db.internal:27017' }))).toEqual({
      kind: 'tcp',
      name: 'mongo',
      host: 'db.internal',
      port: 27017,
      timeoutMs: 3000,
    });
  });
});

describe('refusalOf', () => {
  const answer = (status: number, outcome: ProbeResult['outcome'] = 'fail'): ProbeResult => ({
    name: 'status',
    target: 'http://127.0.0.1:8080/status',
    outcome,
    latencyMs: 2,
    status,
    detail: `${status} ${STATUS_CODES[status] ?? ''}`.trim(),
  });
  const plain = probeConfig({ name: 'status', url: 'http://127.0.0.1:8080/status' });

  describe('when the server answers 401 or 403', () => {
    it('says the check is not authorised and what it got', () => {
      expect(refusalOf(plain, answer(403))).toBe(
        'the check is not authorised — check its headers/credentials (got 403 Forbidden)',
      );
      expect(refusalOf(plain, answer(401))).toBe(
        'the check is not authorised — check its headers/credentials (got 401 Unauthorized)',
      );
    });
  });

  describe('when the probe lists the status under `misconfigured`', () => {
    it('gives the configured hint, for that status and for a 403 alike', () => {
      const toucan = probeConfig({
        name: 'status',
        url: 'http://127.0.0.1:8080/status',
        misconfigured: { status: [400], hint: 'send the monitoring User-Agent' },
      });
      expect(refusalOf(toucan, answer(400))).toBe(
        'send the monitoring User-Agent (got 400 Bad Request)',
      );
      expect(refusalOf(toucan, answer(403))).toBe(
        'send the monitoring User-Agent (got 403 Forbidden)',
      );
    });
  });

  describe('when the answer is an outage or expected', () => {
    it('is not a refusal', () => {
      expect(refusalOf(plain, answer(503))).toBeUndefined();
      expect(
        refusalOf(
          probeConfig({ name: 'status', url: 'http://x/', expect: { status: 403 } }),
          answer(403, 'ok'),
        ),
      ).toBeUndefined();
    });
  });
});
