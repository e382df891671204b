import type { Reply, ReplyBlock } from './reply.js';

export type Redact = (text: string) => string;

function redactValue(value: unknown, redact: Redact): unknown {
  if (typeof value === 'string') return redact(value);
  if (Array.isArray(value)) return value.map((item) => redactValue(item, redact));
  if (value instanceof Date) return value;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactValue(v, redact)]));
  }
  return value;
}

function redactBlock(block: ReplyBlock, redact: Redact): ReplyBlock {
  switch (block.kind) {
    case 'text':
      return { ...block, text: redact(block.text) };
    case 'rows':
      return {
        ...block,
        rows: block.rows.map((row) => ({
          ...row,
          label: redact(row.label),
          value: redact(row.value),
        })),
      };
    case 'fields':
      return {
        ...block,
        fields: block.fields.map((f) => ({ label: redact(f.label), value: redact(f.value) })),
      };
    case 'excerpt':
      return { ...block, lines: block.lines.map(redact) };
  }
}

/**
 * Every reply passes through here before any adapter sees it: titles, rows, excerpts, files and
 * the structured data behind `--json`. Adapters therefore never hold an unredacted string.
 */
export function redactReply(reply: Reply, redact: Redact): Reply {
  return {
    ...reply,
    title: redact(reply.title),
    blocks: reply.blocks.map((block) => redactBlock(block, redact)),
    ...(reply.attachments && {
      attachments: reply.attachments.map((a) => ({ ...a, content: redact(a.content) })),
    }),
    ...(reply.data !== undefined && { data: redactValue(reply.data, redact) }),
  };
}
