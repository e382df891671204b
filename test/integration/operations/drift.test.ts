import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestIdOf, startOpsHarness, type OpsHarness } from '../../support/ops-harness.js';

describe('the drift check before execution', () => {
  let h: OpsHarness;
  beforeAll(async () => {
    h = await startOpsHarness({ services: { backend: 1 } });
  });
  afterAll(async () => {
    await h.close();
  });

  it('does not act on a service that changed since the card was shown, and says what changed', async () => {
    const id = requestIdOf(await h.say('alice', '/tas restart backend'));
    // Someone scales the service by hand while the card waits.
    const service = h.docker.getService(`${h.stack}_backend`);
    const info = (await service.inspect()) as {
      Version: { Index: number };
      Spec: { Mode: { Replicated: { Replicas: number } }; TaskTemplate: { ForceUpdate?: number } };
    };
    info.Spec.Mode.Replicated.Replicas = 2;
    await service.update({ _query: { version: info.Version.Index }, _body: info.Spec });
    const forceBefore = info.Spec.TaskTemplate.ForceUpdate ?? 0;

    await h.say('dave', `/tas approve ${id}`);
    const notice = await h.waitForMessage('with the drift notice', (d) =>
      d.reply.title.startsWith('Did not restart backend'),
    );
    expect(notice.reply.title).toBe(
      'Did not restart backend: it changed since the card was shown (replicas 1→2).',
    );
    expect((await h.inspect('backend')).Spec.TaskTemplate.ForceUpdate ?? 0).toBe(forceBefore);
    const card = await h.waitForMessage(
      'with the void card',
      (d) =>
        d.reply.title ===
        `restart ops_backend — not run: the service changed since this card was shown [${id}]`,
    );
    expect(card.reply.buttons).toBeUndefined();
  });
});
