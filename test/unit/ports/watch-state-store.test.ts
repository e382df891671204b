import { describe } from 'vitest';
import { createMemoryIncidentThreads } from '../../fakes/memory/memory-incident-threads.js';
import { createMemoryWatchStateStore } from '../../fakes/memory/memory-watch-state-store.js';
import { incidentThreadsContract } from '../../contract/incident-threads-contract.js';
import { watchStateStoreContract } from '../../contract/watch-state-store-contract.js';

describe('the in-memory watch state store', () => {
  watchStateStoreContract(() => Promise.resolve({ store: createMemoryWatchStateStore() }));
});

describe('the in-memory incident threads', () => {
  incidentThreadsContract(() => Promise.resolve({ threads: createMemoryIncidentThreads() }));
});
