import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { fileVariables } from '../../../src/config/env-options.js';
import { repoRoot } from '../../support/infra.js';

const run = promisify(execFile);

async function script(step: string): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run('bash', ['.ci/dockerfile-steps.sh', step], {
      cwd: repoRoot,
      maxBuffer: 16 * 1024 * 1024,
    });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, output: failed.stdout + failed.stderr };
  }
}

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** Every environment variable the code reads: env readers in src/config and `env.X` elsewhere. */
function variablesRead(): string[] {
  const names = new Set<string>(['PORT', ...fileVariables.map((name) => `${name}_FILE`)]);
  for (const file of files(join(repoRoot, 'src'))) {
    const text = readFileSync(file, 'utf8');
    if (file.includes('/src/config/'))
      for (const m of text.matchAll(/'([A-Z][A-Z0-9]*_[A-Z0-9_]+)'/g)) names.add(m[1] ?? '');
    for (const m of text.matchAll(/\benv\.([A-Z][A-Z0-9_]+)/g)) names.add(m[1] ?? '');
  }
  names.delete('PATH');
  return [...names].sort();
}

describe('deploy/', () => {
  it('lists every variable the code reads in env.example', () => {
    const example = readFileSync(join(repoRoot, 'deploy/env.example'), 'utf8');
    const listed = new Set([...example.matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]));
    expect(variablesRead().filter((name) => !listed.has(name))).toEqual([]);
  });

  it('has a Dockerfile whose steps the script performs', () => {
    const dockerfile = readFileSync(join(repoRoot, 'deploy/Dockerfile'), 'utf8');
    for (const step of [
      'RUN npm ci',
      'npm run build && npm prune --omit=dev',
      'USER node',
      'HEALTHCHECK',
      '/health',
      'ENTRYPOINT ["tas-chatops"]',
      'CMD ["start"]',
    ]) {
      expect(dockerfile).toContain(step);
    }
    expect(dockerfile.match(/^FROM /gm)).toHaveLength(2);
  });

  it('validates compose.yaml and stack.yaml with docker-compose config', async () => {
    const result = await script('validate');
    expect(result.output).toContain('deploy/compose.yaml validates');
    expect(result.output).toContain('deploy/stack.yaml validates');
    expect(result.code).toBe(0);
  });

  it(
    'installs, builds, prunes and starts a fresh copy as a non-root user that answers /health',
    { timeout: 600_000 },
    async () => {
      const result = await script('build');
      if (result.code !== 0)
        throw new Error(`.ci/dockerfile-steps.sh build failed:\n${result.output}`);
      expect(result.output).toContain('GET /health → 200');
      expect(result.output).toContain('runs as nobody');
      expect(result.output).toContain('SIGTERM → exit 0');
    },
  );
});
