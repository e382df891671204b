import type { AuditLog } from '../audit/audit-log.js';
import type { Config } from '../config/schema.js';
import type { WatchStateStore } from '../core/ports/watch-state-store.js';
import type { Directory } from '../core/directory.js';
import type { Clock } from '../core/ports/clock.js';
import type { ContainerPlatform } from '../core/ports/container-platform.js';
import type { StatusSnapshot } from '../diagnostics/status/check-status.js';
import type { OperationDeps } from '../operations/operation-deps.js';

/** Everything the commands use, passed in by the composition root. */
export interface CommandDeps {
  readonly config: Config;
  readonly directory: Directory;
  readonly clock: Clock;
  /** The environment's platform (one client per environment, made once). */
  readonly platformFor: (environment: string) => ContainerPlatform;
  /** Coalesced: concurrent callers for one environment share the check in flight. */
  readonly checkStatus: (environment: string) => Promise<StatusSnapshot>;
  /** Present when Redis is configured: privileged operations keep their state there. */
  readonly operations?: OperationDeps;
  readonly audit?: AuditLog;
  /** Credential shapes plus every configured secret, for reports that are also files. */
  readonly redact?: (text: string) => string;
  /** Where the watcher keeps each environment's state (when the problem started). */
  readonly watchState?: WatchStateStore;
}
