import type { Config } from '../config/schema.js';
import type { ChatEvent, Platform } from '../core/chat-event.js';
import type { Directory } from '../core/directory.js';
import type { Dispatcher } from '../core/dispatcher.js';
import { pickEnvironment } from '../core/pick-environment.js';
import type { AdapterHost, Answer } from '../core/ports/chat-adapter.js';
import type { ChatDelivery, Posted } from '../core/ports/chat-delivery.js';
import type { Clock } from '../core/ports/clock.js';
import type { DeliveryIntake } from '../core/ports/delivery-intake.js';
import type { DeliveryLedger } from '../core/ports/delivery-ledger.js';
import type { ContainerPlatform } from '../core/ports/container-platform.js';
import type { Logger } from '../core/ports/logger.js';
import type { Metrics } from '../core/ports/metrics.js';
import type { RequestStore } from '../core/ports/request-store.js';
import type { Reply } from '../core/reply.js';
import { recordCard } from '../operations/record-card.js';
import { createServiceNameCache } from './service-name-cache.js';

export interface AdapterHostDeps {
  readonly config: Config;
  readonly directory: Directory;
  readonly dispatcher: Dispatcher;
  /** Absent without Redis: there are no approval cards then. */
  readonly store: RequestStore | undefined;
  /**
   * Each chat platform's delivery, by platform; the app adds the adapters' as it starts them.
   * Approval cards are posted through these.
   */
  readonly deliveries: ReadonlyMap<Platform, ChatDelivery>;
  readonly platformFor: (environment: string) => ContainerPlatform;
  readonly clock: Clock;
  readonly log: Logger;
  readonly metrics?: Pick<Metrics, 'observeAck'>;
  /** Which process answers a delivery (shared through Redis when there is one). */
  readonly ledger?: DeliveryLedger;
  /** Deliveries between their ack and their answer, per platform (Redis only). */
  readonly intakeFor?: (platform: Platform) => DeliveryIntake;
  /** TEST ONLY (`TAS_TEST_DISPATCH_DELAY_MS`): hold every dispatch back this long. */
  readonly testDispatchDelayMs?: number;
}

/**
 * Posts an approval card where its command was given, through the platform's delivery, and
 * stores where it went. Undefined when it could not be posted: the adapter then answers with
 * the card itself (with its own fallbacks), and the first card update posts it anew.
 */
async function postCard(
  deps: AdapterHostDeps,
  event: ChatEvent,
  reply: Reply,
  requestId: string,
): Promise<Posted | undefined> {
  const delivery = deps.deliveries.get(event.platform);
  if (delivery === undefined || deps.store === undefined) return undefined;
  let posted: Posted;
  try {
    posted = await delivery.post(
      {
        channelId: event.channelId,
        ...(event.threadId !== undefined && { threadId: event.threadId }),
        inAnswerTo: event.id,
      },
      reply,
    );
  } catch (error) {
    deps.log.warn(
      { err: error, requestId, eventId: event.id },
      'could not post the approval card; the adapter answers with it instead',
    );
    return undefined;
  }
  await recordCard(deps.store, requestId, posted).catch((error: unknown) =>
    deps.log.warn(
      { err: error, requestId },
      'could not record where the approval card was posted; later updates will post anew',
    ),
  );
  return posted;
}

/** Dispatches; an approval card in the answer is posted here, the rest left to the adapter. */
async function answer(deps: AdapterHostDeps, event: ChatEvent): Promise<Answer> {
  const delay = deps.testDispatchDelayMs ?? 0;
  if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
  const reply = await deps.dispatcher.dispatch(event);
  if (reply.card === undefined || reply.ephemeral === true) return { reply };
  const posted = await postCard(deps, event, reply, reply.card.requestId);
  return posted === undefined ? { reply } : { reply, posted };
}

/** What chat adapters call: dispatch (which posts approval cards itself), live service names. */
export function createAdapterHost(deps: AdapterHostDeps): AdapterHost {
  const { config, directory } = deps;
  const serviceNamesOf = createServiceNameCache({
    platformFor: deps.platformFor,
    clock: deps.clock,
    fallback: (environment) => config.environments[environment]?.services ?? [],
  });
  return {
    dispatch: (event) => answer(deps, event),
    async serviceNames(environment, channel) {
      // The environment the command itself would pick: autocomplete offers nothing the
      // command would then refuse, and nothing where the command would ask which one.
      const picked = pickEnvironment(directory, { asked: environment, ...channel });
      return picked.kind === 'picked' ? serviceNamesOf(picked.name) : [];
    },
    log: deps.log,
    ...(deps.ledger && { ledger: deps.ledger }),
    ...(deps.intakeFor && { intakeFor: deps.intakeFor }),
    ...(deps.metrics && { metrics: deps.metrics }),
  };
}
