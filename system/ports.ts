import { createServer } from 'node:net';

/** Fails with a sentence naming the setting to change when a port is taken. */
export async function assertPortFree(port: number, host: string, what: string, setting: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const probe = createServer();
    probe.once('error', () => reject(new Error(`${what} cannot listen on ${host}:${port}: the port is in use. Stop what holds it or set ${setting}.`)));
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}

/** A port the OS says is free now (for tests and throwaway servers). */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  return await new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, host, () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** A port free now within [min, max]: tried at random, so two systems starting together rarely pick the same. */
export async function freePortIn(min: number, max: number, host = '127.0.0.1'): Promise<number> {
  for (let tries = 0; tries < 100; tries++) {
    const port = min + Math.floor(Math.random() * (max - min + 1));
    if (await isPortFree(port, host)) return port;
  }
  throw new Error(`no free port between ${min} and ${max} on ${host}`);
}

/**
 * The first of `count` consecutive ports all free now, within [min, max]. For a run that is bound
 * one by one later (the API's metrics port, then each worker's next to it): pick it below the
 * kernel's ephemeral range (32768 and up on Linux), or an outgoing connection may take one of them
 * before its listener binds it.
 */
export async function freePortRun(count: number, min: number, max: number, host = '127.0.0.1'): Promise<number> {
  for (let tries = 0; tries < 100; tries++) {
    const first = await freePortIn(min, max - count + 1, host);
    let free = true;
    for (let port = first + 1; free && port < first + count; port++) {
      free = await isPortFree(port, host);
    }
    if (free) return first;
  }
  throw new Error(`no ${count} free ports in a row between ${min} and ${max} on ${host}`);
}

async function isPortFree(port: number, host: string): Promise<boolean> {
  return await new Promise<boolean>((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, host, () => probe.close(() => resolve(true)));
  });
}
