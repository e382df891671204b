import type { Config } from '../config/schema.js';
import type { RequestPolicyLookup } from '../core/requests/may-request.js';

/**
 * The config's operation policies as `mayRequest` reads them. The composition root hands this
 * to the authorize middleware, and the request path reads the same one, so both ask one question
 * of one source.
 */
export function requestPolicies(config: Config): RequestPolicyLookup {
  return (environment, operation) => config.environments[environment]?.policy[operation];
}
