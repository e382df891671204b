import type { Reply, ReplyAttachment, ReplyButton } from '../../src/core/reply.js';
import { renderPlainText } from '../../src/core/render-plain-text.js';
import { actionId, type ActionContext } from './action-context.js';
import { blockPieces, headline } from './layout-pieces.js';
import { MATTERMOST_LIMITS, runeCount } from './mattermost-limits.js';
import { escapeText, inlineCode } from './mattermost-text.js';

export interface MattermostFile {
  readonly filename: string;
  readonly contentType: string;
  readonly content: string;
}

/** A legacy message-attachment button (`model/integration_action.go` `PostAction`). */
export interface PostAction {
  readonly id: string;
  readonly type: 'button';
  readonly name: string;
  readonly style: 'primary' | 'danger';
  readonly integration: { readonly url: string; readonly context: ActionContext };
}

/** One post as plain data: what `POST /api/v4/posts` gets, minus channel and thread. */
export interface MattermostMessage {
  readonly message: string;
  /** `{ attachments: [{ actions }] }` while there is something to decide, else empty. */
  readonly props: { readonly attachments?: readonly object[] };
  /** Uploaded and attached to the post (`file_ids`). */
  readonly files: readonly MattermostFile[];
}

export interface RenderOptions {
  /** The slash command without `/`, for the typed alternative to a button. */
  readonly command: string;
  /** `<callbackUrl>/mattermost/action`: where the server sends clicks. */
  readonly actionUrl: string;
  /** The signed context a button carries. */
  readonly sign: (requestId: string, verb: ReplyButton['verb']) => ActionContext;
}

const SEPARATOR = '\n\n';

/** Pieces joined into messages of at most `limit` runes each; nothing dropped. */
export function packPages(pieces: readonly string[], limit: number): string[] {
  const pages: string[] = [];
  let current: string | undefined;
  for (const piece of pieces) {
    if (current !== undefined && runeCount(current) + 2 + runeCount(piece) <= limit) {
      current += `${SEPARATOR}${piece}`;
      continue;
    }
    if (current !== undefined) pages.push(current);
    current = piece;
  }
  if (current !== undefined) pages.push(current);
  return pages.length === 0 ? [''] : pages;
}

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  return bytes < 1024 * 1024
    ? `${(bytes / 1024).toFixed(1)} KB`
    : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

const attachmentNote = (a: ReplyAttachment) =>
  `📎 ${inlineCode(a.filename)} (${size(Buffer.byteLength(a.content))}) is attached.`;

const typedCommand = (b: ReplyButton, command: string) =>
  `${escapeText(b.label)}: ${inlineCode(`/${command} ${b.verb} ${b.requestId}`)}`;

/** The buttons as one message attachment holding only actions; none once nothing is left. */
function buttonProps(reply: Reply, options: RenderOptions): MattermostMessage['props'] {
  const buttons = reply.buttons ?? [];
  if (buttons.length === 0) return {};
  const actions: PostAction[] = buttons.map((b) => ({
    id: actionId(b.verb, b.requestId),
    type: 'button',
    name: b.label,
    style: b.style,
    integration: { url: options.actionUrl, context: options.sign(b.requestId, b.verb) },
  }));
  const fallback = buttons.map((b) => `${b.label}: /${options.command} ${b.verb} ${b.requestId}`);
  return { attachments: [{ fallback: fallback.join('  '), actions }] };
}

/** `backend-logs.txt` from the title's letters and digits; `answer.txt` when it has none. */
function overflowFilename(reply: Reply): string {
  const words = reply.title.toLowerCase().match(/[a-z0-9]+/g) ?? ['answer'];
  return `${words.join('-').slice(0, 60).replace(/-$/, '')}.txt`;
}

const contentPieces = (reply: Reply) => [...headline(reply), ...reply.blocks.flatMap(blockPieces)];

/**
 * Reply → one post. Pure. All data text is escaped and neutralised; attachments travel as
 * files. When the whole answer is longer than a post may be, the post shows what fits, says
 * so, and the full answer is attached as a text file: nothing is cut without saying where the
 * rest is.
 */
export function renderPost(reply: Reply, options: RenderOptions): MattermostMessage {
  const content = contentPieces(reply);
  const notes = (reply.attachments ?? []).map(attachmentNote);
  const props = buttonProps(reply, options);
  const files = (reply.attachments ?? []).map(({ filename, contentType, content: text }) => ({
    filename,
    contentType,
    content: text,
  }));
  const limit = MATTERMOST_LIMITS.messageRunes;
  const whole = packPages([...content, ...notes], limit);
  if (whole.length === 1) return { message: whole[0] ?? '', props, files };

  const filename = overflowFilename(reply);
  const note = (n: number) =>
    `📄 This answer is too long for one message: all of it is in ${inlineCode(filename)}, attached (shown here: the first ${n} of ${content.length} parts).`;
  let shown = content.length;
  const fits = (n: number) =>
    packPages([...content.slice(0, n), note(n), ...notes], limit).length === 1;
  while (shown > 1 && !fits(shown)) shown -= 1;
  const plain = renderPlainText(reply, { slash: `/${options.command}` });
  return {
    message: packPages([...content.slice(0, shown), note(shown), ...notes], limit)[0] ?? '',
    props,
    files: [{ filename, contentType: 'text/plain', content: `${plain}\n` }, ...files],
  };
}

/**
 * An ephemeral reply as one or more messages: ephemeral posts are not stored and carry no
 * files, so attachments are shown inline as excerpts, buttons as the typed command, and
 * whatever does not fit one message continues in the next.
 */
export function renderPages(reply: Reply, command: string): string[] {
  const inline = (reply.attachments ?? []).flatMap((a) =>
    blockPieces({ kind: 'excerpt', title: a.filename, lines: a.content.split('\n') }),
  );
  const typed = (reply.buttons ?? []).map((b) => typedCommand(b, command));
  return packPages([...contentPieces(reply), ...inline, ...typed], MATTERMOST_LIMITS.messageRunes);
}
