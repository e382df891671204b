import type { Config } from '../../../src/config/schema.js';
import { testConfig, testConfigInput } from '../test-config.js';

type RestartPolicy = NonNullable<
  (typeof testConfigInput)['environments']['prod']['policy']['restart']
>;

/**
 * The test config with `prod`'s restart policy changed: leads approve, on-call and leads may
 * ask, plus whatever `restart` sets (approvals, breakGlass, budget); `others` adds policies
 * of other operations (stop, start, …).
 */
export function lifecycleConfig(
  restart: Partial<RestartPolicy> & Record<string, unknown> = {},
  others: Readonly<Record<string, unknown>> = {},
): Config {
  const prod = testConfigInput.environments.prod;
  const policy = { ...prod.policy, restart: { ...prod.policy.restart, ...restart }, ...others };
  return testConfig({
    environments: { ...testConfigInput.environments, prod: { ...prod, policy } },
  });
}

/** The services of `prod` in the test config, as the memory swarm runs them. */
export const prodServices = [
  { name: 'backend-cron', image: 'registry.example/tas/backend:5.15.1' },
  { name: 'backend', image: 'registry.example/tas/backend:5.15.1' },
  { name: 'frontend', image: 'registry.example/tas/frontend:5.15.1', replicas: 2 },
] as const;
