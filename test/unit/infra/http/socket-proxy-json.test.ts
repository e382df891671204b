import { describe, expect, it } from 'vitest';
import { parseStrictJson } from '../../../../src/infra/http/socket-proxy-json.js';

const parse = (text: string) => parseStrictJson(Buffer.from(text, 'utf8'));
const reason = (text: string | Buffer) => {
  const result = typeof text === 'string' ? parse(text) : parseStrictJson(text);
  return result.ok ? 'accepted' : result.reason;
};

describe('parseStrictJson', () => {
  describe('when the body is a plain object', () => {
    it('reads it as JSON.parse does', () => {
      const text =
        ' {"Name":"a","TaskTemplate":{"ForceUpdate":3,"ContainerSpec":{"Image":"x:1","Args":["sh","-c"]}},' +
        '"Mode":{"Replicated":{"Replicas":0}},"F":-1.5e3,"T":true,"N":null,"E":{},"A":[],"U":"\\u00e9\\n\\"\\/\\ud83d\\ude00"}\n';
      expect(parse(text)).toEqual({ ok: true, value: JSON.parse(text) as unknown });
    });
  });

  describe('when a key appears twice', () => {
    it('refuses it at the top, deep inside, inside arrays and when spelt with escapes', () => {
      expect(reason('{"a":1,"a":2}')).toBe('duplicate key "a" at offset 7');
      expect(reason('{"T":{"C":{"Mounts":[],"Mounts":[]}}}')).toContain('duplicate key "Mounts"');
      expect(reason('{"A":[{"x":1},{"y":1,"y":2}]}')).toContain('duplicate key "y"');
      expect(reason('{"TaskTemplate":{},"Task\\u0054emplate":{}}')).toContain(
        'duplicate key "TaskTemplate"',
      );
    });

    it('accepts the same key in sibling objects', () => {
      expect(reason('{"a":{"x":1},"b":{"x":1}}')).toBe('accepted');
    });
  });

  describe('when the top level is not one object', () => {
    it('refuses arrays, scalars, empty bodies and data after the object', () => {
      for (const text of ['[]', '"x"', '1', 'null', '', '  ', '{} {}', '{}x', '{"a":1}]'])
        expect(reason(text)).not.toBe('accepted');
      expect(reason('[{}]')).toBe('the body is not a JSON object');
      expect(reason('{}{"TaskTemplate":{}}')).toBe('unexpected data after the object at offset 2');
    });
  });

  describe('when the text is not strict JSON', () => {
    it('refuses what JSON.parse refuses', () => {
      const bad = [
        '{a:1}',
        "{'a':1}",
        '{"a":1,}',
        '{"a":[1,]}',
        '{"a":01}',
        '{"a":+1}',
        '{"a":.5}',
        '{"a":1.}',
        '{"a":NaN}',
        '{"a":tru}',
        '{"a":"\\x41"}',
        '{"a":"\\u12"}',
        '{"a":"tab\there"}',
        '{"a" 1}',
        '{"a":1 "b":2}',
        '{"a":"unterminated}',
        '{"a":/*c*/1}',
      ];
      for (const text of bad) {
        expect(() => JSON.parse(text) as unknown, text).toThrow();
        expect(reason(text), text).not.toBe('accepted');
      }
    });
  });

  describe('when the bytes could be read two ways', () => {
    it('refuses invalid UTF-8, a byte order mark and lone surrogates', () => {
      expect(reason(Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]))).toBe(
        'the body is not valid UTF-8',
      );
      expect(reason(Buffer.from([0x7b, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x3a, 0x31, 0x7d]))).toBe(
        'the body is not valid UTF-8',
      );
      expect(reason(Buffer.from('\ufeff{}', 'utf8'))).toBe('the body is not a JSON object');
      expect(reason('{"a\\ud800":1,"a\\udc00":2}')).toBe('lone surrogate in a string at offset 1');
      expect(reason('{"a":"\\udc00\\ud800"}')).toContain('lone surrogate');
    });

    it('refuses integers a double cannot hold and numbers that overflow', () => {
      expect(reason('{"a":9007199254740993}')).toContain('exactly representable');
      expect(reason('{"a":1e400}')).toContain('exactly representable');
      expect(reason('{"a":9007199254740991}')).toBe('accepted');
    });
  });

  describe('when a key is __proto__', () => {
    it('refuses it, escaped or not, and never touches a prototype', () => {
      expect(reason('{"__proto__":{"polluted":1}}')).toBe(
        'the key "__proto__" is not allowed at offset 1',
      );
      expect(reason('{"a":{"__pro\\u0074o__":{}}}')).toContain('"__proto__" is not allowed');
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });
  });

  describe('when the nesting is absurd', () => {
    it('refuses it without overflowing the stack', () => {
      expect(reason(`{"a":${'['.repeat(100_000)}`)).toContain('nesting deeper than 64');
    });
  });
});
