import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Dispatcher } from '../../src/core/dispatcher.js';
import { consoleEvent } from './console-event.js';
import { renderText } from './render-text.js';

export interface ConsoleSessionOptions {
  readonly dispatcher: Dispatcher;
  readonly input: Readable;
  readonly output: Writable;
  readonly person: string;
  readonly channel: string;
  readonly people: readonly string[];
  readonly slash: string;
}

/**
 * The interactive console chat `start` opens when no chat tokens are configured. `/as NAME`
 * switches person (to try approvals by someone else), `/env NAME` the environment.
 * Resolves when the input ends.
 */
export async function runConsoleSession(options: ConsoleSessionOptions): Promise<void> {
  let person = options.person;
  let channel = options.channel;
  const write = (text: string) => options.output.write(`${text}\n`);
  const lines = createInterface({ input: options.input, terminal: false });
  const prompt = () => options.output.write(`${person}@${channel} ${options.slash}> `);
  write(
    `tas-chatops console. Type "help", "/as <person>" (${options.people.join(', ')}), "/env <name>", or "exit".`,
  );
  prompt();
  for await (const raw of lines) {
    const line = raw.trim();
    if (line === 'exit' || line === 'quit') break;
    const switchTo = /^\/(as|env)\s+(\S+)$/.exec(line);
    if (switchTo?.[1] === 'as') person = switchTo[2] ?? person;
    else if (switchTo?.[1] === 'env') channel = switchTo[2] ?? channel;
    else if (line !== '')
      write(
        renderText(
          await options.dispatcher.dispatch(consoleEvent(line, person, channel)),
          options.slash,
        ),
      );
    prompt();
  }
  lines.close();
}
