import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { shutdownSignal } from '../../../src/app/shutdown-signal.js';
import { captureLogger } from '../../fakes/capture-logger.js';

function signals() {
  const emitter = new EventEmitter();
  return {
    source: emitter as unknown as Pick<NodeJS.Process, 'on' | 'off'>,
    send: (signal: NodeJS.Signals) => emitter.emit(signal, signal),
    listeners: () => emitter.listenerCount('SIGTERM') + emitter.listenerCount('SIGINT'),
  };
}

describe('shutdownSignal', () => {
  describe('when the first SIGTERM arrives', () => {
    it('asks for the graceful shutdown and exits nothing', async () => {
      const exits: number[] = [];
      const from = signals();
      const signal = shutdownSignal(from.source, captureLogger().log, (code) => exits.push(code));
      from.send('SIGTERM');
      await signal.requested;
      expect(exits).toEqual([]);
    });
  });

  describe('when a second signal arrives', () => {
    it('calls the exit hook with 130 at once', () => {
      const exits: number[] = [];
      const from = signals();
      shutdownSignal(from.source, captureLogger().log, (code) => exits.push(code));
      from.send('SIGINT');
      from.send('SIGTERM');
      expect(exits).toEqual([130]);
    });
  });

  describe('when disposed', () => {
    it('stops listening to the process signals', () => {
      const from = signals();
      const signal = shutdownSignal(from.source, captureLogger().log, () => undefined);
      expect(from.listeners()).toBe(2);
      signal.dispose();
      expect(from.listeners()).toBe(0);
    });
  });
});
