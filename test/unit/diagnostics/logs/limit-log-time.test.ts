import { describe, expect, it } from 'vitest';
import type { LogSource } from '../../../../src/core/ports/container-platform.js';
import { buildExcerpt } from '../../../../src/diagnostics/logs/build-excerpt.js';
import { limitLogTime } from '../../../../src/diagnostics/logs/limit-log-time.js';
import { logPatterns } from '../../../../src/diagnostics/logs/log-patterns.js';
import { readLogSource } from '../../../../src/diagnostics/logs/read-log-source.js';
import { frame } from './log-fixtures.js';

/** A stream that sends `frames` and then fails the way a dropped connection does. */
function droppedAfter(frames: readonly Uint8Array[]): LogSource & { closes: number } {
  const state = { closes: 0 };
  async function* chunks(): AsyncGenerator<Uint8Array> {
    for (const f of frames) {
      await Promise.resolve();
      yield f;
    }
    throw new Error('Docker at unix:///run/docker.sock is unreachable (ECONNRESET)');
  }
  return {
    framing: 'multiplexed',
    chunks: chunks(),
    close: () => {
      state.closes++;
    },
    get closes() {
      return state.closes;
    },
  };
}

const excerptOf = (source: LogSource) =>
  buildExcerpt(readLogSource(source), { patterns: logPatterns([]) });

describe('limitLogTime', () => {
  it('keeps the lines that arrived before the Engine dropped the stream, and says it did', async () => {
    const source = droppedAfter([
      frame(1, '2026-11-22T10:10:52.070Z ERROR first failure\n'),
      frame(1, '2026-11-22T10:10:53.070Z ERROR second failure\n'),
    ]);
    const limited = limitLogTime(source, 60_000);

    const excerpt = await excerptOf(limited.source);
    limited.clear();

    expect(excerpt.linesScanned).toBe(2);
    expect(excerpt.excerpt.lines.join('\n')).toContain('second failure');
    expect(limited.brokenBy()).toMatch(/ECONNRESET/);
    expect(limited.timedOut()).toBe(false);
    expect(source.closes).toBeGreaterThan(0);
  });

  it('still fails a stream that breaks before sending anything', async () => {
    const limited = limitLogTime(droppedAfter([]), 60_000);

    await expect(excerptOf(limited.source)).rejects.toThrow(/unreachable \(ECONNRESET\)/);
    limited.clear();
    expect(limited.brokenBy()).toBeUndefined();
  });

  it('closes a stream that sends nothing past the limit and keeps what came before', async () => {
    let release: () => void = () => undefined;
    const source: LogSource = {
      framing: 'multiplexed',
      chunks: (async function* () {
        yield frame(1, '2026-11-22T10:10:52.070Z ERROR before the silence\n');
        await new Promise<void>((resolve) => (release = resolve));
      })(),
      close: () => release(),
    };
    const limited = limitLogTime(source, 20);

    const excerpt = await excerptOf(limited.source);

    expect(limited.timedOut()).toBe(true);
    expect(excerpt.excerpt.lines.join('\n')).toContain('before the silence');
  });
});
