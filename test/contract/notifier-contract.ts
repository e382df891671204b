import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Notifier } from '../../src/core/ports/notifier.js';
import type { Notification } from '../../src/core/requests/notification.js';
import { pendingRequest } from './request-fixture.js';

export interface NotifierSubject {
  readonly notifier: Notifier;
  /** The first `count` notifications the bot side received, in the order it received them. */
  delivered(count: number): Promise<Notification[]>;
  close?(): Promise<void>;
}

/**
 * What every notifier does: each notice reaches the bot once, in the order it was sent (a
 * verdict never lands above the progress before it), and a card names only its request, so
 * the bot re-renders it from the store.
 */
export function notifierContract(make: () => Promise<NotifierSubject>): void {
  let subject: NotifierSubject;
  beforeEach(async () => {
    subject = await make();
  });
  afterEach(async () => {
    await subject.close?.();
  });

  it('delivers each notice once, in the order sent', async () => {
    const request = pendingRequest();
    const progress = (n: number) => ({ title: `backend: converging ${n}/3`, blocks: [] });
    const verdict = { title: 'Verified: restart backend', verdict: 'OK' as const, blocks: [] };
    await subject.notifier.thread(request, progress(1));
    await subject.notifier.thread(request, progress(2));
    await subject.notifier.card(request);
    await subject.notifier.thread(request, verdict);
    expect(await subject.delivered(4)).toEqual([
      { kind: 'thread', requestId: 'r1', reply: progress(1) },
      { kind: 'thread', requestId: 'r1', reply: progress(2) },
      { kind: 'card', requestId: 'r1' },
      { kind: 'thread', requestId: 'r1', reply: verdict },
    ]);
  });

  it('carries channel posts and incident notices to their environment and channel', async () => {
    const reply = { title: 'BREAK-GLASS: bob runs restart backend', blocks: [] };
    const notice = { incidentId: 'i1', opens: true, post: { title: 'prod is DOWN', blocks: [] } };
    await subject.notifier.channel('prod', 'ops', reply);
    await subject.notifier.incident?.('prod', 'support', notice);
    expect(await subject.delivered(2)).toEqual([
      { kind: 'channel', environment: 'prod', channel: 'ops', reply },
      { kind: 'incident', environment: 'prod', channel: 'support', notice },
    ]);
  });
}
