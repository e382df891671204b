import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { SlackState } from './slack-state.js';

export type EnvelopeType = 'slash_commands' | 'interactive' | 'events_api';

export interface SocketAck {
  readonly envelope_id: string;
  readonly payload?: unknown;
}

export interface EnvelopeOptions {
  /** Slack's redelivery of an envelope it got no ack for: 1, 2, … (0 on the first try). */
  readonly retryAttempt?: number;
  readonly retryReason?: string;
  readonly envelopeId?: string;
}

/**
 * Where envelopes go: `newest` (one app, one connection: what most tests need, and what keeps a
 * reconnect's overlap simple) or `spread` round-robin over every open connection, as Slack
 * spreads one app's envelopes over its connections (up to 10) — several bot processes then each
 * get a share, and a redelivery may land on another connection than the first try.
 */
export type Spread = 'newest' | 'spread';

/** One pushed envelope and the connection (numbered from 1, in connect order) it went to. */
export interface SentEnvelope {
  readonly envelopeId: string;
  readonly connection: number;
}

/**
 * Slack's Socket Mode end: `hello` on connect, envelopes pushed to the newest connection or
 * spread over all of them, acks `{envelope_id, payload}` collected, `disconnect` frames on
 * demand. The `ws` server answers the client's pings itself.
 */
export function createSocketModeServer(state: SlackState) {
  const wss = new WebSocketServer({ noServer: true });
  const open: WebSocket[] = [];
  // A redelivery reuses its envelope id: each ack answers the oldest send still waiting.
  const waiting = new Map<string, ((ack: SocketAck) => void)[]>();
  const acks: SocketAck[] = [];
  let connections = 0;
  const connectWaiters: { n: number; resolve: () => void }[] = [];
  const numbers = new Map<WebSocket, number>();
  const sent: SentEnvelope[] = [];
  let spread: Spread = 'newest';
  let turn = 0;

  wss.on('connection', (socket) => {
    connections += 1;
    open.push(socket);
    numbers.set(socket, connections);
    state.record({ kind: 'socket-connect', detail: String(connections) });
    socket.on('message', (data, isBinary) => {
      if (isBinary) return;
      let frame: SocketAck;
      try {
        frame = JSON.parse((data as Buffer).toString('utf8')) as SocketAck;
      } catch {
        return;
      }
      if (typeof frame.envelope_id !== 'string') return;
      acks.push(frame);
      state.record({ kind: 'socket-ack', detail: frame.envelope_id, response: frame.payload });
      const waiters = waiting.get(frame.envelope_id);
      waiters?.shift()?.(frame);
      if (waiters?.length === 0) waiting.delete(frame.envelope_id);
    });
    socket.on('close', () => open.splice(open.indexOf(socket), 1));
    socket.send(
      JSON.stringify({
        type: 'hello',
        num_connections: open.length,
        debug_info: {
          host: 'applink-standin',
          build_number: 10,
          approximate_connection_time: 18060,
        },
        connection_info: { app_id: 'A0STANDIN' },
      }),
    );
    for (const waiter of connectWaiters.filter((w) => connections >= w.n)) {
      connectWaiters.splice(connectWaiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  });

  const newest = (): WebSocket => {
    const socket = open.at(-1);
    if (socket === undefined) throw new Error('no Socket Mode client is connected to the stand-in');
    return socket;
  };

  /** The connection the next envelope goes to. */
  const next = (): WebSocket => {
    if (spread === 'newest' || open.length === 0) return newest();
    turn += 1;
    return open[turn % open.length] ?? newest();
  };

  return {
    upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
      if (!(req.url ?? '').startsWith('/link')) return false;
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
      return true;
    },
    /** Pushes an envelope; resolves with the client's ack. */
    send(
      type: EnvelopeType,
      payload: unknown,
      options: EnvelopeOptions = {},
    ): { envelopeId: string; acked: Promise<SocketAck> } {
      const envelopeId = options.envelopeId ?? randomUUID();
      const acked = new Promise<SocketAck>((resolve) =>
        waiting.set(envelopeId, [...(waiting.get(envelopeId) ?? []), resolve]),
      );
      const socket = next();
      sent.push({ envelopeId, connection: numbers.get(socket) ?? 0 });
      socket.send(
        JSON.stringify({
          envelope_id: envelopeId,
          type,
          payload,
          accepts_response_payload: type === 'slash_commands',
          retry_attempt: options.retryAttempt ?? 0,
          retry_reason: options.retryReason ?? '',
        }),
      );
      return { envelopeId, acked };
    },
    /** Asks the client to reconnect, as Slack does before recycling a connection. */
    disconnect(
      reason:
        | 'warning'
        | 'refresh_requested'
        | 'too_many_websockets'
        | 'link_disabled' = 'refresh_requested',
    ): void {
      newest().send(
        JSON.stringify({ type: 'disconnect', reason, debug_info: { host: 'applink-standin' } }),
      );
    },
    /** Resolves once `n` connections have been opened in all. */
    connected(n = 1): Promise<void> {
      if (connections >= n) return Promise.resolve();
      return new Promise((resolve) => connectWaiters.push({ n, resolve }));
    },
    get openConnections(): number {
      return open.length;
    },
    /** Push envelopes to the newest connection (the default) or spread them over all. */
    spreadOver(how: Spread): void {
      spread = how;
    },
    /** Every envelope pushed, with the connection it went to. */
    sent,
    acks,
    close(): void {
      for (const socket of [...open]) socket.terminate();
      wss.close();
    },
  };
}

export type SocketModeServer = ReturnType<typeof createSocketModeServer>;
