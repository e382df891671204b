/**
 * What real Slack checks in `blocks` before it posts a message, written
 * from Slack's documentation, not from the adapter: a stand-in that shared the renderer's limits
 * would agree with its bugs. Each problem is worded like Slack's `errors` entries:
 * `must be less than 3001 characters [json-pointer:/blocks/0/text/text]`.
 */
type Json = unknown;

const isObject = (v: Json): v is Record<string, Json> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function textObject(
  v: Json,
  at: string,
  max: number,
  problems: string[],
  types: readonly string[] = ['mrkdwn', 'plain_text'],
): void {
  if (!isObject(v) || typeof v.type !== 'string' || !types.includes(v.type)) {
    problems.push(`must be a text object of type ${types.join(' or ')} [json-pointer:${at}]`);
    return;
  }
  if (typeof v.text !== 'string' || v.text.length === 0)
    problems.push(`must be more than 0 characters [json-pointer:${at}/text]`);
  else if (v.text.length > max)
    problems.push(`must be less than ${max + 1} characters [json-pointer:${at}/text]`);
}

function section(block: Record<string, Json>, at: string, problems: string[]): void {
  if (block.text === undefined && block.fields === undefined)
    problems.push(`must provide text or fields [json-pointer:${at}]`);
  if (block.text !== undefined) textObject(block.text, `${at}/text`, 3000, problems);
  if (block.fields !== undefined) {
    if (!Array.isArray(block.fields) || block.fields.length === 0)
      problems.push(`must be a non-empty array [json-pointer:${at}/fields]`);
    else if (block.fields.length > 10)
      problems.push(`must provide no more than 10 items [json-pointer:${at}/fields]`);
    else block.fields.forEach((f, i) => textObject(f, `${at}/fields/${i}`, 2000, problems));
  }
}

function actions(
  block: Record<string, Json>,
  at: string,
  problems: string[],
  actionIds: Set<string>,
): void {
  const elements = block.elements;
  if (!Array.isArray(elements) || elements.length === 0) {
    problems.push(`must be a non-empty array [json-pointer:${at}/elements]`);
    return;
  }
  if (elements.length > 25)
    problems.push(`must provide no more than 25 items [json-pointer:${at}/elements]`);
  elements.forEach((e, i) => {
    const where = `${at}/elements/${i}`;
    if (!isObject(e) || e.type !== 'button') {
      problems.push(`unsupported element type [json-pointer:${where}]`);
      return;
    }
    textObject(e.text, `${where}/text`, 75, problems, ['plain_text']);
    if (typeof e.action_id === 'string') {
      if (e.action_id.length > 255)
        problems.push(`must be less than 256 characters [json-pointer:${where}/action_id]`);
      if (actionIds.has(e.action_id))
        problems.push(`duplicate action_id [json-pointer:${where}/action_id]`);
      actionIds.add(e.action_id);
    }
    if (e.value !== undefined && (typeof e.value !== 'string' || e.value.length > 2000))
      problems.push(`must be less than 2001 characters [json-pointer:${where}/value]`);
    if (e.url !== undefined && (typeof e.url !== 'string' || e.url.length > 3000))
      problems.push(`must be less than 3001 characters [json-pointer:${where}/url]`);
    if (e.style !== undefined && e.style !== 'primary' && e.style !== 'danger')
      problems.push(`must be primary or danger [json-pointer:${where}/style]`);
  });
}

function context(block: Record<string, Json>, at: string, problems: string[]): void {
  const elements = block.elements;
  if (!Array.isArray(elements) || elements.length === 0 || elements.length > 10) {
    problems.push(`must provide 1 to 10 items [json-pointer:${at}/elements]`);
    return;
  }
  elements.forEach((e, i) => textObject(e, `${at}/elements/${i}`, 3000, problems));
}

/** Problems Slack would report for `blocks` (empty when it would post them). */
export function validateBlocks(blocks: Json): string[] {
  const problems: string[] = [];
  if (!Array.isArray(blocks)) return ['must be an array [json-pointer:/blocks]'];
  if (blocks.length > 50)
    problems.push('must provide no more than 50 items [json-pointer:/blocks]');
  const actionIds = new Set<string>();
  blocks.forEach((block, i) => {
    const at = `/blocks/${i}`;
    if (!isObject(block)) {
      problems.push(`must be an object [json-pointer:${at}]`);
      return;
    }
    if (typeof block.block_id === 'string' && block.block_id.length > 255)
      problems.push(`must be less than 256 characters [json-pointer:${at}/block_id]`);
    if (block.type === 'section') section(block, at, problems);
    else if (block.type === 'actions') actions(block, at, problems, actionIds);
    else if (block.type === 'context') context(block, at, problems);
    else if (block.type === 'header')
      textObject(block.text, `${at}/text`, 150, problems, ['plain_text']);
    else if (block.type !== 'divider')
      problems.push(`unsupported block type [json-pointer:${at}/type]`);
  });
  return problems;
}

/**
 * Every string in a message that Slack parses for mentions: `text` and every `text` inside
 * `blocks`. The stand-in checks them for `<!…>`, `<@…>` and `<#…>`.
 */
export function parsedStrings(message: { text?: unknown; blocks?: unknown }): string[] {
  const out: string[] = [];
  if (typeof message.text === 'string') out.push(message.text);
  const walk = (v: Json): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (isObject(v)) {
      if (typeof v.text === 'string') out.push(v.text);
      for (const value of Object.values(v)) if (typeof value === 'object') walk(value);
    }
  };
  walk(message.blocks);
  return out;
}

/** Unescaped mention, broadcast or channel sequences in the parsed strings of a message. */
export function unescapedMentions(message: { text?: unknown; blocks?: unknown }): string[] {
  return parsedStrings(message).flatMap((s) => s.match(/<[!@#][^>]*>?/g) ?? []);
}
