import { describe, expect, it } from 'vitest';
import { pickChoices } from '../../../../adapters/discord/handle-autocomplete.js';
import { seenIds } from '../../../../adapters/discord/seen-ids.js';

describe('pickChoices', () => {
  it('offers names containing what was typed, those starting with it first', () => {
    expect(
      pickChoices(['backend-cron', 'frontend', 'backend', 'cron'], 'cron').map((c) => c.value),
    ).toEqual(['cron', 'backend-cron']);
  });

  it('offers at most 25, once each, and nothing Discord would refuse', () => {
    const names = [
      ...Array.from({ length: 40 }, (_, i) => `svc-${i}`),
      'svc-1',
      'x'.repeat(101),
      '',
    ];
    const choices = pickChoices(names, '');
    expect(choices).toHaveLength(25);
    expect(new Set(choices.map((c) => c.value)).size).toBe(25);
    expect(choices.every((c) => c.name.length >= 1 && c.name.length <= 100)).toBe(true);
  });

  it('ignores case', () => {
    expect(pickChoices(['Backend'], 'BACK')).toEqual([{ name: 'Backend', value: 'Backend' }]);
  });
});

describe('seenIds', () => {
  it('says first time once per id', () => {
    const seen = seenIds();
    expect([seen.firstTime('1'), seen.firstTime('2'), seen.firstTime('1')]).toEqual([
      true,
      true,
      false,
    ]);
  });

  it('forgets the oldest ids past its capacity', () => {
    const seen = seenIds(2);
    seen.firstTime('1');
    seen.firstTime('2');
    seen.firstTime('3');
    expect(seen.firstTime('1')).toBe(true);
    expect(seen.firstTime('3')).toBe(false);
  });
});
