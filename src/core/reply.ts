/**
 * The platform-neutral answer. Renderers (one per adapter) turn it into Block Kit, Discord
 * embeds or console text; they never add or drop information, only lay it out and escape it.
 * Every string in here is plain data text, never markup: renderers escape all of it.
 */
export type Verdict = 'OK' | 'DEGRADED' | 'DOWN';

/** How a row should be marked; renderers pick the glyph. */
export type Tone = 'ok' | 'warn' | 'fail' | 'info';

export interface ReplyRow {
  readonly label: string;
  readonly value: string;
  readonly tone: Tone;
}

export type ReplyBlock =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'rows'; readonly title?: string; readonly rows: readonly ReplyRow[] }
  | { readonly kind: 'fields'; readonly fields: readonly { label: string; value: string }[] }
  /** Verbatim lines (log excerpts): rendered as a code block nobody can break out of. */
  | { readonly kind: 'excerpt'; readonly title?: string; readonly lines: readonly string[] };

export interface ReplyButton {
  readonly label: string;
  readonly verb: 'approve' | 'reject';
  readonly requestId: string;
  readonly style: 'primary' | 'danger';
}

export interface ReplyAttachment {
  readonly filename: string;
  readonly contentType: string;
  readonly content: string;
}

export interface Reply {
  readonly title: string;
  readonly verdict?: Verdict;
  readonly blocks: readonly ReplyBlock[];
  readonly buttons?: readonly ReplyButton[];
  /** Output too long for a message travels as a file; the blocks then summarise it. */
  readonly attachments?: readonly ReplyAttachment[];
  /** Only the asking user sees it (refusals, errors, help). */
  readonly ephemeral?: boolean;
  /**
   * Set on approval cards. The core posts such a reply itself through the platform's
   * ChatDelivery and stores the `Posted` it gets back, so later votes, expiry and results
   * update the same message in place and progress goes into its thread.
   */
  readonly card?: { readonly requestId: string };
  /**
   * The first post of a conversation that continues in its thread (an incident): adapters that
   * start threads only on request (Discord) start one under it.
   */
  readonly opensThread?: boolean;
  /** Structured data behind the reply, for `run --json` and tools. */
  readonly data?: unknown;
}

/** A reply made only of a title and optional paragraphs. */
export function textReply(title: string, ...paragraphs: string[]): Reply {
  return { title, blocks: paragraphs.map((text) => ({ kind: 'text', text }) as const) };
}
