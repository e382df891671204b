import type { Reply, ReplyBlock, ReplyRow, Tone, Verdict } from '../../src/core/reply.js';
import { MATTERMOST_LIMITS, runeCount } from './mattermost-limits.js';
import { defuseBackticks, escapeText, fence } from './mattermost-text.js';

const GLYPH: Readonly<Record<Tone, string>> = { ok: '🟢', warn: '⚠️', fail: '🔴', info: '🔹' };
const MARK: Readonly<Record<Verdict, string>> = { OK: '🟢', DEGRADED: '🟠', DOWN: '🔴' };
const FENCE_OVERHEAD = runeCount('```\n\n```');

/** Splits one line into pieces of at most `limit` runes, never inside a backslash escape. */
function splitLine(line: string, limit: number): string[] {
  const pieces: string[] = [];
  let current = '';
  let size = 0;
  const chars = line.match(/\\.|[\s\S]/gu) ?? [];
  for (const ch of chars) {
    const n = runeCount(ch);
    if (size + n > limit && current !== '') {
      pieces.push(current);
      current = '';
      size = 0;
    }
    current += ch;
    size += n;
  }
  pieces.push(current);
  return pieces;
}

/** Lines packed into pieces of at most `limit` runes, joined by line breaks; nothing dropped. */
export function packLines(lines: readonly string[], limit: number): string[] {
  const packed: string[] = [];
  let current: string | undefined;
  let size = 0;
  for (const line of lines.flatMap((l) => (runeCount(l) > limit ? splitLine(l, limit) : [l]))) {
    const n = runeCount(line);
    if (current !== undefined && size + 1 + n <= limit) {
      current += `\n${line}`;
      size += 1 + n;
      continue;
    }
    if (current !== undefined) packed.push(current);
    current = line;
    size = n;
  }
  if (current !== undefined) packed.push(current);
  return packed;
}

const bold = (text: string) => `**${escapeText(text)}**`;

function rowLine(row: ReplyRow): string {
  const value = escapeText(row.value);
  return row.label === ''
    ? `${GLYPH[row.tone]} ${value}`
    : `${GLYPH[row.tone]} ${bold(row.label)}  ${value}`;
}

function excerptPieces(title: string | undefined, lines: readonly string[]): string[] {
  const head = title === undefined ? [] : [bold(title)];
  if (lines.length === 0) return head;
  const room = MATTERMOST_LIMITS.pieceRunes - FENCE_OVERHEAD;
  const code = packLines(lines.map(defuseBackticks), room).map((chunk) => fence([chunk]));
  return [...head, ...code];
}

/** One neutral block → Markdown pieces, each within the piece budget; data text escaped. */
export function blockPieces(block: ReplyBlock): string[] {
  const limit = MATTERMOST_LIMITS.pieceRunes;
  switch (block.kind) {
    case 'text':
      return block.text.trim() === '' ? [] : packLines(escapeText(block.text).split('\n'), limit);
    case 'rows':
      return packLines(
        [...(block.title === undefined ? [] : [bold(block.title)]), ...block.rows.map(rowLine)],
        limit,
      );
    case 'fields':
      return packLines(
        block.fields.map((f) => `${bold(f.label)}: ${escapeText(f.value)}`),
        limit,
      );
    case 'excerpt':
      return excerptPieces(block.title, block.lines);
  }
}

/** `🔴 **prod: DOWN**`; a title that does not name its verdict gets the word too. */
export function headline(reply: Reply): string[] {
  const title = reply.title;
  if (reply.verdict === undefined) return packLines([bold(title)], MATTERMOST_LIMITS.pieceRunes);
  const shown = title.includes(reply.verdict) ? title : `[${reply.verdict}] ${title}`;
  return packLines([`${MARK[reply.verdict]} ${bold(shown)}`], MATTERMOST_LIMITS.pieceRunes);
}
