// Keeps a part of `npm start` running: PostgreSQL, the Temporal dev server, the worker. A part that
// ends without being asked to is started again, with backoff (1 s, doubling to 30 s), its data
// kept; every try is said, and after five failed tries it says loudly that a person is needed,
// while it goes on trying and the rest of the system answers what it can.
import { setTimeout as delay } from 'node:timers/promises';

export interface Part {
  /** Settles when the part ends, for whatever reason. */
  exited: Promise<unknown>;
  stop(): Promise<void>;
  /** Ends it at once (a forced stop); parts that are processes of their own have one. */
  kill?(): void;
}

export interface Supervised<T extends Part> {
  /** The running instance (the latest one, after restarts). */
  current(): T;
  /** Stops it for good: no more restarts. */
  stop(): Promise<void>;
  /** Ends it at once, for good. */
  kill(): void;
}

const FIRST_DELAY_MS = 1_000;
const MAX_DELAY_MS = 30_000;
const LOUD_AFTER_TRIES = 5;

export async function supervise<T extends Part>(
  name: string,
  start: () => Promise<T>,
  hooks: { say(line: string): void; down?(): void; up?(part: T, downForMs: number): void | Promise<void> },
): Promise<Supervised<T>> {
  let part = await start();
  let stopping = false;
  const watch = async () => {
    for (;;) {
      const outcome = await part.exited;
      if (stopping) return;
      const downAt = Date.now();
      hooks.say(`${name} stopped unexpectedly (${String(outcome)}); starting it again`);
      hooks.down?.();
      for (let tries = 1, wait = FIRST_DELAY_MS; ; tries++, wait = Math.min(wait * 2, MAX_DELAY_MS)) {
        await delay(wait);
        if (stopping) return;
        try {
          part = await start();
          break;
        } catch (err) {
          const why = err instanceof Error ? err.message.split('\n')[0] : String(err);
          if (tries === LOUD_AFTER_TRIES) {
            console.error(
              `\n[start] !!! ${name} has not come back after ${tries} tries: ${why}\n[start] !!! it needs a person; trying again every ${MAX_DELAY_MS / 1000} s\n`,
            );
          } else hooks.say(`${name} did not start (try ${tries}): ${why}`);
        }
      }
      const downForMs = Date.now() - downAt;
      hooks.say(`${name} is back after ${(downForMs / 1000).toFixed(1)} s`);
      await hooks.up?.(part, downForMs);
    }
  };
  void watch();
  return {
    current: () => part,
    async stop() {
      stopping = true;
      await part.stop();
    },
    kill() {
      stopping = true;
      part.kill?.();
    },
  };
}
