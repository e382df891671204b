/** Earliest and latest time seen; lines arrive interleaved, so neither is simply first or last. */
export class TimeRange {
  // Epoch milliseconds: comparing numbers is cheaper than comparing Dates, and this runs per line.
  #first = Number.POSITIVE_INFINITY;
  #last = Number.NEGATIVE_INFINITY;

  add(time: Date | undefined): void {
    if (time === undefined) return;
    const ms = time.getTime();
    if (ms < this.#first) this.#first = ms;
    if (ms > this.#last) this.#last = ms;
  }

  get first(): Date | undefined {
    return Number.isFinite(this.#first) ? new Date(this.#first) : undefined;
  }

  get last(): Date | undefined {
    return Number.isFinite(this.#last) ? new Date(this.#last) : undefined;
  }
}
