export type StrictJsonObject = { [key: string]: StrictJson };
export type StrictJson = null | boolean | number | string | StrictJson[] | StrictJsonObject;

export type StrictJsonResult =
  | { readonly ok: true; readonly value: StrictJsonObject }
  | { readonly ok: false; readonly reason: string };

/** Far deeper than any service spec (about 8 levels), far shallower than a stack overflow. */
const MAX_DEPTH = 64;
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

class StrictJsonError extends Error {}

/**
 * Parses an update body the way nobody downstream can read differently: a JSON object at the
 * top, nothing after it, well-formed UTF-8, no lone surrogate, no key twice in one object, no
 * `__proto__` key, integers only where a double holds them exactly. `JSON.parse` keeps the last
 * of two equal keys while the Engine's Go decoder merges both into the same struct field, and Go
 * turns every lone surrogate into U+FFFD, so two keys that differ here could be one key there;
 * refusing all of it leaves one reading, the one the proxy checks and then serialises itself.
 */
export function parseStrictJson(bytes: Uint8Array): StrictJsonResult {
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    return { ok: false, reason: 'the body is not valid UTF-8' };
  }
  try {
    const parser = new Parser(text);
    parser.space();
    if (text[parser.at] !== '{') throw new StrictJsonError('the body is not a JSON object');
    const value = parser.value(0) as StrictJsonObject;
    parser.space();
    if (parser.at !== text.length)
      throw new StrictJsonError(`unexpected data after the object at offset ${parser.at}`);
    return { ok: true, value };
  } catch (error) {
    if (error instanceof StrictJsonError) return { ok: false, reason: error.message };
    throw error;
  }
}

const NUMBER = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
const ESCAPES: Record<string, string> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

class Parser {
  at = 0;
  readonly text: string;
  constructor(text: string) {
    this.text = text;
  }

  fail(what: string): never {
    throw new StrictJsonError(`${what} at offset ${this.at}`);
  }

  space(): void {
    while (/[ \t\n\r]/.test(this.text[this.at] ?? '')) this.at += 1;
  }

  value(depth: number): StrictJson {
    if (depth > MAX_DEPTH) this.fail(`nesting deeper than ${MAX_DEPTH}`);
    this.space();
    const char = this.text[this.at];
    if (char === '{') return this.object(depth);
    if (char === '[') return this.array(depth);
    if (char === '"') return this.string();
    if (char === '-' || (char !== undefined && char >= '0' && char <= '9')) return this.number();
    for (const [word, value] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (this.text.startsWith(word, this.at)) {
        this.at += word.length;
        return value;
      }
    }
    return this.fail('unexpected character');
  }

  object(depth: number): StrictJsonObject {
    const object: StrictJsonObject = {};
    const seen = new Set<string>();
    if (this.opensEmpty('}')) return object;
    for (;;) {
      this.space();
      if (this.text[this.at] !== '"') this.fail('expected a key');
      const keyAt = this.at;
      const key = this.string();
      if (seen.has(key)) {
        this.at = keyAt;
        this.fail(`duplicate key ${JSON.stringify(key)}`);
      }
      if (key === '__proto__') {
        this.at = keyAt;
        this.fail('the key "__proto__" is not allowed');
      }
      seen.add(key);
      this.space();
      if (this.text[this.at] !== ':') this.fail('expected ":"');
      this.at += 1;
      object[key] = this.value(depth + 1);
      if (this.closes('}')) return object;
    }
  }

  array(depth: number): StrictJson[] {
    const array: StrictJson[] = [];
    if (this.opensEmpty(']')) return array;
    for (;;) {
      array.push(this.value(depth + 1));
      if (this.closes(']')) return array;
    }
  }

  /** Past the opening bracket; true, and past the closing one too, when the container is empty. */
  opensEmpty(close: '}' | ']'): boolean {
    this.at += 1;
    this.space();
    if (this.text[this.at] !== close) return false;
    this.at += 1;
    return true;
  }

  /** After a member: true past the closing bracket, false past a comma; anything else fails. */
  closes(close: '}' | ']'): boolean {
    this.space();
    const next = this.text[this.at];
    if (next !== close && next !== ',') this.fail(`expected "," or "${close}"`);
    this.at += 1;
    return next === close;
  }

  string(): string {
    const start = this.at;
    this.at += 1;
    let out = '';
    for (;;) {
      const char = this.text[this.at];
      if (char === undefined) {
        this.at = start;
        this.fail('unterminated string');
      }
      if (char === '"') {
        this.at += 1;
        break;
      }
      if (char < ' ') this.fail('control character in a string');
      if (char === '\\') {
        out += this.escape();
        continue;
      }
      out += char;
      this.at += 1;
    }
    if (LONE_SURROGATE.test(out)) {
      this.at = start;
      this.fail('lone surrogate in a string');
    }
    return out;
  }

  escape(): string {
    const kind = this.text[this.at + 1] ?? '';
    if (kind === 'u') {
      const hex = this.text.slice(this.at + 2, this.at + 6);
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('bad \\u escape');
      this.at += 6;
      return String.fromCharCode(parseInt(hex, 16));
    }
    const escaped = ESCAPES[kind];
    if (escaped === undefined) this.fail('bad escape');
    this.at += 2;
    return escaped;
  }

  number(): number {
    NUMBER.lastIndex = this.at;
    const match = NUMBER.exec(this.text);
    if (match === null) return this.fail('bad number');
    const value = Number(match[0]);
    const integer = match[1] === undefined && match[2] === undefined;
    if (!Number.isFinite(value) || (integer && !Number.isSafeInteger(value)))
      this.fail('number out of the exactly representable range');
    this.at += match[0].length;
    return value;
  }
}
