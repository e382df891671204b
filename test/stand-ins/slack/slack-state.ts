/** What the local Slack keeps: messages with their threads, ephemerals, files, and every call. */
export interface StoredMessage {
  readonly channel: string;
  readonly ts: string;
  /** The thread's parent ts, when this message is a reply (always the parent, as Slack does). */
  readonly thread_ts?: string;
  text: string;
  blocks: unknown[];
  /** Earlier versions, oldest first, kept by `chat.update`. */
  readonly history: { text: string; blocks: unknown[] }[];
}

export interface StoredEphemeral {
  readonly channel: string;
  readonly user: string;
  readonly thread_ts?: string;
  readonly message_ts: string;
  readonly text: string;
  readonly blocks: unknown[];
}

export interface StoredFile {
  readonly id: string;
  readonly filename: string;
  readonly length: number;
  content?: string;
  bytesReceived?: number;
  title?: string;
  channel_id?: string;
  thread_ts?: string;
  completed: boolean;
}

export interface ResponseUrlPost {
  readonly id: string;
  readonly body: Record<string, unknown>;
}

/** One entry of the ordered log of everything the stand-in saw and answered. */
export interface StandInEvent {
  readonly seq: number;
  readonly kind:
    'api' | 'upload' | 'respond' | 'socket-ack' | 'socket-connect' | 'http-ack' | 'note';
  readonly method?: string;
  readonly params?: Record<string, unknown>;
  readonly status?: number;
  readonly response?: unknown;
  readonly detail?: string;
}

export function createSlackState() {
  let seq = 0;
  let tsCounter = 0;
  let fileCounter = 0;
  const base = Math.floor(Date.now() / 1000);
  return {
    messages: [] as StoredMessage[],
    ephemerals: [] as StoredEphemeral[],
    files: [] as StoredFile[],
    responses: [] as ResponseUrlPost[],
    events: [] as StandInEvent[],
    record(event: Omit<StandInEvent, 'seq'>): StandInEvent {
      seq += 1;
      const entry = { seq, ...event };
      this.events.push(entry);
      return entry;
    },
    nextTs(): string {
      tsCounter += 1;
      return `${base}.${String(tsCounter).padStart(6, '0')}`;
    },
    nextFileId(): string {
      fileCounter += 1;
      return `F${String(fileCounter).padStart(9, '0')}`;
    },
  };
}

export type SlackState = ReturnType<typeof createSlackState>;
