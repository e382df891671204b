import { readEnvOptions, type EnvOptions } from '../../src/config/env-options.js';
import { parseConfig, type LoadedConfig } from '../../src/config/load-config.js';
import { FIXTURE_PROBES, FIXTURE_SERVICES, FIXTURE_STACK } from './bench-env.js';

export interface BenchConfigOptions {
  readonly dockerHost: string;
  readonly stack?: string;
  readonly services?: readonly string[];
  readonly probes?: readonly { readonly name: string; readonly url: string }[];
  /** `logs.maxBytes` and `logs.maxSeconds`: the whole log of the logs benchmark must fit. */
  readonly logMaxBytes?: number;
  readonly logMaxSeconds?: number;
  /** Restart policy for the approval benchmark. */
  readonly operations?: boolean;
  /** Slack ids for alice, dave and the environment's channel (the acknowledgement benchmark). */
  readonly slack?: boolean;
}

/** The Slack ids `benchConfigText({ slack: true })` gives alice, dave and the tasfix channel. */
export const BENCH_SLACK = {
  alice: 'U0BENCHALICE',
  dave: 'U0BENCHDAVE',
  channel: 'C0BENCHFIX',
} as const;

/**
 * The config a team would write for the fixture stack: alice on call, dave the lead, one
 * environment `tasfix` whose console channel is its own name (`tas-chatops run --env tasfix`).
 */
export function benchConfigText(options: BenchConfigOptions): string {
  const probes = options.probes ?? FIXTURE_PROBES;
  const services = options.services ?? FIXTURE_SERVICES;
  return `command: tas
people:
  alice: {${options.slack === true ? ` slack: ${BENCH_SLACK.alice} ` : ''}}
  dave: {${options.slack === true ? ` slack: ${BENCH_SLACK.dave} ` : ''}}
roles:
  oncall: [alice]
  lead: [dave]
defaultEnvironment: tasfix
environments:
  tasfix:
    platform: swarm
    stack: ${options.stack ?? FIXTURE_STACK}
    docker: { host: "${options.dockerHost}", timeout: 30s }
    services: [${services.join(', ')}]
    probes:${probes.length === 0 ? ' []' : ''}
${probes.map((p) => `      - { name: ${p.name}, url: "${p.url}" }`).join('\n')}
    logs: { maxBytes: ${options.logMaxBytes ?? 1024 * 1024 * 1024}, maxSeconds: ${options.logMaxSeconds ?? 120} }${options.slack === true ? `\n    channels: { ops: { slack: ${BENCH_SLACK.channel} } }` : ''}
    policy:
      read: [oncall, lead]${
        options.operations === true
          ? `
      restart: { request: [oncall], approve: [lead], approvals: 1, expires: 1h }`
          : ''
      }
`;
}

export function loadBenchConfig(
  text: string,
  env: Readonly<Record<string, string>> = {},
): { loaded: LoadedConfig; envOptions: EnvOptions } {
  const loaded = parseConfig(text, {});
  if (!loaded.ok) throw new Error(`bench config: ${JSON.stringify(loaded.error)}`);
  const envOptions = readEnvOptions(env);
  if (!envOptions.ok) throw new Error(`bench env: ${JSON.stringify(envOptions.error)}`);
  return { loaded: loaded.value, envOptions: envOptions.value };
}
