import type { AuditInput } from './audit-entry.js';

/**
 * A copy of only the fields of an audit input, `details` sent through JSON once: what a store
 * reads back, so its hash still matches. Throws, as JSON does, on cycles and BigInts.
 */
export function detachInput(input: AuditInput): AuditInput {
  return {
    kind: input.kind,
    environment: input.environment,
    actor: input.actor,
    ...(input.requestId !== undefined && { requestId: input.requestId }),
    ...(input.operation !== undefined && { operation: input.operation }),
    ...(input.service !== undefined && { service: input.service }),
    summary: input.summary,
    ...(input.details !== undefined && {
      details: JSON.parse(JSON.stringify(input.details)) as Record<string, unknown>,
    }),
  };
}
