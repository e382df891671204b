import http from 'node:http';
import { FIXTURE_PROBES, FIXTURE_STACK, type BenchEnv } from './bench-env.js';
import type { BenchResult } from './results.js';
import { median, round, roundSummary, summarize } from './stats.js';

const FLOOR_NAME = 'status vs its floor';
const FLOOR_TARGET = 'running bot ≤ 1.3× the floor';
const NAMESPACE = `com.docker.stack.namespace=${FIXTURE_STACK}`;

export interface FloorSample {
  readonly engineMs: number;
  /** Each probe alone, one after another: the slowest of them bounds a status that probes at once. */
  readonly probeMs: Readonly<Record<string, number>>;
  /** Every request a status makes, at once, from a bare client (see measureSameRequests). */
  readonly sameRequestsMs: number;
}

/**
 * The physical floor of a status: one Engine call (the stack's services, over the socket) plus
 * the slowest probe alone, each a plain GET on a fresh connection read to its last byte. No
 * client can answer faster than the slowest route it must wait for, nor without the Engine.
 * Then the same rounds measure what a status really asks for, from a bare client.
 */
export async function measureFloor(env: BenchEnv, engineAgent: http.Agent): Promise<FloorSample> {
  const filters = JSON.stringify({ label: [NAMESPACE] });
  const engineMs = await getOnce(
    `http://localhost/v1.41/services?filters=${encodeURIComponent(filters)}`,
    { socketPath: env.dockerSocket },
  );
  const probeMs: Record<string, number> = {};
  for (const probe of FIXTURE_PROBES) probeMs[probe.name] = await getOnce(probe.url);
  return { engineMs, probeMs, sameRequestsMs: await measureSameRequests(env, engineAgent) };
}

/**
 * The requests one status makes, in the bot's order, all at once, on plain `node:http` with
 * nothing else around them: every probe on a fresh connection as the bot's prober opens one,
 * then the listing's two Engine calls (the stack's services, and the stack's tasks by its
 * namespace label, from which the bot counts running and desired tasks and tells a restart
 * loop) on kept-alive sockets as the bot's Docker client keeps them. What the bot takes beyond
 * this is its own doing; what this takes beyond the floor is the work a status needs (a second
 * Engine call, three probes sharing the cores with the Engine instead of one alone).
 */
async function measureSameRequests(env: BenchEnv, engineAgent: http.Agent): Promise<number> {
  const engine = { socketPath: env.dockerSocket, agent: engineAgent };
  const services = JSON.stringify({ name: [`${FIXTURE_STACK}_`] });
  const tasks = JSON.stringify({ label: [NAMESPACE] });
  const started = performance.now();
  await Promise.all([
    ...FIXTURE_PROBES.map((probe) => getOnce(probe.url)),
    getOnce(`http://localhost/v1.41/tasks?filters=${encodeURIComponent(tasks)}`, engine),
    getOnce(`http://localhost/v1.41/services?filters=${encodeURIComponent(services)}`, engine),
  ]);
  return performance.now() - started;
}

function getOnce(
  url: string,
  via: { readonly socketPath?: string; readonly agent?: http.Agent } = {},
): Promise<number> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const request = http.request(
      {
        ...(via.socketPath === undefined
          ? { host: target.hostname, port: target.port }
          : { socketPath: via.socketPath }),
        path: `${target.pathname}${target.search}`,
        agent: via.agent ?? false,
      },
      (response) => {
        response.on('data', () => undefined);
        response.once('end', () => resolve(performance.now() - started));
        response.once('error', reject);
      },
    );
    request.once('error', reject);
    request.end();
  });
}

export function floorRow(botMedianMs: number, floors: readonly FloorSample[]): BenchResult {
  const engine = median(floors.map((f) => f.engineMs));
  const probes = FIXTURE_PROBES.map(({ name }) => ({
    name,
    ms: median(floors.map((f) => f.probeMs[name] ?? Number.NaN)),
  }));
  const slowest = probes.reduce((a, b) => (b.ms > a.ms ? b : a));
  const floor = engine + slowest.ms;
  const ratio = botMedianMs / floor;
  const same = median(floors.map((f) => f.sameRequestsMs));
  return {
    name: FLOOR_NAME,
    bot: `median ${round(botMedianMs)} ms (the running bot)`,
    baseline: `${round(floor)} ms: ${slowest.name} ${round(slowest.ms)} + one Engine call ${round(engine)}`,
    measure: `${round(ratio, 2)}× the floor (a bare client, same requests: ${round(same / floor, 2)}×)`,
    target: FLOOR_TARGET,
    met: ratio <= 1.3,
    data: {
      runs: floors.length,
      botMedianMs: round(botMedianMs),
      floorMs: round(floor),
      engineCallMs: roundSummary(summarize(floors.map((f) => f.engineMs))),
      probeAloneMedianMs: Object.fromEntries(probes.map((p) => [p.name, round(p.ms)])),
      ratio: round(ratio, 2),
      sameRequestsMs: roundSummary(summarize(floors.map((f) => f.sameRequestsMs))),
      sameRequestsRatio: round(same / floor, 2),
      botOverSameRequests: round(botMedianMs / same, 2),
    },
    notes: [
      'the floor: GET /services of the stack on the Engine socket plus the slowest probe alone, each on a fresh connection, medians over the same rounds as the bot',
      `a bare client making the requests one status makes (${FIXTURE_PROBES.length} probes on fresh connections, GET /services and GET /tasks of the stack on kept-alive Engine sockets), all at once: median ${round(same)} ms, ${round(same / floor, 2)}× the floor; the bot takes ${round(botMedianMs / same, 2)}× that`,
    ],
  };
}
