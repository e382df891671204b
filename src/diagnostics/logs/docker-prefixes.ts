// RFC3339Nano as the Engine writes it with `timestamps=1`, always followed by one space.
const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d) /;
// `details=1`: comma-separated attributes, Swarm's own among them, then one space.
const DETAILS = /^(?:[^\s=,]+=[^\s,]*,)*com\.docker\.[^\s=,]+=[^\s,]*(?:,[^\s=,]+=[^\s,]*)* /;
// Which task wrote the line: Swarm's own attribute, or the one the Compose platform adds to each
// container's lines before it merges them.
const TASK = /(?:^|,)com\.docker\.(?:swarm\.task\.id|compose\.container)=([^\s,]+)/;
/** `YYYY-MM-DDTHH:MM:SS`: the part of a stamp that many lines in a row share. */
const SECOND_CHARS = 19;

export interface DockerPrefixes {
  readonly time?: Date;
  readonly body: string;
  readonly task?: string;
}

/**
 * Takes Docker's `timestamps=1` and `details=1` prefixes off a line, remembering the last second
 * and the last attributes seen: a read has every line stamped, many in the same second, and a
 * task's lines carry the same attributes, so most lines reuse them instead of parsing them again.
 * What it remembers is keyed by the exact text, so any line gives the answer it would alone.
 */
export function createDockerPrefixReader(): (text: string) => DockerPrefixes {
  const second = { text: '', ms: Number.NaN };
  const details = { text: '', task: undefined as string | undefined };

  function timeOf(stamp: string): Date | undefined {
    // `…:SS.fffZ `: the second read once, its fraction to the millisecond as Date parsing reads
    // it (truncated, not rounded). Hour 24 with a fraction is invalid where `24:00:00` alone is
    // not, and offsets other than Z: both go to the Date parser.
    if (stamp.charCodeAt(stamp.length - 2) !== 0x5a || stamp.startsWith('24', 11)) {
      return validDate(new Date(stamp.slice(0, -1)));
    }
    const head = stamp.slice(0, SECOND_CHARS);
    if (head !== second.text) {
      second.text = head;
      second.ms = new Date(`${head}Z`).getTime();
    }
    if (Number.isNaN(second.ms)) return undefined;
    const fraction = stamp.length > SECOND_CHARS + 2 ? stamp.slice(SECOND_CHARS + 1, -2) : '';
    return new Date(second.ms + Number(fraction.slice(0, 3).padEnd(3, '0')));
  }

  /** Whether the body starts with attributes; they are then in `details`. */
  function readDetails(body: string): boolean {
    // The attributes hold no whitespace before the space that ends them, so a body that starts
    // with the last line's attributes has exactly those as its own.
    if (details.text !== '' && body.startsWith(details.text)) return true;
    const match =
      body.startsWith('com.docker.') || body.includes(',com.docker.') ? DETAILS.exec(body) : null;
    if (match === null) return false;
    details.text = match[0];
    details.task = TASK.exec(match[0])?.[1];
    return true;
  }

  return (text) => {
    let body = text;
    let time: Date | undefined;
    const stamp = TIMESTAMP.exec(body);
    if (stamp !== null) {
      time = timeOf(stamp[0]);
      body = body.slice(stamp[0].length);
    }
    if (!readDetails(body)) return time === undefined ? { body } : { time, body };
    // Assigned, not spread: this runs per line.
    const read: { time?: Date; body: string; task?: string } = {
      body: body.slice(details.text.length),
    };
    if (time !== undefined) read.time = time;
    if (details.task !== undefined) read.task = details.task;
    return read;
  };
}

function validDate(date: Date): Date | undefined {
  return Number.isNaN(date.getTime()) ? undefined : date;
}
