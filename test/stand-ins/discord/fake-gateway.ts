import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { randomBytes } from 'node:crypto';
import { WebSocketServer, type WebSocket } from 'ws';

/**
 * The Discord gateway for one shard, after discord-api-docs `events/gateway.mdx` and
 * `topics/opcodes-and-status-codes.mdx`: HELLO, heartbeat → ACK, IDENTIFY → READY and one
 * GUILD_CREATE per guild, dispatches numbered by `s`, RESUME → the missed dispatches then
 * RESUMED, op 7 RECONNECT, INVALID_SESSION for an unknown session, close codes 4001–4012.
 *
 * Sessions: with `delivery: 'one-session'` (the default) a new IDENTIFY replaces the session
 * before it and every dispatch goes to that one session. With `'every-session'` each IDENTIFY
 * opens a session of its own and every dispatch goes to each of them, as Discord does for two
 * unsharded bot instances with the same token (both receive each interaction, and the slower
 * callback is refused with 40060 "Interaction has already been acknowledged"). With
 * `'spread-sessions'` each IDENTIFY opens a session of its own too, but each interaction goes to
 * one live session in turn (Discord handing it to one session of several); other dispatches
 * still go to each.
 */
export type GatewayDelivery = 'one-session' | 'every-session' | 'spread-sessions';

export interface GatewayOptions {
  readonly token: string;
  readonly heartbeatIntervalMs: number;
  /** READY's `d` for a new session (without session_id, resume_gateway_url: added here). */
  readonly ready: () => Record<string, unknown>;
  /** The full guilds, sent as GUILD_CREATE after READY. */
  readonly guilds: () => readonly Record<string, unknown>[];
  /** READY's `resume_gateway_url`. */
  readonly resumeUrl: () => string;
  readonly delivery?: GatewayDelivery;
}

export interface GatewayConnection {
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
}

interface Dispatch {
  readonly s: number;
  readonly t: string;
  readonly d: unknown;
}

interface Session {
  readonly id: string;
  readonly intents: number;
  seq: number;
  readonly sent: Dispatch[];
  socket: WebSocket | undefined;
  /** Set by `drop({ replayFrom })`: the next RESUME replays from here, as Discord may. */
  replayFrom: number | undefined;
}

const OP = {
  dispatch: 0,
  heartbeat: 1,
  identify: 2,
  presence: 3,
  voice: 4,
  resume: 6,
  reconnect: 7,
  members: 8,
  invalidSession: 9,
  hello: 10,
  ack: 11,
} as const;

export function fakeGateway(options: GatewayOptions) {
  const wss = new WebSocketServer({ noServer: true });
  const connections: GatewayConnection[] = [];
  const counts = { identify: 0, resume: 0, heartbeat: 0, invalidSession: 0 };
  const resumedWaiters: (() => void)[] = [];
  const sessions = new Map<string, Session>();
  /** The newest session: the one `drop`, `seq` and `connected` speak of. */
  let session: Session | undefined;
  const several = options.delivery !== undefined && options.delivery !== 'one-session';
  let turn = 0;

  const send = (ws: WebSocket, payload: unknown) => ws.send(JSON.stringify(payload));
  const frame = (d: Dispatch) => ({ op: OP.dispatch, s: d.s, t: d.t, d: d.d });

  /** Who gets a dispatch: every session, or for a spread interaction the next live one. */
  function targets(t: string): Session[] {
    const all = [...sessions.values()];
    if (options.delivery !== 'spread-sessions' || t !== 'INTERACTION_CREATE') return all;
    const live = all.filter((s) => s.socket?.readyState === 1);
    const pool = live.length > 0 ? live : all;
    const next = pool[turn % pool.length];
    turn += 1;
    return next === undefined ? [] : [next];
  }

  function emit(target: Session, t: string, d: unknown): void {
    const dispatch = { s: ++target.seq, t, d };
    target.sent.push(dispatch);
    if (target.socket?.readyState === 1) send(target.socket, frame(dispatch));
  }

  function identify(ws: WebSocket, d: Record<string, unknown>): void {
    counts.identify += 1;
    const intents = typeof d.intents === 'number' ? d.intents : 0;
    if (!several && session !== undefined) {
      session.socket?.close(4000, 'a new session replaced this one');
      sessions.delete(session.id);
    }
    session = {
      id: randomBytes(16).toString('hex'),
      intents,
      seq: 0,
      sent: [],
      socket: ws,
      replayFrom: undefined,
    };
    sessions.set(session.id, session);
    emit(session, 'READY', {
      ...options.ready(),
      session_id: session.id,
      resume_gateway_url: options.resumeUrl(),
    });
    for (const guild of options.guilds()) emit(session, 'GUILD_CREATE', guild);
  }

  /** False for an unknown session: INVALID_SESSION, and the client may IDENTIFY next. */
  function resume(ws: WebSocket, d: Record<string, unknown>): boolean {
    counts.resume += 1;
    const resumed = typeof d.session_id === 'string' ? sessions.get(d.session_id) : undefined;
    if (resumed === undefined) {
      counts.invalidSession += 1;
      send(ws, { op: OP.invalidSession, d: false });
      return false;
    }
    if (resumed.socket !== undefined && resumed.socket !== ws)
      resumed.socket.close(4000, 'resumed elsewhere');
    resumed.socket = ws;
    const from = resumed.replayFrom ?? (typeof d.seq === 'number' ? d.seq : 0);
    resumed.replayFrom = undefined;
    for (const missed of resumed.sent.filter((x) => x.s > from)) send(ws, frame(missed));
    send(ws, frame({ s: ++resumed.seq, t: 'RESUMED', d: {} }));
    for (const wake of resumedWaiters.splice(0)) wake();
    return true;
  }

  wss.on('connection', (ws: WebSocket, req: IncomingMessage) => {
    const url = new URL(req.url ?? '/', 'http://gateway');
    const query = Object.fromEntries(url.searchParams);
    connections.push({ path: url.pathname, query });
    if (query.v !== '10') return ws.close(4012, 'Invalid API version');
    if (query.encoding !== 'json') return ws.close(4002, 'Decode error');
    let authenticated = false;
    send(ws, { op: OP.hello, d: { heartbeat_interval: options.heartbeatIntervalMs } });
    ws.on('message', (raw: Buffer) => {
      let payload: { op?: unknown; d?: unknown };
      try {
        payload = JSON.parse(raw.toString('utf8')) as typeof payload;
      } catch {
        return ws.close(4002, 'Decode error');
      }
      const d = (typeof payload.d === 'object' && payload.d !== null ? payload.d : {}) as Record<
        string,
        unknown
      >;
      if (payload.op === OP.heartbeat) {
        counts.heartbeat += 1;
        return send(ws, { op: OP.ack });
      }
      if (payload.op === OP.identify || payload.op === OP.resume) {
        if (authenticated) return ws.close(4005, 'Already authenticated');
        if (d.token !== options.token) return ws.close(4004, 'Authentication failed');
        if (payload.op === OP.identify) {
          authenticated = true;
          return identify(ws, d);
        }
        authenticated = resume(ws, d);
        return;
      }
      if (!authenticated) return ws.close(4003, 'Not authenticated');
      if (payload.op === OP.presence || payload.op === OP.voice || payload.op === OP.members)
        return;
      ws.close(4001, 'Unknown opcode');
    });
    ws.on('close', () => {
      for (const open of sessions.values()) if (open.socket === ws) open.socket = undefined;
    });
  });

  return {
    connections,
    counts,
    handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
    },
    /** The last sequence number sent in the current session. */
    get seq(): number {
      return session?.seq ?? 0;
    },
    get connected(): boolean {
      return session?.socket?.readyState === 1;
    },
    /** Sessions with a connection open right now. */
    get liveSessions(): number {
      return [...sessions.values()].filter((s) => s.socket?.readyState === 1).length;
    },
    /**
     * A dispatch to the session (to each session, or one in turn: see GatewayDelivery),
     * numbered in order per session. With no socket attached (between a drop and the resume) it waits in the session
     * and goes out with the replay, as on Discord. `intent`: the intent bit it needs; sessions
     * without it never see it.
     */
    dispatch(t: string, d: unknown, intent?: number): void {
      if (session === undefined)
        throw new Error(`no gateway session to dispatch ${t} to: the client has not identified`);
      for (const target of targets(t))
        if (intent === undefined || (target.intents & intent) !== 0) emit(target, t, d);
    },
    /**
     * Ends the connection: `reconnect` sends op 7 (the client closes and resumes), `close`
     * closes with a resumable code (4000 unless given). Resolves once the socket is closed.
     * `replayFrom`: the next RESUME replays every dispatch after this sequence number, even
     * ones the client already had.
     */
    async drop(how: {
      readonly via: 'reconnect' | 'close';
      readonly code?: number;
      readonly replayFrom?: number;
    }): Promise<void> {
      const socket = session?.socket;
      if (session === undefined || socket === undefined)
        throw new Error('no gateway connection to drop');
      session.replayFrom = how.replayFrom;
      const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
      if (how.via === 'reconnect') send(socket, { op: OP.reconnect, d: null });
      else socket.close(how.code ?? 4000, 'Unknown error');
      await closed;
    },
    /** Resolves at the next RESUMED. */
    nextResume(): Promise<void> {
      return new Promise((resolve) => resumedWaiters.push(resolve));
    },
    close(): void {
      for (const ws of wss.clients) ws.terminate();
      wss.close();
    },
  };
}

export type FakeGateway = ReturnType<typeof fakeGateway>;
