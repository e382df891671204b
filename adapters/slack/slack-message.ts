/**
 * The Block Kit subset the renderer emits, typed after Slack's JSON. Every `mrkdwn` object is
 * `verbatim`, so Slack never auto-links names or channels in data text.
 */
export interface MrkdwnText {
  readonly type: 'mrkdwn';
  readonly text: string;
  readonly verbatim: true;
}

export interface SectionBlock {
  readonly type: 'section';
  readonly text?: MrkdwnText;
  readonly fields?: readonly MrkdwnText[];
}

export interface ButtonElement {
  readonly type: 'button';
  readonly action_id: string;
  readonly value: string;
  readonly text: { readonly type: 'plain_text'; readonly text: string; readonly emoji: true };
  readonly style: 'primary' | 'danger';
}

export interface ActionsBlock {
  readonly type: 'actions';
  readonly elements: readonly ButtonElement[];
}

export type SlackBlock = SectionBlock | ActionsBlock;

/** A file that goes into the message's thread (three-step upload). */
export interface SlackFile {
  readonly filename: string;
  readonly title: string;
  readonly content: string;
}

/** One message as `chat.postMessage` takes it, plus the files that follow it into its thread. */
export interface SlackMessage {
  /** Fallback for notifications and clients without blocks; escaped like everything else. */
  readonly text: string;
  readonly blocks: readonly SlackBlock[];
  readonly files: readonly SlackFile[];
}

export function mrkdwn(text: string): MrkdwnText {
  return { type: 'mrkdwn', text, verbatim: true };
}

export function section(text: string): SectionBlock {
  return { type: 'section', text: mrkdwn(text) };
}

/** Characters a block contributes to the message (for the aggregate budget). */
export function blockChars(block: SlackBlock): number {
  if (block.type === 'actions')
    return block.elements.reduce((n, e) => n + e.text.text.length + e.value.length, 0);
  return (
    (block.text?.text.length ?? 0) + (block.fields ?? []).reduce((n, f) => n + f.text.length, 0)
  );
}
