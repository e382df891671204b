import type { Reply, ReplyBlock, Tone } from '../../src/core/reply.js';

const GLYPH: Readonly<Record<Tone, string>> = { ok: '✓', warn: '!', fail: '✗', info: '·' };

function renderBlock(block: ReplyBlock): string[] {
  switch (block.kind) {
    case 'text':
      return [block.text];
    case 'fields':
      return block.fields.map((f) => `${f.label}: ${f.value}`);
    case 'rows': {
      const width = Math.min(40, Math.max(0, ...block.rows.map((r) => r.label.length)));
      const rows = block.rows.map((r) => `  ${GLYPH[r.tone]} ${r.label.padEnd(width)}  ${r.value}`);
      return block.title ? [block.title, ...rows] : rows;
    }
    case 'excerpt': {
      const lines = block.lines.map((line) => `  │ ${line}`);
      return block.title ? [block.title, ...lines] : lines;
    }
  }
}

/** Reply → terminal text. Pure: attachments are listed by name; the caller decides where they go. */
export function renderText(reply: Reply): string {
  const head =
    reply.verdict && !reply.title.includes(reply.verdict)
      ? `[${reply.verdict}] ${reply.title}`
      : reply.title;
  const out = [head, ...reply.blocks.flatMap((block) => ['', ...renderBlock(block)])];
  if (reply.buttons?.length) {
    out.push(
      '',
      reply.buttons.map((b) => `[${b.label}: /tas ${b.verb} ${b.requestId}]`).join('  '),
    );
  }
  for (const attachment of reply.attachments ?? []) {
    out.push(
      '',
      `attached: ${attachment.filename} (${Buffer.byteLength(attachment.content)} bytes)`,
    );
  }
  return out.join('\n').replace(/\n{3,}/g, '\n\n');
}
