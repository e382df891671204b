import type { Reply, ReplyAttachment, ReplyButton } from '../../src/core/reply.js';
import { actionId, actionValue } from './action-ids.js';
import { headerBlocks, layoutBlock } from './layout-blocks.js';
import { renderPlain } from './render-plain.js';
import { SLACK_LIMITS } from './slack-limits.js';
import {
  blockChars,
  section,
  type ActionsBlock,
  type ButtonElement,
  type SlackBlock,
  type SlackFile,
  type SlackMessage,
} from './slack-message.js';
import { escapeText, inlineCode, splitEscaped } from './slack-text.js';

export interface RenderOptions {
  /** The slash command without `/`, for the typed alternative to a button. */
  readonly command?: string;
}

function fits(blocks: readonly SlackBlock[]): boolean {
  return (
    blocks.length <= SLACK_LIMITS.blocks &&
    blocks.reduce((n, b) => n + blockChars(b), 0) <= SLACK_LIMITS.messageChars
  );
}

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  return bytes < 1024 * 1024
    ? `${(bytes / 1024).toFixed(1)} KB`
    : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function attachmentNote(attachment: ReplyAttachment): SlackBlock {
  return section(
    `:paperclip: ${inlineCode(attachment.filename)} (${size(Buffer.byteLength(attachment.content))}) is attached in the thread.`,
  );
}

function button(b: ReplyButton): ButtonElement | undefined {
  const element: ButtonElement = {
    type: 'button',
    action_id: actionId(b.verb, b.requestId),
    value: actionValue(b.verb, b.requestId),
    text: { type: 'plain_text', text: b.label, emoji: true },
    style: b.style,
  };
  const ok =
    element.action_id.length <= SLACK_LIMITS.actionId &&
    element.value.length <= SLACK_LIMITS.buttonValue &&
    b.label.length <= SLACK_LIMITS.buttonText;
  return ok ? element : undefined;
}

/** Buttons in actions blocks of at most 25; one Slack cannot take is offered as a typed command. */
function buttonBlocks(buttons: readonly ReplyButton[], command: string): SlackBlock[] {
  const elements: ButtonElement[] = [];
  const typed: string[] = [];
  for (const b of buttons) {
    const element = button(b);
    if (element === undefined)
      typed.push(`${escapeText(b.label)}: ${inlineCode(`/${command} ${b.verb} ${b.requestId}`)}`);
    else elements.push(element);
  }
  const blocks: SlackBlock[] = [];
  for (let i = 0; i < elements.length; i += SLACK_LIMITS.actionsElements) {
    blocks.push({
      type: 'actions',
      elements: elements.slice(i, i + SLACK_LIMITS.actionsElements),
    } satisfies ActionsBlock);
  }
  blocks.push(...typed.map(section));
  return blocks;
}

/** Notification text: the escaped title (the blocks carry all of it, however long). */
function fallbackText(reply: Reply): string {
  const pieces = splitEscaped(reply.title, SLACK_LIMITS.sectionText);
  return pieces.length > 1 ? `${pieces[0] ?? ''}…` : (pieces[0] ?? '');
}

function overflowFilename(reply: Reply): string {
  const slug = reply.title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60);
  return `${slug === '' ? 'answer' : slug}.txt`;
}

/**
 * Reply → one Slack message and the files for its thread. Pure. All data text is escaped, every
 * block is within Slack's limits; attachments always travel as files; when the whole answer
 * does not fit one message, the message shows what fits, says so, and the full answer follows as
 * a file. Nothing is cut without saying where the rest is.
 */
export function renderBlocks(reply: Reply, options: RenderOptions = {}): SlackMessage {
  const command = options.command ?? 'tas';
  const content = [
    ...headerBlocks(reply.title, reply.verdict),
    ...reply.blocks.flatMap(layoutBlock),
  ];
  const attachments = reply.attachments ?? [];
  const tail = [...attachments.map(attachmentNote), ...buttonBlocks(reply.buttons ?? [], command)];
  const files: SlackFile[] = attachments.map((a) => ({
    filename: a.filename,
    title: a.filename,
    content: a.content,
  }));
  const text = fallbackText(reply);
  if (fits([...content, ...tail])) return { text, blocks: [...content, ...tail], files };

  const filename = overflowFilename(reply);
  let shown = content.length;
  const note = (n: number) =>
    section(
      `:page_facing_up: This answer is too long for one message: it is all in ${inlineCode(filename)}, attached in the thread (shown here: the first ${n} of ${content.length} parts).`,
    );
  while (shown > 1 && !fits([...content.slice(0, shown), note(shown), ...tail])) shown -= 1;
  return {
    text,
    blocks: [...content.slice(0, shown), note(shown), ...tail],
    files: [{ filename, title: filename, content: renderPlain(reply, command) }, ...files],
  };
}

/**
 * An ephemeral reply as one or more ephemeral messages: ephemeral messages have no thread and
 * cannot carry files, so whatever does not fit one message continues in the next, and
 * attachments are shown inline as excerpts.
 */
export function renderEphemeralPages(reply: Reply, options: RenderOptions = {}): SlackMessage[] {
  const command = options.command ?? 'tas';
  const inline = (reply.attachments ?? []).flatMap((a) =>
    layoutBlock({ kind: 'excerpt', title: a.filename, lines: a.content.split('\n') }),
  );
  const content = [
    ...headerBlocks(reply.title, reply.verdict),
    ...reply.blocks.flatMap(layoutBlock),
    ...inline,
    ...buttonBlocks(reply.buttons ?? [], command),
  ];
  const text = fallbackText(reply);
  const pages: SlackBlock[][] = [];
  let page: SlackBlock[] = [];
  const continued = section('_(continued)_');
  for (const block of content) {
    if (page.length > 0 && !fits([...page, block])) {
      pages.push(page);
      page = [continued];
    }
    page.push(block);
  }
  pages.push(page);
  return pages.map((blocks) => ({ text, blocks, files: [] }));
}
