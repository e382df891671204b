import * as z from 'zod';
import { channelIds, platformIds } from './schema-chat-ids.js';
import { duration, httpUrl, name } from './schema-fields.js';
import { logPattern, redactOptions } from './schema-patterns.js';
import { composeOptions, dockerConnection, ecsOptions } from './schema-platforms.js';
import { imagesOptions, policy } from './schema-policy.js';
import { probe } from './schema-probes.js';

/**
 * The one config file an operator writes. Validated once at boot; every problem is reported
 * at once with its path (see load-config.ts). Defaults live here and in the section files
 * (schema-*.ts), next to what they default.
 *
 * `import * as z`, not `import { z }`: a bundler can then leave out the parts of zod the schema
 * does not use (its 60 locales are three quarters of it), which every CLI start would parse.
 */

const watch = z
  .object({
    every: duration.prefault('1m'),
    escalateAfter: z.number().int().min(1).default(3),
    /** Checks a new state must hold before it is posted (flap damping); 1 posts at once. */
    confirm: z.number().int().min(1).default(2),
    /** Escalate again while still failing this long after the last escalation; never when omitted. */
    reescalateAfter: duration.optional(),
  })
  .strict();

const logs = z
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
  .strict();

export const environmentSchema = z
  .object({
    platform: z.enum(['swarm', 'compose', 'ecs']),
    stack: name,
    docker: dockerConnection.prefault({ host: 'unix:///var/run/docker.sock', timeout: '10s' }),
    compose: composeOptions.optional(),
    ecs: ecsOptions.optional(),
    images: imagesOptions.optional(),
    url: httpUrl().optional(),
    facts: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
    /** Short service names in the runbook's stop order (start runs the reverse). */
    services: z.array(name).min(1, 'list the stack services in runbook stop order'),
    probes: z.array(probe).default([]),
    channels: z.record(z.string(), channelIds).default({}),
    policy: policy,
    watch: watch.optional(),
    restartLoop: z
      .object({ failures: z.number().int().min(1).default(3), window: duration.prefault('10m') })
      .strict()
      .prefault({ failures: 3, window: '10m' }),
    logs: logs.prefault({
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
export type { OperationPolicy } from './schema-policy.js';
