import * as z from 'zod';
import { duration, httpUrl, name } from './schema-fields.js';

/** How an environment reaches its platform: `docker:` (Swarm and Compose), `compose:`, `ecs:`. */

/** What `docker.host` and the `DOCKER_HOST` variable accept (docker-modem's forms). */
export const dockerHostPattern = /^(unix:\/\/\/.+|tcp:\/\/[^/]+:\d+|https?:\/\/[^/]+:\d+)$/;

export const dockerConnection = z
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

/** `platform: compose`: what the labels on the containers do not say. */
export const composeOptions = z
  .object({
    /** One-shot services (tripl's `migrate`), OK once exited 0; those named in `depends_on: service_completed_successfully` are found without this. */
    oneShot: z.array(name).default([]),
  })
  .strict();

/** `platform: ecs`: the cluster and where to reach ECS; credentials come the standard AWS way. */
export const ecsOptions = z
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
    endpoint: httpUrl().optional(),
    /** A private (VPC) endpoint for CloudWatch Logs. */
    logsEndpoint: httpUrl().optional(),
    /** The log group to read, when it is not the task definition's awslogs group. */
    logGroup: z.string().min(1).optional(),
    timeout: duration.prefault('10s'),
  })
  .strict();
