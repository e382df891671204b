import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChild, stopChild } from '../../support/child-process.js';
import { requestIdOf, startOpsHarness, type OpsHarness } from '../../support/ops-harness.js';

const tsx = ['--import', 'tsx', 'test/support/worker-process.ts'];

describe('a worker frozen mid-operation for longer than its job lock', () => {
  let h: OpsHarness;
  let frozen: ChildProcess | undefined;
  let configPath: string;
  beforeAll(async () => {
    // The in-process workers start only once the child holding the job is frozen.
    h = await startOpsHarness({ startWorkers: false });
    configPath = join(mkdtempSync(join(tmpdir(), 'tas-stall-')), 'config.yml');
    writeFileSync(configPath, h.configText());
  });
  afterAll(async () => {
    if (frozen !== undefined) {
      frozen.kill('SIGCONT');
      await stopChild(frozen, 'SIGKILL');
    }
    await h.close();
  });

  describe('when another worker took the job over and the frozen one wakes up', () => {
    it('restarts the service once, with one verdict and one result in the audit', async () => {
      const store = h.core.operations?.store;
      if (store === undefined) throw new Error('the harness has Redis');
      const before = (await h.inspect('backend')).Spec.TaskTemplate.ForceUpdate ?? 0;
      const env = { ...process.env, REDIS_URL: h.redisUrl };
      frozen = await startChild(process.execPath, [...tsx, configPath, h.prefix], 'ready', env);
      const id = requestIdOf(await h.say('alice', '/tas restart backend'));
      await h.say('dave', `/tas approve ${id}`);
      for (;;) {
        const request = await store.get(id);
        if (request?.steps[0]?.state === 'applied') break;
        if (request?.state === 'succeeded' || request?.state === 'failed')
          throw new Error('finished before it could be frozen');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      // SIGSTOP: the process runs no timer at all, as with a blocked event loop; its lock lapses.
      frozen.kill('SIGSTOP');
      h.core.startWorkers();
      await h.waitForMessage(
        'with the verdict',
        (d) => d.reply.title === `restart ops_backend — done and verified [${id}]`,
      );

      frozen.kill('SIGCONT');
      // A graceful stop waits for the job it was running: whatever it would still do, it has done.
      await stopChild(frozen, 'SIGTERM');
      frozen = undefined;

      expect((await h.inspect('backend')).Spec.TaskTemplate.ForceUpdate).toBe(before + 1);
      const verdicts = h.delivered.filter((d) =>
        d.reply.title.startsWith('Verified: restart backend'),
      );
      expect(verdicts).toHaveLength(1);
      const kinds: string[] = [];
      for await (const entry of h.core.audit?.all() ?? [])
        if (entry.requestId === id) kinds.push(entry.kind);
      expect(kinds.filter((kind) => kind === 'result')).toHaveLength(1);
      expect((await store.get(id))?.state).toBe('succeeded');
    });
  });
});
