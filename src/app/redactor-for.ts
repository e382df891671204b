import type { EnvOptions } from '../config/env-options.js';
import type { LoadedConfig } from '../config/load-config.js';
import { createRedactor } from '../lib/redact.js';
import { compileExtraPatterns } from '../lib/redact-extra-patterns.js';

/** Every secret the process knows (config interpolations, chat tokens) and the config's patterns. */
export function redactorFor(
  loaded: LoadedConfig,
  envOptions: EnvOptions,
): (text: string) => string {
  return createRedactor(
    [...loaded.secrets, ...envOptions.secrets],
    compileExtraPatterns(loaded.config.redact.patterns),
  );
}
