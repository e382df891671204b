import { describe, expect, it } from 'vitest';
import { operationCommands } from '../../../src/commands/operation-commands.js';
import { configDirectory } from '../../../src/commands/config-directory.js';
import { requestPolicies } from '../../../src/operations/request-policies.js';
import type { ChatAction, ChatEvent } from '../../../src/core/chat-event.js';
import { createDispatcher } from '../../../src/core/dispatcher.js';
import { authorize } from '../../../src/core/middleware/authorize.js';
import { identify } from '../../../src/core/middleware/identify.js';
import { resolveCommand } from '../../../src/core/middleware/resolve-command.js';
import { silentLogger } from '../../../src/core/ports/logger.js';
import type { OperationDeps } from '../../../src/operations/operation-deps.js';
import { pendingRequest } from '../../contract/request-fixture.js';
import { createManualClock } from '../../fakes/memory/manual-clock.js';
import { createMemoryAuditLog } from '../../fakes/memory/memory-audit-log.js';
import { createMemoryNotifier } from '../../fakes/memory/memory-notifier.js';
import { createMemoryOperationQueue } from '../../fakes/memory/memory-operation-queue.js';
import { createMemoryRequestStore } from '../../fakes/memory/memory-request-store.js';
import { testConfig } from '../../fakes/test-config.js';

/** An id no tokenizer reads as one word: a space and an unbalanced quote. */
const ODD_ID = 'r 1"x';

const noEngine = (): never => {
  throw new Error('a vote touches no Engine');
};

/** The approve and reject commands as the bot wires them, on in-memory ports. */
async function setup() {
  const config = testConfig();
  const clock = createManualClock('2026-12-01T03:05:00.000Z');
  const store = createMemoryRequestStore({ clock });
  await store.create(pendingRequest({ id: ODD_ID }));
  const operations: OperationDeps = {
    config,
    store,
    queue: createMemoryOperationQueue(clock),
    notifier: createMemoryNotifier(),
    audit: createMemoryAuditLog(clock),
    operatorFor: noEngine,
    platformFor: noEngine,
    prober: { probe: noEngine },
    clock,
    log: silentLogger,
    newId: () => 'r-new',
    timings: { convergeTimeoutMs: 1000, settleMs: 0, pollMs: 1 },
    sleep: (ms) => clock.sleep(ms),
  };
  const directory = configDirectory(config);
  const commands = operationCommands({
    config,
    directory,
    clock,
    platformFor: noEngine,
    checkStatus: noEngine,
    operations,
  });
  const dispatcher = createDispatcher({
    slash: '/tas',
    log: silentLogger,
    redact: (text) => text,
    middleware: [
      identify(directory),
      resolveCommand(commands, directory, '/tas'),
      authorize(directory, requestPolicies(config)),
    ],
  });
  return { dispatcher, store };
}

/** Dave (a lead), in the ops channel, types `text` or clicks a button on the card. */
function daveSays(text: string, action?: ChatAction): ChatEvent {
  return {
    id: 'ev1',
    platform: 'slack',
    userId: 'U04DAVE',
    channelId: 'C01OPS',
    text,
    ...(action && { action }),
    receivedAt: new Date(0),
  };
}

const click = (action: ChatAction, text = '') => daveSays(text, action);

describe('resolveCommand', () => {
  describe('when a button is clicked', () => {
    it('approves the request it names, even one whose id holds a space and a quote', async () => {
      const { dispatcher, store } = await setup();
      const reply = await dispatcher.dispatch(click({ verb: 'approve', requestId: ODD_ID }));
      expect(reply.title).toBe(`Approval counted for ${ODD_ID}: 1 of 2.`);
      expect((await store.get(ODD_ID))?.approvals.map((v) => v.person)).toEqual(['dave']);
    });

    it('rejects it with no reason, the whole id being the one argument', async () => {
      const { dispatcher, store } = await setup();
      const reply = await dispatcher.dispatch(click({ verb: 'reject', requestId: ODD_ID }));
      expect(reply.title).toBe(`Rejected ${ODD_ID}; nothing will run.`);
      expect((await store.get(ODD_ID))?.state).toBe('rejected');
    });

    it('reads no text: the click counts beside text no tokenizer can read', async () => {
      const { dispatcher } = await setup();
      const reply = await dispatcher.dispatch(
        click({ verb: 'approve', requestId: ODD_ID }, 'status "unterminated'),
      );
      expect(reply.title).toBe(`Approval counted for ${ODD_ID}: 1 of 2.`);
    });

    it('answers that there is no such request, naming the id whole', async () => {
      const { dispatcher } = await setup();
      const reply = await dispatcher.dispatch(click({ verb: 'approve', requestId: 'r 2 "y' }));
      expect(reply.title).toBe('There is no request `r 2 "y`.');
      expect(reply.data).toMatchObject({ error: { code: 'NOT_FOUND' } });
    });

    it('refuses a button that names no request, with the usage', async () => {
      const { dispatcher } = await setup();
      const reply = await dispatcher.dispatch(click({ verb: 'approve', requestId: ' ' }));
      expect(reply.title).toBe('That button names no request.');
      expect(reply.blocks).toEqual([{ kind: 'text', text: 'Usage: `/tas approve <id>`' }]);
      expect(reply.data).toMatchObject({ error: { code: 'USAGE' } });
    });
  });

  describe('when the same id is typed', () => {
    it('cannot be read, which is why a click never goes through text', async () => {
      const { dispatcher, store } = await setup();
      const reply = await dispatcher.dispatch(daveSays(`approve ${ODD_ID}`));
      expect(reply.data).toMatchObject({ error: { code: 'USAGE' } });
      expect((await store.get(ODD_ID))?.approvals).toEqual([]);
    });
  });
});
