import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChild, stopChild } from '../../support/child-process.js';
import { requestIdOf, startOpsHarness, type OpsHarness } from '../../support/ops-harness.js';

const tsx = ['--import', 'tsx', 'test/support/worker-process.ts'];

describe('a worker killed during a restart', () => {
  let h: OpsHarness;
  let configPath: string;
  beforeAll(async () => {
    // No in-process workers: the work happens only in the child processes this test starts.
    h = await startOpsHarness({ startWorkers: false });
    configPath = join(mkdtempSync(join(tmpdir(), 'tas-worker-')), 'config.yml');
    writeFileSync(configPath, h.configText());
  });
  afterAll(async () => {
    await h.close();
  });

  it('does not apply the restart twice, and the next worker verifies and reports it', async () => {
    const store = h.core.operations?.store;
    if (store === undefined) throw new Error('the harness has Redis');
    const before = (await h.inspect('backend')).Spec.TaskTemplate.ForceUpdate ?? 0;
    const env = { ...process.env, REDIS_URL: h.redisUrl };
    const first = await startChild(process.execPath, [...tsx, configPath, h.prefix], 'ready', env);
    const id = requestIdOf(await h.say('alice', '/tas restart backend'));
    await h.say('dave', `/tas approve ${id}`);

    // Kill it once the Engine has accepted the change, while it waits for convergence.
    for (;;) {
      const request = await store.get(id);
      if (request?.steps[0]?.state === 'applied') break;
      if (request?.state === 'succeeded' || request?.state === 'failed')
        throw new Error('finished before it could be killed');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await stopChild(first, 'SIGKILL');
    expect((await store.get(id))?.state).toBe('running');

    const second = await startChild(process.execPath, [...tsx, configPath, h.prefix], 'ready', env);
    try {
      const verdict = await h.waitForMessage('with the verdict', (d) =>
        /^(Verified|Failed): restart backend/.test(d.reply.title),
      );
      expect(verdict.reply.title).toBe('Verified: restart backend: done and verified');
    } finally {
      await stopChild(second);
    }
    expect((await h.inspect('backend')).Spec.TaskTemplate.ForceUpdate).toBe(before + 1);
    expect(
      h.delivered.filter((d) => d.reply.title === `Started restart backend [${id}]`),
    ).toHaveLength(1);
    const kinds: string[] = [];
    for await (const entry of h.core.audit?.all() ?? [])
      if (entry.requestId === id) kinds.push(entry.kind);
    expect(kinds).toEqual(['request', 'vote', 'start', 'result']);
  });
});
