import { describe, expect, it } from 'vitest';
import { alreadyThere, changedSpec, type Spec } from '../../../../src/infra/docker/changed-spec.js';

const spec = (image: string, forceUpdate = 3, replicas = 2): Spec => ({
  Name: 'prod_backend',
  TaskTemplate: { ForceUpdate: forceUpdate, ContainerSpec: { Image: image, Env: ['A=1'] } },
  Mode: { Replicated: { Replicas: replicas } },
});

describe('changedSpec', () => {
  it('writes the ForceUpdate value the restart was planned with', () => {
    expect(changedSpec(spec('app:2'), { kind: 'restart', forceUpdate: 4 }).TaskTemplate).toEqual({
      ForceUpdate: 4,
      ContainerSpec: { Image: 'app:2', Env: ['A=1'] },
    });
  });

  it('puts the rollback’s recorded target image on the spec, and nothing else', () => {
    const next = changedSpec(spec('app:2'), {
      kind: 'rollback',
      target: { image: 'app:1@sha256:' + 'a'.repeat(64) },
    });
    expect(next.TaskTemplate?.ContainerSpec).toEqual({
      Image: 'app:1@sha256:' + 'a'.repeat(64),
      Env: ['A=1'],
    });
    expect(next.Mode).toEqual({ Replicated: { Replicas: 2 } });
  });

  it('refuses a rollback without a recorded target', () => {
    expect(() => changedSpec(spec('app:2'), { kind: 'rollback' })).toThrow(
      'the rollback has no recorded target image; ask for it again',
    );
  });
});

describe('alreadyThere', () => {
  describe('when the Engine took a restart whose answer was lost', () => {
    it('sees the planned ForceUpdate value on the spec', () => {
      expect(alreadyThere(spec('app:2', 4), { kind: 'restart', forceUpdate: 4 })).toBe(true);
      expect(alreadyThere(spec('app:2', 3), { kind: 'restart', forceUpdate: 4 })).toBe(false);
    });
  });

  it('sees a rollback’s target image, digest included when both carry one', () => {
    const old = 'app:1@sha256:' + 'a'.repeat(64);
    const rebuilt = 'app:1@sha256:' + 'b'.repeat(64);
    expect(alreadyThere(spec(old), { kind: 'rollback', target: { image: old } })).toBe(true);
    expect(alreadyThere(spec(rebuilt), { kind: 'rollback', target: { image: old } })).toBe(false);
    expect(alreadyThere(spec('app:2'), { kind: 'rollback', target: { image: old } })).toBe(false);
  });

  it('sees the replicas of a scale', () => {
    expect(alreadyThere(spec('app:2', 3, 5), { kind: 'scale', replicas: 5 })).toBe(true);
    expect(alreadyThere(spec('app:2', 3, 2), { kind: 'scale', replicas: 5 })).toBe(false);
  });
});
