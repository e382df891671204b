import { describe, expect, it } from 'vitest';
import { splitImage } from '../../../../src/infra/docker/split-image.js';

describe('splitImage', () => {
  it('drops the digest Swarm pins and keeps the tag', () => {
    expect(splitImage('registry.example/tas/backend:5.15.2@sha256:0123456789abcdef0123')).toEqual({
      image: 'registry.example/tas/backend:5.15.2',
      imageTag: '5.15.2',
    });
  });

  it('does not mistake a registry port for a tag', () => {
    expect(splitImage('localhost:5000/tas/backend')).toEqual({
      image: 'localhost:5000/tas/backend',
      imageTag: 'latest',
    });
    expect(splitImage('localhost:5000/tas/backend:5.7.0').imageTag).toBe('5.7.0');
  });

  it('shows a short digest when the image has no tag but a digest', () => {
    expect(splitImage('tas/backend@sha256:0123456789abcdef0123456789')).toEqual({
      image: 'tas/backend',
      imageTag: 'sha256:0123456789ab',
    });
  });

  it('shows latest for a bare name', () => {
    expect(splitImage('redis')).toEqual({ image: 'redis', imageTag: 'latest' });
  });
});
