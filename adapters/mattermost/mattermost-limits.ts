/**
 * What the Mattermost server accepts and what this adapter allows itself. A post's `message` is
 * at most 16383 runes (`PostMessageMaxRunesV2`, counted in code points; over it `POST
 * /api/v4/posts` answers 400 `…message_length…`), and a post carries at most 10 file ids.
 */
export const MATTERMOST_LIMITS = {
  messageRunes: 16_383,
  fileIds: 10,
  /**
   * Our own budget for one piece of a message (a paragraph, a run of rows, one code block):
   * pieces are packed into posts, so no single piece may come near the post limit.
   */
  pieceRunes: 4_000,
  /**
   * A command request is a form of a dozen fields; its `text` is one message at most (16383
   * runes, up to 4 bytes each, percent-encoded to 3 characters a byte) plus the mention lists.
   */
  commandBodyBytes: 256 * 1024,
  /** A button click is a small JSON object (ids, names, our context). */
  actionBodyBytes: 64 * 1024,
} as const;

/** Length as the server counts it: code points (Go runes), not UTF-16 units or bytes. */
export function runeCount(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    // A high surrogate followed by a low one is one code point.
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i += 1;
    }
    n += 1;
  }
  return n;
}
