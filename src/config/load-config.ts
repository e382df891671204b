import fs from 'node:fs';
import { err, ok, type Result } from '../core/result.js';
import { formatPath, isWithin, issue, type ConfigIssue } from './config-issue.js';
import { crossCheck } from './cross-checks.js';
import { finding, type Finding } from './finding.js';
import { interpolate, type Env } from './interpolate.js';
import { parseYaml, type ParsedYaml } from './parse-yaml.js';
import { deepFreeze, isPlainObject, protoKeyPaths } from './plain-object.js';
import { redactText, redactValue } from './redact-config.js';
import { configSchema, type Config } from './schema.js';
import { zodFindings } from './zod-findings.js';

export type { ConfigIssue } from './config-issue.js';

/** A validated config, frozen, with what must never be shown. */
export interface LoadedConfig {
  /** Deep-frozen: any attempt to change it throws. */
  readonly config: Config;
  /** Every value interpolated from the env; redact each wherever text leaves the process. */
  readonly secrets: readonly string[];
  /** Problems that do not stop the bot (e.g. one person's requests can never be approved). */
  readonly warnings: readonly ConfigIssue[];
  /** The file it came from (`TAS_CHATOPS_CONFIG`). */
  readonly file: string;
  /** A copy safe to log: secrets, tokens and credential header values read `[redacted]`. */
  redacted(): unknown;
}

export type ReadFile = (path: string, encoding: 'utf8') => string;

const CONFIG_VAR = 'TAS_CHATOPS_CONFIG';

/**
 * Reads, interpolates and validates the YAML file named by `TAS_CHATOPS_CONFIG`. Every problem
 * is listed at once, each with its path, line and a hint; nothing is read from `process.env`.
 */
export function loadConfig(
  env: Env,
  readFile: ReadFile = fs.readFileSync,
): Result<LoadedConfig, ConfigIssue[]> {
  const file = env[CONFIG_VAR];
  if (file === undefined || file === '') {
    return err([
      issue(
        CONFIG_VAR,
        'is not set',
        `set ${CONFIG_VAR} to the path of the YAML config, e.g. ${CONFIG_VAR}=/etc/tas-chatops/config.yml`,
      ),
    ]);
  }
  let text: string;
  try {
    text = readFile(file, 'utf8');
  } catch (error) {
    return err([readIssue(file, error)]);
  }
  return parseConfig(text, env, file);
}

function readIssue(file: string, error: unknown): ConfigIssue {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const hints: Readonly<Record<string, string>> = {
    ENOENT: `check ${CONFIG_VAR}; a relative path is resolved from the bot's working directory`,
    EACCES: "the bot's user may not read it; check the file's owner and permissions",
    EISDIR: `point ${CONFIG_VAR} at the YAML file, not at its directory`,
  };
  const reason = error instanceof Error ? error.message : String(error);
  return issue(
    CONFIG_VAR,
    `cannot read ${file}: ${reason}`,
    hints[code ?? ''] ?? `check ${CONFIG_VAR}`,
  );
}

/** `loadConfig` on text already read: for `tas-chatops check` and tests. */
export function parseConfig(
  text: string,
  env: Env,
  file = '<config>',
): Result<LoadedConfig, ConfigIssue[]> {
  const parsed = parseYaml(text);
  if (!parsed.ok) return parsed;
  const { value } = parsed.value;
  if (!isPlainObject(value)) {
    const message =
      value === null ? 'the file is empty' : 'the top level must be a mapping (key: value)';
    return err([issue('', message, 'start from the complete example in the README')]);
  }
  const interpolated = interpolate(value, env);
  const origins = new Map<string, readonly string[]>(interpolated.origins);
  const input = applyDockerHostDefault(interpolated.value, env.DOCKER_HOST, origins);

  const early = [
    ...parsed.value.issues,
    ...interpolated.issues,
    ...protoKeyPaths(value).map((path) =>
      finding(path, 'the key "__proto__" is not allowed', 'rename or remove it'),
    ),
  ];
  // Interpreted, not JIT-compiled: zod would generate and compile a parser for every object
  // schema on its first use, which costs more than the one parse a process makes (~4 ms of a
  // cold `check`). Same checks, same issues.
  const result = configSchema.safeParse(input, { jitless: true });
  const schemaFindings = result.success
    ? []
    : withoutRepeats(
        zodFindings(result.error.issues, { schema: configSchema, input, origins }),
        early,
      );
  const cross = crossCheck(input);

  const secrets = Object.freeze([...interpolated.secrets]);
  const place = placeFinding(parsed.value, secrets);
  const errors = byLine([...early, ...schemaFindings, ...cross.errors].map(place));
  const warnings = Object.freeze(byLine([...parsed.value.warnings, ...cross.warnings.map(place)]));
  if (!result.success || errors.length > 0) {
    return err(errors.length > 0 ? errors : [issue('', 'the config does not match the schema')]);
  }

  const config = deepFreeze(result.data);
  return ok(
    Object.freeze({
      config,
      secrets,
      warnings,
      file,
      redacted: () => redactValue(config, secrets),
    }),
  );
}

/** A value that could not be read or interpolated is reported once, not again by the schema. */
function withoutRepeats(findings: readonly Finding[], early: readonly Finding[]): Finding[] {
  const reported = early.map((f) => formatPath(f.path));
  return findings.filter((f) => !reported.some((path) => isWithin(formatPath(f.path), path)));
}

/** `DOCKER_HOST` is the default for environments that name no `docker.host`; it overrides none. */
function applyDockerHostDefault(
  input: unknown,
  dockerHost: string | undefined,
  origins: Map<string, readonly string[]>,
): unknown {
  if (
    dockerHost === undefined ||
    dockerHost === '' ||
    !isPlainObject(input) ||
    !isPlainObject(input.environments)
  ) {
    return input;
  }
  for (const [name, environment] of Object.entries(input.environments)) {
    if (!isPlainObject(environment)) continue;
    if (environment.docker === undefined) environment.docker = {};
    if (isPlainObject(environment.docker) && environment.docker.host === undefined) {
      environment.docker.host = dockerHost;
      origins.set(formatPath(['environments', name, 'docker', 'host']), ['DOCKER_HOST']);
    }
  }
  return input;
}

function placeFinding(parsed: ParsedYaml, secrets: readonly string[]): (f: Finding) => ConfigIssue {
  return (f: Finding): ConfigIssue => {
    const at = parsed.locate(f.path);
    const message = redactText(f.message, secrets);
    const hint = f.hint === undefined ? {} : { hint: redactText(f.hint, secrets) };
    return {
      path: formatPath(f.path),
      message,
      ...hint,
      ...(at && { line: at.line, column: at.column }),
    };
  };
}

/** In file order, like a compiler; problems with no line keep their place at the end. */
function byLine(issues: ConfigIssue[]): ConfigIssue[] {
  return issues
    .map((item, index) => ({ item, index }))
    .sort((a, b) => (a.item.line ?? Infinity) - (b.item.line ?? Infinity) || a.index - b.index)
    .map(({ item }) => item);
}
