/**
 * Open a live {@link Connection} for a database URL. Each dialect's module (and so its driver:
 * `pg`, `mysql2`, `better-sqlite3`) is imported only when that dialect is used, so commands
 * that never touch a database start fast.
 */
import { redactSecrets, type DatabaseUrl } from "../config/url.js";
import type { Connection } from "./types.js";

/** The database could not be reached or opened. The message never contains the password. */
export class ConnectionError extends Error {
  override name = "ConnectionError";
}

export async function connect(url: DatabaseUrl): Promise<Connection> {
  switch (url.dialect) {
    case "postgresql":
      return (await import("./postgres/connection.js")).connectPostgres(url);
    case "mysql":
      return (await import("./mysql/connection.js")).connectMysql(url);
    case "sqlite":
      return (await import("./sqlite/connection.js")).connectSqlite(url);
    default:
      throw new ConnectionError(`Unsupported dialect '${String((url as DatabaseUrl).dialect)}'`);
  }
}

/** Common wording of driver errors, e.g. ECONNREFUSED -> "connection refused". */
const CODES: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ENOTFOUND: "host not found",
  EAI_AGAIN: "host name lookup failed",
  ETIMEDOUT: "connection timed out",
  ECONNRESET: "connection reset by peer",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
};

/** `could not connect to <redacted url>: <why>`, with every secret of the URL redacted. */
export function connectionError(url: DatabaseUrl, error: unknown): ConnectionError {
  const err = error as { code?: unknown; message?: unknown; errors?: unknown };
  const first = Array.isArray(err?.errors) ? (err.errors[0] as { code?: unknown; message?: unknown }) : undefined;
  const code = typeof err?.code === "string" ? err.code : typeof first?.code === "string" ? first.code : undefined;
  let why = code !== undefined ? CODES[code] : undefined;
  if (!why && typeof err?.message === "string" && err.message) why = err.message;
  if (!why && typeof first?.message === "string" && first.message) why = first.message;
  if (!why) why = code ?? String(error);
  const message = `could not connect to ${url.redacted}: ${why}`;
  return new ConnectionError(redactSecrets(message, [url.password]));
}
