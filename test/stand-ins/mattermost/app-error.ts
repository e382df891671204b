import { randomBytes } from 'node:crypto';

/** What a REST handler answers: JSON for objects and arrays, `text/plain` for strings. */
export interface Answer {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Record<string, string>;
}

/**
 * The server's error body (`model.AppError`): `id` is the translation id clients match on
 * (`@mattermost/client` surfaces it as `server_error_id`), `status_code` the HTTP status.
 */
export function appError(status: number, id: string, message: string, detailed = ''): Answer {
  return {
    status,
    body: {
      id,
      message,
      detailed_error: detailed,
      request_id: requestId(),
      status_code: status,
    },
  };
}

/** Every answer carries one, as `X-Request-Id`; errors repeat it in their body. */
export function requestId(): string {
  return randomBytes(13).toString('hex').slice(0, 26);
}

export const forbidden = (): Answer =>
  appError(
    403,
    'api.context.permissions.app_error',
    'You do not have the appropriate permissions.',
  );

export const badBody = (param: string): Answer =>
  appError(
    400,
    'api.context.invalid_body_param.app_error',
    `Invalid or missing ${param} in request body.`,
  );
