import { describe, expect, it } from 'vitest';
import { toProbeSpec } from '../../../../src/diagnostics/status/probe-specs.js';
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
