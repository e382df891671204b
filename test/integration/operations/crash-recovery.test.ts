import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../../src/audit/audit-entry.js';
import { verifyChain } from '../../../src/audit/verify-chain.js';
import { startChild, stopChild } from '../../support/child-process.js';
import { startKillOnUpdate, type KillOnUpdate } from '../../support/kill-on-update.js';
import { requestIdOf, startOpsHarness, type OpsHarness } from '../../support/ops-harness.js';
import { testDockerHost } from '../docker/test-swarm.js';

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
    // A repair the reconciler audits while no worker is alive may come in between.
    const lifecycle = new Set(['request', 'vote', 'start', 'result']);
    expect(kinds.filter((k) => lifecycle.has(k))).toEqual(['request', 'vote', 'start', 'result']);
  });
});

/** What the Engine holds for a service: the spec, the one before it, and every task it made. */
interface EngineView {
  readonly Spec: {
    TaskTemplate: { ForceUpdate?: number; ContainerSpec: { Image: string } };
    Mode: { Replicated: { Replicas: number } };
  };
  readonly PreviousSpec?: EngineView['Spec'];
}

describe('a worker killed after the Engine accepted the update, before it stored the result', () => {
  let h: OpsHarness;
  let direct: string;
  let proxiedConfig: string;
  let proxied: KillOnUpdate;
  let worker: ChildProcess | undefined;
  const env = () => ({ ...process.env, REDIS_URL: h.redisUrl });
  const view = async () =>
    (await h.docker.getService(`${h.stack}_backend`).inspect()) as EngineView;
  const taskCount = async () =>
    ((await h.docker.listTasks({ filters: { service: [`${h.stack}_backend`] } })) as unknown[])
      .length;

  beforeAll(async () => {
    h = await startOpsHarness({
      startWorkers: false,
      services: { backend: 1 },
      policy: `
      read: [oncall, lead]
      restart: { request: [oncall, lead], approve: [lead], approvals: 1, expires: 15m }
      scale: { request: [oncall, lead], approve: [lead], approvals: 1, expires: 15m }
      rollback: { request: [oncall, lead], approve: [lead], approvals: 1, expires: 15m }`,
    });
    const dir = mkdtempSync(join(tmpdir(), 'tas-worker-'));
    direct = join(dir, 'direct.yml');
    writeFileSync(direct, h.configText());
    proxied = await startKillOnUpdate({
      armed: false,
      kill: () => (worker === undefined ? Promise.resolve() : stopChild(worker, 'SIGKILL')),
    });
    proxiedConfig = join(dir, 'proxied.yml');
    writeFileSync(proxiedConfig, h.configText().replace(testDockerHost(), proxied.host));
  });
  afterAll(async () => {
    if (worker !== undefined) await stopChild(worker, 'SIGKILL');
    await proxied.close();
    await h.close();
  });

  /**
   * `command` approved and run by a worker that talks to the Engine through the proxy: it dies
   * once the Engine has answered the update. Then a second worker, straight at the Engine,
   * takes the job over; resolves with the request id and the verdict's title.
   */
  async function killedInTheWindow(command: string, verdict: RegExp) {
    const store = h.core.operations?.store;
    if (store === undefined) throw new Error('the harness has Redis');
    worker = await startChild(process.execPath, [...tsx, proxiedConfig, h.prefix], 'ready', env());
    const exited = once(worker, 'exit');
    const accepted = proxied.accepted;
    proxied.arm();
    const id = requestIdOf(await h.say('alice', command));
    await h.say('dave', `/tas approve ${id}`);
    await exited;
    expect(proxied.accepted).toBe(accepted + 1);
    // The change is on the service, the store still says it was being applied.
    expect(await store.get(id)).toMatchObject({ state: 'running', steps: [{ state: 'applying' }] });
    const applied = await view();
    worker = await startChild(process.execPath, [...tsx, direct, h.prefix], 'ready', env());
    try {
      const posted = await h.waitForMessage('with the verdict', (d) => verdict.test(d.reply.title));
      return { id, applied, title: posted.reply.title };
    } finally {
      await stopChild(worker);
      worker = undefined;
    }
  }

  async function auditOf(id: string): Promise<string[]> {
    const entries: AuditEntry[] = [];
    for await (const entry of h.core.audit?.all() ?? []) entries.push(entry);
    expect(verifyChain(entries)).toMatchObject({ ok: true });
    return entries.filter((e) => e.requestId === id).map((e) => e.kind);
  }

  it('finds the restart on the service and does not restart again', async () => {
    const before = (await view()).Spec.TaskTemplate.ForceUpdate ?? 0;
    const tasksBefore = await taskCount();
    const { id, applied, title } = await killedInTheWindow(
      '/tas restart backend',
      /^(Verified|Failed): restart backend/,
    );
    expect(applied.Spec.TaskTemplate.ForceUpdate).toBe(before + 1);
    expect(title).toBe('Verified: restart backend: done and verified');
    const after = await view();
    // ForceUpdate went up exactly once: one update since, one new task for the one replica.
    expect(after.Spec.TaskTemplate.ForceUpdate).toBe(before + 1);
    expect(after.PreviousSpec?.TaskTemplate.ForceUpdate ?? 0).toBe(before);
    expect(await taskCount()).toBe(tasksBefore + 1);
    const kinds = await auditOf(id);
    expect(kinds.filter((k) => k === 'start')).toHaveLength(1);
    expect(kinds.filter((k) => k === 'result')).toHaveLength(1);
  });

  it('finds the replicas on the service and scales once', async () => {
    const { id, title } = await killedInTheWindow(
      '/tas scale backend 2',
      /^(Verified|Failed): scale backend/,
    );
    expect(title).toBe('Verified: scale backend: done and verified');
    const after = await view();
    // A second update would have left 2 in the previous spec too.
    expect(after.Spec.Mode.Replicated.Replicas).toBe(2);
    expect(after.PreviousSpec?.Mode.Replicated.Replicas).toBe(1);
    expect((await h.runningTasks('backend')).length).toBe(2);
    expect((await auditOf(id)).filter((k) => k === 'result')).toHaveLength(1);
  });

  it('finds the rollback’s target on the service and does not flip it back', async () => {
    const good = (await view()).Spec.TaskTemplate.ContainerSpec.Image;
    await deployOutside(h, 'docker.io/library/tas-fixture:2');
    const { id, title } = await killedInTheWindow(
      '/tas rollback backend',
      /^(Verified|Failed): rollback backend/,
    );
    expect(title).toBe('Verified: rollback backend: done and verified');
    const after = await view();
    expect(after.Spec.TaskTemplate.ContainerSpec.Image).toBe(good);
    // Exactly one update since the bad deploy: a second one would leave the target as previous.
    expect(after.PreviousSpec?.TaskTemplate.ContainerSpec.Image).toBe(
      'docker.io/library/tas-fixture:2',
    );
    expect((await auditOf(id)).filter((k) => k === 'result')).toHaveLength(1);
  });
});

/** A deploy made without the bot: the service's image replaced through the Engine. */
async function deployOutside(h: OpsHarness, image: string): Promise<void> {
  const service = h.docker.getService(`${h.stack}_backend`);
  const current = (await service.inspect()) as {
    Version: { Index: number };
    Spec: { TaskTemplate: { ContainerSpec: { Image: string } } };
  };
  const spec = structuredClone(current.Spec);
  spec.TaskTemplate.ContainerSpec.Image = image;
  await service.update({ _query: { version: current.Version.Index }, _body: spec });
  for (;;) {
    const tasks = (await h.docker.listTasks({
      filters: { service: [`${h.stack}_backend`], 'desired-state': ['running'] },
    })) as { Status: { State: string }; Spec: { ContainerSpec: { Image: string } } }[];
    if (
      tasks.length > 0 &&
      tasks.every((t) => t.Status.State === 'running' && t.Spec.ContainerSpec.Image === image)
    )
      return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
