import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../support/free-port.js';
import { startRedis, stopChild } from '../../support/child-process.js';
import { requestIdOf, startOpsHarness, type OpsHarness } from '../../support/ops-harness.js';

describe('a Redis restart with an approval pending', () => {
  let h: OpsHarness;
  let redis: ChildProcess;
  let dir: string;
  let port: number;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tas-redis-'));
    port = await freePort();
    redis = await startRedis(dir, port);
    h = await startOpsHarness({ redisUrl: `redis://127.0.0.1:${port}` });
  });
  afterAll(async () => {
    await h.close();
    await stopChild(redis);
  });

  it('keeps the request and its votes, and the approval still works afterwards', async () => {
    const id = requestIdOf(await h.say('alice', '/tas restart backend'));
    await stopChild(redis);
    let down;
    try {
      down = await h.say('dave', `/tas approve ${id}`);
    } finally {
      redis = await startRedis(dir, port);
    }
    expect(down.title).toBe('Redis is not answering, so I could not finish `/tas approve`.');
    // The clients reconnect on their own; the first command after that may still race it.
    let approved = await h.say('dave', `/tas approve ${id}`);
    for (let i = 0; i < 50 && approved.title.startsWith('Redis is not answering'); i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      approved = await h.say('dave', `/tas approve ${id}`);
    }
    // If Redis came back between storing the vote and queueing the job, the answer to the
    // repeated click is "already approved" — and the click has queued the job all the same.
    expect([
      `Approved ${id}; restart backend is queued. Progress follows in the thread.`,
      `Request ${id} is already approved and queued.`,
    ]).toContain(approved.title);
    const verdict = await h.waitForMessage('with the verdict', (d) =>
      /^(Verified|Failed): restart backend/.test(d.reply.title),
    );
    expect(verdict.reply.title).toBe('Verified: restart backend: done and verified');
  });
});
