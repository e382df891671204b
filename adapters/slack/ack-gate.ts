/**
 * How long answers wait for the intake to fall quiet: a few milliseconds with no delivery
 * arriving and none waiting for its ack. Deliveries of a burst arrive within a millisecond or
 * two of each other, on every bot process behind the balancer at once, and the processes
 * sharing a host's cores finish their shares of it a few milliseconds apart; the quiet spell
 * lets the other processes' acks out too.
 */
export const ACK_QUIET_MS = 8;
/**
 * The longest an answer's start is held back, however busy the intake stays (a steady stream
 * never falls quiet). A fifth of a second is below what a chat user notices behind Slack's own
 * round trips, and long enough for a burst of a few hundred deliveries to be acknowledged first
 * on a busy host: a shorter bound opened the gate in the middle of such bursts, and the answers
 * then ran between the last acks.
 */
export const ANSWER_HOLD_MAX_MS = 200;
/**
 * Answers started per turn of the event loop once the gate opens. Starting one runs bolt's
 * middleware and the command up to its first await, a fraction of a millisecond; a hundred in
 * one go held every delivery that arrived meanwhile (here, and on the processes sharing the
 * cores) for tens of milliseconds.
 */
export const OPEN_SLICE = 10;

/**
 * Acknowledgements before answers. An answer (bolt's middleware, the ledger, the core's Engine
 * calls and probes, rendering, the Web API post) costs far more CPU than an ack, and one event
 * loop runs both: in a burst, the answers of the first deliveries would run between the acks of
 * the later ones and push them towards Slack's 3-second deadline. So the work after an ack waits
 * until no ack is in flight and the intake has been quiet for `ACK_QUIET_MS`, or at most
 * `ANSWER_HOLD_MAX_MS`, and then starts `OPEN_SLICE` per turn. Nothing is dropped: each held delivery is recorded (and claimed) before
 * its ack, and its answer runs in arrival order once the gate opens.
 */
export interface AckGate {
  /** A delivery arrived: its ack is in flight until `acked`. */
  arrived(): void;
  /** Its ack went out, or it was refused. */
  acked(): void;
  /** Runs `work` once the acks are out (bounded, as above). */
  after(work: () => void): void;
  /**
   * Starts everything held now, in this turn: intake has stopped, and the drain that follows
   * waits for these answers too.
   */
  open(): void;
}

interface GateState {
  inFlight: number;
  /** When the last delivery arrived (performance.now()). */
  lastArrival: number;
  held: (() => void)[];
  quiet: NodeJS.Timeout | undefined;
  longest: NodeJS.Timeout | undefined;
}

/** Starts the held answers: `OPEN_SLICE` per turn, or all at once when the intake stopped. */
function open(state: GateState, slices = true): void {
  clearTimeout(state.quiet);
  clearTimeout(state.longest);
  state.quiet = undefined;
  state.longest = undefined;
  const held = state.held;
  state.held = [];
  if (slices) runInSlices(held);
  else for (const work of held) work();
}

/** The I/O of the turn (acks of new deliveries among it) runs between two slices. */
function runInSlices(work: readonly (() => void)[], from = 0): void {
  const end = Math.min(work.length, from + OPEN_SLICE);
  for (let i = from; i < end; i += 1) work[i]?.();
  if (end < work.length) setImmediate(() => runInSlices(work, end));
}

/**
 * Opens the gate once `ACK_QUIET_MS` passed since the last arrival with no ack in flight. An
 * arrival only notes its time (a timer per delivery would cost each ack more than the gate
 * saves); the one timer looks again when it fires.
 */
function awaitQuiet(state: GateState): void {
  if (state.held.length === 0 || state.quiet !== undefined || state.inFlight > 0) return;
  const wait = ACK_QUIET_MS - (performance.now() - state.lastArrival);
  state.quiet = setTimeout(
    () => {
      state.quiet = undefined;
      if (state.inFlight > 0) return; // the last ack out looks again
      if (performance.now() - state.lastArrival >= ACK_QUIET_MS) open(state);
      else awaitQuiet(state);
    },
    Math.max(0, wait),
  );
}

export function createAckGate(): AckGate {
  const state: GateState = {
    inFlight: 0,
    lastArrival: 0,
    held: [],
    quiet: undefined,
    longest: undefined,
  };
  return {
    arrived() {
      state.inFlight += 1;
      state.lastArrival = performance.now();
    },
    acked() {
      state.inFlight = Math.max(0, state.inFlight - 1);
      awaitQuiet(state);
    },
    after(work) {
      state.held.push(work);
      state.longest ??= setTimeout(() => open(state), ANSWER_HOLD_MAX_MS);
      awaitQuiet(state);
    },
    open: () => open(state, false),
  };
}
