import { describe } from 'vitest';
import { deliveryIntakeContract } from '../../contract/delivery-intake-contract.js';
import { createMemoryDeliveryLedger } from '../../../src/lib/recent-ids.js';
import { createMemoryDeliveryIntake } from '../../fakes/memory/memory-delivery-intake.js';

describe('the in-memory delivery intake', () => {
  deliveryIntakeContract(() => {
    let now = 0;
    const ledger = createMemoryDeliveryLedger({ max: 1_000, now: () => now });
    const intake = createMemoryDeliveryIntake(() => now, ledger);
    return Promise.resolve({
      intakes: [intake, intake] as const,
      ledger,
      advance(ms) {
        now += ms;
        return Promise.resolve();
      },
    });
  });
});
