import { normaliseLine } from '../../lib/normalise-line.js';

// Long enough to tell messages apart, short enough that keying a 16 KiB line stays cheap.
const KEY_CHARS = 400;
// Logs repeat themselves: the same message comes back thousands of times in an incident. The
// keys of the last short messages seen are kept (under 1 MB) so a repeat costs one lookup instead
// of the normalising pass, a tenth of a whole log scan. A longer message is not kept: its start
// would be a slice that holds the whole line in memory.
const REMEMBERED = 1024;
const remembered = new Map<string, string>();

/**
 * The collapse key of an already redacted message: its start, normalised (`normaliseLine`), so
 * lines differing only in numbers, ids or a secret (each failed login with another token) collapse
 * together and the key can be shown as it is.
 */
export function collapseKey(message: string): string {
  if (message.length > KEY_CHARS) return normaliseLine(message.slice(0, KEY_CHARS));
  let key = remembered.get(message);
  if (key === undefined) {
    key = normaliseLine(message);
    if (remembered.size >= REMEMBERED) remembered.clear();
    remembered.set(message, key);
  }
  return key;
}
