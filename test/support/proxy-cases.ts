// Generated update requests for the socket proxy's property test: spec mutations the proxy must
// refuse, the three changes it must let through, and encodings of the same object (duplicate
// keys, escaped or case-folded key names, chunked bodies, extra query parameters) that a strict
// reader and the Engine's Go decoder could read differently.

export type Obj = Record<string, unknown>;

/** A seeded PRNG (mulberry32): the same seed gives the same cases, so a failure can be replayed. */
export function prng(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (below: number) => Math.floor(next() * below),
    chance: (p: number) => next() < p,
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T,
  };
}
export type Rng = ReturnType<typeof prng>;

export const obj = (value: unknown): Obj =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Obj) : {};
const arr = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
export const taskTemplate = (spec: Obj): Obj => obj(spec.TaskTemplate);
export const containerSpec = (spec: Obj): Obj => obj(taskTemplate(spec).ContainerSpec);

export interface Mutation {
  readonly name: string;
  apply(spec: Obj, rng: Rng): void;
}

const cs = containerSpec;
const tt = taskTemplate;
const m = (name: string, apply: Mutation['apply']): Mutation => ({ name, apply });

/** What an attacker with the proxy's port would add to a spec; none of it may get through. */
export const MUTATIONS: readonly Mutation[] = [
  m('env added', (s, r) => (cs(s).Env = [...arr(cs(s).Env), `INJECTED_${r.int(1000)}=1`])),
  m('env dropped', (s) => (cs(s).Env = [])),
  m('env changed', (s) => (cs(s).Env = ['BASE=2'])),
  m('bind mount of /', (s) => {
    cs(s).Mounts = [...arr(cs(s).Mounts), { Type: 'bind', Source: '/', Target: '/host' }];
  }),
  m('docker socket mount', (s) => {
    cs(s).Mounts = [{ Type: 'bind', Source: '/var/run/docker.sock', Target: '/d.sock' }];
  }),
  m('volume mount', (s) => (cs(s).Mounts = [{ Type: 'volume', Target: '/data' }])),
  m('capability added', (s) => (cs(s).CapabilityAdd = ['CAP_SYS_ADMIN'])),
  m('capability dropped', (s) => (cs(s).CapabilityDrop = ['CAP_CHOWN'])),
  m('network removed', (s) => (tt(s).Networks = [])),
  m('network added', (s) => {
    tt(s).Networks = [...arr(tt(s).Networks), { Target: 'ingress' }];
  }),
  m('service label', (s, r) => (s.Labels = { ...obj(s.Labels), [`evil${r.int(9)}`]: '1' })),
  m('container label', (s) => (cs(s).Labels = { 'com.docker.evil': '1' })),
  m('secret', (s) => {
    cs(s).Secrets = [
      {
        SecretID: 'x1',
        SecretName: 'tas_slack_bot_token',
        File: { Name: 't', UID: '0', GID: '0', Mode: 292 },
      },
    ];
  }),
  m('config', (s) => {
    cs(s).Configs = [{ ConfigID: 'c1', ConfigName: 'tas_chatops_config', Runtime: {} }];
  }),
  m('user root', (s) => (cs(s).User = '0:0')),
  m('groups', (s) => (cs(s).Groups = ['docker'])),
  m('command', (s) => (cs(s).Command = ['sh', '-c', 'cat /host/etc/shadow'])),
  m('args changed', (s) => (cs(s).Args = ['sh', '-c', 'id'])),
  m('args dropped', (s) => delete cs(s).Args),
  m('image repository', (s, r) => {
    cs(s).Image = r.pick([
      'evil/rootshell:1',
      'tas-fixture-evil:1',
      'docker.io/library/tas-fixture:1',
      'registry.evil:5000/tas-fixture:1',
      'tas-fixture/sub:1',
      'evil/tas-fixture:1',
    ]);
  }),
  m('placement constraints', (s) => (tt(s).Placement = { Constraints: [] })),
  m('placement preferences', (s) => {
    tt(s).Placement = {
      ...obj(tt(s).Placement),
      Preferences: [{ Spread: { SpreadDescriptor: 'node.id' } }],
    };
  }),
  m('max replicas', (s) => (tt(s).Placement = { ...obj(tt(s).Placement), MaxReplicas: 1 })),
  m(
    'resource limits',
    (s) => (tt(s).Resources = { Limits: { NanoCPUs: 1e9, MemoryBytes: 1 << 30 } }),
  ),
  m(
    'resource reservations',
    (s) => (tt(s).Resources = { Reservations: { MemoryBytes: 64 << 20 } }),
  ),
  m('privileges', (s) => (cs(s).Privileges = { SELinuxContext: { Disable: true } })),
  m('init', (s) => (cs(s).Init = true)),
  m('read-only off', (s) => (cs(s).ReadOnly = false)),
  m('healthcheck', (s) => (cs(s).Healthcheck = { Test: ['CMD-SHELL', 'wget -q 127.0.0.1'] })),
  m('dns', (s) => (cs(s).DNSConfig = { Nameservers: ['127.0.0.53'] })),
  m('hosts', (s) => (cs(s).Hosts = ['127.0.0.2 registry.internal'])),
  m('sysctls', (s) => (cs(s).Sysctls = { 'net.ipv4.ip_unprivileged_port_start': '0' })),
  m('ulimits', (s) => (cs(s).Ulimits = [{ Name: 'nofile', Soft: 1, Hard: 1 }])),
  m('hostname', (s) => (cs(s).Hostname = 'evil')),
  m('working dir', (s) => (cs(s).Dir = '/host')),
  m('tty', (s) => (cs(s).TTY = true)),
  m('stop signal', (s) => (cs(s).StopSignal = 'SIGKILL')),
  m('isolation', (s) => (cs(s).Isolation = 'hyperv')),
  m('log driver', (s) => {
    tt(s).LogDriver = { Name: 'syslog', Options: { 'syslog-address': 'udp://127.0.0.1:514' } };
  }),
  m('restart policy', (s) => (tt(s).RestartPolicy = { Condition: 'any' })),
  m('runtime', (s) => (tt(s).Runtime = 'plugin')),
  m('plugin spec', (s) => (tt(s).PluginSpec = { Name: 'evil', Remote: 'evil/plugin' })),
  m('global mode', (s) => (s.Mode = { Global: {} })),
  m(
    'published port',
    (s) => (s.EndpointSpec = { Ports: [{ TargetPort: 22, PublishedPort: 2222 }] }),
  ),
  m('update config', (s) => (s.UpdateConfig = { Parallelism: 0, FailureAction: 'continue' })),
  m('rollback config', (s) => (s.RollbackConfig = { Parallelism: 0, Order: 'start-first' })),
  m('rename', (s) => (s.Name = `${String(s.Name)}x`)),
  m('unknown field', (s) => (s.Evil = { Mounts: [] })),
  m('ForceUpdate as a string', (s) => (tt(s).ForceUpdate = '99')),
  m('negative replicas', (s) => (s.Mode = { Replicated: { Replicas: -1 } })),
  m('image as an array', (s) => (cs(s).Image = ['tas-fixture:1'])),
  m('container spec dropped', (s) => delete tt(s).ContainerSpec),
];

/** The fields the bot may change, each to a value other than the current one. */
export type Allowed = 'force' | 'replicas' | 'tag';
export const TAGS = ['1', '2', '3', 'beta', '5.15.2'];

export function applyAllowed(spec: Obj, kind: Allowed, rng: Rng): void {
  if (kind === 'force') {
    tt(spec).ForceUpdate = Number(tt(spec).ForceUpdate ?? 0) + 1 + rng.int(3);
  } else if (kind === 'replicas') {
    const replicated = obj(obj(spec.Mode).Replicated);
    const current = Number(replicated.Replicas ?? 0);
    replicated.Replicas = rng.pick([0, 1, 2].filter((n) => n !== current));
  } else {
    const current = String(cs(spec).Image);
    cs(spec).Image = rng.pick(TAGS.map((tag) => `tas-fixture:${tag}`).filter((i) => i !== current));
  }
}

/** A JSON object written entry by entry, so a key can repeat or be spelt otherwise. */
export interface RawObject {
  readonly rawEntries: readonly (readonly [keyText: string, value: unknown])[];
}
/** Literal JSON text, for numbers a double cannot hold. */
export interface RawText {
  readonly rawText: string;
}
const isRaw = (value: unknown): value is RawObject =>
  value !== null && typeof value === 'object' && 'rawEntries' in value;
const isRawText = (value: unknown): value is RawText =>
  value !== null && typeof value === 'object' && 'rawText' in value;

export interface Style {
  key(key: string): string;
  string(value: string): string;
  number(value: number): string;
}
export const plainStyle: Style = {
  key: (key) => JSON.stringify(key),
  string: (value) => JSON.stringify(value),
  number: (value) => String(value),
};

const unicodeEscape = (char: string) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** Keys and strings with some characters as `\u` escapes, integers as `5.0`: the same object. */
export function escapingStyle(rng: Rng): Style {
  const escape = (text: string) =>
    `"${[...text]
      .map((char) =>
        rng.chance(0.3) || char < ' ' || char === '"' || char === '\\' || char.length > 1
          ? char
              .split('')
              .map((unit) => unicodeEscape(unit))
              .join('')
          : char,
      )
      .join('')}"`;
  return {
    key: escape,
    string: escape,
    number: (value) => (Number.isInteger(value) && rng.chance(0.5) ? `${value}.0` : String(value)),
  };
}

export function writeJson(value: unknown, style: Style = plainStyle): string {
  if (isRaw(value))
    return `{${value.rawEntries.map(([key, v]) => `${key}:${writeJson(v, style)}`).join(',')}}`;
  if (isRawText(value)) return value.rawText;
  if (Array.isArray(value)) return `[${value.map((v) => writeJson(v, style)).join(',')}]`;
  if (value !== null && typeof value === 'object')
    return `{${Object.entries(value)
      .map(([key, v]) => `${style.key(key)}:${writeJson(v, style)}`)
      .join(',')}}`;
  if (typeof value === 'number') return style.number(value);
  if (typeof value === 'string') return style.string(value);
  return JSON.stringify(value);
}

/** `{ key: value, ...rest }` as raw entries, the extra entry first. */
export function withEntryFirst(keyText: string, value: unknown, rest: Obj): RawObject {
  return {
    rawEntries: [
      [keyText, value],
      ...Object.entries(rest).map(([k, v]) => [JSON.stringify(k), v] as const),
    ],
  };
}

export function withEntryLast(rest: Obj, keyText: string, value: unknown): RawObject {
  return {
    rawEntries: [
      ...Object.entries(rest).map(([k, v]) => [JSON.stringify(k), v] as const),
      [keyText, value],
    ],
  };
}

/** What goes on the wire for one case. */
export interface Wire {
  readonly body: Buffer;
  readonly chunks: number;
  readonly headers: Record<string, string>;
  /** Replaces `version=N` (the query string without `?`). */
  readonly query?: string;
  /** Replaces the whole request path. */
  readonly path?: string;
  /** Replaces the version in the query. */
  readonly version?: number;
}

export interface EncodingContext {
  readonly clean: Obj;
  readonly decoy: Obj;
  readonly id: string;
  readonly name: string;
  readonly version: number;
  readonly rng: Rng;
}

export interface Encoding {
  readonly name: string;
  /** The proxy refuses it whatever the object says. */
  readonly refused: boolean;
  build(context: EncodingContext): Partial<Wire> & { text?: string };
}

const e = (name: string, refused: boolean, build: Encoding['build']): Encoding => ({
  name,
  refused,
  build,
});

/** Encodings of the same object: the proxy must judge the object, not the spelling. */
export const NEUTRAL_ENCODINGS: readonly Encoding[] = [
  e('plain', false, ({ clean }) => ({ text: JSON.stringify(clean) })),
  e('indented', false, ({ clean, rng }) => ({
    text: `\r\n ${JSON.stringify(clean, null, rng.pick([1, 2, '\t']))}\n\t `,
  })),
  e('escaped keys and strings, 5.0 integers', false, ({ clean, rng }) => ({
    text: writeJson(clean, escapingStyle(rng)),
  })),
  e('chunked', false, ({ clean, rng }) => ({
    text: JSON.stringify(clean),
    chunks: 2 + rng.int(7),
  })),
  e('X-Registry-Auth header', false, ({ clean }) => ({
    text: JSON.stringify(clean),
    headers: {
      'X-Registry-Auth': Buffer.from(
        '{"username":"evil","password":"x","serveraddress":"127.0.0.1:5000"}',
      ).toString('base64url'),
    },
  })),
  e('text/plain content type', false, ({ clean }) => ({
    text: JSON.stringify(clean),
    headers: { 'Content-Type': 'text/plain' },
  })),
  e('name in the path', false, ({ clean, name, version }) => ({
    text: JSON.stringify(clean),
    path: `/v1.41/services/${name}/update?version=${version}`,
  })),
];

const decoyTemplate = (decoy: Obj) => decoy.TaskTemplate;

/** Encodings the proxy refuses outright, however harmless the object they carry. */
export const REFUSED_ENCODINGS: readonly Encoding[] = [
  e('duplicate TaskTemplate, hostile first', true, ({ clean, decoy }) => ({
    text: writeJson(withEntryFirst('"TaskTemplate"', decoyTemplate(decoy), clean)),
  })),
  e('duplicate TaskTemplate spelt Task\\u0054emplate', true, ({ clean, decoy }) => ({
    text: writeJson(withEntryFirst('"Task\\u0054emplate"', decoyTemplate(decoy), clean)),
  })),
  e('duplicate TaskTemplate, hostile last', true, ({ clean, decoy }) => ({
    text: writeJson(withEntryLast(clean, '"TaskTemplate"', decoyTemplate(decoy))),
  })),
  e('duplicate key inside ContainerSpec', true, ({ clean, rng }) => {
    const inner = containerSpec(clean);
    const key = JSON.stringify(rng.pick(Object.keys(inner)));
    const hostile = rng.pick<unknown>([
      ['EVIL=1'],
      [{ Type: 'bind', Source: '/', Target: '/host' }],
      '0:0',
    ]);
    const template = { ...taskTemplate(clean), ContainerSpec: withEntryFirst(key, hostile, inner) };
    return { text: writeJson({ ...clean, TaskTemplate: template }) };
  }),
  e('duplicate key inside an array element', true, ({ clean }) => {
    const template = taskTemplate(clean);
    const networks = arr(template.Networks).map((n, i) =>
      i === 0 ? withEntryFirst('"Target"', 'ingress', obj(n)) : n,
    );
    return { text: writeJson({ ...clean, TaskTemplate: { ...template, Networks: networks } }) };
  }),
  e('duplicate Mode with other replicas', true, ({ clean }) => ({
    text: writeJson(withEntryFirst('"Mode"', { Replicated: { Replicas: 3 } }, clean)),
  })),
  e('a second object after the first', true, ({ clean, decoy }) => ({
    text: `${JSON.stringify(clean)}\n${JSON.stringify(decoy)}`,
  })),
  e('an array around the object', true, ({ clean }) => ({ text: `[${JSON.stringify(clean)}]` })),
  e('a byte order mark', true, ({ clean }) => ({ text: `\ufeff${JSON.stringify(clean)}` })),
  e('invalid UTF-8 in a label', true, ({ clean }) => {
    const [head = '', tail = ''] = writeJson(
      withEntryLast(clean, '"Labels2"', { rawText: '"@@"' }),
    ).split('@@');
    return {
      body: Buffer.concat([Buffer.from(head), Buffer.from([0xc3, 0x28]), Buffer.from(tail)]),
    };
  }),
  e('a lone surrogate in a key', true, ({ clean }) => ({
    text: writeJson(withEntryLast(clean, '"TaskTemplate\\ud800"', {})),
  })),
  e('a __proto__ key', true, ({ clean, decoy }) => ({
    text: writeJson(withEntryLast(clean, '"__proto__"', decoy)),
  })),
  e('an integer a double cannot hold', true, ({ clean }) => ({
    text: writeJson({
      ...clean,
      TaskTemplate: withEntryLast(
        Object.fromEntries(
          Object.entries(taskTemplate(clean)).filter(([k]) => k !== 'ForceUpdate'),
        ),
        '"ForceUpdate"',
        { rawText: '9007199254740993' },
      ),
    }),
  })),
  e('TaskTemplate shadowed by another case', true, ({ clean, decoy, rng }) => ({
    text: writeJson(
      withEntryLast(
        clean,
        JSON.stringify(rng.pick(['taskTemplate', 'TASKTEMPLATE', 'tasktemplate', 'TaskTemplatE'])),
        decoyTemplate(decoy),
      ),
    ),
  })),
  e('TaskTemplate shadowed by Unicode case folding (ſ, K)', true, ({ clean, decoy, rng }) => ({
    text: writeJson(
      withEntryLast(
        clean,
        JSON.stringify(rng.pick(['Ta\u017fkTemplate', 'Tas\u212aTemplate'])),
        decoyTemplate(decoy),
      ),
    ),
  })),
  e('ContainerSpec field shadowed by another case', true, ({ clean, rng }) => {
    const [key, value] = rng.pick<[string, unknown]>([
      ['mounts', [{ Type: 'bind', Source: '/', Target: '/host' }]],
      ['u\u017fer', '0:0'],
      ['capabilityAdd', ['CAP_SYS_ADMIN']],
      ['ENV', ['EVIL=1']],
      ['image', 'evil/rootshell:1'],
    ]);
    const template = taskTemplate(clean);
    return {
      text: writeJson({
        ...clean,
        TaskTemplate: {
          ...template,
          ContainerSpec: withEntryLast(containerSpec(clean), JSON.stringify(key), value),
        },
      }),
    };
  }),
  ...[
    (v: number) => `version=${v}&registryAuthFrom=previous-spec`,
    (v: number) => `version=${v}&registryAuthFrom=spec`,
    (v: number) => `version=${v}&version=${v}`,
    (v: number) => `version=${v}&rollback=none`,
    (v: number) => `version=${v}&rollback=previous`,
    (v: number) => `version=${v}&rollback=previous&rollback=previous`,
    (v: number) => `version=${v};rollback=previous`,
    (v: number) => `version=${v}&insertDefaults=true`,
    (v: number) => `version=${v}&`,
    (v: number) => `Version=${v}`,
    (v: number) => `version=%3${String(v).slice(0, 1)}${String(v).slice(1)}`,
    (v: number) => `version=+${v}`,
    () => '',
  ].map((query) =>
    e(`query ${query(1)}`, true, ({ clean, version }) => ({
      text: JSON.stringify(clean),
      query: query(version),
    })),
  ),
  ...[
    (id: string, v: number) => `/v1.41/services/${id}%2Fupdate?version=${v}`,
    (id: string, v: number) => `/v1.41/services/./${id}/update?version=${v}`,
    (id: string, v: number) => `/v1.41//services/${id}/update?version=${v}`,
    (id: string, v: number) => `/v1.41/services/x/../${id}/update?version=${v}`,
    (id: string, v: number) => `/v1.40/services/${id}/update?version=${v}`,
    (id: string, v: number) => `/services/${id}/update?version=${v}`,
    (id: string, v: number) => `/v1.41/services/${id}/update/?version=${v}`,
    (id: string, v: number) => `/v1.41/services/${id}/update#?version=${v}`,
    (id: string, v: number) => `/v1.41/services/${id}/update%3Fversion=${v}`,
  ].map((path) =>
    e(`path ${path('ID', 1)}`, true, ({ clean, id, version }) => ({
      text: JSON.stringify(clean),
      path: path(id, version),
    })),
  ),
  e('a stale version', true, ({ clean, version }) => ({
    text: JSON.stringify(clean),
    version: version - 1,
  })),
  e('a future version', true, ({ clean, version }) => ({
    text: JSON.stringify(clean),
    version: version + 1000,
  })),
];
