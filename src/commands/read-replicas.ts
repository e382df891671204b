import { err, ok, type Result } from '../core/result.js';

/** More is a typo or a way to exhaust the swarm, not an incident response. */
export const MAX_REPLICAS = 100;

/** `scale <service> <n>`: n as digits only (`Number` would also take `1e2`, `0x10`, ` 5 `), 0–100. */
export function readReplicas(text: string): Result<number> {
  const replicas = /^\d{1,3}$/.test(text) ? Number(text) : NaN;
  return replicas >= 0 && replicas <= MAX_REPLICAS
    ? ok(replicas)
    : err(`replicas must be a whole number from 0 to ${MAX_REPLICAS}, not "${text}"`);
}
