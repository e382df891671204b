/** Earliest and latest time seen; lines arrive interleaved, so neither is simply first or last. */
export class TimeRange {
  #first: Date | undefined;
  #last: Date | undefined;

  add(time: Date | undefined): void {
    if (time === undefined) return;
    if (this.#first === undefined || time < this.#first) this.#first = time;
    if (this.#last === undefined || time > this.#last) this.#last = time;
  }

  get first(): Date | undefined {
    return this.#first;
  }

  get last(): Date | undefined {
    return this.#last;
  }
}
