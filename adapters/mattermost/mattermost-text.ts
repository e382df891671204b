/**
 * Mattermost Markdown for data text (log lines, service names, what a user typed), shown as the
 * data reads and pinging nobody.
 *
 * Mentions: Mattermost has no `allowed_mentions`. The server (`mention_parser_standard.go`
 * `ProcessText`) splits text into words on every rune that is not a letter, a number or one of
 * `: . - _ @`, then matches `@here`, `@channel`, `@all`, `@<username>` and `@<group>`
 * case-insensitively (after trimming `:.-_` in front). A ZERO WIDTH SPACE (U+200B, a format
 * character) is none of those runes, so `@\u200Bhere` is the two words `@` and `here`: it reads
 * the same and matches nothing. The same space after `~` keeps `~town-square` from becoming a
 * channel link, and after `<` keeps `<!here>` / `<@U1>` from being turned into `@here` by the
 * server's Slack-compatibility parsing. Code spans and fenced code are never scanned for
 * mentions, so verbatim lines in a fence are left as they are. (A bare word can still match a
 * mention key a user chose for themselves, such as their first name: no text can avoid that.)
 */
const ZWSP = '\u200b';

/** Every `@`, `~` and `<!`/`<@`/`<#` that could start a mention or link, broken by a ZWSP. */
export function neutraliseMentions(text: string): string {
  return text.replace(/([@~])(?=[^\s\u200b])/gu, `$1${ZWSP}`).replace(/<(?=[!@#])/g, `<${ZWSP}`);
}

/** Characters CommonMark (and Mattermost's renderer) give meaning anywhere in a line. */
const SPECIAL = /[\\`*_~|[\]()#<>&!]/g;

/** Data text as Markdown: every special character backslash-escaped, mentions neutralised. */
export function escapeText(text: string): string {
  const escaped = text
    .replace(SPECIAL, (ch) => `\\${ch}`)
    .replace(/^(\s*)([-+=])/gm, '$1\\$2')
    .replace(/^(\s*\d+)([.)])/gm, '$1\\$2');
  return neutraliseMentions(escaped);
}

/** Breaks every run of backticks, so a verbatim line can never close (or open) its fence. */
export function defuseBackticks(line: string): string {
  return line.replace(/`(?=`)/g, `\`${ZWSP}`);
}

/** Lines already passed through `defuseBackticks`, as a fenced code block. */
export function fence(defused: readonly string[]): string {
  const body = defused.join('\n');
  return `\`\`\`\n${body.trim() === '' ? ZWSP : body}\n\`\`\``;
}

/** An inline code span for a name or a command: no backtick inside can end it. */
export function inlineCode(text: string): string {
  return `\`${text.replace(/`/g, "'")}\``;
}
