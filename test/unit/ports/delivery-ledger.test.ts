import { describe } from 'vitest';
import { createMemoryDeliveryLedger } from '../../../src/lib/recent-ids.js';
import { deliveryLedgerContract } from '../../contract/delivery-ledger-contract.js';

describe('the in-memory delivery ledger', () => {
  deliveryLedgerContract(() => {
    let now = 0;
    const ledger = createMemoryDeliveryLedger({ max: 100, now: () => now });
    return Promise.resolve({
      ledgers: [ledger, ledger] as const,
      advance(ms) {
        now += ms;
        return Promise.resolve();
      },
    });
  });
});
