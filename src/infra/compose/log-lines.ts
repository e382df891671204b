/** One whole line of one container's log, with the stream it came on and a sortable time. */
export interface LogLineFrame {
  /** 1 stdout, 2 stderr: the Engine's multiplexing stream types. */
  readonly stream: 1 | 2;
  /** The line including its `\n`. */
  readonly bytes: Buffer;
  /** `2026-01-02T03:04:05.123456789` from the Engine's timestamp prefix, nanoseconds padded. */
  readonly key: string;
}

// A line longer than this is handed on in pieces, so one container can never fill memory.
const MAX_PIECE = 64 * 1024;
const TIMESTAMP = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?Z /;

/**
 * A container's log (multiplexed frames, or raw bytes for a TTY) → whole lines. Frames are
 * parsed here rather than by the excerpt pipeline because lines of several containers are
 * merged by time before they reach it. With `container`, each line says which container wrote
 * it, as the Engine's `details=1` attributes would (`<time> com.docker.compose.container=<id> …`):
 * once merged, nothing else tells the replicas apart.
 */
export async function* logLines(
  chunks: AsyncIterable<Uint8Array>,
  multiplexed: boolean,
  container?: string,
): AsyncGenerator<LogLineFrame> {
  const attribute =
    container === undefined ? undefined : Buffer.from(`com.docker.compose.container=${container} `);
  const partial: Record<1 | 2, Buffer[]> = { 1: [], 2: [] };
  let lastKey = '';
  let pending = Buffer.alloc(0);

  function* cut(stream: 1 | 2, payload: Buffer): Generator<LogLineFrame> {
    let start = 0;
    for (
      let newline = payload.indexOf(0x0a);
      newline !== -1;
      newline = payload.indexOf(0x0a, start)
    ) {
      const line = Buffer.concat([...partial[stream], payload.subarray(start, newline + 1)]);
      partial[stream] = [];
      start = newline + 1;
      yield frame(stream, line);
    }
    if (start < payload.length) partial[stream].push(Buffer.from(payload.subarray(start)));
    const held = partial[stream].reduce((size, piece) => size + piece.length, 0);
    if (held > MAX_PIECE) {
      const line = Buffer.concat([...partial[stream], Buffer.from('\n')]);
      partial[stream] = [];
      yield frame(stream, line);
    }
  }

  function frame(stream: 1 | 2, bytes: Buffer): LogLineFrame {
    const match = TIMESTAMP.exec(bytes.subarray(0, 40).toString('latin1'));
    if (match === null) return { stream, bytes, key: lastKey };
    lastKey = `${match[1] ?? ''}.${(match[2] ?? '').padEnd(9, '0')}`;
    const labelled =
      attribute === undefined
        ? bytes
        : Buffer.concat([
            bytes.subarray(0, match[0].length),
            attribute,
            bytes.subarray(match[0].length),
          ]);
    return { stream, bytes: labelled, key: lastKey };
  }

  for await (const chunk of chunks) {
    const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (!multiplexed) {
      yield* cut(1, bytes);
      continue;
    }
    pending = pending.length === 0 ? Buffer.from(bytes) : Buffer.concat([pending, bytes]);
    let offset = 0;
    while (pending.length - offset >= 8) {
      const size = pending.readUInt32BE(offset + 4);
      if (pending.length - offset < 8 + size) break;
      const stream = pending[offset] === 2 ? 2 : 1;
      yield* cut(stream, pending.subarray(offset + 8, offset + 8 + size));
      offset += 8 + size;
    }
    pending = pending.subarray(offset);
  }
  for (const stream of [1, 2] as const) {
    if (partial[stream].length > 0)
      yield frame(stream, Buffer.concat([...partial[stream], Buffer.from('\n')]));
  }
}

/**
 * Several containers' lines → one stream ordered by time (the oldest head first), each line
 * re-framed as one multiplexed frame. Memory: one line per container.
 */
export async function* mergeByTime(
  sources: readonly AsyncGenerator<LogLineFrame>[],
): AsyncGenerator<Uint8Array> {
  const heads = await Promise.all(sources.map((source) => source.next()));
  let batch: Buffer[] = [];
  let batched = 0;
  for (;;) {
    let pick = -1;
    heads.forEach((head, index) => {
      if (head.done === true) return;
      const best = pick === -1 ? undefined : heads[pick];
      if (best === undefined || best.done === true || head.value.key < best.value.key) pick = index;
    });
    const head = heads[pick];
    if (head === undefined || head.done === true) break;
    const header = Buffer.alloc(8);
    header[0] = head.value.stream;
    header.writeUInt32BE(head.value.bytes.length, 4);
    batch.push(header, head.value.bytes);
    batched += 8 + head.value.bytes.length;
    if (batched >= MAX_PIECE) {
      yield Buffer.concat(batch);
      batch = [];
      batched = 0;
    }
    heads[pick] = await (sources[pick] as AsyncGenerator<LogLineFrame>).next();
  }
  if (batched > 0) yield Buffer.concat(batch);
}
