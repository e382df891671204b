import { describe, expect, it } from 'vitest';
import { imageRepository, refuseSpec } from '../../../../src/infra/http/socket-proxy.js';

const spec = (image = 'registry:5000/tas/backend:5.15.1', replicas = 1, force = 3) => ({
  Name: 'prod_backend',
  TaskTemplate: { ForceUpdate: force, ContainerSpec: { Image: image, Args: ['serve'] } },
  Mode: { Replicated: { Replicas: replicas } },
  Labels: { 'com.docker.stack.namespace': 'prod' },
});

describe('imageRepository', () => {
  it('drops the tag and the digest but keeps a registry port', () => {
    expect(imageRepository('registry:5000/tas/backend:5.15.1@sha256:abc')).toBe(
      'registry:5000/tas/backend',
    );
    expect(imageRepository('registry:5000/tas/backend')).toBe('registry:5000/tas/backend');
    expect(imageRepository('redis:7')).toBe('redis');
  });
});

describe('refuseSpec', () => {
  it('allows a restart, a scale, a tag change and an unchanged spec (rollback=previous)', () => {
    expect(refuseSpec(spec(), spec(undefined, 1, 4), {})).toBeUndefined();
    expect(refuseSpec(spec(), spec(undefined, 0), {})).toBeUndefined();
    expect(refuseSpec(spec(), spec('registry:5000/tas/backend:5.15.2'), {})).toBeUndefined();
    expect(refuseSpec(spec(), spec(), {})).toBeUndefined();
  });

  it('refuses another image repository unless allowed', () => {
    expect(refuseSpec(spec(), spec('evil/rootshell:1'), {})).toBe(
      'the update would switch the image repository (registry:5000/tas/backend → evil/rootshell)',
    );
    expect(
      refuseSpec(spec(), spec('evil/rootshell:1'), { allowRepositoryChange: true }),
    ).toBeUndefined();
  });

  it('refuses any other change, whatever the key order', () => {
    const mounted = {
      ...spec(),
      TaskTemplate: {
        ...spec().TaskTemplate,
        ContainerSpec: {
          ...spec().TaskTemplate.ContainerSpec,
          Mounts: [{ Source: '/', Target: '/host' }],
        },
      },
    };
    expect(refuseSpec(spec(), mounted, {})).toBe(
      'the update changes more than ForceUpdate, the replica count or the image tag',
    );
    const reordered = {
      Mode: { Replicated: { Replicas: 1 } },
      Labels: { 'com.docker.stack.namespace': 'prod' },
      TaskTemplate: {
        ContainerSpec: { Args: ['serve'], Image: 'registry:5000/tas/backend:5.15.1' },
        ForceUpdate: 3,
      },
      Name: 'prod_backend',
    };
    expect(refuseSpec(spec(), reordered, {})).toBeUndefined();
  });

  it('refuses services outside the allowed prefixes', () => {
    expect(refuseSpec(spec(), spec(undefined, 1, 4), { updatePrefixes: ['staging_'] })).toBe(
      'service prod_backend is outside the allowed prefixes (staging_)',
    );
    expect(
      refuseSpec(spec(), spec(undefined, 1, 4), { updatePrefixes: ['staging_', 'prod_'] }),
    ).toBeUndefined();
  });
});
