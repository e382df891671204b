import { DISCORD_LIMITS } from './discord-limits.js';
import { FENCE_OVERHEAD, fence } from './escape-markdown.js';

/** One part of a message body, in reading order. Text is markdown, already escaped. */
export type Piece =
  | { readonly kind: 'text'; readonly text: string }
  /** `lines` already defused; `heading` is markdown shown above the fence. */
  | { readonly kind: 'code'; readonly heading?: string; readonly lines: readonly string[] }
  /** Each within the field limits (checked by the caller). */
  | { readonly kind: 'fields'; readonly fields: readonly EmbedField[] };

export interface EmbedField {
  readonly name: string;
  readonly value: string;
  readonly inline: boolean;
}

export interface EmbedDraft {
  description: string;
  readonly fields: EmbedField[];
}

export interface Packed {
  readonly embeds: readonly EmbedDraft[];
  /** False when the pieces ran past the embed budget; what is packed is a prefix of them. */
  readonly complete: boolean;
}

/** A room this small is not worth starting a chunk in; the next embed takes it. */
const MIN_ROOM = 24;
const SEPARATOR = '\n\n';

/** Where `text` may be cut at or before `room`: a line break, else a space, else anywhere safe. */
function cutPoint(text: string, room: number): number {
  let at = text.lastIndexOf('\n', room);
  if (at < room / 2) at = Math.max(at, text.lastIndexOf(' ', room));
  if (at <= 0) at = room;
  // Never between a backslash and the character it escapes, nor inside a surrogate pair.
  let slashes = 0;
  while (text[at - 1 - slashes] === '\\') slashes += 1;
  if (slashes % 2 === 1) at -= 1;
  const code = text.charCodeAt(at - 1);
  if (code >= 0xd800 && code <= 0xdbff) at -= 1;
  return at;
}

function cutText(text: string, room: number): [string, Piece | undefined] | undefined {
  if (text.length <= room) return [text, undefined];
  if (room < MIN_ROOM) return undefined;
  const at = cutPoint(text, room);
  const head = text.slice(0, at).trimEnd();
  const rest = text.slice(at).replace(/^[ \n]+/, '');
  if (head === '') return undefined;
  return [head, rest === '' ? undefined : { kind: 'text', text: rest }];
}

function cutCode(
  piece: Extract<Piece, { kind: 'code' }>,
  room: number,
): [string, Piece | undefined] | undefined {
  const head = piece.heading === undefined ? '' : `${piece.heading}\n`;
  const space = room - head.length - FENCE_OVERHEAD;
  const whole = head + fence(piece.lines);
  if (whole.length <= room) return [whole, undefined];
  if (space < MIN_ROOM) return undefined;
  const taken: string[] = [];
  let used = 0;
  for (const line of piece.lines) {
    const cost = (taken.length === 0 ? 0 : 1) + line.length;
    if (used + cost > space) break;
    taken.push(line);
    used += cost;
  }
  let lines = piece.lines.slice(taken.length);
  if (taken.length === 0) {
    // One line longer than the room: wrap it, the remainder continues on the next line.
    const first = lines[0] ?? '';
    const at = cutPoint(first, space);
    taken.push(first.slice(0, at));
    lines = [first.slice(at), ...lines.slice(1)];
  }
  return [head + fence(taken), lines.length === 0 ? undefined : { kind: 'code', lines }];
}

function cutPiece(piece: Exclude<Piece, { kind: 'fields' }>, room: number) {
  return piece.kind === 'text' ? cutText(piece.text, room) : cutCode(piece, room);
}

/**
 * Lays pieces into embeds in order: descriptions up to 4096, at most 25 fields and 10 embeds,
 * everything within `budget` characters. Fields sit below their embed's description, so a
 * piece after fields opens the next embed and the reading order stays as given. Long pieces
 * continue in the next embed (code stays fenced in each part); whatever does not fit at all
 * is reported as incomplete, for the caller to attach.
 */
export function packEmbeds(pieces: readonly Piece[], budget: number): Packed {
  const embeds: EmbedDraft[] = [];
  let total = 0;
  let current: EmbedDraft | undefined;
  const open = (): EmbedDraft | undefined => {
    if (embeds.length >= DISCORD_LIMITS.embeds) return undefined;
    const draft: EmbedDraft = { description: '', fields: [] };
    embeds.push(draft);
    return draft;
  };
  const result = (complete: boolean): Packed => ({
    embeds: embeds.filter((e) => e.description !== '' || e.fields.length > 0),
    complete,
  });

  for (const piece of pieces) {
    if (piece.kind === 'fields') {
      for (const field of piece.fields) {
        const size = field.name.length + field.value.length;
        if (total + size > budget) return result(false);
        if (current === undefined || current.fields.length >= DISCORD_LIMITS.fields)
          current = open();
        if (current === undefined) return result(false);
        current.fields.push(field);
        total += size;
      }
      continue;
    }
    let rest: Piece | undefined = piece;
    while (rest !== undefined && rest.kind !== 'fields') {
      if (current === undefined || current.fields.length > 0) current = open();
      if (current === undefined) return result(false);
      const separator = current.description === '' ? '' : SEPARATOR;
      const room =
        Math.min(DISCORD_LIMITS.description - current.description.length, budget - total) -
        separator.length;
      const cut = cutPiece(rest, room);
      if (cut === undefined) {
        if (current.description === '') return result(false);
        current = undefined;
        continue;
      }
      current.description += separator + cut[0];
      total += separator.length + cut[0].length;
      rest = cut[1];
    }
  }
  return result(true);
}
