import * as z from 'zod';
import { duration, httpStatus, httpUrl, name } from './schema-fields.js';

/** An environment's `probes:`: HTTP routes and TCP ports checked by `/tas status`. */

const httpProbe = z
  .object({
    name,
    url: httpUrl(),
    method: z.enum(['GET', 'HEAD', 'POST']).default('GET'),
    headers: z.record(z.string(), z.string()).default({}),
    expect: z
      .object({
        status: z.union([httpStatus(), z.array(httpStatus())]).default(200),
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
        status: z.array(httpStatus()).min(1),
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

export const probe = z.union([httpProbe, tcpProbe]);
