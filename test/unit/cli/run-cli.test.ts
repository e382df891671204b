import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/run-cli.js';

function io() {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  return {
    streams: { stdin: new PassThrough(), stdout, stderr },
    out: () => out,
    err: () => err,
  };
}

function configFile(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'tas-run-cli-')), 'config.yml');
  writeFileSync(path, text);
  return path;
}

const TWO_ENVIRONMENTS = `
people: { ops: {} }
roles: { oncall: [ops] }
environments:
  shop:
    platform: swarm
    stack: shop
    docker: { host: "tcp://127.0.0.1:1" }
    services: [api]
    policy: { read: [oncall] }
  toucan:
    platform: swarm
    stack: toucan
    docker: { host: "tcp://127.0.0.1:1" }
    services: [api]
    policy: { read: [oncall] }
`;

describe('runCli', () => {
  describe('when asked for help', () => {
    it('prints the usage on stdout and exits 0', async () => {
      const cli = io();
      expect(await runCli(['--help'], {}, cli.streams)).toBe(0);
      expect(cli.out()).toContain('Usage: tas-chatops <command>');
    });
  });

  describe('when the command is unknown', () => {
    it('names it, prints the usage on stderr and exits 2', async () => {
      const cli = io();
      expect(await runCli(['deploy'], {}, cli.streams)).toBe(2);
      expect(cli.err()).toContain('unknown command deploy');
      expect(cli.err()).toContain('Usage: tas-chatops <command>');
    });
  });

  describe('when the config is invalid', () => {
    it('lists the problem with the file name and exits 1', async () => {
      const cli = io();
      const file = configFile('people: {}\nenvironments: {}\n');
      expect(await runCli(['check'], { TAS_CHATOPS_CONFIG: file }, cli.streams)).toBe(1);
      expect(cli.err()).toContain(file);
    });
  });

  describe('when --env names no configured environment', () => {
    it('refuses before running anything, naming the close one and the configured ones, exit 2', async () => {
      const cli = io();
      const env = { TAS_CHATOPS_CONFIG: configFile(TWO_ENVIRONMENTS), LOG_LEVEL: 'silent' };
      const code = await runCli(['run', '--env', 'shoq', '/tas status'], env, cli.streams);
      expect(code).toBe(2);
      expect(cli.err()).toContain('no environment shoq (did you mean shop?)');
      expect(cli.err()).toContain('configured: shop, toucan');
      expect(cli.out()).toBe('');
    });
  });

  describe('when audit verify runs without Redis', () => {
    it('says the audit trail lives in Redis and exits 1', async () => {
      const cli = io();
      const env = { TAS_CHATOPS_CONFIG: configFile(TWO_ENVIRONMENTS), LOG_LEVEL: 'silent' };
      expect(await runCli(['audit', 'verify'], env, cli.streams)).toBe(1);
      expect(cli.err()).toContain('set REDIS_URL');
    });
  });
});
