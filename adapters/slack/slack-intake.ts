import type { ReceiverEvent } from '@slack/bolt';
import type { DeliveryIntake } from '../../src/core/ports/delivery-intake.js';
import type { Logger } from '../../src/core/ports/logger.js';
import { DeadlinePassedError, within } from '../../src/lib/within.js';

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
 * The most the ack waits for Redis to record a delivery. Slack's deadline is 3 s; when Redis
 * does not answer in time the delivery is answered in this process as it would be without
 * Redis (it is then lost only if this process dies before answering).
 */
export const INTAKE_TAKE_TIMEOUT_MS = 300;

/** The bolt context keys by which an intake entry reaches the listeners. */
export interface IntakeContext {
  readonly intakeEntry?: string;
  /** Taken over from a silent owner: the owner claimed the delivery already. */
  readonly intakeReclaimed?: boolean;
}

/** The adapter's side of the shared intake. */
export interface SlackIntake {
  /** Before the ack: records the verified body; its entry, or undefined when not recorded. */
  record(body: ReceiverEvent['body']): Promise<string | undefined>;
  /** Renews the entry's lease until the returned stop is called. */
  hold(entry: string): () => void;
  /** The entry is answered; logged, never thrown. */
  finish(entry: string): void;
  /** Every second, takes over entries of silent owners and hands each body to `process`. */
  startReclaiming(process: (body: ReceiverEvent['body'], context: IntakeContext) => void): void;
  stopReclaiming(): void;
}

async function record(intake: DeliveryIntake, log: Logger, body: ReceiverEvent['body']) {
  const taking = intake.take(JSON.stringify(body), INTAKE_LEASE_MS);
  try {
    return await within(taking, INTAKE_TAKE_TIMEOUT_MS);
  } catch (error) {
    if (!(error instanceof DeadlinePassedError)) {
      log.warn({ err: error }, 'Redis could not record a Slack delivery; answering it here only');
      return undefined;
    }
    log.warn({ waitedMs: INTAKE_TAKE_TIMEOUT_MS }, 'Redis did not record a Slack delivery in time');
    // Answered here without it: an entry recorded late must not be answered again elsewhere.
    taking.then((late) => intake.done(late)).catch(() => undefined);
    return undefined;
  }
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
