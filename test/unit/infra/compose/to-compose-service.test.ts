import { describe, expect, it } from 'vitest';
import {
  completedDependencies,
  PREVIOUS_IMAGE_LABEL,
} from '../../../../src/infra/compose/compose-labels.js';
import { toComposeService } from '../../../../src/infra/compose/to-compose-service.js';
import { container } from './container-fixtures.js';

describe('toComposeService', () => {
  it('counts every container as a wanted replica and the running ones as running', () => {
    const state = toComposeService(
      'proj',
      'celery-worker',
      [
        container({ id: 'aaaaaaaaaaaa1', number: 1 }),
        container({ id: 'bbbbbbbbbbbb2', number: 2, status: 'exited', exitCode: 1 }),
      ],
      false,
    );
    expect(state).toMatchObject({
      name: 'celery-worker',
      fullName: 'proj-celery-worker',
      desired: 2,
      running: 1,
      mode: 'replicated',
      image: 'ghcr.io/vladenisov/tripl:1.3.0',
      imageTag: '1.3.0',
    });
  });

  it('makes a one-shot service a job', () => {
    expect(toComposeService('proj', 'migrate', [container({ status: 'exited' })], true).mode).toBe(
      'job',
    );
  });

  it('moves forceUpdate forward only when every replica has been restarted', () => {
    const before = toComposeService(
      'proj',
      'w',
      [
        container({ id: 'a1', startedAt: '2026-01-01T10:00:00Z' }),
        container({ id: 'b2', startedAt: '2026-01-01T10:00:05Z' }),
      ],
      false,
    );
    const half = toComposeService(
      'proj',
      'w',
      [
        container({ id: 'a1', startedAt: '2026-01-01T10:00:00Z' }),
        container({ id: 'b2', startedAt: '2026-01-01T11:00:00Z' }),
      ],
      false,
    );
    const all = toComposeService(
      'proj',
      'w',
      [
        container({ id: 'a1', startedAt: '2026-01-01T11:00:01Z' }),
        container({ id: 'b2', startedAt: '2026-01-01T11:00:00Z' }),
      ],
      false,
    );
    expect(half.forceUpdate).toBe(before.forceUpdate);
    expect(all.forceUpdate).toBeGreaterThan(before.forceUpdate ?? 0);
  });

  it('changes the fingerprint when a container is recreated, not when it restarts', () => {
    const a = toComposeService('proj', 'app', [container({ id: 'a1' })], false);
    const restarted = toComposeService(
      'proj',
      'app',
      [container({ id: 'a1', startedAt: '2026-01-02T00:00:00Z' })],
      false,
    );
    const recreated = toComposeService('proj', 'app', [container({ id: 'c3' })], false);
    expect(restarted.fingerprint).toBe(a.fingerprint);
    expect(recreated.fingerprint).not.toBe(a.fingerprint);
  });

  it('offers the image recorded before the bot’s last recreate as the rollback target', () => {
    const state = toComposeService(
      'proj',
      'app',
      [container({ labels: { [PREVIOUS_IMAGE_LABEL]: 'ghcr.io/vladenisov/tripl:1.2.0' } })],
      false,
    );
    expect(state.previous).toEqual({ image: 'ghcr.io/vladenisov/tripl:1.2.0', imageTag: '1.2.0' });
    expect(toComposeService('proj', 'app', [container()], false).previous).toBeUndefined();
  });
});

describe('completedDependencies', () => {
  it('names the services a container waits for to complete successfully', () => {
    const labels = {
      'com.docker.compose.depends_on':
        'postgres:service_healthy:false,migrate:service_completed_successfully:false, seed:service_completed_successfully:true',
    };
    expect(completedDependencies(labels)).toEqual(['migrate', 'seed']);
  });

  it('finds none in an empty or missing label', () => {
    expect(completedDependencies({ 'com.docker.compose.depends_on': '' })).toEqual([]);
    expect(completedDependencies(undefined)).toEqual([]);
  });
});
