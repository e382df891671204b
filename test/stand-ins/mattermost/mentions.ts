/**
 * What makes the Mattermost server notify someone, written from its documentation and the
 * behaviour of its mention parser, not from the adapter: a stand-in that shared the adapter's
 * neutraliser would agree with its bugs.
 *
 * Scanned: a post's `message` and each attachment's `pretext`, `text` and string field
 * `value`s (not titles, fallbacks, footers or action names). Only Markdown prose counts: code
 * spans, fenced and indented code blocks and link URLs never notify; link text does. Words are
 * split on every character that is not a letter, a digit or one of `: . - _ @`; `:emoji:` words
 * are skipped, leading `:.-_` trimmed, trailing `.-:_` tried off one by one, and words with
 * `.`, `-` or `:` also tried in parts. Case-insensitive matches of `@here`, `@channel`, `@all`,
 * `@<username>` and `@<group>` notify, so `**@here**`, `(@bob)` and `@bob.` do, while
 * `@\u200Bhere` (a zero-width space after `@`) or a fullwidth `＠` do not.
 * `~<channel name>` only links a channel, but data must not produce those links either.
 */
export interface MentionDirectory {
  readonly usernames: ReadonlySet<string>;
  readonly groups: ReadonlySet<string>;
  readonly channelNames: ReadonlySet<string>;
}

const SPECIAL = new Set(['@here', '@channel', '@all']);

/** The strings of a post the server parses for mentions. */
export function mentionTexts(post: { message?: unknown; props?: unknown }): string[] {
  const texts: string[] = typeof post.message === 'string' ? [post.message] : [];
  const props = post.props as { attachments?: unknown } | undefined;
  const attachments = Array.isArray(props?.attachments) ? (props.attachments as unknown[]) : [];
  for (const a of attachments as {
    pretext?: unknown;
    text?: unknown;
    fields?: { value?: unknown }[];
  }[]) {
    if (typeof a?.pretext === 'string') texts.push(a.pretext);
    if (typeof a?.text === 'string') texts.push(a.text);
    for (const field of Array.isArray(a?.fields) ? a.fields : [])
      if (typeof field?.value === 'string') texts.push(field.value);
  }
  return texts;
}

/** The Markdown prose of `markdown`: code blocks, code spans and link URLs removed. */
export function proseOf(markdown: string): string {
  const kept: string[] = [];
  let fence: string | undefined;
  let indentedAllowed = true;
  for (const line of markdown.split('\n')) {
    const marker = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence !== undefined) {
      if (
        marker !== undefined &&
        marker[0] === fence[0] &&
        marker.length >= fence.length &&
        line.trim() === marker
      )
        fence = undefined;
      continue;
    }
    if (marker !== undefined) {
      fence = marker;
      continue;
    }
    const blank = line.trim() === '';
    // An indented line starts a code block only where it cannot continue a paragraph.
    if (!blank && indentedAllowed && /^( {4}|\t)/.test(line)) continue;
    indentedAllowed = blank;
    kept.push(line);
  }
  return kept
    .join('\n')
    .replace(/(`+)(?:(?!\1)[\s\S])*?\1/g, ' ')
    .replace(/\]\([^)]*\)/g, '] ');
}

function candidates(raw: string): string[] {
  if (/^:[^:]+:$/.test(raw)) return [];
  const word = raw.replace(/^[:.\-_]+/, '');
  const tried = [word];
  for (let w = word; /[.\-:_]$/.test(w);) {
    w = w.slice(0, -1);
    tried.push(w);
  }
  if (/[.\-:]/.test(word)) tried.push(...word.split(/[.\-:]/));
  return tried;
}

/** The mentions in `text` that would notify someone, or link a channel, lower-cased. */
export function notifyingMentions(text: string, directory: MentionDirectory): string[] {
  const prose = proseOf(text);
  const found: string[] = [];
  for (const raw of prose.split(/[^\p{L}\p{N}:.\-_@]+/u)) {
    const hit = candidates(raw)
      .map((w) => w.toLowerCase())
      .find(
        (w) =>
          SPECIAL.has(w) ||
          (w.startsWith('@') &&
            (directory.usernames.has(w.slice(1)) || directory.groups.has(w.slice(1)))),
      );
    if (hit !== undefined) found.push(hit);
  }
  for (const match of prose.matchAll(/~([a-z0-9][a-z0-9_-]*)/gi)) {
    const name = (match[1] ?? '').toLowerCase();
    if (directory.channelNames.has(name)) found.push(`~${name}`);
  }
  return found;
}

/**
 * What the server does to a command's answer and a button's `ephemeral_text` unless the
 * integration sets `skip_slack_parsing`: Slack's `<!channel>`, `<!here>`, `<!all>` become real
 * `@channel`, `@here`, `@all`, `<@USERID>` becomes `@username`, `<url|text>` a Markdown link.
 */
export function slackLinksToMarkdown(
  text: string,
  usernameOf: (id: string) => string | undefined,
): string {
  return text
    .replace(/<!(channel|here|all)(\|[^>]*)?>/g, '@$1')
    .replace(/<@([A-Za-z0-9]+)>/g, (whole, id: string) => {
      const name = usernameOf(id);
      return name === undefined ? whole : `@${name}`;
    })
    .replace(/<((?:https?|mailto):[^|>]+)\|([^>]+)>/g, '[$2]($1)');
}
