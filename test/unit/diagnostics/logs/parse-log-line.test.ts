import { describe, expect, it } from 'vitest';
import { parseLogLine } from '../../../../src/diagnostics/logs/parse-log-line.js';
import { line } from './log-fixtures.js';

const parse = (text: string) => parseLogLine(line(text));

describe('parseLogLine', () => {
  describe('when Docker prefixed a timestamp (timestamps=1)', () => {
    it('takes the RFC3339Nano time off the text and keeps the rest as written', () => {
      const parsed = parse('2026-11-22T10:10:52.070245101Z out 6');

      expect(parsed.time?.toISOString()).toBe('2026-11-22T10:10:52.070Z');
      expect(parsed.raw).toBe('out 6');
      expect(parsed.message).toBe('out 6');
    });

    it('also takes off the details=1 attributes that follow it', () => {
      const parsed = parse(
        '2026-11-22T10:10:52.070Z com.docker.swarm.node.id=n1,com.docker.swarm.service.id=s1,com.docker.swarm.task.id=t1 hello',
      );

      expect(parsed.raw).toBe('hello');
      expect(parsed.time?.toISOString()).toBe('2026-11-22T10:10:52.070Z');
    });

    it('keeps the Swarm task that wrote the line', () => {
      const parsed = parse(
        '2026-11-22T10:10:52.070Z com.docker.swarm.node.id=n1,com.docker.swarm.service.id=s1,com.docker.swarm.task.id=u4ppflhe87n6 hello',
      );

      expect(parsed.task).toBe('u4ppflhe87n6');
    });

    it('keeps the container the Compose platform named before merging', () => {
      const parsed = parse('2026-11-22T10:10:52.070Z com.docker.compose.container=0123456789ab hi');

      expect([parsed.task, parsed.raw]).toEqual(['0123456789ab', 'hi']);
    });

    it.each([
      '2026-11-22T10:10:52.070245101Z',
      '2026-11-22T10:10:52.9999999Z',
      '2026-11-22T10:10:52.5Z',
      '2026-11-22T10:10:52.05Z',
      '2026-11-22T10:10:52Z',
      '2026-11-22T10:10:52.0001Z',
      '2026-11-22T24:00:00Z',
      '2026-11-22T24:00:00.5Z',
      '2026-02-30T10:10:52.5Z',
      '2026-13-22T10:10:52.5Z',
      '2026-11-22T10:10:52.123+02:00',
    ])('reads %s as the Date parser does, after a line of the same second', (stamp) => {
      parse(`${stamp.slice(0, 19)}.1Z before`);
      const time = parse(`${stamp} hello`).time;

      const expected = new Date(stamp);
      expect(time?.getTime()).toBe(
        Number.isNaN(expected.getTime()) ? undefined : expected.getTime(),
      );
    });

    it("reads each line's own task when tasks interleave", () => {
      const of = (task: string, text: string) =>
        parse(
          `2026-11-22T10:10:52.070Z com.docker.swarm.node.id=n1,com.docker.swarm.task.id=${task} ${text}`,
        );

      const lines = [of('t1', 'a'), of('t1', 'b'), of('t22', 'c'), of('t1', 'd')];

      expect(lines.map((parsed) => [parsed.task, parsed.raw])).toEqual([
        ['t1', 'a'],
        ['t1', 'b'],
        ['t22', 'c'],
        ['t1', 'd'],
      ]);
    });

    it('leaves an application line that merely contains key=value pairs alone', () => {
      expect(parse('user=bob action=login ok').raw).toBe('user=bob action=login ok');
    });
  });

  describe('when the line is pino or bunyan JSON', () => {
    it.each([
      [10, 'trace'],
      [20, 'debug'],
      [30, 'info'],
      [40, 'warn'],
      [50, 'error'],
      [60, 'fatal'],
    ] as const)('reads the numeric level %i as %s', (level, name) => {
      expect(parse(JSON.stringify({ level, msg: 'm' })).level).toBe(name);
    });

    it('takes the message from msg and adds the error message behind it', () => {
      const parsed = parse(
        '2026-11-22T10:10:52Z {"level":50,"time":1795000000000,"msg":"query failed","err":{"message":"connect ECONNREFUSED 127.0.0.5:5432"}}',
      );

      expect(parsed).toMatchObject({
        format: 'json',
        level: 'error',
        message: 'query failed: connect ECONNREFUSED 127.0.0.5:5432',
      });
      expect(parsed.time?.toISOString()).toBe('2026-11-22T10:10:52.000Z');
    });

    it('falls back to the time the logger wrote when Docker added none', () => {
      expect(parse('{"level":30,"time":1795000000000,"msg":"up"}').time?.getTime()).toBe(
        1_795_000_000_000,
      );
    });
  });

  describe('when the JSON names its level', () => {
    it.each([
      ['{"level":"ERROR","message":"boom"}', 'error', 'boom'],
      ['{"severity":"WARNING","message":"slow"}', 'warn', 'slow'],
      ['{"lvl":"info","msg":"hi"}', 'info', 'hi'],
      ['{"level":"Fatal","error":{"message":"disk full"}}', 'fatal', 'disk full'],
      ['{"level":"warn","err":"socket hang up"}', 'warn', 'socket hang up'],
    ])('reads %s', (text, level, message) => {
      expect(parse(text)).toMatchObject({ level, message, format: 'json' });
    });

    it('keeps the whole line as message when no message field exists', () => {
      expect(parse('{"level":"info","event":"tick"}').message).toBe(
        '{"level":"info","event":"tick"}',
      );
    });
  });

  describe('when the line is plain text', () => {
    it.each([
      ['ERROR could not connect', 'error'],
      ['WARN disk at 91%', 'warn'],
      ['info: listening on :8080', 'info'],
      ['[DEBUG] cache warm', 'debug'],
      [
        '2026-11-22 10:10:52,070 ERROR [main] o.h.e.j.s.SqlExceptionHelper - Connection refused',
        'error',
      ],
      ['time="2026-11-22T10:10:52Z" level=warning msg="retrying"', 'warn'],
      ['TypeError: Cannot read properties of undefined', 'error'],
    ])('guesses the level of "%s" as %s', (text, level) => {
      expect(parse(text)).toMatchObject({ level, format: 'text', message: text });
    });

    it('leaves the level out when no level word leads the line', () => {
      expect(parse('    at Socket.connect (node:net:1:1)').level).toBeUndefined();
      expect(parse('the error count is zero').level).toBeUndefined();
    });

    it('keeps a malformed JSON line as text', () => {
      expect(parse('{"level":50,"msg":"cut off').format).toBe('text');
    });
  });

  it('keeps the stream and the byte count of the line', () => {
    expect(parseLogLine({ stream: 'stderr', text: 'x', bytes: 42 })).toMatchObject({
      stream: 'stderr',
      bytes: 42,
    });
  });
});
