import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestIdOf, startOpsHarness, type OpsHarness } from '../../support/ops-harness.js';

describe('a restart whose new task does not stay up', () => {
  let h: OpsHarness;
  beforeAll(async () => {
    h = await startOpsHarness({ services: { backend: 1 } });
    // Replace the service's command with one that dies a moment after starting.
    const service = h.docker.getService(`${h.stack}_backend`);
    const info = (await service.inspect()) as {
      Version: { Index: number };
      Spec: { TaskTemplate: { ContainerSpec: { Args: string[] } } };
    };
    info.Spec.TaskTemplate.ContainerSpec.Args = [
      'sh',
      '-c',
      'echo "ERROR cannot connect to db"; sleep 0.5; exit 3',
    ];
    await service.update({ _query: { version: info.Version.Index }, _body: info.Spec });
  });
  afterAll(async () => {
    await h.close();
  });

  it('reports a failed verification with its evidence and offers a rollback', async () => {
    await h.say(
      'dave',
      `/tas approve ${requestIdOf(await h.say('alice', '/tas restart backend'))}`,
    );
    const verdict = await h.waitForMessage('with the verdict', (d) =>
      /^(Verified|Failed): restart backend/.test(d.reply.title),
    );
    expect(verdict.reply.title).toMatch(/^Failed: restart backend/);
    expect(verdict.reply.verdict).toBe('DOWN');
    const text = JSON.stringify(verdict.reply.blocks);
    expect(text).toContain('non-zero exit (3)');
    expect(text).toContain('/tas rollback backend');
  });
});
