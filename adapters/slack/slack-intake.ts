import type { ReceiverEvent } from '@slack/bolt';
import type { DeliveryIntake } from '../../src/core/ports/delivery-intake.js';
import type { Logger } from '../../src/core/ports/logger.js';
import { DeadlinePassedError, within } from '../../src/lib/within.js';
import { deliveryClaims } from './delivery-claims.js';

/**
 * How long an owner may stay silent before another process takes its deliveries over: a few
 * seconds, so a killed process's commands are answered well inside a user's patience.
 */
export const INTAKE_LEASE_MS = 5_000;
/** The owner renews its lease this often while it works (three renewals per lease). */
const RENEW_EVERY_MS = INTAKE_LEASE_MS / 3;
/** How often every process looks for deliveries whose owner went silent. */
const RECLAIM_EVERY_MS = 1_000;
const RECLAIM_MAX = 20;
/**
 * The most the ack waits for Redis to record a delivery. Slack's deadline is 3 s; past it the
 * ack goes out, and the answer waits for the take a while longer (below).
 */
export const INTAKE_TAKE_TIMEOUT_MS = 300;
/**
 * The most the answer waits for a take still unanswered at the ack. Past it the delivery is
 * answered in this process as it would be without Redis (it is then lost only if this process
 * dies before answering, and answered twice only if Redis missed a redelivery elsewhere too).
 */
const TAKE_ANSWER_WAIT_MS = 1_000;

/**
 * How recording a delivery ended: recorded with every claim won (this process answers it and
 * finishes the entry), a repeat (a claim was lost: some process answers it already), or not
 * recorded (Redis erred or did not answer: this process answers without an entry).
 */
export type TakeOutcome =
  | { readonly kind: 'recorded'; readonly entry: string; readonly claimed: boolean }
  | { readonly kind: 'repeat' }
  | { readonly kind: 'unrecorded' };

/** Set by the listener that takes a delivery, so the receiver knows no listener left it. */
export interface TakenMark {
  taken: boolean;
}

/** The bolt context keys by which an intake entry reaches the listeners. */
export interface IntakeContext {
  readonly intakeEntry?: string;
  /** Taken over from a silent owner: the owner claimed the delivery already. */
  readonly intakeReclaimed?: boolean;
  /** Recorded by this process's receiver: how the take ended (resolves late if Redis was). */
  readonly intakeTake?: Promise<TakeOutcome>;
}

/** A delivery being recorded: the ack waits for `settled`, the answer for `outcome`. */
export interface Recording {
  /** Recorded, or INTAKE_TAKE_TIMEOUT_MS passed (the ack then goes out without the entry). */
  readonly settled: Promise<void>;
  readonly outcome: Promise<TakeOutcome>;
}

/** The adapter's side of the shared intake. */
export interface SlackIntake {
  /** Before the ack: records the verified body, claiming its claims in the same step. */
  record(body: ReceiverEvent['body']): Recording;
  /**
   * For the answer: the take's outcome, waited for at most TAKE_ANSWER_WAIT_MS more; past it
   * `unrecorded`, and an entry the take records later is finished at once (answered here).
   */
  outcome(taking: Promise<TakeOutcome>): Promise<TakeOutcome>;
  /** Renews the entry's lease until the returned stop is called. */
  hold(entry: string): () => void;
  /** The entry is answered; logged, never thrown. */
  finish(entry: string): void;
  /** Every second, takes over entries of silent owners and hands each body to `process`. */
  startReclaiming(process: (body: ReceiverEvent['body'], context: IntakeContext) => void): void;
  stopReclaiming(): void;
}

function take(intake: DeliveryIntake, log: Logger, body: ReceiverEvent['body']) {
  const payload = JSON.stringify(body);
  const claims = deliveryClaims(body);
  const taking: Promise<TakeOutcome> =
    claims.length === 0
      ? intake.take(payload, INTAKE_LEASE_MS).then((entry) => ({
          kind: 'recorded',
          entry,
          claimed: false,
        }))
      : intake
          .takeClaimed(payload, INTAKE_LEASE_MS, claims)
          .then((entry) =>
            entry === undefined ? { kind: 'repeat' } : { kind: 'recorded', entry, claimed: true },
          );
  return taking.catch((error: unknown): TakeOutcome => {
    log.warn({ err: error }, 'Redis could not record a Slack delivery; answering it here only');
    return { kind: 'unrecorded' };
  });
}

/**
 * The ack waits for the take at most INTAKE_TAKE_TIMEOUT_MS; past it the ack goes out, and the
 * answer waits for the take's outcome, whenever Redis gives it: a take that lands late has
 * claimed the delivery for this process all the same, so it is answered here and its entry
 * finished, never left for another process to answer again.
 */
function record(intake: DeliveryIntake, log: Logger, body: ReceiverEvent['body']): Recording {
  const outcome = take(intake, log, body);
  const settled = within(outcome, INTAKE_TAKE_TIMEOUT_MS).then(
    () => undefined,
    (error: unknown) => {
      if (error instanceof DeadlinePassedError)
        log.warn(
          { waitedMs: INTAKE_TAKE_TIMEOUT_MS },
          'Redis did not record a Slack delivery in time',
        );
    },
  );
  return { settled, outcome };
}

async function reclaimOnce(
  intake: DeliveryIntake,
  log: Logger,
  process: (body: ReceiverEvent['body'], context: IntakeContext) => void,
): Promise<void> {
  const entries = await intake.reclaim(INTAKE_LEASE_MS, RECLAIM_MAX);
  for (const { id, payload } of entries) {
    log.warn({ entry: id }, 'answering a Slack delivery whose process went silent');
    process(JSON.parse(payload) as ReceiverEvent['body'], {
      intakeEntry: id,
      intakeReclaimed: true,
    });
  }
}

/** The intake of Slack deliveries through Redis, shared by every bot process. */
export function createSlackIntake(intake: DeliveryIntake, log: Logger): SlackIntake {
  let reclaimer: NodeJS.Timeout | undefined;
  let reclaiming = false;
  const finish = (entry: string) =>
    void intake
      .done(entry)
      .catch((error: unknown) =>
        log.warn({ err: error, entry }, 'could not mark a Slack delivery answered'),
      );
  return {
    record: (body) => record(intake, log, body),
    outcome: (taking) =>
      within(taking, TAKE_ANSWER_WAIT_MS).catch(() => {
        log.warn(
          { waitedMs: TAKE_ANSWER_WAIT_MS },
          'answering a Slack delivery Redis has not recorded',
        );
        void taking.then((late) => late.kind === 'recorded' && finish(late.entry));
        return { kind: 'unrecorded' } as const;
      }),
    hold(entry) {
      const timer = setInterval(() => {
        intake.renew(entry, INTAKE_LEASE_MS).catch((error: unknown) => {
          log.warn({ err: error, entry }, 'could not renew the lease of a Slack delivery');
        });
      }, RENEW_EVERY_MS);
      return () => clearInterval(timer);
    },
    finish,
    startReclaiming(process) {
      reclaimer ??= setInterval(() => {
        // One look at a time: a slow Redis must not stack them up.
        if (reclaiming) return;
        reclaiming = true;
        reclaimOnce(intake, log, process)
          .catch((error: unknown) =>
            log.debug({ err: error }, 'could not look for Slack deliveries to take over'),
          )
          .finally(() => (reclaiming = false));
      }, RECLAIM_EVERY_MS);
      reclaimer.unref();
    },
    stopReclaiming() {
      clearInterval(reclaimer);
      reclaimer = undefined;
    },
  };
}
