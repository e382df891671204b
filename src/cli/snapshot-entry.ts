// The entry of the CLI's V8 startup snapshots, for `check` and `run` (build-cli-snapshot.ts builds
// them; the launcher at the top of dist/src/cli/bin.js restores them). The modules imported here are
// evaluated when the snapshot is built: the config schemas and their validator, yaml, pino. What
// needs `node:http` (dockerode, the HTTP probe) cannot be evaluated while Node 20 builds a snapshot; it
// is evaluated from the same script on first use.
import { startupSnapshot } from 'node:v8';
import { cliMain } from './cli-main.js';
import './run-check.js';
import { warmUpConfig } from './snapshot-warm-up.js';

warmUpConfig();

startupSnapshot.setDeserializeMainFunction(() => {
  // Read when the snapshot is restored, never when it is built. A restored process has no
  // script path in `process.argv`: its arguments start at index 1.
  void cliMain(process.argv.slice(1));
});
