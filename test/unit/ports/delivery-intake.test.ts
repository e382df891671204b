import { describe } from 'vitest';
import { deliveryIntakeContract } from '../../contract/delivery-intake-contract.js';
import { createMemoryDeliveryIntake } from '../../fakes/memory/memory-delivery-intake.js';

describe('the in-memory delivery intake', () => {
  deliveryIntakeContract(() => {
    let now = 0;
    const intake = createMemoryDeliveryIntake(() => now);
    return Promise.resolve({
      intakes: [intake, intake] as const,
      advance(ms) {
        now += ms;
        return Promise.resolve();
      },
    });
  });
});
