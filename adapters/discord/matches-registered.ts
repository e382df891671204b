type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** What Discord leaves out of a command it returns when we sent the default. */
const isDefault = (value: unknown): boolean =>
  value === false || (Array.isArray(value) && value.length === 0);

/**
 * Whether what Discord has registered already says everything `wanted` says. Discord adds
 * fields of its own (id, version, application_id, default_member_permissions, …) and may omit
 * one we sent with its default value (`required: false`, no options), so only the fields of
 * `wanted` count, and a missing one matches a default. Lists match element by element, in order:
 * Discord keeps the order of options and choices as registered.
 */
export function matchesRegistered(wanted: unknown, registered: unknown): boolean {
  if (wanted === undefined) return true;
  if (registered === undefined || registered === null) return isDefault(wanted);
  if (Array.isArray(wanted)) {
    return (
      Array.isArray(registered) &&
      registered.length === wanted.length &&
      wanted.every((item, i) => matchesRegistered(item, registered[i]))
    );
  }
  if (isObject(wanted)) {
    return (
      isObject(registered) &&
      Object.entries(wanted).every(([key, value]) => matchesRegistered(value, registered[key]))
    );
  }
  return wanted === registered;
}
