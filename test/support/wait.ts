/** Polls `condition` every 100 ms until it holds; past the timeout, fails naming what it waited for (and `detail()`, e.g. a log tail). */
export async function waitFor(what: string, condition: () => boolean, timeoutMs = 30_000, detail?: () => string): Promise<void> {
  const stopAt = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > stopAt) throw new Error(`timed out waiting for ${what}${detail ? `; ${detail()}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
