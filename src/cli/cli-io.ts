import type { ServeIo } from '../app/serve.js';

/** The three standard streams; tests pass their own. */
export type CliIo = ServeIo;

/** Process environment variables as read once at the process entry. */
export type ProcessEnv = Readonly<Record<string, string | undefined>>;
