import { randomUUID } from 'node:crypto';
import type { Logger } from '../core/ports/logger.js';

/** The exit code after an uncaught exception (EX_SOFTWARE): a supervisor restarts on non-zero. */
export const CRASH_EXIT_CODE = 70;

export interface ProcessErrorPolicyOptions {
  /** Where `uncaughtException` and `unhandledRejection` are emitted (the process). */
  readonly events: Pick<NodeJS.Process, 'on' | 'off'>;
  readonly log: Logger;
  /** Starts the graceful shutdown, the one SIGTERM starts. */
  readonly shutdown: () => void;
  /** Ends the process at once. */
  readonly exit: (code: number) => void;
  /** How long the graceful shutdown may take before the process is ended anyway. */
  readonly graceMs?: number;
  readonly newId?: () => string;
}

export interface ProcessErrorPolicy {
  /** True once an uncaught exception was seen: the process is on its way out. */
  readonly crashed: boolean;
  /** The exit code the process should end with, given the one its command returned. */
  exitCode(commandCode: number): number;
  dispose(): void;
}

/**
 * The last resort for errors that escaped every handler, each logged with a correlation id
 * (also in the log line's message, so whoever reads a supervisor's restart notice can find it).
 *
 * - A rejected promise nobody handled: logged, and the process serves on. The rejection ended
 *   the one chain of work it belonged to; nothing was left half-done by it that the rest of the
 *   process shares, and dying would turn one lost answer into an outage for everybody.
 * - An uncaught exception: logged, then the graceful shutdown (readiness off, intake stopped,
 *   jobs in flight finish or go back to the queue), and the process exits with 70 for its
 *   supervisor to restart it. A synchronous throw stopped code half-way through, so what it was
 *   changing is in an unknown state; serving on from there is a guess. If the shutdown does not
 *   finish within `graceMs`, or a second exception comes meanwhile, it exits at once.
 */
export function installProcessErrorPolicy(options: ProcessErrorPolicyOptions): ProcessErrorPolicy {
  const newId = options.newId ?? randomUUID;
  const graceMs = options.graceMs ?? 30_000;
  let crashed = false;

  const onRejection = (reason: unknown) => {
    const correlationId = newId();
    options.log.error(
      { err: reason, correlationId, event: 'unhandledRejection' },
      `unhandled promise rejection (correlation id ${correlationId}); the process carries on`,
    );
  };

  const onException = (error: Error, origin: string) => {
    const correlationId = newId();
    if (crashed) {
      options.log.error(
        { err: error, correlationId, origin, event: 'uncaughtException' },
        `another uncaught exception while shutting down (correlation id ${correlationId}); exiting now`,
      );
      options.exit(CRASH_EXIT_CODE);
      return;
    }
    crashed = true;
    options.log.error(
      { err: error, correlationId, origin, event: 'uncaughtException' },
      `uncaught exception (correlation id ${correlationId}): the process state is unknown; shutting down gracefully, exit code ${CRASH_EXIT_CODE}`,
    );
    setTimeout(() => options.exit(CRASH_EXIT_CODE), graceMs).unref();
    options.shutdown();
  };

  options.events.on('unhandledRejection', onRejection);
  options.events.on('uncaughtException', onException);
  return {
    get crashed() {
      return crashed;
    },
    exitCode: (commandCode) => (crashed ? CRASH_EXIT_CODE : commandCode),
    dispose() {
      options.events.off('unhandledRejection', onRejection);
      options.events.off('uncaughtException', onException);
    },
  };
}
