/**
 * How long and how much a client may take. The port may face the internet (Slack HTTP mode),
 * and what it serves is small and quick: health answers, Prometheus text, Slack deliveries of a
 * few kilobytes that Slack itself gives up on after 3 s. So the limits are tight enough that a
 * slow or idle client cannot hold a connection for long, and loose enough for a scraper or a
 * load balancer on a bad link.
 */
export const HTTP_LIMITS = {
  /** Node's default, stated: Slack's and probes' headers are a fraction of it; beyond → 431. */
  maxHeaderSize: 16 * 1024,
  /** The whole header block must arrive within this (slowloris trickling headers): 408. */
  headersTimeoutMs: 10_000,
  /** The whole request, body included (`/slack/events` bodies are capped at 1 MiB): 408. */
  requestTimeoutMs: 30_000,
  /** How often Node checks the two timeouts above; a stalled client outlives them by at most this. */
  connectionsCheckingIntervalMs: 1_000,
  /** An idle keep-alive connection is closed after this (above a load balancer's usual 4 s reuse). */
  keepAliveTimeoutMs: 5_000,
  /** A socket without any traffic either way (a client that stopped reading an answer). */
  socketIdleTimeoutMs: 30_000,
  /**
   * Connections beyond this are closed on arrival. The legitimate load is a few: Slack's
   * deliveries, a prober, a scraper. The cap keeps a flood from taking the file descriptors the
   * process needs for Redis, the Docker Engine and chat connections.
   */
  maxConnections: 512,
} as const;
