import type { Writable } from 'node:stream';
import { consoleEvent } from '../../adapters/console/console-event.js';
import { renderText } from '../../adapters/console/render-text.js';
import type { Dispatcher } from '../core/dispatcher.js';
import { saveAttachment } from './save-attachment.js';

export interface RunOnceOptions {
  /** The command text, `/tas status` or `status`. */
  readonly text: string;
  /** The reply as JSON instead of text (attachments stay inside it). */
  readonly json: boolean;
  readonly person: string;
  /** The console channel: an environment's name picks that environment. */
  readonly channel: string;
  /** The configured slash command, as the reply's hints spell it. */
  readonly slash: string;
}

/**
 * `tas-chatops run "<command>"`: one command through the console adapter, the reply printed
 * (and its attachments saved to files). Exit code 1 when the reply is an error, else 0.
 */
export async function runOnce(
  dispatcher: Dispatcher,
  options: RunOnceOptions,
  out: Writable,
): Promise<number> {
  const reply = await dispatcher.dispatch(
    consoleEvent(options.text, options.person, options.channel),
  );
  const failed = typeof reply.data === 'object' && reply.data !== null && 'error' in reply.data;
  if (options.json) {
    out.write(`${JSON.stringify(reply, null, 2)}\n`);
  } else {
    out.write(`${renderText(reply, options.slash)}\n`);
    for (const attachment of reply.attachments ?? []) {
      const path = await saveAttachment(attachment.filename, attachment.content);
      out.write(`  saved to ${path}\n`);
    }
  }
  return failed ? 1 : 0;
}
