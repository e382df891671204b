import type { ChatEvent } from './chat-event.js';
import type { Command } from './command.js';
import type { Identity } from './directory.js';
import type { ParsedArgs } from './parse/parse-args.js';
import type { Logger } from './ports/logger.js';
import type { Reply } from './reply.js';

/** What middleware learns about one inbound event as it passes down the chain. */
export interface DispatchContext {
  readonly event: ChatEvent;
  readonly correlationId: string;
  log: Logger;
  identity?: Identity;
  command?: Command;
  args?: ParsedArgs;
  environment?: string;
}

export type Next = () => Promise<Reply>;
export type Middleware = (context: DispatchContext, next: Next) => Promise<Reply>;

/** Runs middleware in order; each decides whether to call `next` (bolt's processMiddleware). */
export function compose(
  middleware: readonly Middleware[],
  last: (context: DispatchContext) => Promise<Reply>,
) {
  return (context: DispatchContext): Promise<Reply> => {
    const run = (index: number): Promise<Reply> => {
      const current = middleware[index];
      return current === undefined ? last(context) : current(context, () => run(index + 1));
    };
    return run(0);
  };
}
