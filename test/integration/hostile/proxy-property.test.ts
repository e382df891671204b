import { request } from 'node:http';
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectTestSwarm, testImage, uniqueStack } from '../docker/test-swarm.js';
import {
  applyAllowed,
  containerSpec,
  MUTATIONS,
  NEUTRAL_ENCODINGS,
  obj,
  prng,
  REFUSED_ENCODINGS,
  type Allowed,
  type Encoding,
  type Obj,
  type Rng,
  type Wire,
} from '../../support/proxy-cases.js';
import { startSocketProxy, type RunningProxy } from '../../support/proxy-process.js';

/** TAS_PROXY_PROPERTY_SEED replays a run: the seed is printed at the start and in every failure. */
function seedFrom(raw: string | undefined): number {
  if (raw === undefined || raw === '') return Math.floor(Math.random() * 2 ** 31);
  const seed = Number(raw);
  if (!Number.isSafeInteger(seed) || seed < 0 || seed >= 2 ** 32)
    throw new Error(`TAS_PROXY_PROPERTY_SEED=${raw} is not a whole number below 2^32`);
  return seed;
}
const SEED = seedFrom(process.env.TAS_PROXY_PROPERTY_SEED);
const REPLAY = `seed ${SEED}, replay with TAS_PROXY_PROPERTY_SEED=${SEED}`;
const CASES = 520;
const LANES = 5;
const REFUSAL = 'tas-chatops socket proxy:';
const ROLLBACK_REFUSAL = 'the bot rolls back by an explicit update';

interface Inspected {
  ID: string;
  Version: { Index: number };
  Spec: Obj;
}

type Plan =
  | {
      readonly kind: 'update';
      readonly target: 'lane' | 'outsider' | 'self';
      readonly allowed: readonly Allowed[];
      readonly mutations: readonly number[];
      readonly decoy: number;
      readonly encoding: Encoding;
    }
  | { readonly kind: 'rollback'; readonly benign: Allowed };

/** A spec that never runs a container: replicas move freely, no node matches the constraint. */
function baseSpec(name: string): Obj {
  return {
    Name: name,
    Labels: { 'tas.test': 'proxy-property' },
    TaskTemplate: {
      ContainerSpec: {
        Image: testImage,
        Args: ['sh', '-c', 'trap "exit 0" TERM; while true; do sleep 1; done'],
        Env: ['BASE=1'],
      },
      Placement: { Constraints: ['node.labels.tas_proxy_property==never'] },
      RestartPolicy: { Condition: 'none' },
      Networks: [{ Target: 'host' }],
    },
    Mode: { Replicated: { Replicas: 0 } },
  };
}

/** Every path where two JSON values differ; written here, apart from the proxy's own check. */
function differences(a: unknown, b: unknown, path = ''): string[] {
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return [path];
    return a.flatMap((item, i) => differences(item, b[i], `${path}[${i}]`));
  }
  const isObject = (v: unknown) => v !== null && typeof v === 'object' && !Array.isArray(v);
  if (isObject(a) && isObject(b)) {
    const keys = new Set([...Object.keys(obj(a)), ...Object.keys(obj(b))]);
    return [...keys].flatMap((key) =>
      differences(obj(a)[key], obj(b)[key], path === '' ? key : `${path}.${key}`),
    );
  }
  return JSON.stringify(a) === JSON.stringify(b) ? [] : [path === '' ? '(root)' : path];
}

const repository = (image: unknown) => {
  const name = String(image).split('@')[0] ?? '';
  const colon = name.lastIndexOf(':');
  return colon > name.lastIndexOf('/') ? name.slice(0, colon) : name;
};
const THREE_FIELDS = new Set([
  'TaskTemplate.ForceUpdate',
  'Mode.Replicated.Replicas',
  'TaskTemplate.ContainerSpec.Image',
]);

/** What an update changed beyond ForceUpdate, the replica count and the tag of the same image. */
function beyondThreeFields(before: Obj, after: Obj): string[] {
  const beyond = differences(before, after).filter((path) => !THREE_FIELDS.has(path));
  const [from, to] = [
    repository(containerSpec(before).Image),
    repository(containerSpec(after).Image),
  ];
  return from === to ? beyond : [...beyond, `image repository ${from} → ${to}`];
}

/**
 * The cases, all drawn before any runs: mutations and refused encodings go round so each shows
 * up. Each round has one counter that nothing else advances: when rollback plans also took
 * turns from the mutation round, the turns of a mutation could all fall to them (about 1 seed
 * in 600), and the run ended with that mutation never tried.
 */
function plans(rng: Rng): Plan[] {
  let mutation = 0;
  let refused = 0;
  const kinds: Allowed[] = ['force', 'replicas', 'tag'];
  return Array.from({ length: CASES }, (): Plan => {
    const roll = rng.next();
    if (roll < 0.05) return { kind: 'rollback', benign: rng.pick(kinds) };
    const allowed = kinds.filter(() => rng.chance(0.5));
    const decoy = rng.int(MUTATIONS.length);
    if (roll < 0.09) {
      const target = rng.chance(0.5) ? 'outsider' : 'self';
      return {
        kind: 'update',
        target,
        allowed,
        mutations: [],
        decoy,
        encoding: NEUTRAL_ENCODINGS[0] as Encoding,
      };
    }
    const hostile = rng.chance(0.5);
    const mutations = hostile
      ? [mutation++ % MUTATIONS.length, ...(rng.chance(0.3) ? [rng.int(MUTATIONS.length)] : [])]
      : [];
    const encoding = rng.chance(0.45)
      ? (REFUSED_ENCODINGS[refused++ % REFUSED_ENCODINGS.length] as Encoding)
      : rng.pick(NEUTRAL_ENCODINGS);
    return { kind: 'update', target: 'lane', allowed, mutations, decoy, encoding };
  });
}

function describePlan(plan: Plan): string {
  if (plan.kind === 'rollback') return `rollback=previous after a direct ${plan.benign} change`;
  const mutations = plan.mutations.map((i) => MUTATIONS[i]?.name).join(' + ') || 'no mutation';
  return `${plan.target}: [${plan.allowed.join(', ')}] ${mutations}, encoded as ${plan.encoding.name}`;
}

/** One POST on a fresh connection; a body in `chunks` pieces goes without a Content-Length. */
function post(port: number, path: string, wire: Wire): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { 'Content-Type': 'application/json', ...wire.headers };
    if (wire.chunks <= 1) headers['Content-Length'] = String(wire.body.length);
    const req = request(
      { host: '127.0.0.1', port, method: 'POST', path, headers, agent: false, timeout: 30_000 },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer to POST ${path}`)));
    req.on('error', reject);
    if (wire.chunks <= 1) return void req.end(wire.body);
    const size = Math.ceil(wire.body.length / wire.chunks);
    for (let at = 0; at < wire.body.length; at += size)
      req.write(wire.body.subarray(at, at + size));
    req.end();
  });
}

describe('the socket proxy in front of the real swarm', () => {
  let docker: Docker;
  let proxy: RunningProxy;
  const stack = uniqueStack();
  const created: string[] = [];
  const lanes: string[] = [];
  let outsider = '';
  let self = '';
  const untouched = new Map<string, Inspected>();

  const inspect = async (id: string) => (await docker.getService(id).inspect()) as Inspected;
  /** A change straight through the Engine, again on "update out of sequence" (its status writes). */
  const direct = async (id: string, change: (spec: Obj) => void) => {
    for (let attempt = 1; ; attempt += 1) {
      const current = await inspect(id);
      const spec = structuredClone(current.Spec);
      change(spec);
      try {
        return void (await docker
          .getService(id)
          .update({ _query: { version: current.Version.Index }, _body: spec }));
      } catch (error) {
        if (attempt >= 5 || !String(error).includes('update out of sequence')) throw error;
        await settle(id);
      }
    }
  };
  /** Waits until the Engine stops writing the service (an update's status lands after the answer). */
  const settle = async (id: string) => {
    let last = (await inspect(id)).Version.Index;
    for (let i = 0; i < 40; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 150));
      const now = (await inspect(id)).Version.Index;
      if (now === last) return;
      last = now;
    }
  };

  beforeAll(async () => {
    docker = await connectTestSwarm();
    const create = async (name: string) => {
      const { id } = (await docker.createService(baseSpec(name))) as { id: string };
      created.push(id);
      return id;
    };
    for (let i = 0; i < LANES; i += 1) lanes.push(await create(`${stack}_p${i}`));
    self = await create(`${stack}_self`);
    outsider = await create(`${uniqueStack()}_out`);
    for (const id of [self, outsider]) untouched.set(id, await inspect(id));
    proxy = await startSocketProxy({
      UPDATE_SERVICE_PREFIXES: `${stack}_`,
      PROXY_SERVICE_NAME: `${stack}_self`,
    });
    process.stdout.write(`proxy property: ${CASES} cases, ${REPLAY}\n`);
  });

  afterAll(async () => {
    await proxy?.stop();
    await Promise.all(
      created.map((id) =>
        docker
          .getService(id)
          .remove()
          .catch(() => undefined),
      ),
    );
  });

  describe(`when ${CASES} generated updates go through it`, () => {
    it('lets through only ForceUpdate, replica and same-repository tag changes, and leaves the spec of every refused one untouched', async () => {
      const all = plans(prng(SEED));
      const failures: string[] = [];
      const tally = new Map<string, number>();
      const count = (key: string) => tally.set(key, (tally.get(key) ?? 0) + 1);

      async function runCase(index: number, plan: Plan, lane: string): Promise<void> {
        const rng = prng(SEED ^ Math.imul(index + 1, 0x9e3779b1));
        const where = `seed ${SEED}, case ${index} (${describePlan(plan)})`;
        const id =
          plan.kind === 'update' && plan.target !== 'lane'
            ? plan.target === 'self'
              ? self
              : outsider
            : lane;
        if (plan.kind === 'rollback') {
          // A PreviousSpec that differs only in what the bot changes, the one the proxy used to
          // let `rollback=previous` restore: the bot rolls back by an explicit update instead.
          await direct(id, (spec) => applyAllowed(spec, plan.benign, rng));
          await settle(id);
        }
        const before = await inspect(id);
        const clean = structuredClone(before.Spec);
        const encoding =
          plan.kind === 'update' ? plan.encoding : (NEUTRAL_ENCODINGS[0] as Encoding);
        if (plan.kind === 'update') {
          for (const kind of plan.allowed) applyAllowed(clean, kind, rng);
          for (const i of plan.mutations) MUTATIONS[i]?.apply(clean, rng);
        }
        const decoy = structuredClone(clean);
        MUTATIONS[plan.kind === 'update' ? plan.decoy : 3]?.apply(decoy, rng);
        const built = encoding.build({
          clean,
          decoy,
          id: before.ID,
          name: String(before.Spec.Name),
          version: before.Version.Index,
          rng,
        });
        const wire: Wire = {
          body: built.body ?? Buffer.from(built.text ?? '', 'utf8'),
          chunks: built.chunks ?? 1,
          headers: built.headers ?? {},
        };
        const rollback = plan.kind === 'rollback' ? '&rollback=previous' : '';
        const path =
          built.path ??
          `/v1.41/services/${before.ID}/update?${built.query ?? `version=${built.version ?? before.Version.Index}${rollback}`}`;
        const answer = await post(proxy.port, path, wire);
        const after = await inspect(id);
        const accepted = answer.status >= 200 && answer.status < 300;
        const expectAccepted =
          plan.kind === 'update' &&
          plan.target === 'lane' &&
          plan.mutations.length === 0 &&
          !encoding.refused;
        const said = `${answer.status} ${answer.text.slice(0, 300)}`;

        // Ground truth from the Engine first: what changed, whatever the proxy answered.
        if (accepted) {
          const beyond = beyondThreeFields(before.Spec, after.Spec);
          if (beyond.length > 0)
            failures.push(`${where}: accepted and changed ${beyond.join(', ')}`);
        } else if (
          after.Version.Index !== before.Version.Index ||
          differences(before.Spec, after.Spec).length > 0
        ) {
          failures.push(
            `${where}: refused (${said}) but the service went from version ${before.Version.Index} to ${after.Version.Index}`,
          );
        }
        if (accepted !== expectAccepted) {
          failures.push(
            `${where}: expected ${expectAccepted ? 'accepted' : 'refused'}, got ${said}`,
          );
        } else if (accepted) {
          const off = differences(clean, after.Spec);
          if (off.length > 0)
            failures.push(
              `${where}: the Engine holds another spec than the one sent: ${off.join(', ')}`,
            );
        } else if (!answer.text.includes(REFUSAL)) {
          failures.push(`${where}: refused by the Engine, not by the proxy: ${said}`);
        } else if (plan.kind === 'rollback' && !answer.text.includes(ROLLBACK_REFUSAL)) {
          failures.push(`${where}: refused without saying why a rollback is refused: ${said}`);
        }
        if (accepted) {
          for (const kind of plan.kind === 'update' ? plan.allowed : []) count(`accepted ${kind}`);
          await settle(id);
        } else count(plan.kind === 'rollback' ? 'refused rollback=previous' : 'refused');
        if (plan.kind === 'update') {
          count(`encoding ${encoding.name}`);
          for (const i of plan.mutations) count(`mutation ${MUTATIONS[i]?.name}`);
        }
      }

      await Promise.all(
        lanes.map(async (lane, l) => {
          for (let index = l; index < all.length && failures.length === 0; index += LANES) {
            try {
              await runCase(index, all[index] as Plan, lane);
            } catch (error) {
              failures.push(
                `seed ${SEED}, case ${index} (${describePlan(all[index] as Plan)}): ${String(error)}`,
              );
            }
          }
        }),
      );

      expect(failures, REPLAY).toEqual([]);
      const tried = [
        'accepted force',
        'accepted replicas',
        'accepted tag',
        'refused',
        'refused rollback=previous',
        ...MUTATIONS.map((mutation) => `mutation ${mutation.name}`),
        ...[...REFUSED_ENCODINGS, ...NEUTRAL_ENCODINGS].map(
          (encoding) => `encoding ${encoding.name}`,
        ),
      ];
      for (const key of tried) expect(tally.get(key) ?? 0, `${key} (${REPLAY})`).toBeGreaterThan(0);
      // The service outside the prefix and the proxy's own service never moved.
      for (const [id, was] of untouched)
        expect((await inspect(id)).Version, `${id} (${REPLAY})`).toEqual(was.Version);
    }, 300_000);
  });
});
