import { operationNames, type OperationName } from './schema.js';
import { isPlainObject, type PlainObject } from './plain-object.js';

/**
 * The parts of a config the cross-checks read, taken from the raw (interpolated, unvalidated)
 * data so they run even when zod has found problems elsewhere. Whatever has the wrong shape is
 * left out here: zod reports it.
 */
export interface LooseConfig {
  readonly people: ReadonlyMap<string, { readonly slack?: unknown; readonly discord?: unknown }>;
  readonly roles: ReadonlyMap<string, readonly Entry[]>;
  readonly discordRoles: readonly (readonly [id: string, role: string])[];
  readonly defaultEnvironment: string | undefined;
  readonly environments: readonly LooseEnvironment[] | undefined;
}

export interface Entry {
  readonly index: number;
  readonly value: string;
}

export interface LooseEnvironment {
  readonly name: string;
  readonly services: readonly Entry[];
  readonly probeNames: readonly Entry[];
  /** `probes[i].service`, where given: the service whose logs go with the probe. */
  readonly probeServices: readonly Entry[];
  readonly patternNames: readonly Entry[];
  readonly channels: readonly LooseChannel[];
  readonly read: readonly Entry[];
  readonly escalate: readonly Entry[];
  readonly operations: readonly LooseOperation[];
  /** `undefined`: no watch; otherwise whether `escalateAfter` is written out. */
  readonly watch: { readonly escalateAfterWritten: boolean } | undefined;
}

export interface LooseChannel {
  readonly key: string;
  readonly platform: string;
  readonly id: string;
}

export interface LooseOperation {
  readonly name: OperationName;
  readonly request: readonly Entry[];
  readonly approve: readonly Entry[];
  readonly breakGlass: readonly Entry[];
  readonly approvals: number;
}

const object = (value: unknown): PlainObject => (isPlainObject(value) ? value : {});

function entries(value: unknown): Entry[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item: unknown, index) =>
    typeof item === 'string' ? [{ index, value: item }] : [],
  );
}

function names(list: unknown, field: string): Entry[] {
  if (!Array.isArray(list)) return [];
  return list.flatMap((item: unknown, index) => {
    const value = object(item)[field];
    return typeof value === 'string' ? [{ index, value }] : [];
  });
}

function channels(value: unknown): LooseChannel[] {
  return Object.entries(object(value)).flatMap(([key, ids]) =>
    Object.entries(object(ids)).flatMap(([platform, id]) =>
      typeof id === 'string' ? [{ key, platform, id }] : [],
    ),
  );
}

function operations(policy: PlainObject): LooseOperation[] {
  return operationNames.flatMap((name) => {
    if (!isPlainObject(policy[name])) return [];
    const op = policy[name];
    const approvals = typeof op.approvals === 'number' ? op.approvals : 1;
    return [
      {
        name,
        request: entries(op.request),
        approve: entries(op.approve),
        breakGlass: entries(op.breakGlass),
        approvals,
      },
    ];
  });
}

function environment(name: string, raw: PlainObject): LooseEnvironment {
  const policy = object(raw.policy);
  const watch = isPlainObject(raw.watch)
    ? { escalateAfterWritten: raw.watch.escalateAfter !== undefined }
    : undefined;
  return {
    name,
    services: entries(raw.services),
    probeNames: names(raw.probes, 'name'),
    probeServices: names(raw.probes, 'service'),
    patternNames: names(object(raw.logs).patterns, 'name'),
    channels: channels(raw.channels),
    read: entries(policy.read),
    escalate: entries(policy.escalate),
    operations: operations(policy),
    watch,
  };
}

export function looseConfig(raw: unknown): LooseConfig {
  const root = object(raw);
  const people = new Map(
    Object.entries(object(root.people)).map(([name, ids]) => [name, object(ids)]),
  );
  const roles = new Map(
    Object.entries(object(root.roles)).map(([role, list]) => [role, entries(list)]),
  );
  const discordRoles = Object.entries(object(object(root.platformRoles).discord)).flatMap(
    ([id, role]) => (typeof role === 'string' ? [[id, role] as const] : []),
  );
  const environments = isPlainObject(root.environments)
    ? Object.entries(root.environments).map(([name, env]) => environment(name, object(env)))
    : undefined;
  const defaultEnvironment =
    typeof root.defaultEnvironment === 'string' ? root.defaultEnvironment : undefined;
  return { people, roles, discordRoles, defaultEnvironment, environments };
}
