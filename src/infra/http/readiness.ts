/** One dependency's answer to "can the bot serve right now?". */
export interface CheckResult {
  readonly ok: boolean;
  readonly detail: string;
}

export interface ReadinessCheck {
  readonly name: string;
  check(): CheckResult | Promise<CheckResult>;
}

export interface ReadinessReport {
  readonly ready: boolean;
  /** Set once shutdown began: not ready whatever the checks say. */
  readonly stopping: boolean;
  readonly checks: readonly ({ readonly name: string } & CheckResult)[];
}

export interface Readiness {
  report(): Promise<ReadinessReport>;
  /** Replaces the checks (the process adds Redis, workers and adapters as they come up). */
  use(checks: readonly ReadinessCheck[]): void;
  /** Readiness goes false at once and stays false: the process is shutting down. */
  stop(): void;
}

/**
 * Readiness as the TAS status routes mean it: every check must pass, a check that throws or
 * does not answer within `timeoutMs` fails, and after `stop()` the answer is "not ready" at
 * once, before anything else of the shutdown happens.
 */
export function createReadiness(
  initial: readonly ReadinessCheck[] = [],
  timeoutMs = 2000,
): Readiness {
  let checks = initial;
  let stopping = false;

  async function run(check: ReadinessCheck): Promise<CheckResult> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<CheckResult>((resolve) => {
      timer = setTimeout(
        () => resolve({ ok: false, detail: `no answer within ${timeoutMs} ms` }),
        timeoutMs,
      );
    });
    try {
      return await Promise.race([Promise.resolve().then(() => check.check()), deadline]);
    } catch (error) {
      return { ok: false, detail: error instanceof Error ? error.message : String(error) };
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    async report() {
      const results = await Promise.all(
        checks.map(async (check) => ({ name: check.name, ...(await run(check)) })),
      );
      return { ready: !stopping && results.every((r) => r.ok), stopping, checks: results };
    },
    use(next) {
      checks = next;
    },
    stop() {
      stopping = true;
    },
  };
}
