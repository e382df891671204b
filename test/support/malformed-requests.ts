// Hostile and malformed HTTP requests, as raw bytes, for the bot's port and the socket proxy's
// port, and a raw TCP client that reports what the server answered. Node's own parser answers
// what it cannot parse (400, 431), so those outcomes are exact on both ports; what each server
// then refuses on its own is exact for the bot (its routes are known here) and "some 4xx" for the
// proxy, whose refusal codes are its own business as long as they refuse.
import { createHmac } from 'node:crypto';
import { connect } from 'node:net';

/** An exact status; `closed` (no answer, the connection ends); `4xx` (any refusal status). */
export type Outcome = number | 'closed' | '4xx';

export interface MalformedRequest {
  readonly name: string;
  readonly bytes: Buffer;
  /**
   * What answers each port must give, in order (several for pipelined requests; interim
   * `100 Continue` lines are not counted). The connection may stay open or close after them.
   */
  readonly bot: readonly Outcome[];
  readonly proxy: readonly Outcome[];
}

export interface CorpusContext {
  /** The bot's Slack signing secret, to sign bodies that must get past the signature. */
  readonly signingSecret: string;
  readonly now: () => number;
}

const HOST = 'Host: 127.0.0.1\r\n';
const b = (text: string) => Buffer.from(text, 'latin1');

/** A complete request with the given request line, extra header lines and body. */
function request(line: string, headers: readonly string[] = [], body = ''): Buffer {
  const length = body === '' ? [] : [`Content-Length: ${Buffer.byteLength(body, 'latin1')}`];
  return b(
    `${line}\r\n${HOST}${[...headers, ...length].map((h) => `${h}\r\n`).join('')}\r\n${body}`,
  );
}

/** A TLS 1.2 ClientHello's first bytes, as a browser sends them to an https:// URL. */
const CLIENT_HELLO = Buffer.from(
  '16030100a5010000a10303' +
    '00'.repeat(32) +
    '000020c02bc02fc02cc030cca9cca8c013c014009c009d002f0035000a0100005800000014001200000f3132372e302e302e31',
  'hex',
);

/** Bytes no parser makes sense of: a fixed pseudo-random sequence (same on every run). */
function garbage(length: number, seed: number): Buffer {
  const bytes = Buffer.alloc(length);
  let x = seed;
  for (let i = 0; i < length; i += 1) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    bytes[i] = x & 0xff;
  }
  bytes[0] = 0x01; // never a method's first letter
  return bytes;
}

export function malformedRequests(context: CorpusContext): MalformedRequest[] {
  const signed = (body: string, contentType: string, extra: readonly string[] = []) => {
    const timestamp = Math.floor(context.now() / 1000);
    const signature = `v0=${createHmac('sha256', context.signingSecret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
    return request(
      'POST /slack/events HTTP/1.1',
      [
        `Content-Type: ${contentType}`,
        `X-Slack-Request-Timestamp: ${timestamp}`,
        `X-Slack-Signature: ${signature}`,
        ...extra,
      ],
      body,
    );
  };
  const both = (name: string, bytes: Buffer, outcome: Outcome[]): MalformedRequest => ({
    name,
    bytes,
    bot: outcome,
    proxy: outcome,
  });
  const routed = (name: string, bytes: Buffer, bot: Outcome[], proxy: Outcome[] = ['4xx']) => ({
    name,
    bytes,
    bot,
    proxy,
  });
  return [
    // The request target.
    routed(
      'absolute-form with an unclosed IPv6 bracket (the one-packet crash)',
      request('GET http://[/health HTTP/1.1'),
      [400],
    ),
    routed(
      'absolute-form with a port out of range',
      request('GET http://127.0.0.1:99999/health HTTP/1.1'),
      [400],
    ),
    routed(
      'absolute-form with another scheme',
      request('GET ftp://127.0.0.1/health HTTP/1.1'),
      [400],
    ),
    routed(
      'absolute-form to an unknown path',
      request('GET http://127.0.0.1/nope HTTP/1.1'),
      [404],
    ),
    routed('asterisk-form OPTIONS', request('OPTIONS * HTTP/1.1'), [400]),
    routed('asterisk-form GET', request('GET * HTTP/1.1'), [400]),
    both('authority-form GET', request('GET 127.0.0.1:80 HTTP/1.1'), [400]),
    routed('an invalid percent-escape', request('GET /health%zz HTTP/1.1'), [400]),
    routed('a lone percent sign', request('GET /% HTTP/1.1'), [400]),
    routed('a truncated percent-escape', request('GET /health%2 HTTP/1.1'), [400]),
    routed('an encoded NUL in the path', request('GET /health%00 HTTP/1.1'), [404]),
    routed(
      'dot segments towards a real route',
      request('GET /nope/../health/../metrics/.. HTTP/1.1'),
      [404],
    ),
    routed('encoded dot segments', request('GET /%2e%2e/%2e%2e/etc/passwd HTTP/1.1'), [404]),
    routed('a double slash', request('GET //health HTTP/1.1'), [404]),
    both('a raw non-ASCII byte in the target', request('GET /h\xe9alth HTTP/1.1'), [400]),
    both('a control character in the target', request('GET /he\x01alth HTTP/1.1'), [400]),
    both('a space inside the target', request('GET /a b HTTP/1.1'), [400]),
    both('an empty target', request('GET  HTTP/1.1'), [400]),
    both('a target of 20 KiB', request(`GET /${'a'.repeat(20 * 1024)} HTTP/1.1`), [431]),
    // The request line.
    routed('no HTTP version (HTTP/0.9)', b('GET /health\r\n\r\n'), [505]),
    both('an HTTP version that does not exist', request('GET /health HTTP/9.9'), [400]),
    both('no Host header in HTTP/1.1', b('GET /health HTTP/1.1\r\n\r\n'), [400]),
    both('an unknown method', request('FOO /health HTTP/1.1'), [400]),
    both('a lowercase method', request('get /health HTTP/1.1'), [400]),
    both('a method with a NUL in it', request('G\x00T /health HTTP/1.1'), [400]),
    both('a 5000-letter method', request(`${'A'.repeat(5000)} /health HTTP/1.1`), [400]),
    routed('DELETE on /health', request('DELETE /health HTTP/1.1'), [405]),
    routed('PUT on /metrics', request('PUT /metrics HTTP/1.1', [], 'x'), [405]),
    routed('PROPFIND on /health', request('PROPFIND /health HTTP/1.1'), [405]),
    routed('TRACE on /health', request('TRACE /health HTTP/1.1'), [405]),
    routed(
      'POST with a body on /health/ready',
      request('POST /health/ready HTTP/1.1', [], '{}'),
      [405],
    ),
    routed('GET on /slack/events', request('GET /slack/events HTTP/1.1'), [404]),
    routed('CONNECT to another port', request('CONNECT 127.0.0.1:22 HTTP/1.1'), [405], ['4xx']),
    // Headers.
    both(
      'a header line without a colon',
      request('GET /health HTTP/1.1', ['X-Broken header']),
      [400],
    ),
    both('a space in a header name', request('GET /health HTTP/1.1', ['Bad Header: x']), [400]),
    both('a bracket in a header name', request('GET /health HTTP/1.1', ['X(: y']), [400]),
    both(
      'a control character in a header value',
      request('GET /health HTTP/1.1', ['X-Value: a\x01b']),
      [400],
    ),
    both(
      'an obsolete folded header line',
      request('GET /health HTTP/1.1', ['X-Folded: a', '  b']),
      [400],
    ),
    both(
      'one header of 20 KiB',
      request('GET /health HTTP/1.1', [`X-Big: ${'b'.repeat(20 * 1024)}`]),
      [431],
    ),
    both(
      '2000 small headers',
      request(
        'GET /health HTTP/1.1',
        Array.from({ length: 2000 }, (_, i) => `X-H${i}: vvvvvvvvvv`),
      ),
      [431],
    ),
    both(
      'Content-Length and Transfer-Encoding together',
      request('POST /slack/events HTTP/1.1', ['Content-Length: 3', 'Transfer-Encoding: chunked']),
      [400],
    ),
    both(
      'two different Content-Lengths',
      request('POST /slack/events HTTP/1.1', ['Content-Length: 1', 'Content-Length: 2']),
      [400],
    ),
    both(
      'a negative Content-Length',
      request('POST /slack/events HTTP/1.1', ['Content-Length: -1']),
      [400],
    ),
    both(
      'a Content-Length that is no number',
      request('POST /slack/events HTTP/1.1', ['Content-Length: 1e3']),
      [400],
    ),
    both(
      'a Content-Length past 2^64',
      request('POST /slack/events HTTP/1.1', ['Content-Length: 99999999999999999999999']),
      [400],
    ),
    routed(
      'a Transfer-Encoding that does not end in chunked',
      request('POST /slack/events HTTP/1.1', ['Transfer-Encoding: gzip']),
      [400],
    ),
    routed(
      'an Expect that is not 100-continue',
      request('GET /health HTTP/1.1', ['Expect: telepathy']),
      [417],
    ),
    routed('HTTP/2.0 in an HTTP/1 request line', request('GET /health HTTP/2.0'), [505]),
    // Other protocols on the plain port.
    both('a TLS ClientHello', CLIENT_HELLO, [400]),
    both('the HTTP/2 connection preface', b('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'), [400]),
    both('an SSH banner', b('SSH-2.0-OpenSSH_9.6\r\n'), [400]),
    both('a Redis command', b('*1\r\n$4\r\nPING\r\n'), [400]),
    both('NUL bytes', Buffer.alloc(64), [400]),
    both('binary garbage', garbage(512, 12), [400]),
    routed(
      'a websocket upgrade',
      request('GET /health HTTP/1.1', [
        'Connection: Upgrade',
        'Upgrade: websocket',
        'Sec-WebSocket-Version: 13',
        'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
      ]),
      [400],
    ),
    routed(
      'an h2c upgrade',
      request('GET /health HTTP/1.1', [
        'Connection: Upgrade, HTTP2-Settings',
        'Upgrade: h2c',
        'HTTP2-Settings: AAMAAABkAAQAoAAAAAIAAAAA',
      ]),
      [400],
    ),
    // Pipelining.
    routed(
      'a good request, then garbage',
      Buffer.concat([request('GET /health HTTP/1.1'), b('XXXX\r\n\r\n')]),
      [200, 400],
    ),
    routed(
      'two good requests, then an unusable target',
      Buffer.concat([
        request('GET /health HTTP/1.1'),
        request('GET /health HTTP/1.1'),
        request('GET http://[ HTTP/1.1'),
      ]),
      [200, 200, 400],
    ),
    // Bodies on /slack/events: refused for size before being read, or for their content.
    routed(
      'a declared body of 2 MiB',
      request('POST /slack/events HTTP/1.1', [
        'Content-Type: application/json',
        `Content-Length: ${2 * 1024 * 1024}`,
      ]),
      [413],
    ),
    routed(
      'a declared body of 2 MiB behind Expect: 100-continue',
      request('POST /slack/events HTTP/1.1', [
        'Content-Type: application/json',
        'Expect: 100-continue',
        `Content-Length: ${2 * 1024 * 1024}`,
      ]),
      [413],
    ),
    routed(
      'an unsigned body',
      request(
        'POST /slack/events HTTP/1.1',
        ['Content-Type: application/json'],
        '{"type":"event_callback"}',
      ),
      [401],
    ),
    routed('a signed body that is not JSON', signed('{"type":', 'application/json'), [400]),
    routed(
      'a signed form whose payload is not JSON',
      signed('payload=%7Bnot-json', 'application/x-www-form-urlencoded'),
      [400],
    ),
    routed(
      'a signed form with broken percent-escapes',
      signed('payload=%E0%A4%A&%%%=%zz', 'application/x-www-form-urlencoded'),
      [400],
    ),
    routed(
      'a signed chunked body with a chunk size that is no number',
      Buffer.concat([
        signed('', 'application/json', ['Transfer-Encoding: chunked']),
        b('zz\r\nabc\r\n0\r\n\r\n'),
      ]),
      [400],
    ),
  ];
}

export interface RawAnswer {
  /** The status code of every final response received, in order (interim 1xx left out). */
  readonly statuses: readonly number[];
  /** The server closed the connection (before `expected` answers were seen, or after). */
  readonly closed: boolean;
}

/**
 * Writes `bytes` to 127.0.0.1:`port` and waits until `answers` status lines arrived or the
 * server closed the connection. Fails when neither happens within `timeoutMs` (a hang).
 */
export function sendRaw(
  port: number,
  bytes: Buffer,
  answers: number,
  timeoutMs = 20_000,
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    const statuses = () =>
      [...text.matchAll(/(?:^|\r\n)HTTP\/1\.[01] (\d{3}) /g)]
        .map((m) => Number(m[1]))
        .filter((status) => status >= 200);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(
        new Error(
          `no answer and no close within ${timeoutMs} ms; received ${JSON.stringify(text.slice(0, 200))}`,
        ),
      );
    }, timeoutMs);
    const finish = (closed: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ statuses: statuses(), closed });
    };
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('latin1');
      if (statuses().length >= answers) finish(false);
    });
    socket.on('close', () => finish(true));
    // The server may close while we still write (an oversized body): what it answered counts.
    socket.on('error', () => undefined);
    socket.write(bytes);
  });
}

/** Whether `statuses` (what arrived) and `closed` satisfy the expected outcomes. */
export function matches(answer: RawAnswer, expected: readonly Outcome[]): boolean {
  if (expected.length === 1 && expected[0] === 'closed')
    return answer.statuses.length === 0 && answer.closed;
  if (answer.statuses.length < expected.length) return false;
  return expected.every((outcome, i) => {
    const status = answer.statuses[i] ?? 0;
    return outcome === '4xx' ? status >= 400 && status < 500 : status === outcome;
  });
}
