import { z } from 'zod';
import { parseDuration } from '../lib/duration.js';
import { parseImageReference } from '../lib/image-reference.js';
import { redactPatternProblem } from '../lib/redact-extra-patterns.js';

/**
 * The one config file an operator writes. Validated once at boot; every problem is reported
 * at once with its path (see load-config.ts). Defaults live here, next to what they default.
 */

const duration = z
  .string()
  .refine((v) => parseDuration(v).ok, { message: 'expected a duration such as 30s, 15m, 2h or 1d' })
  .transform((v) => {
    const parsed = parseDuration(v);
    return parsed.ok ? parsed.value : 0;
  });

const name = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_.-]*$/i, 'use letters, digits, "-", "_" or "." (no spaces)');

const platformIds = z
  .object({
    slack: z
      .string()
      .regex(/^[UW][A-Z0-9]+$/, 'a Slack user id looks like U01ABCDEF')
      .optional(),
    discord: z
      .string()
      .regex(/^\d{15,22}$/, 'a Discord user id is a numeric snowflake, quoted in YAML')
      .optional(),
  })
  .strict();

const channelIds = z
  .object({
    slack: z
      .string()
      .regex(/^[CGD][A-Z0-9]+$/, 'a Slack channel id looks like C01ABCDEF')
      .optional(),
    discord: z
      .string()
      .regex(/^\d{15,22}$/, 'a Discord channel id is a numeric snowflake, quoted in YAML')
      .optional(),
    console: z.string().optional(),
  })
  .strict();

const httpProbe = z
  .object({
    name,
    url: z.url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' }),
    method: z.enum(['GET', 'HEAD', 'POST']).default('GET'),
    headers: z.record(z.string(), z.string()).default({}),
    expect: z
      .object({
        status: z
          .union([z.number().int().min(100).max(599), z.array(z.number().int().min(100).max(599))])
          .default(200),
        json: z.record(z.string(), z.unknown()).optional(),
      })
      .strict()
      .prefault({ status: 200 }),
    /** Body field naming the failing component (tripl reports `component`). */
    failureField: z.string().optional(),
    /** The service behind this route: its logs go into escalation bundles when the probe fails. */
    service: name.optional(),
    /**
     * Answers that mean the probe itself is wrong, not the system (Toucan's `/status` refuses a
     * request without its monitoring User-Agent): reported as a configuration problem, not an outage.
     */
    misconfigured: z
      .object({
        status: z.array(z.number().int().min(100).max(599)).min(1),
        hint: z.string().min(1).optional(),
      })
      .strict()
      .optional(),
    timeout: duration.prefault('5s'),
    /** A failing probe makes the environment DOWN unless marked `degraded`. */
    severity: z.enum(['down', 'degraded']).default('down'),
  })
  .strict();

const tcpProbe = z
  .object({
    name,
    tcp: z.string().regex(/^[^\s:]+:\d{1,5}$/, 'expected host:port, e.g. 127.0.0.1:27017'),
    service: name.optional(),
    timeout: duration.prefault('3s'),
    severity: z.enum(['down', 'degraded']).default('down'),
  })
  .strict();

const probe = z.union([httpProbe, tcpProbe]);

const roleList = z.array(name).default([]);

const operationPolicy = z
  .object({
    request: roleList,
    approve: roleList,
    approvals: z.number().int().min(1).max(5).default(1),
    expires: duration.prefault('15m'),
    /** Roles that may skip approval with a mandatory reason (loud notice, marked in audit). */
    breakGlass: roleList,
    /** At most `max` executions of this operation per service in `per`. */
    budget: z
      .object({ max: z.number().int().min(1), per: duration })
      .strict()
      .optional(),
  })
  .strict();

const policy = z
  .object({
    read: roleList,
    restart: operationPolicy.optional(),
    scale: operationPolicy.optional(),
    stop: operationPolicy.optional(),
    start: operationPolicy.optional(),
    rollback: operationPolicy.optional(),
    /** Who may `/tas escalate`; `read` when omitted (no default here, or the fallback never happens). */
    escalate: z.array(name).optional(),
  })
  .strict();

/** What `docker.host` and the `DOCKER_HOST` variable accept (docker-modem's forms). */
export const dockerHostPattern = /^(unix:\/\/\/.+|tcp:\/\/[^/]+:\d+|https?:\/\/[^/]+:\d+)$/;

const dockerConnection = z
  .object({
    /** When omitted: `DOCKER_HOST` from the process env if set, else the local socket (load-config.ts). */
    host: z
      .string()
      .regex(dockerHostPattern, {
        message: 'expected unix:///path/to/docker.sock or tcp://host:port',
      })
      .default('unix:///var/run/docker.sock'),
    timeout: duration.prefault('10s'),
  })
  .strict();

const logPattern = z
  .object({
    name: z.string().min(1),
    regex: z.string().refine(
      (source) => {
        try {
          new RegExp(source, 'i');
          return true;
        } catch {
          return false;
        }
      },
      { message: 'not a valid regular expression' },
    ),
  })
  .strict();

/** `platform: compose`: what the labels on the containers do not say. */
const composeOptions = z
  .object({
    /** One-shot services (tripl's `migrate`), OK once exited 0; those named in `depends_on: service_completed_successfully` are found without this. */
    oneShot: z.array(name).default([]),
  })
  .strict();

/** `platform: ecs`: the cluster and where to reach ECS; credentials come the standard AWS way. */
const ecsOptions = z
  .object({
    cluster: z.string().min(1),
    /** Chat name → ECS service name; a name in `services` without an entry is the ECS name itself. */
    services: z.record(name, z.string().min(1)).default({}),
    /** Defaults to the SDK's (AWS_REGION, the profile's region). */
    region: z
      .string()
      .regex(
        /^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d+$/,
        'an AWS region such as us-east-1 or us-gov-east-1',
      )
      .optional(),
    /** A private (VPC) endpoint for ECS. */
    endpoint: z
      .url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' })
      .optional(),
    /** A private (VPC) endpoint for CloudWatch Logs. */
    logsEndpoint: z
      .url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' })
      .optional(),
    /** The log group to read, when it is not the task definition's awslogs group. */
    logGroup: z.string().min(1).optional(),
    timeout: duration.prefault('10s'),
  })
  .strict();

/**
 * `images:`: where a rollback may take a service's image. A change of repository (registry or
 * path) is refused unless the target repository is listed here; a service's own repository
 * needs no entry.
 */
const imagesOptions = z
  .object({
    allowRepositories: z
      .array(
        z.string().refine(
          (text) => {
            const parsed = parseImageReference(text);
            return parsed.ok && parsed.value.tag === undefined && parsed.value.digest === undefined;
          },
          { message: 'expected a repository without tag or digest, e.g. ghcr.io/acme/app' },
        ),
      )
      .default([]),
  })
  .strict();

/**
 * `redact:`: credential shapes of this deployment that the built-in catalogue cannot know (an
 * internal ticket token, a partner's API key), each replaced by `[REDACTED:<name>]` wherever
 * text leaves the bot. A named group `secret` limits the marker to that part of the match.
 */
const redactOptions = z
  .object({
    patterns: z
      .array(
        z
          .object({
            name,
            regex: z.string().min(1),
            ignoreCase: z.boolean().default(false),
          })
          .strict()
          .superRefine((pattern, ctx) => {
            const problem = redactPatternProblem(pattern);
            if (problem !== undefined)
              ctx.addIssue({ code: 'custom', path: ['regex'], message: problem });
          }),
      )
      .default([]),
  })
  .strict();

export const environmentSchema = z
  .object({
    platform: z.enum(['swarm', 'compose', 'ecs']),
    stack: name,
    docker: dockerConnection.prefault({ host: 'unix:///var/run/docker.sock', timeout: '10s' }),
    compose: composeOptions.optional(),
    ecs: ecsOptions.optional(),
    images: imagesOptions.optional(),
    url: z.url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' }).optional(),
    facts: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
    /** Short service names in the runbook's stop order (start runs the reverse). */
    services: z.array(name).min(1, 'list the stack services in runbook stop order'),
    probes: z.array(probe).default([]),
    channels: z.record(z.string(), channelIds).default({}),
    policy: policy,
    watch: z
      .object({
        every: duration.prefault('1m'),
        escalateAfter: z.number().int().min(1).default(3),
        /** Checks a new state must hold before it is posted (flap damping); 1 posts at once. */
        confirm: z.number().int().min(1).default(2),
        /** Escalate again while still failing this long after the last escalation; never when omitted. */
        reescalateAfter: duration.optional(),
      })
      .strict()
      .optional(),
    restartLoop: z
      .object({ failures: z.number().int().min(1).default(3), window: duration.prefault('10m') })
      .strict()
      .prefault({ failures: 3, window: '10m' }),
    logs: z
      .object({
        patterns: z.array(logPattern).default([]),
        /** Stop scanning after this many bytes and say so in the reply. */
        maxBytes: z
          .number()
          .int()
          .min(1024)
          .default(1024 * 1024 * 1024),
        defaultSince: duration.prefault('15m'),
        defaultTail: z.number().int().min(1).default(200),
        /** Stop reading after this long (an Engine can hold a logs connection open) and say so. */
        maxSeconds: z.number().int().min(5).max(900).default(120),
      })
      .strict()
      .prefault({
        patterns: [],
        maxBytes: 1024 * 1024 * 1024,
        defaultSince: '15m',
        defaultTail: 200,
        maxSeconds: 120,
      }),
  })
  .strict()
  // Runs even when other fields have problems, so a missing `ecs` block is listed with them.
  .refine((env) => env.platform !== 'ecs' || env.ecs !== undefined, {
    path: ['ecs'],
    message: 'platform ecs needs an ecs block: ecs: { cluster: <cluster name>, region: <region> }',
    when: (payload) => {
      const value = payload.value as { platform?: unknown } | undefined;
      return value?.platform === 'ecs';
    },
  });

export const configSchema = z
  .object({
    command: z
      .string()
      .regex(/^[a-z][a-z0-9-]{0,31}$/, 'a lowercase slash-command name')
      .default('tas'),
    people: z.record(name, platformIds),
    roles: z.record(name, z.array(name)),
    /** Discord role ids that grant a config role: { "<role id>": lead }. */
    platformRoles: z
      .object({ discord: z.record(z.string().regex(/^\d{15,22}$/), name).default({}) })
      .strict()
      .default({ discord: {} }),
    defaultEnvironment: name.optional(),
    environments: z.record(name, environmentSchema),
    redact: redactOptions.prefault({ patterns: [] }),
  })
  .strict();

export type ConfigInput = z.input<typeof configSchema>;
export type Config = z.output<typeof configSchema>;
export type EnvironmentConfig = z.output<typeof environmentSchema>;
export type ProbeConfig = EnvironmentConfig['probes'][number];
export type OperationPolicy = z.output<typeof operationPolicy>;
/** The privileged operations, in the order help and policies list them. */
export const operationNames = ['restart', 'scale', 'stop', 'start', 'rollback'] as const;
export type OperationName = (typeof operationNames)[number];
