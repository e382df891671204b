/**
 * Interaction ids already handled. The gateway may deliver an event twice (a resume replays
 * from the last sequence the client confirmed); a second delivery of a click must not be a
 * second vote, nor a second response Discord would refuse. Bounded: the oldest ids drop out
 * first, long after Discord stops accepting responses to them (15 minutes).
 */
export function seenIds(capacity = 10_000): { firstTime(id: string): boolean } {
  const seen = new Set<string>();
  return {
    firstTime(id) {
      if (seen.has(id)) return false;
      seen.add(id);
      if (seen.size > capacity) {
        const oldest = seen.values().next();
        if (oldest.done !== true) seen.delete(oldest.value);
      }
      return true;
    },
  };
}
