import { normaliseLine } from '../../lib/normalise-line.js';

// Long enough to tell messages apart, short enough that keying a 16 KiB line stays cheap.
const KEY_CHARS = 400;

/**
 * The collapse key of an already redacted message: its start, normalised (`normaliseLine`), so
 * lines differing only in numbers, ids or a secret (each failed login with another token) collapse
 * together and the key can be shown as it is.
 */
export function collapseKey(message: string): string {
  return normaliseLine(message.slice(0, KEY_CHARS));
}
