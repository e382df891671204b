import { describe, expect, it } from 'vitest';
import { issuesOf, loaded, minimalConfig } from './minimal-config.js';

function withAllowed(allowRepositories: unknown[]) {
  const config = minimalConfig();
  (config.environments.prod as Record<string, unknown>).images = { allowRepositories };
  return config;
}

describe('images.allowRepositories', () => {
  describe('when every entry is a repository Docker reads as written', () => {
    it('loads without warnings', () => {
      const result = loaded(
        withAllowed(['ghcr.io/acme/app', 'registry:5000/tas/backend', 'redis', 'docker.io/a/b/c']),
      );
      expect(result.warnings).toEqual([]);
      expect(result.config.environments.prod?.images?.allowRepositories).toEqual([
        'ghcr.io/acme/app',
        'registry:5000/tas/backend',
        'redis',
        'docker.io/a/b/c',
      ]);
    });
  });

  describe('when an entry looks like a registry host but is a Docker Hub namespace', () => {
    it('warns with what Docker reads and how to write the host', () => {
      expect(loaded(withAllowed(['registry/tas/backend'])).warnings).toMatchObject([
        {
          path: 'environments.prod.images.allowRepositories[0]',
          message:
            '"registry/tas/backend" allows docker.io/registry/tas/backend: Docker reads a first part without "." or ":" as a Docker Hub namespace',
        },
      ]);
    });
  });

  describe('when an entry carries a tag or a digest, or is not a reference', () => {
    it('refuses it, saying what a repository looks like', () => {
      for (const entry of [
        'ghcr.io/acme/app:1.2',
        `ghcr.io/acme/app@sha256:${'a'.repeat(64)}`,
        'Ghcr.io/Acme/App',
      ]) {
        expect(issuesOf(withAllowed([entry]))).toMatchObject([
          {
            path: 'environments.prod.images.allowRepositories[0]',
            message: expect.stringContaining(
              'expected a repository without tag or digest',
            ) as unknown,
          },
        ]);
      }
    });
  });
});
