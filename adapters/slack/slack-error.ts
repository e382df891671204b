import { webApi } from '@slack/bolt';

/** Slack's short error code (`not_in_channel`, `invalid_blocks`, `ratelimited`), or the SDK's. */
export function slackErrorCode(error: unknown): string {
  if (error instanceof webApi.WebAPIPlatformError) return error.data.error;
  if (error instanceof webApi.WebAPIHTTPError) return `http_${error.statusCode}`;
  if (error instanceof webApi.WebAPIRequestError) return 'request_failed';
  if (error instanceof Error && /rate limit/i.test(error.message)) return 'ratelimited';
  return error instanceof Error ? error.name : 'unknown_error';
}

/** Errors that mean the blocks themselves were refused: a plain retry can still get through. */
export const SHAPE_ERRORS: ReadonlySet<string> = new Set([
  'invalid_blocks',
  'invalid_blocks_format',
  'msg_blocks_too_long',
  'msg_too_long',
]);
