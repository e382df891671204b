import * as z from 'zod';
import { parseImageReference } from '../lib/image-reference.js';
import { duration, name } from './schema-fields.js';

/** An environment's `policy:` (who may read, request, approve) and `images:` (rollback targets). */

/** The privileged operations, in the order help and policies list them. */
export const operationNames = ['restart', 'scale', 'stop', 'start', 'rollback'] as const;
export type OperationName = (typeof operationNames)[number];

const roleList = z.array(name).default([]);

const operationPolicy = z
  .object({
    request: roleList,
    approve: roleList,
    approvals: z.number().int().min(1).max(5).default(1),
    expires: duration.prefault('15m'),
    /** Roles that may skip approval with a mandatory reason (loud notice, marked in audit). */
    breakGlass: roleList,
    /** At most `max` executions of this operation per service in `per`. */
    budget: z
      .object({ max: z.number().int().min(1), per: duration })
      .strict()
      .optional(),
  })
  .strict();

export type OperationPolicy = z.output<typeof operationPolicy>;

export const policy = z
  .object({
    read: roleList,
    restart: operationPolicy.optional(),
    scale: operationPolicy.optional(),
    stop: operationPolicy.optional(),
    start: operationPolicy.optional(),
    rollback: operationPolicy.optional(),
    /** Who may `/tas escalate`; `read` when omitted (no default here, or the fallback never happens). */
    escalate: z.array(name).optional(),
  })
  .strict();

/**
 * `images:`: where a rollback may take a service's image. A change of repository (registry or
 * path) is refused unless the target repository is listed here; a service's own repository
 * needs no entry.
 */
export const imagesOptions = z
  .object({
    allowRepositories: z
      .array(
        z.string().refine(
          (text) => {
            const parsed = parseImageReference(text);
            return parsed.ok && parsed.value.tag === undefined && parsed.value.digest === undefined;
          },
          { message: 'expected a repository without tag or digest, e.g. ghcr.io/acme/app' },
        ),
      )
      .default([]),
  })
  .strict();
