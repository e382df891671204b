import { describe, expect, it } from 'vitest';
import {
  formatImageReference,
  parseImageReference,
  repositoryOf,
  tagOf,
} from '../../../src/lib/image-reference.js';

const DIGEST = `sha256:${'ab'.repeat(32)}`;

function full(text: string): string {
  const parsed = parseImageReference(text);
  if (!parsed.ok) throw new Error(parsed.error);
  return formatImageReference(parsed.value);
}

function refusal(text: string): string {
  const parsed = parseImageReference(text);
  if (parsed.ok) throw new Error(`${text} was accepted as ${formatImageReference(parsed.value)}`);
  return parsed.error;
}

describe('parseImageReference', () => {
  describe('when the reference names Docker Hub implicitly', () => {
    it('adds docker.io, library/ and the latest tag', () => {
      expect(full('redis')).toBe('docker.io/library/redis:latest');
      expect(full('redis:7')).toBe('docker.io/library/redis:7');
      expect(full('bitnami/redis:7')).toBe('docker.io/bitnami/redis:7');
      expect(full('index.docker.io/redis:7')).toBe('docker.io/library/redis:7');
    });

    it('keeps a digest without inventing a tag', () => {
      expect(full(`redis@${DIGEST}`)).toBe(`docker.io/library/redis@${DIGEST}`);
    });

    it('reads a first component without a dot, colon or localhost as a Docker Hub namespace', () => {
      expect(full('registry/tas/backend:5.15.2')).toBe('docker.io/registry/tas/backend:5.15.2');
    });
  });

  describe('when the reference names a registry', () => {
    it('takes localhost with a port as the registry, not as a tag', () => {
      const parsed = parseImageReference('localhost:5000/app');
      expect(parsed).toEqual({ ok: true, value: { registry: 'localhost:5000', path: 'app' } });
      expect(full('localhost:5000/app')).toBe('localhost:5000/app:latest');
      expect(full('localhost/app:1')).toBe('localhost/app:1');
    });

    it('splits registry, path, tag and digest', () => {
      const parsed = parseImageReference(`registry:5000/team/app:1.2@${DIGEST}`);
      expect(parsed).toEqual({
        ok: true,
        value: { registry: 'registry:5000', path: 'team/app', tag: '1.2', digest: DIGEST },
      });
      if (parsed.ok) expect(repositoryOf(parsed.value)).toBe('registry:5000/team/app');
      expect(full(`ghcr.io/org/app:5.15.1@${DIGEST}`)).toBe(`ghcr.io/org/app:5.15.1@${DIGEST}`);
    });
  });

  describe('when the reference is not one Docker accepts', () => {
    it('refuses upper-case repository names', () => {
      expect(refusal('ghcr.io/Evil/app:1')).toMatch(/must be lower-case/);
      expect(refusal('Redis')).toMatch(/must be lower-case/);
    });

    it('accepts upper case in a tag and in a registry host, as Docker does', () => {
      expect(full('Registry.Example.com/app:V1')).toBe('Registry.Example.com/app:V1');
    });

    it('refuses malformed references with what a reference looks like', () => {
      for (const text of [
        'NOT a valid tag!',
        'app:',
        'app:-x',
        'ghcr.io//app',
        'app@sha256:abc',
        `app@sha256:${'AB'.repeat(32)}`,
        `app@md5:${'ab'.repeat(16)}`,
        '',
        'a'.repeat(64).replace(/a/g, 'f'),
      ]) {
        expect(refusal(text)).toMatch(/is not a valid image reference/);
      }
      expect(refusal('ghcr.io//app')).toMatch(/\[registry\/\]repository\[:tag\]\[@digest\]/);
    });

    it('refuses a tag longer than 128 characters', () => {
      expect(refusal(`app:${'1'.repeat(129)}`)).toMatch(/is not a valid image reference/);
    });
  });
});

describe('tagOf', () => {
  it('shows the tag, or the short digest when a digest is all there is', () => {
    expect(tagOf('ghcr.io/org/app:5.15.1')).toBe('5.15.1');
    expect(tagOf(`redis@${DIGEST}`)).toBe('sha256:abababababab');
    expect(tagOf('redis')).toBe('latest');
  });
});
