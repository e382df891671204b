// The entry of the `run` startup snapshot: the check entry, and what `run` evaluates next, the
// app's whole static graph and the logger with its pretty printer, evaluated when the snapshot is
// built instead of on every start (build-cli-snapshot.ts makes `node:http`, `node:https` and
// `node:tls`, which Node 20 cannot hold in a snapshot, load on their first use).
import './snapshot-entry.js';
import './cli-logger.js';
import './run-app-command.js';
import { warmUpRunLog } from './snapshot-warm-up-run.js';

warmUpRunLog();
