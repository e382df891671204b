const DISCORD_EPOCH = 1_420_070_400_000n;

/** Snowflakes as Discord makes them: milliseconds since 2015 in the top bits, then a counter. */
export function snowflakes(): () => string {
  let increment = 0n;
  return () => {
    increment = (increment + 1n) & 0xfffn;
    return (((BigInt(Date.now()) - DISCORD_EPOCH) << 22n) | (1n << 17n) | increment).toString();
  };
}
