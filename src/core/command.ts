import type { ChatEvent } from './chat-event.js';
import type { Identity } from './directory.js';
import type { FlagSpec, ParsedArgs } from './parse/parse-args.js';
import type { Logger } from './ports/logger.js';
import type { Reply } from './reply.js';

/** `public` needs no grant at all; everything else is looked up per environment. */
export type Permission =
  'public' | 'read' | 'escalate' | 'restart' | 'scale' | 'stop' | 'start' | 'rollback' | 'approve';

export interface CommandSpec {
  readonly name: string;
  readonly summary: string;
  /** e.g. `logs <service> [--since 15m] [--tail 200] [--grep RE] [--level error]` */
  readonly usage: string;
  readonly flags: readonly FlagSpec[];
  readonly permission: Permission;
  /** `/tas status prod`: the first positional may name the environment. */
  readonly environmentPositional?: boolean;
  /** Commands that work without any environment (help). */
  readonly needsEnvironment?: boolean;
  /** Privileged operations (shown as such in help). */
  readonly privileged?: boolean;
}

export interface Invocation {
  readonly event: ChatEvent;
  readonly identity: Identity;
  readonly environment: string;
  readonly args: ParsedArgs;
  readonly log: Logger;
  readonly correlationId: string;
}

export interface Command extends CommandSpec {
  run(invocation: Invocation): Promise<Reply>;
}
