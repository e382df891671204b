// `tas-chatops start` with no chat tokens, on a real pseudo-terminal: `script` (util-linux,
// essential on Debian, so on every CI machine) gives the process a terminal, and what `script`
// prints is what the person at that terminal sees, their own typing echoed included.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stopChild } from '../../support/child-process.js';
import { testDockerHost } from '../docker/test-swarm.js';
import { freePort, startRedis, waitFor } from '../production/process-support.js';

const PROMPT = 'alice@prod /tas> ';

/** The tasfix fixture stack, read-only: alice may ask for a restart, only a lead may approve it. */
const CONFIG = (dockerHost: string) => `command: tas
people:
  alice: {}
  dave: {}
  erin: {}
roles:
  operator: [alice]
  lead: [dave, erin]
defaultEnvironment: prod
environments:
  prod:
    platform: swarm
    stack: tasfix
    docker: { host: "${dockerHost}", timeout: 10s }
    services: [backend-cron, backend, frontend, arango, elasticsearch, redis, tika]
    channels:
      ops: { console: prod }
    policy:
      read: [operator, lead]
      restart: { request: [operator], approve: [lead], approvals: 1, expires: 15m }
      scale: { request: [operator], approve: [lead], approvals: 1, expires: 15m }
      stop: { request: [lead], approve: [lead], approvals: 1, expires: 15m }
      start: { request: [operator], approve: [lead], approvals: 1, expires: 15m }
      rollback: { request: [lead], approve: [lead], approvals: 1, expires: 15m }
      escalate: [operator, lead]
`;

interface Terminal {
  /** Everything the terminal showed so far, line ends as `\n`. */
  screen(): string;
  type(text: string): void;
  readonly exited: Promise<unknown>;
  readonly child: ChildProcess;
}

/** `tas-chatops start` on a pseudo-terminal, with no chat tokens in its environment. */
function startConsole(env: NodeJS.ProcessEnv): Terminal {
  const command = `'${process.execPath}' --import tsx src/cli/bin.ts start --as alice`;
  const child = spawn('script', ['-q', '-e', '-c', command, '/dev/null'], {
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const exited = once(child, 'exit');
  return {
    screen: () => text.replaceAll('\r\n', '\n').replaceAll('\r', ''),
    type: (input) => child.stdin.write(input),
    exited,
    child,
  };
}

/** Waits for `what` to be on the screen `count` times; fails showing the screen. */
const showing = (terminal: Terminal, what: string, count = 1) =>
  waitFor(`the terminal showing ${JSON.stringify(what)} ×${count}`, () =>
    terminal.screen().split(what).length - 1 >= count
      ? Promise.resolve(true)
      : terminal.child.exitCode === null
        ? Promise.resolve(undefined)
        : Promise.reject(new Error('the console exited')),
  ).catch((error: unknown) => {
    throw new Error(`${String(error)}\n--- the terminal showed ---\n${terminal.screen()}`);
  });

/** Process environment without chat tokens, so `start` opens the console chat. */
function consoleEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  for (const name of Object.keys(env))
    if (/^(SLACK|DISCORD)_/.test(name) || name === 'LOG_LEVEL') delete env[name];
  return { ...env, ...extra };
}

/** A pino record on the terminal: JSON, or pino-pretty's `[12:00:00.000] INFO (…):` head. */
const LOG_RECORD = /"level":|^\s*\[\d\d:\d\d:\d\d\.\d{3}\] [A-Z]+ \(|command answered/m;

const records = (file: string) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe('the console chat of tas-chatops start', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tas-console-pty-'));
  const config = join(dir, 'tas-chatops.yml');
  writeFileSync(config, CONFIG(testDockerHost()));

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  describe('when commands write log records', () => {
    const dataDir = join(dir, 'data');
    const logFile = join(dataDir, 'console.log');
    let redis: ChildProcess | undefined;
    let terminal: Terminal | undefined;
    let screen = '';

    beforeAll(async () => {
      const redisPort = await freePort();
      redis = await startRedis(dir, redisPort);
      terminal = startConsole(
        consoleEnv({
          TAS_CHATOPS_CONFIG: config,
          TAS_CHATOPS_DATA_DIR: dataDir,
          REDIS_URL: `redis://127.0.0.1:${redisPort}`,
          PORT: String(await freePort()),
          HTTP_HOST: '127.0.0.1',
        }),
      );
      await showing(terminal, PROMPT);
      terminal.type('/tas status\n');
      await showing(terminal, PROMPT, 2);
      terminal.type('/tas restart tika\n');
      await showing(terminal, PROMPT, 3);
      terminal.type('exit\n');
      await terminal.exited;
      screen = terminal.screen();
    });

    afterAll(async () => {
      if (terminal !== undefined) await stopChild(terminal.child);
      if (redis !== undefined) await stopChild(redis);
    });

    it('names the log file once, before the conversation', () => {
      const named = screen.split(logFile).length - 1;
      expect(named).toBe(1);
      expect(screen.indexOf(logFile)).toBeLessThan(screen.indexOf(PROMPT));
    });

    it('shows the prompt, the command and its answer with no log record among them', () => {
      const conversation = screen.slice(screen.indexOf(PROMPT));
      const status = conversation.split(`${PROMPT}/tas status\n`)[1]?.split(PROMPT)[0] ?? '';
      const restart = conversation.split(`${PROMPT}/tas restart tika\n`)[1]?.split(PROMPT)[0] ?? '';
      expect(status).toMatch(/tasfix|prod/);
      expect(status).not.toMatch(LOG_RECORD);
      expect(restart).toMatch(/tika/);
      expect(restart).toMatch(/dave|approv/i);
      expect(restart).not.toMatch(LOG_RECORD);
      expect(screen).not.toMatch(LOG_RECORD);
    });

    it('writes the records of both commands to the log file', () => {
      const written = records(logFile);
      const answered = written.filter((r) => r.msg === 'command answered').map((r) => r.command);
      expect(answered).toEqual(expect.arrayContaining(['status', 'restart']));
      expect(written.some((r) => r.msg === 'audit')).toBe(true);
    });
  });

  describe('when LOG_LEVEL is warn and Redis does not answer', () => {
    const dataDir = join(dir, 'quiet');
    const logFile = join(dataDir, 'console.log');
    let terminal: Terminal | undefined;
    let screen = '';

    beforeAll(async () => {
      terminal = startConsole(
        consoleEnv({
          TAS_CHATOPS_CONFIG: config,
          TAS_CHATOPS_DATA_DIR: dataDir,
          REDIS_URL: `redis://127.0.0.1:${await freePort()}`,
          PORT: String(await freePort()),
          HTTP_HOST: '127.0.0.1',
          LOG_LEVEL: 'warn',
        }),
      );
      await showing(terminal, 'warning: Redis is not reachable yet; retrying', 2);
      // Ctrl-C at the terminal: the graceful shutdown, as a person would stop it.
      terminal.type('\x03');
      await terminal.exited;
      screen = terminal.screen();
    });

    afterAll(async () => {
      if (terminal !== undefined) await stopChild(terminal.child);
    });

    it('shows each warning on one line of its own', () => {
      const warnings = screen.split('\n').filter((line) => line.includes('warning: Redis'));
      expect(warnings.length).toBeGreaterThanOrEqual(2);
      for (const line of warnings)
        expect(line).toMatch(/^warning: Redis is not reachable yet; retrying \(.+\)$/);
      expect(screen).not.toMatch(LOG_RECORD);
    });

    it('keeps records below the level out of the log file and the warnings in it', () => {
      expect(existsSync(logFile)).toBe(true);
      const written = records(logFile);
      expect(written.filter((r) => r.msg === 'Redis is not reachable yet; retrying').length).toBe(
        warningsIn(screen),
      );
      expect(written.every((r) => typeof r.level === 'number' && r.level >= 40)).toBe(true);
    });
  });
});

const warningsIn = (screen: string) =>
  screen.split('\n').filter((line) => line.startsWith('warning: Redis is not reachable')).length;
