/** One Sentinel daemon to ask where the primary is. */
export interface SentinelAddress {
  host: string;
  port: number;
}

/** ioredis's options for a Sentinel set: the daemons, the primary's name, the data nodes' login. */
export interface SentinelTarget {
  readonly sentinels: SentinelAddress[];
  /** The primary's name as the sentinels know it (`sentinel monitor <name> …`). */
  readonly name: string;
  readonly username?: string;
  readonly password?: string;
  readonly sentinelUsername?: string;
  readonly sentinelPassword?: string;
  readonly db?: number;
  readonly tls?: object;
  readonly enableTLSForSentinelMode?: boolean;
}

/** Sentinel's own default port, used when a member names none. */
export const SENTINEL_PORT = 26379;

const SCHEMES = ['redis+sentinel:', 'rediss+sentinel:'] as const;

/**
 * The grammar redis-py's helpers (Redis-Sentinel-Url, prefect-redis) and redis-vl read, the one
 * ioredis users meet most:
 * `redis+sentinel://[user:pass@]host[:port][,host[:port]…]/primary-name[/db][?sentinel_password=…]`.
 * `rediss+sentinel://` turns TLS on for the data nodes and the sentinels alike.
 */
export function isSentinelUrl(url: string): boolean {
  const scheme = /^[a-z+]+:/i.exec(url)?.[0].toLowerCase();
  return SCHEMES.some((s) => s === scheme);
}

/** Why a Sentinel URL cannot be used: thrown by `parseSentinelUrl`, shown by env validation. */
export class SentinelUrlError extends Error {
  override readonly name = 'SentinelUrlError';
}

const SHAPE =
  /^(rediss?)\+sentinel:\/\/(?:([^@/]*)@)?([^/?#]+)\/([^/?#]+)(?:\/(\d+))?\/?(?:\?([^#]*))?$/i;

/** A `redis+sentinel://` URL as ioredis options; throws a SentinelUrlError naming what is wrong. */
export function parseSentinelUrl(url: string): SentinelTarget {
  const match = SHAPE.exec(url);
  if (match === null) {
    throw new SentinelUrlError(
      'expected redis+sentinel://[user:password@]host:26379[,host:26379…]/primary-name[/db]',
    );
  }
  const [, scheme = '', login, members = '', name = '', db, query] = match;
  const params = new URLSearchParams(query ?? '');
  const tls = scheme.toLowerCase() === 'rediss';
  const [username, password] = credentials(login);
  const sentinelUsername = params.get('sentinel_username') ?? undefined;
  const sentinelPassword = params.get('sentinel_password') ?? undefined;
  return {
    sentinels: members.split(',').map(member),
    name: decodeURIComponent(name),
    ...(username && { username }),
    ...(password && { password }),
    ...(sentinelUsername && { sentinelUsername }),
    ...(sentinelPassword && { sentinelPassword }),
    ...(db !== undefined && { db: Number(db) }),
    ...(tls && { tls: {}, enableTLSForSentinelMode: true }),
  };
}

function credentials(login: string | undefined): [string | undefined, string | undefined] {
  if (login === undefined || login === '') return [undefined, undefined];
  const colon = login.indexOf(':');
  const user = colon === -1 ? login : login.slice(0, colon);
  const password = colon === -1 ? undefined : login.slice(colon + 1);
  return [
    user === '' ? undefined : decodeURIComponent(user),
    password && decodeURIComponent(password),
  ];
}

function member(text: string): SentinelAddress {
  const found = /^(\[[0-9a-f:.]+\]|[\w.-]+)(?::(\d{1,5}))?$/i.exec(text.trim());
  const port = Number(found?.[2] ?? SENTINEL_PORT);
  if (found === null || port < 1 || port > 65535) {
    throw new SentinelUrlError(`"${text}" is not a sentinel address (host or host:port)`);
  }
  const host = (found[1] ?? '').replace(/^\[(.*)\]$/, '$1');
  return { host, port };
}

/** Where the set is, for messages: `sentinels a:26379,b:26380 (primary "mymaster")`. */
export function describeSentinels(target: SentinelTarget): string {
  const members = target.sentinels.map((s) => `${s.host}:${s.port}`).join(',');
  return `sentinels ${members} (primary "${target.name}")`;
}
