import {
  ButtonStyle,
  ComponentType,
  type APIActionRowComponent,
  type APIButtonComponentWithCustomId,
  type APIEmbed,
} from 'discord.js';
import type {
  Reply,
  ReplyAttachment,
  ReplyBlock,
  ReplyButton,
  Verdict,
} from '../../src/core/reply.js';
import { encodeCustomId } from './custom-id.js';
import { DISCORD_LIMITS } from './discord-limits.js';
import { defuseBackticks, escapeText } from './escape-markdown.js';
import { packEmbeds, type EmbedField, type Piece } from './pack-embeds.js';
import { renderPlain, rowLines } from './render-plain.js';

export interface DiscordFile {
  readonly name: string;
  readonly contentType: string;
  readonly text: string;
}

/** A Discord message as plain data: what discord.js sends, minus flags (the caller's choice). */
export interface DiscordMessage {
  readonly content: string;
  readonly embeds: readonly APIEmbed[];
  readonly components: readonly APIActionRowComponent<APIButtonComponentWithCustomId>[];
  readonly files: readonly DiscordFile[];
  /** Nothing a message carries may ping, whatever the log lines in it say. */
  readonly allowedMentions: { readonly parse: readonly [] };
}

const COLOR: Readonly<Record<Verdict, number>> = {
  OK: 0x2ecc71,
  DEGRADED: 0xe67e22,
  DOWN: 0xe74c3c,
};
const MARK: Readonly<Record<Verdict, string>> = { OK: '🟢', DEGRADED: '🟠', DOWN: '🔴' };
const STYLE: Readonly<Record<ReplyButton['style'], ButtonStyle.Primary | ButtonStyle.Danger>> = {
  primary: ButtonStyle.Primary,
  danger: ButtonStyle.Danger,
};
const EMPTY = '\u200b';

/** `🔴 **prod: DOWN**`; a title that does not name its verdict gets the word too (not only a colour). */
function headline(reply: Reply): string {
  const title = `**${escapeText(reply.title)}**`;
  if (reply.verdict === undefined) return title;
  const mark = MARK[reply.verdict];
  return reply.title.includes(reply.verdict)
    ? `${mark} ${title}`
    : `${mark} ${reply.verdict} · ${title}`;
}

function fieldPieces(fields: readonly { label: string; value: string }[]): Piece[] {
  const fitting: EmbedField[] = [];
  const pieces: Piece[] = [];
  for (const f of fields) {
    const name = escapeText(f.label) || EMPTY;
    const value = escapeText(f.value) || EMPTY;
    // Too long for a field: the same words as a paragraph, which can run over several embeds.
    if (name.length > DISCORD_LIMITS.fieldName || value.length > DISCORD_LIMITS.fieldValue) {
      if (fitting.length > 0) pieces.push({ kind: 'fields', fields: fitting.splice(0) });
      pieces.push({ kind: 'text', text: `**${name}**: ${value}` });
    } else fitting.push({ name, value, inline: true });
  }
  if (fitting.length > 0) pieces.push({ kind: 'fields', fields: fitting });
  return pieces;
}

function blockPieces(block: ReplyBlock): Piece[] {
  switch (block.kind) {
    case 'text':
      return [{ kind: 'text', text: escapeText(block.text) }];
    case 'fields':
      return fieldPieces(block.fields);
    case 'rows':
    case 'excerpt': {
      const lines = block.kind === 'rows' ? rowLines(block.rows) : block.lines;
      const heading =
        block.title === undefined ? {} : { heading: `**${escapeText(block.title)}**` };
      return [{ kind: 'code', ...heading, lines: lines.map(defuseBackticks) }];
    }
  }
}

/** Up to 5 rows of 5; a button that cannot be one (too long an id, past 25) becomes a line of text. */
function buttonRows(reply: Reply, command: string) {
  const rows: APIActionRowComponent<APIButtonComponentWithCustomId>[] = [];
  const leftover: string[] = [];
  for (const button of reply.buttons ?? []) {
    const customId = encodeCustomId(command, button.verb, button.requestId);
    const max = DISCORD_LIMITS.actionRows * DISCORD_LIMITS.buttonsPerRow;
    if (customId === undefined || rows.flatMap((r) => r.components).length >= max) {
      leftover.push(`${button.label}: /${command} ${button.verb} ${button.requestId}`);
      continue;
    }
    let row = rows.at(-1);
    if (row === undefined || row.components.length >= DISCORD_LIMITS.buttonsPerRow) {
      row = { type: ComponentType.ActionRow, components: [] };
      rows.push(row);
    }
    const label =
      button.label.length > DISCORD_LIMITS.buttonLabel
        ? `${button.label.slice(0, DISCORD_LIMITS.buttonLabel - 1)}…`
        : button.label;
    row.components.push({
      type: ComponentType.Button,
      style: STYLE[button.style],
      label,
      custom_id: customId,
    });
  }
  return { rows, leftover };
}

function safeName(name: string): string {
  const cleaned = name.replace(/[^\w.-]+/g, '_').replace(/^[._]+/, '');
  return (cleaned || 'attachment.txt').slice(-100);
}

function slug(title: string): string {
  return (
    title
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 60) || 'reply'
  );
}

/** Reply attachments plus, if needed, the whole reply; past 10 files the rest share one file. */
function filesOf(
  attachments: readonly ReplyAttachment[],
  whole: DiscordFile | undefined,
): DiscordFile[] {
  const files: DiscordFile[] = attachments.map((a) => ({
    name: safeName(a.filename),
    contentType: a.contentType,
    text: a.content,
  }));
  if (whole !== undefined) files.unshift(whole);
  const taken = new Set<string>();
  for (const [i, file] of files.entries()) {
    let name = file.name;
    for (let n = 2; taken.has(name); n += 1) name = file.name.replace(/(\.[^.]*)?$/, `-${n}$1`);
    taken.add(name);
    files[i] = { ...file, name };
  }
  if (files.length <= DISCORD_LIMITS.files) return files;
  const kept = files.slice(0, DISCORD_LIMITS.files - 1);
  const merged = files
    .slice(DISCORD_LIMITS.files - 1)
    .map((f) => `===== ${f.name} =====\n${f.text}`);
  return [
    ...kept,
    { name: 'more-attachments.txt', contentType: 'text/plain', text: merged.join('\n\n') },
  ];
}

/**
 * Reply → one Discord message within every limit (content 2000, 10 embeds totalling 6000,
 * description 4096, fields 25 × 1024, 5 rows × 5 buttons, 10 files). Pure. Nothing is cut
 * silently: when the body does not fit, the message says so first and carries the whole reply
 * as a text file. Data text is escaped or fenced (no markdown, no mention syntax survives), and
 * `allowedMentions` is empty on every message.
 */
export function renderMessage(reply: Reply, options: { readonly command: string }): DiscordMessage {
  const slash = `/${options.command}`;
  const { rows, leftover } = buttonRows(reply, options.command);
  const pieces = [
    ...reply.blocks.flatMap(blockPieces),
    ...leftover.map((text): Piece => ({ kind: 'text', text: escapeText(text) })),
  ];
  let content = headline(reply);
  let packed = packEmbeds(pieces, DISCORD_LIMITS.embedTotal);
  let whole: DiscordFile | undefined;
  if (!packed.complete || content.length > DISCORD_LIMITS.content) {
    whole = {
      name: `${slug(reply.title)}.txt`,
      contentType: 'text/plain; charset=utf-8',
      text: renderPlain(reply, slash),
    };
    const note = escapeText(
      `Only part of this reply fits in a Discord message; all of it is in the attached ${whole.name}.`,
    );
    packed = packEmbeds([{ kind: 'text', text: note }, ...pieces], DISCORD_LIMITS.embedTotal);
    if (content.length > DISCORD_LIMITS.content)
      content = `${content.slice(0, DISCORD_LIMITS.content - 20).replace(/\\+$/, '')}… (see the file)`;
  }
  const color = reply.verdict === undefined ? {} : { color: COLOR[reply.verdict] };
  return {
    content,
    embeds: packed.embeds.map((e) => ({
      ...color,
      ...(e.description !== '' && { description: e.description }),
      ...(e.fields.length > 0 && { fields: e.fields.map((f) => ({ ...f })) }),
    })),
    components: rows,
    files: filesOf(reply.attachments ?? [], whole),
    allowedMentions: { parse: [] },
  };
}
