import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBot } from '../production/process-support.js';

const ALICE = '8bs3cp1qtfyjfbp1gzs6gpdz6o';
const DAVE = 'q3m9xk7ha5fz8ctyw1u6re4bnd';
const OPS = '4xp9fdt77pncbef59f4k1qe83o';
const TOKEN = 'x8bs3cp1qtfyjfbp1gzs6gpdzo';
const COMMAND_TOKEN = 'k9e4ws8ybtfg5ndqcrbz1yhm6a';

function config(people: string, ops: string): string {
  return [
    'command: tas',
    'people:',
    people,
    'roles: { oncall: [alice], lead: [dave] }',
    'environments:',
    '  prod:',
    '    platform: swarm',
    '    stack: prod',
    '    services: [api]',
    `    channels: { ops: { mattermost: ${ops} } }`,
    '    policy:',
    '      read: [oncall, lead]',
    '      restart: { request: [oncall], approve: [lead] }',
    '',
  ].join('\n');
}

describe('tas-chatops check on a Mattermost setup', () => {
  let dir: string;
  const env = (file: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
    PATH: process.env.PATH,
    TAS_CHATOPS_CONFIG: join(dir, file),
    ...extra,
  });

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'tas-check-mm-'));
    const people = `  alice: { mattermost: ${ALICE} }\n  dave: { mattermost: "${DAVE}" }`;
    writeFileSync(join(dir, 'good.yml'), config(people, OPS));
    const wrong = `  alice: { mattermost: alice }\n  dave: { mattermost: ${ALICE} }`;
    writeFileSync(join(dir, 'wrong.yml'), config(wrong, '"~town-square"'));
    const shared = `  alice: { mattermost: ${ALICE} }\n  dave: { mattermost: ${ALICE} }`;
    writeFileSync(join(dir, 'shared.yml'), config(shared, OPS));
    writeFileSync(join(dir, 'token'), `${TOKEN}\n`);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  describe('when the ids and the variables are right', () => {
    it('passes, reading the bot token from its Docker secret file', async () => {
      const result = await runBot(
        ['check'],
        env('good.yml', {
          MATTERMOST_URL: 'https://chat.example.com',
          MATTERMOST_TOKEN_FILE: join(dir, 'token'),
          MATTERMOST_COMMAND_TOKEN: COMMAND_TOKEN,
          MATTERMOST_CALLBACK_URL: 'https://tas-chatops.example.com',
        }),
      );
      expect(result.output).toContain('✓');
      expect(result.code).toBe(0);
    });
  });

  describe('when an id is a name instead of an id', () => {
    it('fails naming each path and what a Mattermost id looks like', async () => {
      const result = await runBot(['check'], env('wrong.yml'));
      expect(result.code).toBe(1);
      expect(result.output).toMatch(
        /people\.alice\.mattermost \(line \d+\): "alice": a Mattermost user id is 26 lowercase letters and digits/,
      );
      expect(result.output).toMatch(
        /environments\.prod\.channels\.ops\.mattermost \(line \d+\): "~town-square": a Mattermost channel id is 26 lowercase letters and digits/,
      );
    });
  });

  describe('when two people share one Mattermost account', () => {
    it('fails naming the second and whose the account is', async () => {
      const result = await runBot(['check'], env('shared.yml'));
      expect(result.code).toBe(1);
      expect(result.output).toMatch(
        new RegExp(
          `people\\.dave\\.mattermost \\(line \\d+\\): mattermost id ${ALICE} is also alice's`,
        ),
      );
    });
  });

  describe('when the Mattermost variables are incomplete or wrong', () => {
    it('names each mistake without printing the token', async () => {
      const result = await runBot(
        ['check'],
        env('good.yml', {
          MATTERMOST_URL: 'chat.example.com',
          MATTERMOST_TOKEN: TOKEN,
          MATTERMOST_COMMAND_TOKEN: TOKEN,
        }),
      );
      expect(result.code).toBe(1);
      expect(result.output).toContain('MATTERMOST_URL: is not a URL');
      expect(result.output).toContain('MATTERMOST_CALLBACK_URL: is required when');
      expect(result.output).toContain('MATTERMOST_COMMAND_TOKEN: is the same as MATTERMOST_TOKEN');
      expect(result.output).not.toContain(TOKEN);
    });
  });
});
