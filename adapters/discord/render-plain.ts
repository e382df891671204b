import type { Reply, ReplyBlock, Tone } from '../../src/core/reply.js';

export const GLYPH: Readonly<Record<Tone, string>> = { ok: '✓', warn: '!', fail: '✗', info: '·' };

/** Rows as aligned `✓ label  value` lines (labels padded up to 40 characters). */
export function rowLines(rows: readonly { label: string; value: string; tone: Tone }[]): string[] {
  const width = Math.min(40, Math.max(0, ...rows.map((r) => r.label.length)));
  return rows.map((r) =>
    r.label === ''
      ? `${GLYPH[r.tone]} ${r.value}`
      : `${GLYPH[r.tone]} ${r.label.padEnd(width)}  ${r.value}`,
  );
}

function blockLines(block: ReplyBlock): string[] {
  switch (block.kind) {
    case 'text':
      return [block.text];
    case 'fields':
      return block.fields.map((f) => `${f.label}: ${f.value}`);
    case 'rows':
      return [...(block.title ? [block.title] : []), ...rowLines(block.rows)];
    case 'excerpt':
      return [...(block.title ? [block.title] : []), ...block.lines];
  }
}

/**
 * The whole reply as plain text, nothing left out: the file a message links to when the reply
 * does not fit Discord's limits. Data text is written as is (a text file pings nobody).
 */
export function renderPlain(reply: Reply, slash: string): string {
  const out = [
    reply.verdict && !reply.title.includes(reply.verdict)
      ? `[${reply.verdict}] ${reply.title}`
      : reply.title,
  ];
  for (const block of reply.blocks) out.push('', ...blockLines(block));
  if (reply.buttons?.length)
    out.push('', ...reply.buttons.map((b) => `${b.label}: ${slash} ${b.verb} ${b.requestId}`));
  return `${out.join('\n')}\n`;
}
