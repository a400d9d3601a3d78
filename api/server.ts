// Serves the API on a port; returns a handle that closes it.
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createApp, type ApiDeps } from './app';

export interface RunningApi {
  url: string;
  close(): Promise<void>;
}

export async function startApi(deps: ApiDeps, options: { port: number; host: string }): Promise<RunningApi> {
  const app = createApp(deps);
  return await new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port: options.port, hostname: options.host }, (info: AddressInfo) => {
      resolve({
        url: `http://${options.host}:${info.port}`,
        close: () => new Promise((done) => server.close(() => done())),
      });
    });
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(err.code === 'EADDRINUSE' ? new Error(`the API cannot listen on ${options.host}:${options.port}: the port is in use; set PORT`) : err),
    );
  });
}
