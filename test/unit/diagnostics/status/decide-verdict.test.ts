import { describe, expect, it } from 'vitest';
import type { ServiceHealth } from '../../../../src/diagnostics/status/assess-service.js';
import { decideVerdict } from '../../../../src/diagnostics/status/decide-verdict.js';
import type { ProbeCheck } from '../../../../src/diagnostics/status/status-snapshot.js';

const healthy: ServiceHealth = { name: 'backend', health: 'ok', configured: true, problem: '' };

function probe(overrides: Partial<ProbeCheck>): ProbeCheck {
  return {
    name: 'status',
    target: 'http://127.0.0.1:8080/status',
    outcome: 'fail',
    latencyMs: 3,
    status: 503,
    detail: '503 Service Unavailable',
    severity: 'down',
    ...overrides,
  };
}

const refused = probe({
  status: 403,
  detail: '403 Forbidden',
  configProblem: 'the check is not authorised — check its headers/credentials (got 403 Forbidden)',
});

describe('decideVerdict', () => {
  describe('when a `down` probe fails', () => {
    it('is DOWN, naming the probe', () => {
      expect(decideVerdict([healthy], [probe({})], undefined)).toEqual({
        verdict: 'DOWN',
        reasons: ['status: 503 Service Unavailable'],
      });
    });
  });

  describe('when the server refused a `down` probe', () => {
    it('is DEGRADED, never DOWN, with the hint as the reason', () => {
      expect(decideVerdict([healthy], [refused], undefined)).toEqual({
        verdict: 'DEGRADED',
        reasons: [
          'status: the check is not authorised — check its headers/credentials (got 403 Forbidden)',
        ],
      });
    });
  });

  describe('when a refused probe comes with a real outage', () => {
    it('is DOWN, the outage listed before the refused probe', () => {
      const down: ServiceHealth = {
        name: 'redis',
        health: 'down',
        configured: true,
        problem: '0/1 running',
      };
      const { verdict, reasons } = decideVerdict([healthy, down], [refused], undefined);
      expect(verdict).toBe('DOWN');
      expect(reasons[0]).toBe('redis: 0/1 running');
      expect(reasons[1]).toMatch(/^status: the check is not authorised/);
    });
  });

  describe('when every service and probe is ok', () => {
    it('is OK with no reasons', () => {
      expect(
        decideVerdict([healthy], [probe({ outcome: 'ok', detail: '200 OK' })], undefined),
      ).toEqual({ verdict: 'OK', reasons: [] });
    });
  });
});
