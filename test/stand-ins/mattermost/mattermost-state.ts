import { randomBytes } from 'node:crypto';

/** A user the local Mattermost knows (the bot included). */
export interface StandInUser {
  readonly id: string;
  readonly username: string;
  readonly is_bot?: boolean;
}

/** A channel the local Mattermost knows; posting anywhere else is refused as the server does. */
export interface StandInChannel {
  readonly id: string;
  readonly name: string;
  readonly display_name?: string;
  /** `O` public, `P` private. */
  readonly type?: 'O' | 'P';
}

/** A post as the server keeps it: with its actions' `integration` (never shown to clients). */
export interface StoredPost {
  readonly id: string;
  readonly channel_id: string;
  /** The thread's root id, `''` for a root post. */
  readonly root_id: string;
  readonly user_id: string;
  message: string;
  props: Record<string, unknown>;
  file_ids: string[];
  type: string;
  readonly create_at: number;
  update_at: number;
  edit_at: number;
  /** Earlier versions, oldest first, kept by every edit. */
  readonly history: { message: string; props: Record<string, unknown> }[];
}

/** An ephemeral post: shown to one user, never stored, notifies nobody. */
export interface StoredEphemeral {
  readonly id: string;
  readonly user_id: string;
  readonly channel_id: string;
  readonly root_id: string;
  readonly message: string;
  readonly props: Record<string, unknown>;
  /** How it came: the REST call, a command's answer, a `response_url`, a button's answer. */
  readonly via: 'api' | 'command' | 'response_url' | 'action';
}

export interface StoredFile {
  readonly id: string;
  readonly name: string;
  readonly channel_id: string;
  readonly user_id: string;
  readonly size: number;
  readonly mime_type: string;
  readonly content: Buffer;
  readonly create_at: number;
  post_id: string;
}

/** One slash command the stand-in sent to the bot, and what the bot answered at once. */
export interface CommandDelivery {
  readonly fields: Record<string, string>;
  readonly headers: Record<string, string>;
  /** The form body exactly as sent. */
  readonly request: string;
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

/** One button click the stand-in passed to the bot's integration URL, and the bot's answer. */
export interface ActionDelivery {
  readonly url: string;
  readonly request: Record<string, unknown>;
  readonly headers: Record<string, string>;
  readonly status: number;
  readonly body: string;
}

/** A delayed answer the bot POSTed to a command's `response_url`. */
export interface ResponseUrlPost {
  readonly hook: string;
  readonly status: number;
  readonly body: Record<string, unknown>;
}

/** One entry of the ordered log of everything the stand-in saw and answered. */
export interface StandInEvent {
  readonly seq: number;
  readonly kind: 'api' | 'command' | 'action' | 'respond' | 'note';
  /** `POST /api/v4/posts` and the like, with the ids in the path kept. */
  readonly route?: string;
  readonly body?: unknown;
  readonly status?: number;
  readonly response?: unknown;
  readonly detail?: string;
}

/** Mattermost's `NewId()` alphabet: 26 characters of base32 in this order. */
const ID_ALPHABET = 'ybndrfg8ejkmcpqxot1uwisza345h769';

/** A 26-character lowercase alphanumeric id, as the server makes them. */
export function newId(): string {
  return [...randomBytes(26)].map((b) => ID_ALPHABET[b % 32]).join('');
}

export function createMattermostState() {
  let seq = 0;
  let clock = Date.now();
  return {
    posts: [] as StoredPost[],
    ephemerals: [] as StoredEphemeral[],
    files: [] as StoredFile[],
    commands: [] as CommandDelivery[],
    actions: [] as ActionDelivery[],
    responses: [] as ResponseUrlPost[],
    events: [] as StandInEvent[],
    record(event: Omit<StandInEvent, 'seq'>): StandInEvent {
      seq += 1;
      const entry = { seq, ...event };
      this.events.push(entry);
      return entry;
    },
    /** Milliseconds, strictly increasing, so posts sort by creation as the server's do. */
    now(): number {
      clock = Math.max(clock + 1, Date.now());
      return clock;
    },
  };
}

export type MattermostState = ReturnType<typeof createMattermostState>;
