import * as z from 'zod';
import { redactPatternProblem } from '../lib/redact-extra-patterns.js';
import { name } from './schema-fields.js';

/** Regular expressions a team adds: log patterns per environment, redaction patterns overall. */

export const logPattern = z
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

/**
 * `redact:`: credential shapes of this deployment that the built-in catalogue cannot know (an
 * internal ticket token, a partner's API key), each replaced by `[REDACTED:<name>]` wherever
 * text leaves the bot. A named group `secret` limits the marker to that part of the match.
 */
export const redactOptions = z
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
