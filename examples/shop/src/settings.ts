/**
 * Where the shop's database is, per environment. Shared by the server (src/db.ts), the
 * entrypoint and athanor (athanor.config.ts), so the app and its migrations always agree.
 *
 *   DATABASE_URL set           -> that URL, whatever the environment (Docker, Kubernetes Secret, CI)
 *   APP_ENV=development (default) -> sqlite:<this example>/shop.db  (the embedded default)
 *   APP_ENV=test               -> sqlite:<this example>/shop-test.db
 *   APP_ENV=staging            -> STAGING_DATABASE_URL
 *   APP_ENV=production         -> PRODUCTION_DATABASE_URL
 *
 * This module imports nothing (athanor.config.ts loads it too).
 */
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The example's folder (examples/shop), where the embedded SQLite files live. */
export const EXAMPLE_DIR = fileURLToPath(new URL("..", import.meta.url)).replace(/[\\/]$/, "");

export const ENVIRONMENTS = ["development", "test", "staging", "production"] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

export class SettingsError extends Error {
  override name = "SettingsError";
}

export function environment(env: NodeJS.ProcessEnv = process.env, explicit?: string): Environment {
  const name = explicit ?? env.APP_ENV ?? "development";
  if (!(ENVIRONMENTS as readonly string[]).includes(name)) {
    throw new SettingsError(`unknown environment '${name}' (APP_ENV or -x env=): expected ${ENVIRONMENTS.join(", ")}`);
  }
  return name as Environment;
}

/** The URL an environment uses when DATABASE_URL is not set. */
export function environmentUrl(name: Environment, env: NodeJS.ProcessEnv = process.env): string {
  switch (name) {
    case "development":
      return `sqlite:${join(EXAMPLE_DIR, "shop.db")}`;
    case "test":
      return `sqlite:${join(EXAMPLE_DIR, "shop-test.db")}`;
    case "staging":
    case "production": {
      const variable = `${name.toUpperCase()}_DATABASE_URL`;
      const url = env[variable];
      if (!url) throw new SettingsError(`the ${name} environment needs DATABASE_URL or ${variable} to be set`);
      return url;
    }
  }
}

/**
 * DATABASE_URL if set, else the environment's URL. A relative SQLite path is made absolute (against
 * the working directory, as athanor reads it), so the server and athanor, which may run in
 * different folders, open the same file.
 */
export function databaseUrl(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string {
  const url = (env.DATABASE_URL || environmentUrl(environment(env), env)).trim();
  const file = sqliteFile(url);
  return file === null || file === ":memory:" ? url : `sqlite:${resolve(cwd, file)}`;
}

/**
 * The file of a `sqlite:` URL as athanor reads it (`sqlite:./rel.db`, `sqlite:/abs.db`,
 * `sqlite:///rel.db`, `sqlite:////abs.db`, `sqlite::memory:`); null for other URLs.
 */
export function sqliteFile(url: string): string | null {
  if (!/^sqlite:/i.test(url)) return null;
  let rest = url.replace(/^sqlite:/i, "").split("?")[0] ?? "";
  if (rest.startsWith("///")) rest = rest.slice(3);
  else if (rest.startsWith("//")) rest = rest.slice(2);
  return rest === "" ? ":memory:" : rest;
}

export function dialectOf(url: string): "postgresql" | "mysql" | "sqlite" {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase().split("+")[0];
  if (scheme === "postgres" || scheme === "postgresql") return "postgresql";
  if (scheme === "mysql" || scheme === "mariadb") return "mysql";
  if (scheme === "sqlite") return "sqlite";
  throw new SettingsError(`unsupported database URL '${redact(url)}': expected postgresql://, mysql://, mariadb:// or sqlite:`);
}

/** Hide the password of a URL for messages (`postgresql://app:***@db/shop`). */
export function redact(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:)[^@\s]*@/i, "$1***@");
}

export function port(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.PORT ?? "3000";
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new SettingsError(`PORT must be a port number, got '${raw}'`);
  return n;
}

/** Interface to listen on: all of them in a container, 127.0.0.1 for a local-only run or a test. */
export function host(env: NodeJS.ProcessEnv = process.env): string {
  return env.HOST ?? "0.0.0.0";
}
