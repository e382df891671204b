import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestIdOf, startOpsHarness, type OpsHarness } from '../../support/ops-harness.js';

describe('scale and rollback', () => {
  let h: OpsHarness;
  beforeAll(async () => {
    h = await startOpsHarness({
      policy: `
      read: [oncall, lead]
      scale: { request: [oncall, lead], approve: [lead], approvals: 1, expires: 15m }
      rollback: { request: [oncall, lead], approve: [lead], approvals: 1, expires: 15m }`,
      services: { backend: 1 },
    });
  });
  afterAll(async () => {
    await h.close();
  });

  it('scales to the approved count and verifies it', async () => {
    const card = await h.say('alice', '/tas scale backend 2');
    expect(JSON.stringify(card.blocks)).toContain('replicas 1→2');
    await h.say('dave', `/tas approve ${requestIdOf(card)}`);
    await h.waitForMessage(
      'with the verdict',
      (d) => d.reply.title === 'Verified: scale backend: done and verified',
    );
    expect((await h.runningTasks('backend')).length).toBe(2);
  });

  it('changes the image tag, then rolls back to the previous image', async () => {
    const toTwo = await h.say('alice', '/tas rollback backend 2');
    expect(JSON.stringify(toTwo.blocks)).toContain('image 1→2');
    await h.say('dave', `/tas approve ${requestIdOf(toTwo)}`);
    await h.waitForMessage(
      'with the image verdict',
      (d) => d.reply.title === 'Verified: rollback backend: done and verified',
    );
    // Applied exactly as the card showed it: the full reference, Docker Hub's implicit parts included.
    expect((await h.inspect('backend')).Spec.TaskTemplate.ContainerSpec.Image).toBe(
      'docker.io/library/tas-fixture:2',
    );

    const back = await h.say('alice', '/tas rollback backend');
    expect(JSON.stringify(back.blocks)).toContain('back to the previous image: image 2→1');
    // The exact spec it goes to, recorded now: the previous spec's image as the Engine holds it.
    const target = (await h.docker.getService(`${h.stack}_backend`).inspect()) as {
      PreviousSpec: { TaskTemplate: { ContainerSpec: { Image: string } } };
    };
    expect(JSON.stringify(back.blocks)).toContain(
      `rolls back to exactly ${target.PreviousSpec.TaskTemplate.ContainerSpec.Image}`,
    );
    await h.say('dave', `/tas approve ${requestIdOf(back)}`);
    await h.waitForMessage(
      'with the rollback verdict',
      (d) =>
        d.reply.title === 'Verified: rollback backend: done and verified' &&
        d !== h.delivered.find((x) => x.reply.title === d.reply.title),
    );
    expect((await h.inspect('backend')).Spec.TaskTemplate.ContainerSpec.Image).toMatch(
      /^tas-fixture:1/,
    );
  });

  it('refuses an image reference Docker would not accept before any card, and the service stays as it was', async () => {
    const before = await h.inspect('backend');
    const reply = await h.say('alice', '/tas rollback backend "NOT a valid tag!"');
    expect(reply.card).toBeUndefined();
    expect(reply.title).toBe(
      '"NOT a valid tag!" is not a valid image reference: it is empty or has spaces.',
    );
    expect((await h.inspect('backend')).Spec.TaskTemplate.ContainerSpec.Image).toBe(
      before.Spec.TaskTemplate.ContainerSpec.Image,
    );
  });

  it('refuses a malformed scale with the usage', async () => {
    const reply = await h.say('alice', '/tas scale backend many');
    expect(reply.title).toBe('Replicas must be a whole number from 0 to 100, not "many".');
    expect(reply.blocks).toEqual([
      { kind: 'text', text: 'Usage: `/tas scale <service> <replicas> [--break-glass REASON]`' },
    ]);
  });

  it('suggests the service that was meant', async () => {
    expect((await h.say('alice', '/tas scale backnd 2')).title).toBe(
      'There is no service `backnd` in `ops`. Did you mean `backend`?',
    );
  });
});
