import type { ReplyBlock, ReplyRow, Tone } from '../../src/core/reply.js';
import { SLACK_LIMITS } from './slack-limits.js';
import { mrkdwn, section, type SectionBlock } from './slack-message.js';
import { escapeText, neutraliseFences, splitEscaped } from './slack-text.js';

const GLYPH: Readonly<Record<Tone, string>> = {
  ok: ':large_green_circle:',
  warn: ':warning:',
  fail: ':red_circle:',
  info: ':small_blue_diamond:',
};

const FENCE = '```';

/** Packs escaped lines into sections of at most the section limit (each line already fits). */
function packLines(lines: readonly string[], limit: number = SLACK_LIMITS.sectionText): string[] {
  const packed: string[] = [];
  let current: string | undefined;
  for (const line of lines) {
    if (current !== undefined && current.length + 1 + line.length <= limit) {
      current += `\n${line}`;
    } else {
      if (current !== undefined) packed.push(current);
      current = line;
    }
  }
  if (current !== undefined) packed.push(current);
  return packed;
}

/** Escaped bold pieces, the first leaving `reserve` characters for a prefix. */
function bold(raw: string, reserve = 0): string[] {
  return splitEscaped(raw, SLACK_LIMITS.sectionText - 2 - reserve).map((piece) => `*${piece}*`);
}

/** Prefixes the first piece; the rest stand alone. `pieces` left room for the prefix. */
const prefixFirst = (prefix: string, pieces: readonly string[]) =>
  pieces.map((piece, i) => (i === 0 ? `${prefix}${piece}` : piece));

const LONG_LABEL = 200;

function rowLines(row: ReplyRow): string[] {
  const glyph = `${GLYPH[row.tone]} `;
  const label = escapeText(row.label);
  if (row.label === '' || label.length > LONG_LABEL) {
    const raw = row.label === '' ? row.value : `${row.label}  ${row.value}`;
    return prefixFirst(glyph, splitEscaped(raw, SLACK_LIMITS.sectionText - glyph.length));
  }
  const head = `${glyph}*${label}*  `;
  return prefixFirst(head, splitEscaped(row.value, SLACK_LIMITS.sectionText - head.length));
}

function rowsBlocks(title: string | undefined, rows: readonly ReplyRow[]): SectionBlock[] {
  const lines = [...(title === undefined ? [] : bold(title)), ...rows.flatMap(rowLines)];
  return packLines(lines).map(section);
}

function fieldsBlocks(fields: readonly { label: string; value: string }[]): SectionBlock[] {
  const blocks: SectionBlock[] = [];
  let group: string[] = [];
  const flush = () => {
    if (group.length > 0) blocks.push({ type: 'section', fields: group.map(mrkdwn) });
    group = [];
  };
  for (const field of fields) {
    const text = `*${escapeText(field.label)}*\n${escapeText(field.value)}`;
    if (text.length > SLACK_LIMITS.fieldText) {
      // Too long for a field: it becomes a section of its own, in the same place.
      flush();
      blocks.push(
        ...packLines([
          ...bold(field.label),
          ...splitEscaped(field.value, SLACK_LIMITS.sectionText),
        ]).map(section),
      );
      continue;
    }
    group.push(text);
    if (group.length === SLACK_LIMITS.fields) flush();
  }
  flush();
  return blocks;
}

function excerptBlocks(title: string | undefined, lines: readonly string[]): SectionBlock[] {
  const head = title === undefined ? [] : packLines(bold(title)).map(section);
  if (lines.length === 0) return head;
  const room = SLACK_LIMITS.sectionText - 2 * (FENCE.length + 1);
  const escaped = lines.flatMap((line) => splitEscaped(neutraliseFences(line), room));
  return [
    ...head,
    ...packLines(escaped, room).map((code) => section(`${FENCE}\n${code}\n${FENCE}`)),
  ];
}

/** One neutral block → sections within Slack's limits; all data text escaped, nothing left out. */
export function layoutBlock(block: ReplyBlock): SectionBlock[] {
  switch (block.kind) {
    case 'text':
      return block.text.trim() === ''
        ? []
        : packLines(splitEscaped(block.text, SLACK_LIMITS.sectionText)).map(section);
    case 'rows':
      return rowsBlocks(block.title, block.rows);
    case 'fields':
      return fieldsBlocks(block.fields);
    case 'excerpt':
      return excerptBlocks(block.title, block.lines);
  }
}

/** The title line, with the verdict marked unless the title already says it. */
export function headerBlocks(
  title: string,
  verdict: 'OK' | 'DEGRADED' | 'DOWN' | undefined,
): SectionBlock[] {
  const glyph =
    verdict === undefined
      ? ''
      : `${{ OK: GLYPH.ok, DEGRADED: GLYPH.warn, DOWN: GLYPH.fail }[verdict]} `;
  const shown = verdict !== undefined && !title.includes(verdict) ? `[${verdict}] ${title}` : title;
  return packLines(prefixFirst(glyph, bold(shown, glyph.length))).map(section);
}
