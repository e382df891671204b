import { operationNames, type OperationName } from './schema-policy.js';
import { isPlainObject, type PlainObject } from './plain-object.js';

/**
 * The config as written: the parts the cross-checks read, taken from the raw (interpolated,
 * unvalidated) data so they run even when zod has found problems elsewhere. Whatever has the
 * wrong shape is left out here: zod reports it.
 */
export interface ConfigAsWritten {
  readonly people: ReadonlyMap<
    string,
    { readonly slack?: unknown; readonly discord?: unknown; readonly mattermost?: unknown }
  >;
  readonly roles: ReadonlyMap<string, readonly ListEntry[]>;
  readonly discordRoles: readonly (readonly [id: string, role: string])[];
  readonly defaultEnvironment: string | undefined;
  readonly environments: readonly EnvironmentAsWritten[] | undefined;
}

/** One string of a list, with its index there (a finding's path points at it). */
export interface ListEntry {
  readonly index: number;
  readonly value: string;
}

/** The string lists of a section, by field. */
type Lists<Field extends string> = { readonly [F in Field]: readonly ListEntry[] };

/**
 * One environment. `probeNames` and `probeServices` are `probes[i].name` and, where given,
 * `probes[i].service` (the service whose logs go with the probe); `patternNames` are
 * `logs.patterns[i].name`; `read` and `escalate` are the policy's role lists.
 */
export interface EnvironmentAsWritten extends Lists<
  'services' | 'probeNames' | 'probeServices' | 'patternNames' | 'read' | 'escalate'
> {
  readonly name: string;
  readonly channels: readonly ChannelAsWritten[];
  readonly operations: readonly OperationAsWritten[];
  /** `undefined`: no watch; otherwise whether `escalateAfter` is written out. */
  readonly watch: { readonly escalateAfterWritten: boolean } | undefined;
}

/** `channels.<key>.<platform>: <id>`, one per id. */
export interface ChannelAsWritten {
  readonly key: string;
  readonly platform: string;
  readonly id: string;
}

/** `policy.<operation>`: its role lists and how many approvals it needs. */
export interface OperationAsWritten extends Lists<'request' | 'approve' | 'breakGlass'> {
  readonly name: OperationName;
  readonly approvals: number;
}

const object = (value: unknown): PlainObject => (isPlainObject(value) ? value : {});

function entries(value: unknown): ListEntry[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item: unknown, index) =>
    typeof item === 'string' ? [{ index, value: item }] : [],
  );
}

function names(list: unknown, field: string): ListEntry[] {
  if (!Array.isArray(list)) return [];
  return list.flatMap((item: unknown, index) => {
    const value = object(item)[field];
    return typeof value === 'string' ? [{ index, value }] : [];
  });
}

function channels(value: unknown): ChannelAsWritten[] {
  return Object.entries(object(value)).flatMap(([key, ids]) =>
    Object.entries(object(ids)).flatMap(([platform, id]) =>
      typeof id === 'string' ? [{ key, platform, id }] : [],
    ),
  );
}

function operations(policy: PlainObject): OperationAsWritten[] {
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

function environment(name: string, raw: PlainObject): EnvironmentAsWritten {
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

/** Reads what `raw` says, field by field, leaving out what has the wrong shape. */
export function readConfigAsWritten(raw: unknown): ConfigAsWritten {
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
