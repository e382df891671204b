import type { Prober } from '../../core/ports/prober.js';
import type { BotMetrics } from './bot-metrics.js';

/** A prober that reports every result (status checks and verification alike) to the metrics. */
export function instrumentProber(prober: Prober, metrics: Pick<BotMetrics, 'probeResult'>): Prober {
  return {
    async probe(spec) {
      const result = await prober.probe(spec);
      metrics.probeResult(result);
      return result;
    },
  };
}
