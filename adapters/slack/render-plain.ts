import type { Reply, ReplyBlock, Tone } from '../../src/core/reply.js';

const MARK: Readonly<Record<Tone, string>> = { ok: '✓', warn: '!', fail: '✗', info: '·' };

function plainBlock(block: ReplyBlock): string[] {
  switch (block.kind) {
    case 'text':
      return [block.text];
    case 'fields':
      return block.fields.map((f) => `${f.label}: ${f.value}`);
    case 'rows': {
      const rows = block.rows.map(
        (r) => `  ${MARK[r.tone]} ${r.label === '' ? '' : `${r.label}  `}${r.value}`,
      );
      return block.title === undefined ? rows : [block.title, ...rows];
    }
    case 'excerpt':
      return block.title === undefined ? [...block.lines] : [block.title, ...block.lines];
  }
}

/**
 * A whole reply as plain text, for the file that carries an answer too long for one message.
 * Files are never parsed for mentions, so nothing is escaped; the core has redacted it already.
 */
export function renderPlain(reply: Reply): string {
  const head =
    reply.verdict !== undefined && !reply.title.includes(reply.verdict)
      ? `[${reply.verdict}] ${reply.title}`
      : reply.title;
  const out = [head, ...reply.blocks.flatMap((block) => ['', ...plainBlock(block)])];
  if (reply.buttons?.length)
    out.push('', reply.buttons.map((b) => `${b.label}: /tas ${b.verb} ${b.requestId}`).join('   '));
  return `${out.join('\n')}\n`;
}
