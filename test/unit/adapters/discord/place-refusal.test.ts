import { describe, expect, it } from 'vitest';
import {
  DM_REFUSAL,
  GUILD_REFUSAL,
  placeRefusal,
} from '../../../../adapters/discord/place-refusal.js';

const served = (id: string) => id === '111111111111111111';

describe('placeRefusal', () => {
  describe('when the interaction comes from a direct message', () => {
    it('refuses it, whatever servers are served', () => {
      expect(placeRefusal(null, () => true)).toBe(DM_REFUSAL);
    });
  });

  describe('when the interaction comes from a server', () => {
    it('lets a served server through', () => {
      expect(placeRefusal('111111111111111111', served)).toBeUndefined();
    });

    it('refuses any other server', () => {
      expect(placeRefusal('222222222222222222', served)).toBe(GUILD_REFUSAL);
    });
  });
});
