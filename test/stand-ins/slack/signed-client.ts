import { createHmac } from 'node:crypto';
import { request } from 'node:http';

export interface SignedResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

export interface SendOptions {
  /** Unix seconds; default now. Old or future values test the replay window. */
  readonly timestamp?: number;
  /** Sign with this secret instead (a forgery). */
  readonly secret?: string;
  /** Default exactly `application/x-www-form-urlencoded`, as Slack sends it. */
  readonly contentType?: string;
  /** `X-Slack-Retry-Num` / `X-Slack-Retry-Reason`: Slack redelivering the same bytes. */
  readonly retryNum?: number;
  readonly retryReason?: string;
  readonly signature?: string;
}

/** `v0=` + hex HMAC-SHA256 of `v0:{timestamp}:{raw body}`, keyed by the signing secret: Slack's request signature. */
export function signature(secret: string, timestamp: number, rawBody: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`;
}

/** URL-encodes form fields the way Slack does (spaces as `+`). */
export function formBody(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}

/** Interactivity: one `payload` field holding the JSON, URL-encoded; the signature covers it so. */
export function payloadBody(payload: unknown): string {
  return `payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

/**
 * Slack's side of HTTP mode: signs the exact bytes it sends and POSTs them to the app's
 * request URL on 127.0.0.1, returning the app's answer (the ack).
 */
export function createSignedClient(options: {
  url: () => string;
  signingSecret: string;
  onResponse?: (response: SignedResponse) => void;
}) {
  return {
    send(
      rawBody: string,
      send: SendOptions = {},
      url: string = options.url(),
    ): Promise<SignedResponse> {
      const timestamp = send.timestamp ?? Math.floor(Date.now() / 1000);
      const headers: Record<string, string> = {
        'content-type': send.contentType ?? 'application/x-www-form-urlencoded',
        'content-length': String(Buffer.byteLength(rawBody)),
        'x-slack-request-timestamp': String(timestamp),
        'x-slack-signature':
          send.signature ?? signature(send.secret ?? options.signingSecret, timestamp, rawBody),
        'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
      };
      if (send.retryNum !== undefined) {
        headers['x-slack-retry-num'] = String(send.retryNum);
        headers['x-slack-retry-reason'] = send.retryReason ?? 'http_timeout';
      }
      return new Promise((resolve, reject) => {
        const req = request(url, { method: 'POST', headers }, (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (body += chunk));
          res.on('end', () => {
            const response = { status: res.statusCode ?? 0, headers: res.headers, body };
            options.onResponse?.(response);
            resolve(response);
          });
          res.on('error', reject);
        });
        req.on('error', reject);
        req.end(rawBody);
      });
    },
  };
}

export type SignedClient = ReturnType<typeof createSignedClient>;
