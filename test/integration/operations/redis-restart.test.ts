import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OperationRequest } from '../../../src/core/requests/operation-request.js';
import type { Delivered } from '../../fakes/fake-chat-delivery.js';
import { freePort } from '../../support/free-port.js';
import { startChild, startRedis, stopChild } from '../../support/child-process.js';
import { requestIdOf, startOpsHarness, type OpsHarness } from '../../support/ops-harness.js';

/** Two approvals for a restart: one vote leaves the request pending, the second runs it. */
const TWO_APPROVALS = `
      read: [oncall, lead]
      restart: { request: [oncall, lead], approve: [lead], approvals: 2, expires: 15m }`;

/** A private redis-server on `port`, keeping its data in `dir` with the persistence given. */
function startPrivateRedis(dir: string, port: number, persistence: readonly string[]) {
  return startChild(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, ...persistence],
    'Ready to accept connections',
  );
}

/** AOF with the default fsync: a SIGKILL of Redis loses no acknowledged write. */
const AOF_EVERYSEC = ['--appendonly', 'yes', '--appendfsync', 'everysec', '--save', ''];
/** RDB only, no automatic snapshots: what a SIGKILL loses is everything since the last SAVE. */
const NO_AOF = ['--appendonly', 'no', '--save', ''];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The request as stored, once Redis answers again after a restart. */
async function storedAfterRestart(h: OpsHarness, id: string): Promise<OperationRequest> {
  const store = h.core.operations?.store;
  if (store === undefined) throw new Error('the harness has Redis');
  for (let attempt = 0; ; attempt += 1) {
    try {
      const request = await store.get(id);
      if (request === undefined) throw new Error(`request ${id} is gone from the store`);
      return request;
    } catch (error) {
      if (attempt > 100 || !/Redis/.test(String(error))) throw error;
      await sleep(100);
    }
  }
}

/** The Approvals line of a rendering of request `id`'s card, or undefined for other messages. */
function approvalsOn(d: Delivered, id: string): string | undefined {
  if (!d.reply.title.endsWith(`[${id}]`)) return undefined;
  for (const block of d.reply.blocks)
    if (block.kind === 'fields') return block.fields.find((f) => f.label === 'Approvals')?.value;
  return undefined;
}

/** The first rendering of the card of `id` delivered at or after `from` (chat's order). */
function cardAfter(h: OpsHarness, id: string, from: number) {
  return h.waitForMessage(
    `rendering the card of ${id}`,
    (d) => h.delivered.indexOf(d) >= from && approvalsOn(d, id) !== undefined,
    30_000,
  );
}

describe('a Redis crash-restart (SIGKILL) with AOF everysec', () => {
  let h: OpsHarness;
  let redis: ChildProcess;
  let dir: string;
  let port: number;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tas-redis-aof-'));
    port = await freePort();
    redis = await startPrivateRedis(dir, port, AOF_EVERYSEC);
    h = await startOpsHarness({
      redisUrl: `redis://127.0.0.1:${port}`,
      policy: TWO_APPROVALS,
      services: { backend: 1, frontend: 1 },
    });
  });
  afterAll(async () => {
    await h.close();
    await stopChild(redis);
  });

  it('keeps a vote acknowledged right before the kill, and the card still shows it', async () => {
    const id = requestIdOf(await h.say('alice', '/tas restart backend'));
    const vote = await h.say('dave', `/tas approve ${id}`);
    expect(vote.title).toBe(`Approval counted for ${id}: 1 of 2.`);
    await stopChild(redis, 'SIGKILL');
    const mark = h.delivered.length;
    redis = await startPrivateRedis(dir, port, AOF_EVERYSEC);

    expect((await storedAfterRestart(h, id)).approvals.map((v) => v.person)).toEqual(['dave']);
    // The restart is noticed and every open card rendered again from the store.
    const card = await cardAfter(h, id, mark);
    expect(approvalsOn(card, id)).toBe('1 of 2 (dave)');
    // The surviving vote counts: the second approver's click runs the restart.
    const second = await h.say('erin', `/tas approve ${id}`);
    expect(second.title).toBe(
      `Approved ${id}; restart backend is queued. Progress follows in the thread.`,
    );
    const verdict = await h.waitForMessage('with the verdict', (d) =>
      /^(Verified|Failed): restart backend/.test(d.reply.title),
    );
    expect(verdict.reply.title).toBe('Verified: restart backend: done and verified');
  });

  it('finishes an operation killed mid-convergence exactly once, and verifies it', async () => {
    const before = (await h.inspect('frontend')).Spec.TaskTemplate.ForceUpdate ?? 0;
    const id = requestIdOf(await h.say('alice', '/tas restart frontend'));
    await h.say('dave', `/tas approve ${id}`);
    await h.say('erin', `/tas approve ${id}`);
    const store = h.core.operations?.store;
    if (store === undefined) throw new Error('the harness has Redis');
    // Kill Redis once the Engine has the change, while the worker waits for convergence.
    for (;;) {
      const request = await store.get(id);
      if (request?.steps[0]?.state === 'applied') break;
      if (request?.state === 'succeeded' || request?.state === 'failed')
        throw new Error('finished before Redis could be killed');
      await sleep(50);
    }
    await stopChild(redis, 'SIGKILL');
    redis = await startPrivateRedis(dir, port, AOF_EVERYSEC);

    const verdict = await h.waitForMessage('with the verdict', (d) =>
      /^(Verified|Failed): restart frontend/.test(d.reply.title),
    );
    expect(verdict.reply.title).toBe('Verified: restart frontend: done and verified');
    expect((await h.inspect('frontend')).Spec.TaskTemplate.ForceUpdate).toBe(before + 1);
    expect((await storedAfterRestart(h, id)).state).toBe('succeeded');
    expect(
      h.delivered.filter((d) => d.reply.title.startsWith('Verified: restart frontend')),
    ).toHaveLength(1);
  });
});

describe('a Redis crash-restart (SIGKILL) without AOF', () => {
  let h: OpsHarness;
  let redis: ChildProcess;
  let dir: string;
  let port: number;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tas-redis-rdb-'));
    port = await freePort();
    redis = await startPrivateRedis(dir, port, NO_AOF);
    h = await startOpsHarness({
      redisUrl: `redis://127.0.0.1:${port}`,
      policy: TWO_APPROVALS,
      services: { backend: 1 },
    });
  });
  afterAll(async () => {
    await h.close();
    await stopChild(redis);
  });

  it('shows the card again without the vote Redis lost, and the vote can be cast again', async () => {
    const id = requestIdOf(await h.say('alice', '/tas restart backend'));
    // The last snapshot holds the request but not the vote that follows.
    const admin = new Redis({ host: '127.0.0.1', port, lazyConnect: true });
    await admin.connect();
    await admin.save();
    admin.disconnect();
    await h.say('dave', `/tas approve ${id}`);
    const shown = await h.waitForMessage(
      'the card with the vote',
      (d) => approvalsOn(d, id)?.includes('dave') === true,
    );
    expect(approvalsOn(shown, id)).toBe('1 of 2 (dave)');

    await stopChild(redis, 'SIGKILL');
    const mark = h.delivered.length;
    redis = await startPrivateRedis(dir, port, NO_AOF);

    expect((await storedAfterRestart(h, id)).approvals).toEqual([]);
    // A rendering already on its way at the kill may still show the vote; the one the restart
    // asks for shows what the store holds now, and nothing shows the lost vote after it.
    const card = await h.waitForMessage(
      'the card without the lost vote',
      (d) => h.delivered.indexOf(d) >= mark && approvalsOn(d, id) === '0 of 2',
      30_000,
    );
    const later = h.delivered.slice(h.delivered.indexOf(card));
    expect(later.map((d) => approvalsOn(d, id)).filter((a) => a?.includes('dave'))).toEqual([]);
    const again = await h.say('dave', `/tas approve ${id}`);
    expect(again.title).toBe(`Approval counted for ${id}: 1 of 2.`);
  });
});

describe('a Redis restart (SIGTERM) with an approval pending', () => {
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
