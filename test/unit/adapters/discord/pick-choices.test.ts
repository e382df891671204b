import { describe, expect, it } from 'vitest';
import { pickChoices } from '../../../../adapters/discord/handle-autocomplete.js';

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
