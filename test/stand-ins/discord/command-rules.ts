import { isObject, type Json } from './stand-in-state.js';

/**
 * Application command rules from discord-api-docs `interactions/application-commands.mdx`:
 * names 1–32 lowercase `[-_\p{L}\p{N}]`, descriptions 1–100, ≤ 25 options and choices,
 * required options before optional ones, autocomplete only on string/number options and
 * never with choices, subcommands one level deep.
 */
const NAME = /^[-_\p{Ll}\p{Lo}\p{N}]{1,32}$/u;
export const OPTION = {
  subcommand: 1,
  group: 2,
  string: 3,
  integer: 4,
  boolean: 5,
  number: 10,
} as const;

function optionProblems(options: unknown, at: string, depth: number, problems: string[]): void {
  if (options === undefined) return;
  if (!Array.isArray(options)) return void problems.push(`${at}.options: must be an array`);
  if (options.length > 25) problems.push(`${at}.options: ${options.length} options, at most 25`);
  const names = new Set<string>();
  let optionalSeen = false;
  options.forEach((raw: unknown, i) => {
    const o = isObject(raw) ? raw : {};
    const where = `${at}.options.${i}`;
    if (typeof o.name !== 'string' || !NAME.test(o.name))
      problems.push(`${where}.name: ${JSON.stringify(o.name)} is not a valid option name`);
    else if (names.has(o.name)) problems.push(`${where}.name: duplicate ${o.name}`);
    else names.add(o.name);
    if (typeof o.description !== 'string' || o.description.length < 1 || o.description.length > 100)
      problems.push(`${where}.description: must be 1-100 characters`);
    if (o.type === OPTION.subcommand || o.type === OPTION.group) {
      if (depth >= (o.type === OPTION.group ? 1 : 2))
        problems.push(`${where}: subcommands nest one level only`);
      optionProblems(o.options, where, depth + 1, problems);
      return;
    }
    if (
      ![OPTION.string, OPTION.integer, OPTION.boolean, OPTION.number, 6, 7, 8, 9, 11].includes(
        o.type as never,
      )
    )
      problems.push(`${where}.type: unknown option type ${String(o.type)}`);
    if (o.required === true && optionalSeen)
      problems.push(`${where}: required options must come before optional ones`);
    if (o.required !== true) optionalSeen = true;
    const choices = o.choices;
    if (choices !== undefined && (!Array.isArray(choices) || choices.length > 25))
      problems.push(`${where}.choices: at most 25`);
    if (o.autocomplete === true) {
      if (![OPTION.string, OPTION.integer, OPTION.number].includes(o.type as never))
        problems.push(`${where}.autocomplete: only for string, integer and number options`);
      if (Array.isArray(choices) && choices.length > 0)
        problems.push(`${where}.autocomplete: cannot be combined with choices`);
    }
  });
}

export function commandProblems(command: unknown, i: number): string[] {
  const problems: string[] = [];
  const c = isObject(command) ? command : {};
  const at = `${i}`;
  if (typeof c.name !== 'string' || !NAME.test(c.name))
    problems.push(`${at}.name: ${JSON.stringify(c.name)} is not a valid command name`);
  if (
    (c.type ?? 1) === 1 &&
    (typeof c.description !== 'string' || c.description.length < 1 || c.description.length > 100)
  ) {
    problems.push(`${at}.description: must be 1-100 characters`);
  }
  optionProblems(c.options, at, 0, problems);
  return problems;
}

/** The option a subcommand declares under `name`, or undefined. */
export function declaredOption(command: Json, subcommand: string, name: string): Json | undefined {
  const sub = (command.options as Json[] | undefined)?.find(
    (o) => o.type === OPTION.subcommand && o.name === subcommand,
  );
  return (sub?.options as Json[] | undefined)?.find((o) => o.name === name);
}

export type OptionValue = string | number | boolean;

/**
 * The `data.options` Discord sends for `/command subcommand` with these values, or an error
 * saying why Discord's client would not let anyone send it (unknown option, wrong type, a
 * missing required option, a value outside the choices).
 */
export function invocationOptions(
  command: Json,
  subcommand: string,
  values: Readonly<Record<string, OptionValue>>,
  focused?: string,
): Json[] {
  const sub = (command.options as Json[] | undefined)?.find(
    (o) => o.type === OPTION.subcommand && o.name === subcommand,
  );
  if (sub === undefined)
    throw new Error(`/${String(command.name)} has no subcommand ${subcommand}`);
  const declared = (sub.options as Json[] | undefined) ?? [];
  for (const name of Object.keys(values)) {
    if (!declared.some((o) => o.name === name))
      throw new Error(
        `/${String(command.name)} ${subcommand} has no option ${name}; it has ${declared.map((o) => String(o.name)).join(', ')}`,
      );
  }
  const options: Json[] = [];
  for (const o of declared) {
    const value = values[String(o.name)];
    if (value === undefined) {
      if (o.required === true && focused === undefined)
        throw new Error(`option ${String(o.name)} is required`);
      continue;
    }
    const isFocused = focused === o.name;
    if (isFocused && o.autocomplete !== true)
      throw new Error(`option ${String(o.name)} does not autocomplete`);
    const type = o.type;
    const ok = isFocused
      ? typeof value === 'string'
      : (type === OPTION.string && typeof value === 'string') ||
        (type === OPTION.integer && Number.isInteger(value)) ||
        (type === OPTION.number && typeof value === 'number') ||
        (type === OPTION.boolean && typeof value === 'boolean');
    if (!ok)
      throw new Error(
        `option ${String(o.name)} (type ${String(type)}) cannot take ${JSON.stringify(value)}`,
      );
    const choices = o.choices as Json[] | undefined;
    if (
      !isFocused &&
      choices !== undefined &&
      choices.length > 0 &&
      !choices.some((c) => c.value === value)
    ) {
      throw new Error(
        `option ${String(o.name)} only takes ${choices.map((c) => JSON.stringify(c.value)).join(', ')}`,
      );
    }
    options.push({ type, name: o.name, value, ...(isFocused && { focused: true }) });
  }
  return [{ type: OPTION.subcommand, name: subcommand, options }];
}
