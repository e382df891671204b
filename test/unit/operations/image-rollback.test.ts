import { describe, expect, it } from 'vitest';
import { oneEnvironment } from '../../fakes/one-environment.js';
import { UserError } from '../../../src/core/errors.js';
import type { ServiceState } from '../../../src/core/ports/container-platform.js';
import type { OperationStep } from '../../../src/core/requests/operation-request.js';
import { planSteps } from '../../../src/operations/plan-steps.js';

const DIGEST = `sha256:${'cd'.repeat(32)}`;

const backend: ServiceState = {
  id: 'svc1',
  name: 'backend',
  fullName: 'prod_backend',
  image: 'ghcr.io/acme/app:5.15.2',
  imageTag: '5.15.2',
  desired: 1,
  running: 1,
  mode: 'replicated',
  tasks: [],
  tty: false,
  version: 12,
  previous: { image: 'ghcr.io/acme/app:5.15.1', imageTag: '5.15.1' },
};

function rollback(
  image: string | undefined,
  options: { platform?: 'swarm' | 'compose' | 'ecs'; images?: string; service?: ServiceState } = {},
): OperationStep {
  const [step] = planSteps({
    operation: 'rollback',
    environment: 'prod',
    env: oneEnvironment(options.platform ?? 'swarm', options.images),
    services: [options.service ?? backend],
    target: 'backend',
    ...(image !== undefined && { image }),
    saved: new Map(),
  });
  if (step === undefined) throw new Error('no step');
  return step;
}

function refusal(run: () => unknown): UserError {
  try {
    run();
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error('not refused');
}

describe('planSteps for a rollback to an image', () => {
  describe('when only a tag is named', () => {
    it('stays on the service’s repository and shows both full references', () => {
      const step = rollback('5.15.1');
      expect(step.change).toEqual({ kind: 'image', image: 'ghcr.io/acme/app:5.15.1' });
      expect(step.describe).toBe(
        'image 5.15.2→5.15.1 (ghcr.io/acme/app:5.15.2 → ghcr.io/acme/app:5.15.1)',
      );
    });

    it('takes a digest on its own onto the service’s repository', () => {
      expect(rollback(`@${DIGEST}`).change).toEqual({
        kind: 'image',
        image: `ghcr.io/acme/app@${DIGEST}`,
      });
    });
  });

  describe('when a whole reference on the same repository is named', () => {
    it('keeps the digest that was given, so the card shows what will be pinned', () => {
      const step = rollback(`ghcr.io/acme/app:5.15.1@${DIGEST}`);
      expect(step.change).toEqual({ kind: 'image', image: `ghcr.io/acme/app:5.15.1@${DIGEST}` });
      expect(step.describe).toContain(`→ ghcr.io/acme/app:5.15.1@${DIGEST})`);
    });

    it('normalises a Docker Hub short name before it is applied', () => {
      const hub = { ...backend, image: 'redis:7.2', imageTag: '7.2' };
      expect(rollback('redis:7.0', { service: hub }).change).toEqual({
        kind: 'image',
        image: 'docker.io/library/redis:7.0',
      });
    });
  });

  for (const platform of ['swarm', 'compose', 'ecs'] as const) {
    describe(`when another repository with the same tag is named on ${platform}`, () => {
      it('refuses it, naming both full references, the allowed repositories and the config key', () => {
        const error = refusal(() => rollback('ghcr.io/evil/app:5.15.2', { platform }));
        expect(error.code).toBe('IMAGE_NOT_ALLOWED');
        expect(error.message).toBe(
          'Refused: this would change the image repository of backend from ghcr.io/acme/app to ghcr.io/evil/app (ghcr.io/acme/app:5.15.2 → ghcr.io/evil/app:5.15.2).',
        );
        expect(error.details).toEqual([
          'Allowed repositories for backend in `prod`: ghcr.io/acme/app.',
          'To allow ghcr.io/evil/app, add it to `environments.prod.images.allowRepositories` in the config.',
        ]);
      });
    });
  }

  describe('when the config allows the other repository', () => {
    const images = '    images: { allowRepositories: [ghcr.io/acme/app-hotfix] }';

    it('plans the swap with both full references and no tag-only summary', () => {
      const step = rollback('ghcr.io/acme/app-hotfix:5.15.2', { images });
      expect(step.change).toEqual({ kind: 'image', image: 'ghcr.io/acme/app-hotfix:5.15.2' });
      expect(step.describe).toBe('image ghcr.io/acme/app:5.15.2 → ghcr.io/acme/app-hotfix:5.15.2');
    });

    it('still refuses a repository it does not list', () => {
      const error = refusal(() => rollback('docker.io/acme/app:5.15.2', { images }));
      expect(error.details[0]).toBe(
        'Allowed repositories for backend in `prod`: ghcr.io/acme/app, ghcr.io/acme/app-hotfix.',
      );
    });
  });

  describe('when the named image is not a valid reference', () => {
    it('refuses it with the usage before any card', () => {
      const error = refusal(() => rollback('NOT a valid tag!'));
      expect(error.code).toBe('USAGE');
      expect(error.message).toBe(
        '"NOT a valid tag!" is not a valid image reference: it is empty or has spaces.',
      );
      expect(error.details[0]).toMatch(/^Name a tag of the same image/);
      expect(refusal(() => rollback('ghcr.io/Evil/app:1')).message).toMatch(/must be lower-case/);
    });

    it('refuses a digest that is not 64 hexadecimal characters', () => {
      expect(refusal(() => rollback('@sha256:abc')).message).toBe(
        '"@sha256:abc" is not a valid image tag or reference.',
      );
    });

    it('says so when the running image itself cannot carry a tag', () => {
      const odd = { ...backend, image: 'ghcr.io/Acme/App:1', imageTag: '1' };
      expect(refusal(() => rollback('2', { service: odd })).message).toBe(
        'The current image "ghcr.io/Acme/App:1" is not a reference Docker accepts, so "2" cannot be put on it.',
      );
    });
  });
});

describe('planSteps for a rollback to the previous spec', () => {
  it('shows the full references and records the previous image the card showed', () => {
    const step = rollback(undefined);
    expect(step.change).toEqual({ kind: 'rollback', target: { image: 'ghcr.io/acme/app:5.15.1' } });
    expect(step.before.previousImage).toBe('ghcr.io/acme/app:5.15.1');
    expect(step.describe).toBe(
      'back to the previous image: image 5.15.2→5.15.1 (ghcr.io/acme/app:5.15.2 → ghcr.io/acme/app:5.15.1)',
    );
  });

  it('refuses a previous spec on another repository the config does not allow', () => {
    const swapped = {
      ...backend,
      previous: { image: 'ghcr.io/evil/app:5.15.1', imageTag: '5.15.1' },
    };
    expect(refusal(() => rollback(undefined, { service: swapped })).message).toMatch(
      /^Refused: this would change the image repository of backend from ghcr\.io\/acme\/app to ghcr\.io\/evil\/app/,
    );
  });
});
