import type { UploadedFile } from './read-request.js';

export type Json = Record<string, unknown>;

export const isObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** One REST call as the stand-in saw it. */
export interface RecordedRequest {
  readonly at: number;
  readonly method: string;
  /** Path after `/api/v10`, e.g. `/interactions/1/tok/callback`. */
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly body: Json | undefined;
  readonly files: readonly UploadedFile[];
  readonly authorized: boolean;
  status: number;
  /** Discord's error body, for 4xx answers. */
  error?: {
    readonly code: number;
    readonly message: string;
    readonly problems?: readonly string[];
  };
  /** The message body this call sent, if it sent one (callback data, webhook or channel message). */
  message?: Json;
}

export interface StoredMessage {
  /** The API object the stand-in serves. */
  json: Json;
  readonly channelId: string;
  readonly ephemeral: boolean;
  deleted: boolean;
  /** Every body that created or edited it, in order. */
  readonly versions: Json[];
  /** Files uploaded with it, by attachment id. */
  readonly files: Map<string, UploadedFile>;
}

export type OriginalState = 'none' | 'loading' | 'resolved' | 'deleted';

export interface InteractionRecord {
  readonly id: string;
  readonly token: string;
  readonly type: number;
  readonly payload: Json;
  /** When Discord created it: the 3-second deadline counts from here, queued or not. */
  readonly createdAt: number;
  /** The first (and only accepted) callback. */
  response?: { readonly type: number; readonly at: number; readonly flags: number };
  originalState: OriginalState;
  originalId?: string;
  readonly followUps: string[];
  choices?: readonly { name: string; value: unknown }[];
  /** Every callback and webhook call for it, accepted or not, in order. */
  readonly calls: RecordedRequest[];
}

export interface Channel {
  readonly json: Json;
  readonly id: string;
}

/** A refusal as Discord words it: HTTP status, JSON error code, message, form problems. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: number;
  readonly problems: readonly string[];

  constructor(status: number, code: number, message: string, problems: readonly string[] = []) {
    super(message);
    this.status = status;
    this.code = code;
    this.problems = problems;
  }
}
