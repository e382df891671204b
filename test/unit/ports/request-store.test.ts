import { describe } from 'vitest';
import { createManualClock } from '../../fakes/memory/manual-clock.js';
import { createMemoryRequestStore } from '../../fakes/memory/memory-request-store.js';
import { requestStoreContract } from '../../contract/request-store-contract.js';

describe('the in-memory request store', () => {
  requestStoreContract((timings) => {
    const clock = createManualClock();
    const store = createMemoryRequestStore({ clock, ...timings });
    return Promise.resolve({
      store,
      elapse: (ms) => clock.sleep(ms),
    });
  });
});
