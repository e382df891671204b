import { randomBytes } from 'node:crypto';
import type { ChatEvent } from './chat-event.js';
import { compose, type DispatchContext, type Middleware } from './dispatch-context.js';
import { DependencyError, isUserError } from './errors.js';
import type { Logger } from './ports/logger.js';
import { redactReply, type Redact } from './redact-reply.js';
import type { Reply } from './reply.js';

export interface DispatcherOptions {
  readonly middleware: readonly Middleware[];
  readonly log: Logger;
  readonly redact: Redact;
  readonly slash: string;
  readonly correlationId?: () => string;
}

export interface Dispatcher {
  /** Always resolves with a reply the user can read; never rejects. */
  dispatch(event: ChatEvent): Promise<Reply>;
}

const DEPENDENCY_NAMES = {
  docker: 'Docker',
  redis: 'Redis',
  chat: 'The chat platform',
  ecs: 'AWS ECS',
} as const;

/**
 * The one error boundary: user errors are answered plainly, dependency failures say which
 * dependency, anything else gets a short reply with a correlation id and its details go to the
 * log. Every reply is redacted here, on its way out.
 */
export function createDispatcher(options: DispatcherOptions): Dispatcher {
  const newId = options.correlationId ?? (() => randomBytes(4).toString('hex'));
  const pipeline = compose(options.middleware, (context) => {
    const { command, identity, args, environment } = context;
    if (command === undefined || identity === undefined || args === undefined) {
      throw new Error('the middleware chain must resolve identity and command');
    }
    return command.run({
      event: context.event,
      identity,
      args,
      environment: environment ?? '',
      log: context.log,
      correlationId: context.correlationId,
    });
  });

  function answerError(error: unknown, context: DispatchContext): Reply {
    if (isUserError(error)) {
      context.log.info({ code: error.code, command: context.command?.name }, error.message);
      return {
        title: error.message,
        blocks: error.details.map((text) => ({ kind: 'text', text })),
        ephemeral: true,
        data: { error: { code: error.code, message: error.message, details: error.details } },
      };
    }
    if (error instanceof DependencyError) {
      context.log.warn({ err: error, dependency: error.dependency }, 'dependency unavailable');
      const name = DEPENDENCY_NAMES[error.dependency];
      return {
        title: `${name} is not answering, so I could not finish \`${options.slash} ${context.command?.name ?? ''}\`.`,
        blocks: [{ kind: 'text', text: `${error.message} (ref ${context.correlationId})` }],
        ephemeral: true,
        data: {
          error: { code: error.code, dependency: error.dependency, ref: context.correlationId },
        },
      };
    }
    context.log.error({ err: error, command: context.command?.name }, 'command failed');
    return {
      title: `Something went wrong on my side (ref ${context.correlationId}).`,
      blocks: [
        {
          kind: 'text',
          text: 'The details are in the bot log under that reference. Nothing was changed.',
        },
      ],
      ephemeral: true,
      data: { error: { code: 'INTERNAL', ref: context.correlationId } },
    };
  }

  return {
    async dispatch(event) {
      const correlationId = newId();
      const context: DispatchContext = {
        event,
        correlationId,
        log: options.log.child({ eventId: event.id, ref: correlationId, platform: event.platform }),
      };
      let reply: Reply;
      try {
        reply = await pipeline(context);
      } catch (error) {
        reply = answerError(error, context);
      }
      return redactReply(reply, options.redact);
    },
  };
}
