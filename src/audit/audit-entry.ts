/**
 * Every step of the privileged operation lifecycle that leaves a trace in the append-only,
 * tamper-evident trail (request, each vote, expiry, start, result, verification), plus the
 * escalations to support and the reconciler's repairs of a request whose state, queue or card
 * disagreed.
 */
export const AUDIT_KINDS = [
  'request',
  'vote',
  'reject',
  'expire',
  'cancel',
  'break-glass',
  'drift',
  'start',
  'progress',
  'result',
  'verification',
  'escalation',
  'repair',
] as const;

export type AuditKind = (typeof AUDIT_KINDS)[number];

/**
 * What a caller records. `details` must survive JSON: it is stored as JSON and hashed in that
 * form, so a Date comes back as its ISO string. By convention `result` and `verification`
 * entries carry `details.ok: boolean` (succeeded / verified); `/tas audit` reads it.
 */
export interface AuditInput {
  readonly kind: AuditKind;
  readonly environment: string;
  /** A person's config name, or `'system'` for the bot itself (expiry, watcher). */
  readonly actor: string;
  readonly requestId?: string;
  readonly operation?: string;
  readonly service?: string;
  /** One human line, e.g. `restart backend approved by dave`. */
  readonly summary: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

/** A stored entry: its place in the chain and the hash that seals it to the previous one. */
export interface AuditEntry extends AuditInput {
  /** 1-based position in the trail. */
  readonly seq: number;
  /** ISO 8601 time of the append call. */
  readonly at: string;
  /** `hash` of the previous entry, or {@link GENESIS_HASH} for the first. */
  readonly prevHash: string;
  /** sha256 (hex) of the entry without `hash`, see `hashEntry`. */
  readonly hash: string;
}

/** The `prevHash` of entry 1. */
export const GENESIS_HASH = '0'.repeat(64);
