import type { Platform } from '../chat-event.js';

/** How a command ended, as the dispatcher's error boundary will answer it. */
export type CommandOutcome = 'ok' | 'refused' | 'unavailable' | 'failed';

/**
 * What the core and the adapters report for monitoring (Prometheus in production). Labels are
 * bounded: command names come from the command list, never from what a user typed.
 * Deliberately left out: job, queue and probe series (infra reports those itself), and any way
 * to read values back.
 */
export interface Metrics {
  /** One answered command: its name (`unknown` when none was resolved), outcome and duration. */
  commandAnswered(command: string, outcome: CommandOutcome, seconds: number): void;
  /** Time from receiving a platform event to acknowledging it (the 3-second deadline). */
  observeAck(platform: Platform, seconds: number): void;
}

export const silentMetrics: Metrics = {
  commandAnswered: () => undefined,
  observeAck: () => undefined,
};
