import { describe, expect, it } from 'vitest';
import { groupCommit } from '../../../src/infra/redis/audit-group-commit.js';

/** A commit that records its batches and finishes only when told to. */
function heldCommit() {
  const batches: number[][] = [];
  const releases: Array<() => void> = [];
  const commit = (items: readonly number[]) => {
    batches.push([...items]);
    return new Promise<number[]>((resolve) =>
      releases.push(() => resolve(items.map((n) => n * 10))),
    );
  };
  const releaseNext = async () => {
    releases.shift()?.();
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { commit, batches, releaseNext };
}

describe('groupCommit', () => {
  it('commits items that arrive while a commit is in flight together, in arrival order', async () => {
    const { commit, batches, releaseNext } = heldCommit();
    const enqueue = groupCommit(commit, 100);
    const results = [1, 2, 3, 4].map((n) => enqueue(n));
    await releaseNext();
    await releaseNext();
    expect(await Promise.all(results)).toEqual([10, 20, 30, 40]);
    expect(batches).toEqual([[1], [2, 3, 4]]);
  });

  it('splits a backlog into batches of at most maxBatch', async () => {
    const { commit, batches, releaseNext } = heldCommit();
    const enqueue = groupCommit(commit, 2);
    const results = [1, 2, 3, 4, 5].map((n) => enqueue(n));
    for (let i = 0; i < 3; i += 1) await releaseNext();
    await Promise.all(results);
    expect(batches).toEqual([[1], [2, 3], [4, 5]]);
  });

  it('rejects every item of a failed batch and goes on with the next', async () => {
    let calls = 0;
    const enqueue = groupCommit((items: readonly number[]) => {
      calls += 1;
      return calls === 2
        ? Promise.reject(new Error('redis down'))
        : Promise.resolve(items.map((n) => n * 10));
    }, 100);
    const first = enqueue(1);
    const [second, third] = [enqueue(2), enqueue(3)];
    await expect(first).resolves.toBe(10);
    await expect(second).rejects.toThrow('redis down');
    await expect(third).rejects.toThrow('redis down');
    await expect(enqueue(4)).resolves.toBe(40);
  });
});
