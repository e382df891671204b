import type { ServiceLook, ServiceOperator } from '../core/ports/service-operator.js';

/**
 * The operator's own `look` (one inspect to act on, one call per poll), or one built from
 * `inspect` and `apply` for operators that have none: every refresh is then a full inspect.
 */
export async function lookAt(
  operator: ServiceOperator,
  name: string,
): Promise<ServiceLook | undefined> {
  if (operator.look !== undefined) return operator.look(name);
  const state = await operator.inspect(name);
  if (state === undefined) return undefined;
  return {
    state,
    apply: (change) => operator.apply(name, change),
    refresh: () => operator.inspect(name),
  };
}
