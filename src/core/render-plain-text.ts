import type { Reply, ReplyBlock, ReplyRow, Tone } from './reply.js';

/** The mark in front of a row; chat renderers with richer marks use their own. */
export const TONE_GLYPH: Readonly<Record<Tone, string>> = {
  ok: '✓',
  warn: '!',
  fail: '✗',
  info: '·',
};

/** Labels longer than this are not padded to: one long label must not push every value away. */
const MAX_LABEL_WIDTH = 40;

/**
 * Rows as aligned `✓ label  value` lines, unindented (a Discord code block uses them as they
 * are). A row without a label is its glyph and value alone: evidence lists have no labels.
 */
export function rowLines(rows: readonly ReplyRow[]): string[] {
  const width = Math.min(MAX_LABEL_WIDTH, Math.max(0, ...rows.map((r) => r.label.length)));
  return rows.map((r) =>
    r.label === ''
      ? `${TONE_GLYPH[r.tone]} ${r.value}`
      : `${TONE_GLYPH[r.tone]} ${r.label.padEnd(width)}  ${r.value}`,
  );
}

function blockLines(block: ReplyBlock): string[] {
  switch (block.kind) {
    case 'text':
      return [block.text];
    case 'fields':
      return block.fields.map((f) => `${f.label}: ${f.value}`);
    case 'rows':
      return [...(block.title ? [block.title] : []), ...rowLines(block.rows).map((l) => `  ${l}`)];
    case 'excerpt':
      // The gutter sets verbatim lines apart from the bot's own words.
      return [...(block.title ? [block.title] : []), ...block.lines.map((l) => `  │ ${l}`)];
  }
}

export interface PlainTextOptions {
  /** The slash command with its slash (`/tas`, or whatever the config's `command:` names). */
  readonly slash: string;
}

/**
 * A whole reply as plain text, nothing left out: the console's answer, and the file Slack and
 * Discord attach when the rich message cannot hold it all. Data text is written as given; a
 * platform that interprets text escapes it itself. A button becomes the command that does the
 * same; an attachment is named, since it travels beside the text.
 */
export function renderPlainText(reply: Reply, options: PlainTextOptions): string {
  const head =
    reply.verdict && !reply.title.includes(reply.verdict)
      ? `[${reply.verdict}] ${reply.title}`
      : reply.title;
  const out = [head, ...reply.blocks.flatMap((block) => ['', ...blockLines(block)])];
  if (reply.buttons?.length) {
    const typed = reply.buttons.map(
      (b) => `[${b.label}: ${options.slash} ${b.verb} ${b.requestId}]`,
    );
    out.push('', typed.join('  '));
  }
  for (const attachment of reply.attachments ?? []) {
    const bytes = Buffer.byteLength(attachment.content);
    out.push('', `attached: ${attachment.filename} (${bytes} bytes)`);
  }
  return out.join('\n').replace(/\n{3,}/g, '\n\n');
}
