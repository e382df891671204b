import * as z from 'zod';
import { parseDuration } from '../lib/duration.js';

/** The field shapes every section of the config schema uses. */

/** `30s`, `15m`, `2h`, `1d` → milliseconds. */
export const duration = z
  .string()
  .refine((v) => parseDuration(v).ok, { message: 'expected a duration such as 30s, 15m, 2h or 1d' })
  .transform((v) => {
    const parsed = parseDuration(v);
    return parsed.ok ? parsed.value : 0;
  });

/** Names of people, roles, environments, services and probes: one word, as chat arguments. */
export const name = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_.-]*$/i, 'use letters, digits, "-", "_" or "." (no spaces)');

export const httpUrl = () =>
  z.url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' });

export const httpStatus = () => z.number().int().min(100).max(599);
