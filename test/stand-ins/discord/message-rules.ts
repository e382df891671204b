import type { UploadedFile } from './read-request.js';

/**
 * Discord's rules for a message body, as its API enforces them (discord-api-docs
 * `resources/message.mdx` "Embed Limits", `components/reference.mdx`, "Allowed Mentions
 * Object"). Written from the docs for the test suite, sharing nothing with the adapter.
 */
export const LIMITS = {
  content: 2000,
  embeds: 10,
  embedTotal: 6000,
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  author: 256,
  rows: 5,
  perRow: 5,
  customId: 100,
  label: 80,
  files: 10,
  /** Discord's default upload limit for a server without boosts. */
  fileBytes: 10 * 1024 * 1024,
} as const;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const len = (v: unknown) => (typeof v === 'string' ? v.length : 0);

function embedProblems(embeds: unknown, problems: string[]): void {
  if (embeds === undefined || embeds === null) return;
  if (!Array.isArray(embeds)) return void problems.push('embeds: must be an array');
  if (embeds.length > LIMITS.embeds)
    problems.push(`embeds: ${embeds.length} embeds, at most ${LIMITS.embeds}`);
  let total = 0;
  embeds.forEach((embed: unknown, i) => {
    if (!isObject(embed)) return void problems.push(`embeds.${i}: must be an object`);
    const footer = isObject(embed.footer) ? embed.footer.text : undefined;
    const author = isObject(embed.author) ? embed.author.name : undefined;
    const checks: [string, unknown, number][] = [
      ['title', embed.title, LIMITS.title],
      ['description', embed.description, LIMITS.description],
      ['footer.text', footer, LIMITS.footer],
      ['author.name', author, LIMITS.author],
    ];
    for (const [name, value, max] of checks) {
      if (len(value) > max)
        problems.push(`embeds.${i}.${name}: ${len(value)} characters, at most ${max}`);
      total += len(value);
    }
    const fields = Array.isArray(embed.fields) ? (embed.fields as unknown[]) : [];
    if (fields.length > LIMITS.fields)
      problems.push(`embeds.${i}.fields: ${fields.length} fields, at most ${LIMITS.fields}`);
    fields.forEach((field, j) => {
      const f = isObject(field) ? field : {};
      if (len(f.name) < 1 || len(f.name) > LIMITS.fieldName)
        problems.push(
          `embeds.${i}.fields.${j}.name: ${len(f.name)} characters, must be 1-${LIMITS.fieldName}`,
        );
      if (len(f.value) < 1 || len(f.value) > LIMITS.fieldValue)
        problems.push(
          `embeds.${i}.fields.${j}.value: ${len(f.value)} characters, must be 1-${LIMITS.fieldValue}`,
        );
      total += len(f.name) + len(f.value);
    });
    const hasBody = [
      'title',
      'description',
      'fields',
      'image',
      'thumbnail',
      'author',
      'footer',
    ].some((k) => embed[k] !== undefined);
    if (!hasBody)
      problems.push(`embeds.${i}: an embed needs a title, description, fields or media`);
  });
  if (total > LIMITS.embedTotal)
    problems.push(`embeds: ${total} characters in total, at most ${LIMITS.embedTotal}`);
}

function componentProblems(components: unknown, problems: string[]): void {
  if (components === undefined || components === null) return;
  if (!Array.isArray(components)) return void problems.push('components: must be an array');
  if (components.length > LIMITS.rows)
    problems.push(`components: ${components.length} action rows, at most ${LIMITS.rows}`);
  const ids = new Set<string>();
  components.forEach((row: unknown, i) => {
    if (!isObject(row) || row.type !== 1)
      return void problems.push(`components.${i}: must be an action row (type 1)`);
    const children = Array.isArray(row.components) ? (row.components as unknown[]) : [];
    if (children.length < 1 || children.length > LIMITS.perRow)
      problems.push(
        `components.${i}.components: ${children.length} buttons, must be 1-${LIMITS.perRow}`,
      );
    children.forEach((child, j) => {
      const c = isObject(child) ? child : {};
      const at = `components.${i}.components.${j}`;
      if (c.type !== 2) return void problems.push(`${at}: only buttons (type 2) are checked here`);
      if (typeof c.style !== 'number' || c.style < 1 || c.style > 6)
        problems.push(`${at}.style: invalid`);
      if (len(c.label) > LIMITS.label)
        problems.push(`${at}.label: ${len(c.label)} characters, at most ${LIMITS.label}`);
      if (c.style !== 5 && c.style !== 6) {
        const id = c.custom_id;
        if (typeof id !== 'string' || id.length < 1 || id.length > LIMITS.customId)
          problems.push(`${at}.custom_id: ${len(id)} characters, must be 1-${LIMITS.customId}`);
        else if (ids.has(id)) problems.push(`${at}.custom_id: duplicate ${id}`);
        else ids.add(id);
      }
    });
  });
}

function mentionProblems(allowed: unknown, problems: string[]): void {
  if (allowed === undefined || allowed === null) return;
  if (!isObject(allowed)) return void problems.push('allowed_mentions: must be an object');
  const parse = allowed.parse;
  if (
    parse !== undefined &&
    (!Array.isArray(parse) ||
      parse.some((p) => !['users', 'roles', 'everyone'].includes(String(p))))
  ) {
    problems.push('allowed_mentions.parse: only users, roles, everyone');
  }
  for (const key of ['users', 'roles'] as const) {
    if (
      Array.isArray(parse) &&
      parse.includes(key) &&
      Array.isArray(allowed[key]) &&
      (allowed[key] as unknown[]).length > 0
    ) {
      problems.push(`allowed_mentions: parse:["${key}"] and ${key}: [...] are mutually exclusive`);
    }
  }
}

/** What is wrong with a message body; empty when Discord would accept it. */
export function messageProblems(body: Json, files: readonly UploadedFile[]): string[] {
  const problems: string[] = [];
  if (body.content !== undefined && body.content !== null && typeof body.content !== 'string')
    problems.push('content: must be a string');
  if (len(body.content) > LIMITS.content)
    problems.push(`content: ${len(body.content)} characters, at most ${LIMITS.content}`);
  embedProblems(body.embeds, problems);
  componentProblems(body.components, problems);
  mentionProblems(body.allowed_mentions, problems);
  if (files.length > LIMITS.files)
    problems.push(`files: ${files.length} files, at most ${LIMITS.files}`);
  for (const file of files) {
    if (file.size > LIMITS.fileBytes)
      problems.push(`${file.field}: ${file.size} bytes, at most ${LIMITS.fileBytes}`);
  }
  return problems;
}

export type MentionDefault = 'message' | 'interaction';

/**
 * Who a message would notify, given its `allowed_mentions` and Discord's defaults (messages
 * parse users, roles and everyone; interaction responses and webhooks only users). Read
 * from the raw content, escapes and code blocks ignored: it errs towards "would ping".
 */
export function wouldPing(content: unknown, allowed: unknown, defaults: MentionDefault): string[] {
  const text = typeof content === 'string' ? content : '';
  const a = isObject(allowed) ? allowed : undefined;
  const parse =
    a === undefined
      ? defaults === 'message'
        ? ['users', 'roles', 'everyone']
        : ['users']
      : Array.isArray(a.parse)
        ? a.parse.map(String)
        : [];
  const listed = (key: 'users' | 'roles') =>
    a !== undefined && Array.isArray(a[key]) ? (a[key] as unknown[]).map(String) : [];
  const pings: string[] = [];
  for (const m of text.matchAll(/<@!?(\d+)>/g))
    if (parse.includes('users') || listed('users').includes(m[1] ?? '')) pings.push(`user:${m[1]}`);
  for (const m of text.matchAll(/<@&(\d+)>/g))
    if (parse.includes('roles') || listed('roles').includes(m[1] ?? '')) pings.push(`role:${m[1]}`);
  for (const m of text.matchAll(/@(everyone|here)/g))
    if (parse.includes('everyone')) pings.push(m[1] ?? 'everyone');
  return pings;
}
