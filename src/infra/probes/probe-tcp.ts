import net from 'node:net';
import type { ProbeResult, TcpProbeSpec } from '../../core/ports/prober.js';
import { describeNetworkError } from './describe-network-error.js';
import { raceDeadline, timeoutDetail } from './race-deadline.js';

/** Connects and hangs up; `ok` means something accepted the connection within the timeout. */
export function probeTcp(spec: TcpProbeSpec): Promise<ProbeResult> {
  const started = performance.now();
  const elapsed = (): number => Math.round(performance.now() - started);
  const target = `${spec.host}:${spec.port}`;
  const base = { name: spec.name, target };

  const attempt = (signal: AbortSignal): Promise<ProbeResult> =>
    new Promise((resolve) => {
      const socket = net.connect({ host: spec.host, port: spec.port });
      signal.addEventListener('abort', () => socket.destroy(), { once: true });
      socket.once('connect', () => {
        socket.destroy();
        resolve({ ...base, outcome: 'ok', latencyMs: elapsed(), detail: 'connected' });
      });
      socket.once('error', (error) => {
        resolve({
          ...base,
          outcome: 'error',
          latencyMs: elapsed(),
          detail: describeNetworkError(error, target),
        });
      });
    });

  return raceDeadline(spec.timeoutMs, attempt, () => ({
    ...base,
    outcome: 'timeout',
    latencyMs: elapsed(),
    detail: timeoutDetail(spec.timeoutMs, 'connecting'),
  }));
}
