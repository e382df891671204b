import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  ACK_QUIET_MS,
  ANSWER_HOLD_MAX_MS,
  OPEN_SLICE,
  createAckGate,
} from '../../../../adapters/slack/ack-gate.js';

/** A delivery through the gate: arrives, is acked, and its answer is handed to the gate. */
function deliver(gate: ReturnType<typeof createAckGate>, started: number[], n: number): void {
  gate.arrived();
  gate.acked();
  gate.after(() => started.push(n));
}

describe('the ack gate', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'performance'] });
  });
  afterEach(() => vi.useRealTimers());

  describe('when a delivery is acked', () => {
    it('starts its answer once the intake has been quiet for the quiet spell', () => {
      const gate = createAckGate();
      const started: number[] = [];
      deliver(gate, started, 1);
      vi.advanceTimersByTime(ACK_QUIET_MS - 1);
      expect(started).toEqual([]);
      vi.advanceTimersByTime(1);
      expect(started).toEqual([1]);
    });
  });

  describe('when another delivery still waits for its ack', () => {
    it('holds every answer until that ack is out', () => {
      const gate = createAckGate();
      const started: number[] = [];
      deliver(gate, started, 1);
      gate.arrived(); // its take is still in Redis
      vi.advanceTimersByTime(ACK_QUIET_MS * 4);
      expect(started).toEqual([]);
      gate.acked();
      vi.advanceTimersByTime(ACK_QUIET_MS);
      expect(started).toEqual([1]);
    });
  });

  describe('when deliveries keep arriving without a quiet spell', () => {
    it('starts the held answers at the longest hold all the same', () => {
      const gate = createAckGate();
      const started: number[] = [];
      for (let t = 0; t < ANSWER_HOLD_MAX_MS; t += ACK_QUIET_MS / 2) {
        deliver(gate, started, t);
        vi.advanceTimersByTime(ACK_QUIET_MS / 2);
      }
      expect(started.length).toBeGreaterThan(0);
      expect(started[0]).toBe(0);
    });
  });

  describe('when the gate opens on a burst', () => {
    it('starts the answers a slice per turn, in arrival order, letting I/O run between slices', () => {
      const gate = createAckGate();
      const started: number[] = [];
      const burst = OPEN_SLICE * 2 + 3;
      for (let n = 0; n < burst; n += 1) deliver(gate, started, n);
      vi.advanceTimersByTime(ACK_QUIET_MS);
      expect(started).toEqual([...Array(OPEN_SLICE).keys()]);
      vi.advanceTimersToNextTimer();
      expect(started).toHaveLength(OPEN_SLICE * 2);
      vi.advanceTimersToNextTimer();
      expect(started).toEqual([...Array(burst).keys()]);
    });
  });

  describe('when the adapter stops and opens the gate itself', () => {
    it('starts every held answer at once, so the drain that follows waits for all of them', () => {
      const gate = createAckGate();
      const started: number[] = [];
      const burst = OPEN_SLICE * 3;
      for (let n = 0; n < burst; n += 1) deliver(gate, started, n);
      gate.open();
      expect(started).toHaveLength(burst);
      vi.advanceTimersByTime(ANSWER_HOLD_MAX_MS);
      expect(started).toHaveLength(burst);
    });
  });
});
