import type { AuditEntry } from './audit-entry.js';
import { UnreadableAuditEntryError } from './unreadable-audit-entry-error.js';

const REQUIRED_TEXT = [
  'at',
  'prevHash',
  'hash',
  'kind',
  'environment',
  'actor',
  'summary',
] as const;
const OPTIONAL_TEXT = ['requestId', 'operation', 'service'] as const;

/**
 * Stored JSON → entry, checking only the shape; whether it is genuine is `checkLink`'s job
 * (the hash covers every field, including any that should not be there).
 */
export function parseAuditEntry(text: string, seq: number): AuditEntry {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new UnreadableAuditEntryError(seq, 'not JSON');
  }
  const problem = shapeProblem(value);
  if (problem !== undefined) throw new UnreadableAuditEntryError(seq, problem);
  return value as AuditEntry;
}

function shapeProblem(value: unknown): string | undefined {
  if (!isRecord(value)) return 'not an object';
  if (!Number.isSafeInteger(value.seq)) return 'seq is not a whole number';
  const missing = REQUIRED_TEXT.filter((field) => typeof value[field] !== 'string');
  if (missing.length > 0) return `${missing.join(', ')} missing`;
  const wrong = OPTIONAL_TEXT.filter((field) => field in value && typeof value[field] !== 'string');
  if (wrong.length > 0) return `${wrong.join(', ')} not text`;
  if ('details' in value && !isRecord(value.details)) return 'details is not an object';
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
