import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../support/infra.js';
import { testDockerHost } from '../docker/test-swarm.js';

const run = promisify(execFile);

interface Answer {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function answer(command: string, args: readonly string[], env: NodeJS.ProcessEnv) {
  try {
    const { stdout, stderr } = await run(command, args, { env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as Answer;
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('tas-chatops check and run from their startup snapshots', () => {
  let work: string;
  let bin: string;
  let snapshots: string;
  const env = (config: string) => ({
    // The installed command on the PATH, as npm or the image links it.
    PATH: `${work}/bin:${process.env.PATH ?? '/usr/bin:/bin'}`,
    TAS_CHATOPS_CONFIG: config,
    DOCKER_HOST: testDockerHost(),
  });
  // The installed command, the bundle run by plain node, and the snapshot restored by hand.
  const threeWays = (config: string) =>
    Promise.all([
      answer('tas-chatops', ['check'], env(config)),
      answer(process.execPath, [bin, 'check'], env(config)),
      answer(
        process.execPath,
        ['--snapshot-blob', `${snapshots}/check.blob`, 'check'],
        env(config),
      ),
    ]);

  beforeAll(async () => {
    // A copy of the tree, built as `npm run build` builds it, beside the shared dist/.
    work = mkdtempSync(join(tmpdir(), 'tas-snapshot-'));
    for (const path of ['package.json', 'tsconfig.json', 'src', 'adapters'])
      cpSync(join(repoRoot, path), join(work, path), { recursive: true });
    symlinkSync(join(repoRoot, 'node_modules'), join(work, 'node_modules'));
    await run('npm', ['run', '--silent', 'bundle'], { cwd: work });
    bin = join(work, 'dist/src/cli/bin.js');
    snapshots = join(work, 'dist/snapshot');
    mkdirSync(join(work, 'bin'));
    symlinkSync(bin, join(work, 'bin/tas-chatops'));
  }, 180_000);
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  describe('when the config is valid', () => {
    it('prints the verdict and the comparison with the live stack, as the bundle does', async () => {
      const [installed, bundle, snapshot] = await threeWays(
        join(repoRoot, 'deploy/config.example.yml'),
      );
      expect(installed.code).toBe(0);
      expect(installed.stdout).toMatch(
        /^✓ .*config\.example\.yml: 3 people, 1 environments \(prod\)$/m,
      );
      // The Engine answered: the plain-HTTP reader ran in the restored process.
      expect(installed.stdout).toContain('is listed but not found in stack prod');
      expect(bundle).toEqual(installed);
      expect(snapshot).toEqual(installed);
    });
  });

  describe('when the config is invalid', () => {
    it('lists every problem and exits 1, as the bundle does', async () => {
      const config = join(work, 'invalid.yml');
      writeFileSync(config, 'command: tas\n');
      const [installed, bundle, snapshot] = await threeWays(config);
      expect(installed.code).toBe(1);
      expect(`${installed.stdout}${installed.stderr}`).toContain('people (line 1): is required');
      expect(`${installed.stdout}${installed.stderr}`).toContain(
        'environments (line 1): is required',
      );
      expect(bundle).toEqual(installed);
      expect(snapshot).toEqual(installed);
    });
  });

  describe('when run answers a command', () => {
    it('prints the reply the bundle prints', async () => {
      const config = join(repoRoot, 'deploy/config.example.yml');
      const args = ['run', '--as', 'alice', '/tas help'];
      const [installed, bundle, snapshot] = await Promise.all([
        answer('tas-chatops', args, env(config)),
        answer(process.execPath, [bin, ...args], env(config)),
        answer(
          process.execPath,
          ['--snapshot-blob', `${snapshots}/run.blob`, ...args],
          env(config),
        ),
      ]);
      expect(installed.code).toBe(0);
      expect(installed.stdout).toContain('/tas status');
      expect(bundle.stdout).toBe(installed.stdout);
      expect(snapshot.stdout).toBe(installed.stdout);
    });
  });

  describe('when run reads the fixture stack', () => {
    it('lists it through the reader and streams a log through dockerode, loaded on first use', async () => {
      const config = join(work, 'fixture.yml');
      writeFileSync(
        config,
        `people: { alice: {} }
roles: { oncall: [alice] }
environments:
  tasfix: { platform: swarm, stack: tasfix, services: [frontend], policy: { read: [oncall] } }
`,
      );
      const restored = (text: string) =>
        answer(
          process.execPath,
          ['--snapshot-blob', `${snapshots}/run.blob`, 'run', '--as', 'alice', text],
          env(config),
        );
      const [status, logs] = await Promise.all([
        restored('/tas status'),
        restored('/tas logs frontend'),
      ]);
      expect(status.stdout).toMatch(/^Services\n {2}. frontend +1\/1/m);
      expect(logs.code).toBe(0);
      expect(logs.stdout).toMatch(/^frontend logs \(last/m);
      expect(logs.stdout).toContain('"GET /');
    });
  });

  describe('when another Node built the snapshot', () => {
    it('checks from the bundle', async () => {
      // A snapshot this Node cannot load: restoring it would crash the process.
      writeFileSync(`${snapshots}/node-version`, 'v0.0.0\n');
      writeFileSync(`${snapshots}/check.blob`, 'not a snapshot');
      const installed = await answer(
        'tas-chatops',
        ['check'],
        env(join(repoRoot, 'deploy/config.example.yml')),
      );
      expect(installed.code).toBe(0);
      expect(installed.stdout).toContain('is listed but not found in stack prod');
    });
  });
});
