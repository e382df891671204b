/** The last `capacity` items pushed, oldest first; older ones are forgotten. */
export class RingBuffer<T> {
  readonly #items: (T | undefined)[];
  #next = 0;
  #size = 0;

  readonly capacity: number;

  constructor(capacity: number) {
    this.capacity = capacity;
    this.#items = new Array<T | undefined>(Math.max(0, capacity));
  }

  get size(): number {
    return this.#size;
  }

  push(item: T): void {
    if (this.capacity === 0) return;
    this.#items[this.#next] = item;
    this.#next = (this.#next + 1) % this.capacity;
    this.#size = Math.min(this.#size + 1, this.capacity);
  }

  /** Returns the items, oldest first, and empties the buffer. */
  drain(): T[] {
    const start = (this.#next - this.#size + this.capacity) % this.capacity;
    const items: T[] = [];
    for (let offset = 0; offset < this.#size; offset++) {
      const index = (start + offset) % this.capacity;
      items.push(this.#items[index] as T);
      this.#items[index] = undefined;
    }
    this.#size = 0;
    return items;
  }
}
