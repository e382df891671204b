import type { Logger } from '../core/ports/logger.js';

/** Where SIGTERM and SIGINT come from (the process by default). */
export type SignalSource = Pick<NodeJS.Process, 'on' | 'off'>;

export interface ShutdownSignal {
  /** Resolves on the first SIGTERM or SIGINT. */
  readonly requested: Promise<void>;
  /** Stops listening (the process is done with its shutdown). */
  dispose(): void;
}

/** Exit code of a process ended by a second signal: 128 + SIGINT, what a shell reports. */
export const FORCED_EXIT_CODE = 130;

/**
 * The first SIGTERM or SIGINT starts the graceful shutdown; a second one calls `exit` at once
 * (jobs still running go back to the queue when their lock expires).
 */
export function shutdownSignal(
  signals: SignalSource,
  log: Logger,
  exit: (code: number) => void,
): ShutdownSignal {
  let received = 0;
  let resolve: () => void = () => undefined;
  const requested = new Promise<void>((done) => (resolve = done));
  const onSignal = (signal: NodeJS.Signals) => {
    received += 1;
    if (received === 1) {
      log.info({ signal }, 'shutting down: readiness off, intake stopped, in-flight jobs finish');
      resolve();
    } else {
      log.warn({ signal }, 'second signal: exiting now; jobs in flight go back to the queue');
      exit(FORCED_EXIT_CODE);
    }
  };
  signals.on('SIGTERM', onSignal);
  signals.on('SIGINT', onSignal);
  return {
    requested,
    dispose() {
      signals.off('SIGTERM', onSignal);
      signals.off('SIGINT', onSignal);
    },
  };
}
