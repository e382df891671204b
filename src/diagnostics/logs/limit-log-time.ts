import type { LogSource } from '../../core/ports/container-platform.js';

export interface LimitedLogSource {
  readonly source: LogSource;
  /** The read was stopped at the time limit. */
  timedOut(): boolean;
  /** Why the Engine ended the stream early, after it had sent something; undefined otherwise. */
  brokenBy(): string | undefined;
  clear(): void;
}

/**
 * Closes a log source after `ms`, so a read never hangs on an Engine that keeps a logs
 * connection open without sending (seen with tasks being removed). Whatever was read by then is
 * used; `timedOut()` tells the caller to say the excerpt is partial.
 *
 * A stream the Engine cuts after it has sent lines (a swarm whose log publisher fails drops the
 * connection mid-response) ends quietly too, so the user still gets those lines with a note
 * instead of an error; a stream that fails before sending anything still throws.
 */
export function limitLogTime(source: LogSource, ms: number): LimitedLogSource {
  let timedOut = false;
  let broken: string | undefined;
  const timer = setTimeout(() => {
    timedOut = true;
    source.close();
  }, ms);
  timer.unref();
  async function* chunks(): AsyncGenerator<Uint8Array> {
    let received = false;
    try {
      for await (const chunk of source.chunks) {
        received = true;
        yield chunk;
      }
    } catch (error) {
      if (!received) throw error;
      broken = error instanceof Error ? error.message : String(error);
    }
  }
  return {
    source: {
      framing: source.framing,
      chunks: chunks(),
      close() {
        clearTimeout(timer);
        source.close();
      },
    },
    timedOut: () => timedOut,
    brokenBy: () => broken,
    clear: () => clearTimeout(timer),
  };
}
