import type { EnvOptions } from '../config/env-options.js';

/** Where the embedded Redis keeps its data and the console chat its log, unless configured. */
const DEFAULT_DATA_DIR = '.tas-chatops';

/** TAS_CHATOPS_DATA_DIR, else `.tas-chatops` in the working directory. */
export function dataDirOf(envOptions: Pick<EnvOptions, 'dataDir'>): string {
  return envOptions.dataDir ?? DEFAULT_DATA_DIR;
}
