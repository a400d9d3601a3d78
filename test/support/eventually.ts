// Polls until `check` holds or time runs out, and answers the last value read: for what happens on
// the server's clock or in another workflow (deadlines, merges), not the test's.
export async function eventually<T>(read: () => Promise<T>, check: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (check(value) || Date.now() > until) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
}
