import { describe, expect, it } from 'vitest';
import type { StatusSnapshot } from '../../../src/diagnostics/status/check-status.js';
import { watchProblems } from '../../../src/watcher/watch-problems.js';

const snapshot = (probes: StatusSnapshot['probes']): StatusSnapshot => ({
  environment: 'toucan',
  verdict: 'DOWN',
  checkedAt: new Date('2026-11-22T10:00:00Z'),
  tookMs: 20,
  services: [],
  probes,
  reasons: [],
});

describe('watchProblems', () => {
  it('counts a failing probe as a problem and a misconfigured one as none', () => {
    const problems = watchProblems(
      snapshot([
        {
          name: 'health',
          target: 'http://127.0.0.1:8080/health',
          outcome: 'fail',
          latencyMs: 4,
          status: 503,
          detail: '503 component=database',
          severity: 'down',
        },
        {
          name: 'status',
          target: 'http://127.0.0.1:8080/status',
          outcome: 'fail',
          latencyMs: 3,
          status: 403,
          detail: '403',
          severity: 'down',
          configProblem: 'the server refused the probe; send the User-Agent it expects',
        },
      ]),
    );
    expect(problems).toEqual([
      { kind: 'probe', name: 'health', problem: '503 component=database' },
    ]);
  });
});
