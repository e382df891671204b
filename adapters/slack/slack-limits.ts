/**
 * What Slack accepts in one message (Block Kit reference; the Web API's `text` truncation
 * notice). Over any of these, `chat.postMessage` answers `invalid_blocks` (or truncates `text`),
 * so the renderer stays inside them by construction.
 */
export const SLACK_LIMITS = {
  blocks: 50,
  sectionText: 3000,
  fields: 10,
  fieldText: 2000,
  buttonText: 75,
  buttonValue: 2000,
  actionId: 255,
  actionsElements: 25,
  text: 40_000,
  /**
   * Our own budget for the characters of all blocks together. Slack also has an undocumented
   * aggregate limit (`msg_blocks_too_long`, slackapi/bolt-js#2867); staying well under it keeps a
   * message readable, and anything longer goes into a file in the thread.
   */
  messageChars: 12_000,
} as const;
