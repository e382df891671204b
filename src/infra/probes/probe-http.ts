import { STATUS_CODES } from 'node:http';
import type { Agent as HttpsAgent } from 'node:https';
import type { HttpProbeSpec, ProbeResult } from '../../core/ports/prober.js';
import { cutAtTokenBoundary } from '../../lib/redact-cut.js';
import { describeNetworkError } from './describe-network-error.js';
import { matchJsonSubset } from './match-json-subset.js';
import { raceDeadline, timeoutDetail } from './race-deadline.js';
import { sendHttpRequest } from './send-http-request.js';

/** At most this much of a body is read: enough for a health document, never a whole page. */
export const MAX_BODY_BYTES = 4096;
const SNIPPET_CHARS = 120;

/** One HTTP probe; the result is final at `timeoutMs` at the latest, and it never rejects. */
export function probeHttp(spec: HttpProbeSpec, httpsAgent?: HttpsAgent): Promise<ProbeResult> {
  const started = performance.now();
  const elapsed = (): number => Math.round(performance.now() - started);
  let status: number | undefined;
  const base = { name: spec.name, target: spec.url };

  const attempt = async (signal: AbortSignal): Promise<ProbeResult> => {
    try {
      const response = await sendHttpRequest(spec.url, {
        method: spec.method,
        headers: spec.headers,
        signal,
        httpsAgent,
      });
      const code = response.statusCode ?? 0;
      status = code;
      const body = await readCapped(response, MAX_BODY_BYTES);
      return { ...base, ...judge(spec, code, body), latencyMs: elapsed(), status: code };
    } catch (error) {
      return {
        ...base,
        outcome: 'error',
        latencyMs: elapsed(),
        detail: describeNetworkError(error, hostOf(spec.url)),
      };
    }
  };

  return raceDeadline(spec.timeoutMs, attempt, () => ({
    ...base,
    outcome: 'timeout',
    latencyMs: elapsed(),
    ...(status === undefined ? {} : { status }),
    detail: timeoutDetail(
      spec.timeoutMs,
      status === undefined ? 'waiting for a response' : `reading the body (${status})`,
    ),
  }));
}

type Verdict = Pick<ProbeResult, 'outcome' | 'detail'> & { body?: string };

/** Status first, then the JSON subset; `failureField` names the culprit when there is one. */
export function judge(spec: HttpProbeSpec, status: number, body: string): Verdict {
  const json = parseJson(body);
  const culprit = failureOf(spec.failureField, json);
  const withBody = body === '' ? {} : { body };
  if (!spec.expectStatus.includes(status)) {
    const said = culprit ?? (body === '' ? (STATUS_CODES[status] ?? '') : snippet(body, json));
    return { outcome: 'fail', detail: `${status} ${said}`.trim(), ...withBody };
  }
  if (spec.expectJson !== undefined) {
    const mismatch =
      json === undefined
        ? `expected a JSON body, got ${body === '' ? 'nothing' : JSON.stringify(snippet(body, json))}`
        : matchJsonSubset(spec.expectJson, json.value);
    if (mismatch !== undefined) {
      return {
        outcome: 'fail',
        detail: culprit === undefined ? mismatch : `${mismatch} (${culprit})`,
        ...withBody,
      };
    }
  }
  return { outcome: 'ok', detail: `${status} ${STATUS_CODES[status] ?? ''}`.trim(), ...withBody };
}

async function readCapped(body: AsyncIterable<Uint8Array>, max: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  // Leaving the loop early destroys the response and its socket: the rest is never downloaded.
  for await (const chunk of body) {
    chunks.push(Buffer.from(chunk));
    size += chunk.byteLength;
    if (size >= max) break;
  }
  const bytes = Buffer.concat(chunks);
  const text = bytes.subarray(0, max).toString('utf8');
  if (bytes.length <= max) return text;
  // The body is redacted later, wherever it is shown, and a token cut in half here would not
  // be recognised: the cut moves back to where a token ends (the next character tells).
  const next = bytes.subarray(max, max + 1).toString('latin1');
  return cutAtTokenBoundary(text + next, text.length);
}

/** How a JSON text can start: parsing anything else (an HTML page) would throw, and throws cost. */
const JSON_START = /^\s*[[{"\-0-9tfn]/;

function parseJson(body: string): { value: unknown } | undefined {
  if (!JSON_START.test(body)) return undefined;
  try {
    return { value: JSON.parse(body) as unknown };
  } catch {
    return undefined;
  }
}

/** `component=database` from `{"component":"database"}`; dotted paths reach nested fields. */
function failureOf(
  field: string | undefined,
  json: { value: unknown } | undefined,
): string | undefined {
  if (field === undefined || json === undefined) return undefined;
  let value: unknown = json.value;
  for (const key of field.split('.')) {
    value =
      typeof value === 'object' && value !== null
        ? (value as Record<string, unknown>)[key]
        : undefined;
  }
  if (value === undefined || value === null || value === '') return undefined;
  return `${field}=${typeof value === 'string' ? value : JSON.stringify(value)}`;
}

/** The body on one line: JSON re-serialised compactly, text with its whitespace collapsed. */
function snippet(body: string, json: { value: unknown } | undefined): string {
  const text = json === undefined ? body.replace(/\s+/g, ' ').trim() : JSON.stringify(json.value);
  // Cut where a token ends: the detail is redacted later, and half a token is not recognised.
  return text.length > SNIPPET_CHARS ? `${cutAtTokenBoundary(text, SNIPPET_CHARS - 1)}…` : text;
}

function hostOf(url: string): string {
  try {
    const parsed = new URL(url);
    return parsed.port === '' ? parsed.hostname : `${parsed.hostname}:${parsed.port}`;
  } catch {
    return url;
  }
}
