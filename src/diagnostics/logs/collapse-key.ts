import { normaliseLine } from '../../lib/normalise-line.js';
import type { Redactor } from '../../lib/redact.js';

// Long enough to tell messages apart, short enough that keying a 16 KiB line stays cheap.
const KEY_CHARS = 400;
// Redacted before keying: far enough past KEY_CHARS that no cut secret reaches the key.
const KEY_INPUT_CHARS = 4000;
const CACHE_SIZE = 1024;

/**
 * The collapse key of a message: its redacted text, normalised (`normaliseLine`). Redacted first,
 * so lines differing only in a secret (each failed login with another token) collapse together
 * and the key can be shown as it is. Redaction is the dear part, and in a flood the same message
 * repeats with other numbers: a cache from the cheap unredacted normal form to the key skips it.
 * The cache's own keys never leave this function.
 */
export function createCollapseKey(redact: Redactor): (message: string) => string {
  const cache = new Map<string, string>();
  return (message) => {
    const rough = normaliseLine(message.slice(0, KEY_CHARS));
    const cached = cache.get(rough);
    if (cached !== undefined) return cached;
    const key = normaliseLine(redact(message.slice(0, KEY_INPUT_CHARS)).slice(0, KEY_CHARS));
    // Cleared rather than evicted one by one: simple, and a flood refills it at once.
    if (cache.size >= CACHE_SIZE) cache.clear();
    cache.set(rough, key);
    return key;
  };
}
