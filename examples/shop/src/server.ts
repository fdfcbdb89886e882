/**
 * The HTTP server: one database pool for the process, the Hono app on @hono/node-server, and a
 * graceful stop on SIGTERM/SIGINT (Kubernetes sends SIGTERM before removing a pod).
 *
 * Run it directly (no migrations: see src/entrypoint.ts for the deploy path):
 *   node --import tsx src/server.ts
 */
import { serve, type ServerType } from "@hono/node-server";
import type { AddressInfo } from "node:net";
import { pathToFileURL } from "node:url";
import { createApp } from "./app.js";
import { createDatabase, type ShopDatabase } from "./db.js";
import { databaseUrl, host, port } from "./settings.js";

export interface RunningServer {
  server: ServerType;
  database: ShopDatabase;
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startServer(
  options: { databaseUrl?: string; port?: number; host?: string; log?: (line: string) => void } = {},
): Promise<RunningServer> {
  const log = options.log ?? ((line: string) => console.log(`shop: ${line}`));
  const database = createDatabase(options.databaseUrl ?? databaseUrl());
  const app = createApp(database);
  const hostname = options.host ?? host();
  const server = await new Promise<ServerType>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: options.port ?? port(), hostname }, () => resolve(s));
    s.once("error", reject);
  });
  const address = server.address() as AddressInfo;
  const shown = hostname === "0.0.0.0" || hostname === "::" ? "localhost" : hostname.includes(":") ? `[${hostname}]` : hostname;
  const url = `http://${shown}:${address.port}`;
  log(`listening on ${url} (${database.dialect}: ${database.redactedUrl})`);
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await database.close();
    })());
  return { server, database, url, port: address.port, close };
}

/** Stop cleanly on SIGTERM / SIGINT: finish in-flight requests, close the pool, exit 0. */
export function stopOnSignals(running: RunningServer, log: (line: string) => void = (line) => console.log(`shop: ${line}`)): void {
  const stop = (signal: NodeJS.Signals) => {
    log(`${signal} received, shutting down`);
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    running.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const running = await startServer();
  stopOnSignals(running);
}
