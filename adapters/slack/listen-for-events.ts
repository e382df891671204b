import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { ChatEvent } from '../../src/core/chat-event.js';
import type { AdapterHost } from '../../src/core/ports/chat-adapter.js';
import type { Logger } from '../../src/core/ports/logger.js';
import type { LedgerClaim } from '../../src/core/ports/delivery-intake.js';
import type { DeliveryLedger } from '../../src/core/ports/delivery-ledger.js';
import { ACTION_PATTERN } from './action-ids.js';
import { deliverAnswer, type AnswerTarget } from './deliver-answer.js';
import { actionEvent, commandEvent } from './slack-events.js';
import { deliveryClaims, REDELIVERY_MS } from './delivery-claims.js';
import type { IntakeContext, SlackIntake, TakenMark, TakeOutcome } from './slack-intake.js';
import type { SlackPoster } from './slack-poster.js';

export interface ListenerDeps {
  readonly host: AdapterHost;
  readonly poster: SlackPoster;
  readonly log: Logger;
  /** The slash command without `/`. */
  readonly command: string;
  readonly now: () => number;
  /**
   * Claims every delivery before it is dispatched, across bot processes: Slack redelivers (HTTP
   * retries, possibly to another process behind the load balancer; Socket Mode `retry_attempt`,
   * possibly on another connection) and people double-click.
   */
  readonly ledger: DeliveryLedger;
  /** This process's memory of the claims the intake made with each take (see decideRecorded). */
  readonly seen: DeliveryLedger;
  /** With Redis: deliveries recorded before their ack, answered by another process if need be. */
  readonly intake?: SlackIntake;
  /** Answers being worked out, so stop() can let them finish. */
  readonly inFlight: Set<Promise<void>>;
}

/** Whether this process answers: every claim won, in order (the first lost stops the rest). */
async function claimAll(ledger: DeliveryLedger, claims: readonly LedgerClaim[]): Promise<boolean> {
  for (const { key, ttlMs } of claims) if (!(await ledger.claim(key, ttlMs))) return false;
  return true;
}

/**
 * The intake's take or entry the receiver (or the reclaimer) put in bolt's context, if any; the
 * delivery is marked taken, so the receiver leaves finishing its entry to this listener.
 */
function intakeOf(context: Record<string, unknown>): IntakeContext {
  const mark = context.intakeMark as TakenMark | undefined;
  if (mark !== undefined) mark.taken = true;
  if (context.intakeTake instanceof Promise)
    return { intakeTake: context.intakeTake as Promise<TakeOutcome> };
  const entry = context.intakeEntry;
  if (typeof entry !== 'string') return {};
  return { intakeEntry: entry, intakeReclaimed: context.intakeReclaimed === true };
}

/** One delivery as the listener answers it: its claims, and its intake entry if recorded. */
interface Delivery {
  readonly claims: readonly LedgerClaim[];
  readonly retryNum: number | undefined;
  readonly context: IntakeContext;
}

/** Whether this process answers, the intake entry it finishes after, and whether it took it. */
interface Decision {
  readonly dispatch: boolean;
  readonly entry?: string;
  readonly owner: boolean;
}

/**
 * How a delivery this process's receiver recorded ended. Its claims were made in Redis with
 * the take, before the ack; they are kept in this process's memory too, so a redelivery that
 * reaches this process while Redis cannot answer is still dropped. A delivery Redis did not
 * record (an error, or no answer in time) is claimed in this memory alone and answered here, as
 * the shared ledger does while Redis cannot answer: Redis may still record the late take, and
 * its claim then must not turn this process's own delivery away.
 */
async function decideRecorded(
  deps: ListenerDeps,
  delivery: Delivery,
  taking: Promise<TakeOutcome>,
): Promise<Decision> {
  const outcome = await (deps.intake?.outcome(taking) ?? taking);
  if (outcome.kind === 'repeat') return { dispatch: false, owner: false };
  const dispatch = await claimAll(deps.seen, delivery.claims);
  if (outcome.kind === 'unrecorded') return { dispatch, owner: false };
  return { dispatch, entry: outcome.entry, owner: true };
}

/**
 * Whether this process may dispatch. A delivery taken over from a silent process was claimed by
 * that process already: here its answer is claimed instead (lost when the owner got that far).
 */
async function decide(deps: ListenerDeps, event: ChatEvent, delivery: Delivery): Promise<Decision> {
  const { context } = delivery;
  let decision: Decision;
  if (context.intakeReclaimed === true && context.intakeEntry !== undefined)
    decision = {
      dispatch: await claimAnswer(deps, event),
      entry: context.intakeEntry,
      owner: false,
    };
  else if (context.intakeTake !== undefined)
    decision = await decideRecorded(deps, delivery, context.intakeTake);
  else decision = { dispatch: await claimAll(deps.ledger, delivery.claims), owner: false };
  if (!decision.dispatch && context.intakeReclaimed !== true)
    deps.log.info(
      { eventId: event.id, retryNum: delivery.retryNum },
      'dropped a delivery already answered (a redelivery, a repeated click, or another process)',
    );
  return decision;
}

/**
 * The answer to a delivery recorded in the intake is claimed too, once per delivery: the owner
 * claims it after dispatching, a process that took the entry over claims it before. An owner
 * that answered (or posted its approval card) but died before finishing its entry leaves it
 * claimed, so the entry is only finished elsewhere; an owner slow but alive past its lease
 * loses it to the process that took over, and does not post a second answer.
 */
function claimAnswer(deps: ListenerDeps, event: ChatEvent): Promise<boolean> {
  return deps.ledger.claim(`slack:answer:${event.id}`, REDELIVERY_MS);
}

/** Dispatches and posts the answer; `owner`: the entry this process recorded, if any. */
async function answer(deps: ListenerDeps, event: ChatEvent, target: AnswerTarget, owner: boolean) {
  deps.log.debug({ eventId: event.id, userId: event.userId }, 'dispatching a Slack event');
  const answered = await deps.host.dispatch(event);
  if (owner && !(await claimAnswer(deps, event))) return;
  // An approval card is in the channel already: the core posted it to learn where it sits.
  if (answered.posted !== undefined) return;
  await deliverAnswer(
    { poster: deps.poster, log: deps.log, render: { command: deps.command } },
    target,
    answered.reply,
  );
}

/** Decides, then dispatches and posts; the intake entry is held while this runs, finished after. */
async function handle(
  deps: ListenerDeps,
  event: ChatEvent,
  target: AnswerTarget,
  delivery: Delivery,
) {
  const { dispatch, entry, owner } = await decide(deps, event, delivery);
  const release = entry === undefined ? undefined : deps.intake?.hold(entry);
  try {
    if (dispatch) await answer(deps, event, target, owner);
  } finally {
    release?.();
    if (entry !== undefined) deps.intake?.finish(entry);
  }
}

/**
 * Claims the delivery, then dispatches and posts (all after the ack); tracked in `inFlight`.
 * A delivery some process has claimed already is dropped here, silently for the user.
 */
function answerLater(
  deps: ListenerDeps,
  event: ChatEvent,
  target: AnswerTarget,
  delivery: Delivery,
): void {
  const work = handle(deps, event, target, delivery).catch((error: unknown) =>
    deps.log.error({ err: error, eventId: event.id }, 'answering a Slack event failed'),
  );
  deps.inFlight.add(work);
  void work.finally(() => deps.inFlight.delete(work));
}

/**
 * The slash command, our buttons, and bolt's error hook. The receiver acknowledged each event
 * before bolt saw it (Slack wants the ack within 3 seconds; bolt's own receivers would queue it
 * behind the processing of every earlier event in a burst), so the `ack` bolt passes here does
 * nothing; it is called because bolt's listener contract expects it.
 */
export function listenForEvents(app: App, deps: ListenerDeps): void {
  const { log } = deps;
  app.command(`/${deps.command}`, async ({ command, body, ack, respond, context }) => {
    await ack();
    const event = commandEvent(command, new Date(deps.now()));
    answerLater(
      deps,
      event,
      { channel: command.channel_id, user: command.user_id, respond },
      {
        claims: deliveryClaims(body),
        retryNum: context.retryNum,
        context: intakeOf(context),
      },
    );
  });

  app.action<BlockAction<ButtonAction>>(
    { type: 'block_actions', action_id: ACTION_PATTERN },
    async ({ body, action, ack, respond, context }) => {
      await ack();
      const event = actionEvent(body, action, new Date(deps.now()));
      if (event?.action === undefined) {
        log.warn({ actionId: action.action_id }, 'ignored a button that is not ours');
        return;
      }
      answerLater(
        deps,
        event,
        {
          channel: event.channelId,
          user: event.userId,
          ...(event.threadId !== undefined && { threadTs: event.threadId }),
          respond,
        },
        { claims: deliveryClaims(body), retryNum: context.retryNum, context: intakeOf(context) },
      );
    },
  );

  app.error(async (error) => {
    log.error({ err: error, code: (error as { code?: unknown }).code }, 'bolt reported an error');
    return Promise.resolve();
  });
}
