import { readFileSync } from 'node:fs';
import type { Writable } from 'node:stream';
import { readEnvOptions, resolveFileVariables, type EnvOptions } from '../config/env-options.js';
import { formatIssues } from '../config/format-issues.js';
import { loadConfig, type LoadedConfig } from '../config/load-config.js';
import type { ProcessEnv } from './cli-io.js';

export interface Configuration {
  readonly loaded: LoadedConfig;
  readonly envOptions: EnvOptions;
}

/**
 * Loads and validates the config file and the env once; on failure prints every problem at
 * once (file variables, config, env) to `stderr` and returns undefined.
 */
export function loadConfiguration(env: ProcessEnv, stderr: Writable): Configuration | undefined {
  // Docker secrets: `SLACK_BOT_TOKEN_FILE=/run/secrets/…` reads into SLACK_BOT_TOKEN for both readers.
  const files = resolveFileVariables(env, (path) => readFileSync(path, 'utf8'));
  const resolved = files.ok ? files.value : env;
  const loaded = loadConfig(resolved);
  const envOptions = readEnvOptions(resolved);
  if (!files.ok || !loaded.ok || !envOptions.ok) {
    const issues = [
      ...(files.ok ? [] : files.error),
      ...(loaded.ok ? [] : loaded.error),
      ...(envOptions.ok ? [] : envOptions.error),
    ];
    const file = resolved.TAS_CHATOPS_CONFIG ?? '(TAS_CHATOPS_CONFIG unset)';
    stderr.write(`${formatIssues(issues, { file })}\n`);
    return undefined;
  }
  return { loaded: loaded.value, envOptions: envOptions.value };
}
