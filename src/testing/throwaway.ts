/**
 * Throwaway databases for `athanor test`.
 *
 * - PostgreSQL, MySQL/MariaDB: `<db>_athanor_test_<random>` on the server of the given URL, created
 *   and dropped over a connection made with the URL's credentials (to the URL's database; when that
 *   does not exist, to `postgres` / no database). Dropped with `WITH (FORCE)` on PostgreSQL so that a
 *   connection left open cannot keep it alive.
 * - SQLite: a file in a fresh temporary directory (the URL's own file is never touched).
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseDatabaseUrl, redactSecrets, type DatabaseUrl } from "../config/url.js";
import { connect } from "../dialects/connect.js";
import type { Connection } from "../dialects/types.js";

export interface ThrowawayDatabase {
  url: DatabaseUrl;
  /** Database name, or the file path on SQLite. */
  name: string;
  /** Drop it (idempotent; concurrent calls share one drop). */
  drop(): Promise<void>;
}

const SUFFIX = "_athanor_test_";
/** PostgreSQL's identifier limit is 63 bytes, MySQL's database-name limit 64 characters. */
const MAX_NAME = 63;

/** `<base>_athanor_test_<8 hex>`, at most 63 characters, only [a-z0-9_] from the base. */
export function throwawayName(base: string | undefined, random = randomBytes(4).toString("hex")): string {
  const clean = (base ?? "athanor").toLowerCase().replace(/[^a-z0-9_]+/g, "_").replace(/^_+|_+$/g, "") || "athanor";
  const room = MAX_NAME - SUFFIX.length - random.length;
  return `${clean.slice(0, room).replace(/_+$/, "")}${SUFFIX}${random}`;
}

/** The URL with its database (path) replaced; keeps credentials and query options. */
export function withDatabase(url: DatabaseUrl, database: string | undefined): DatabaseUrl {
  const u = new URL(url.raw);
  u.pathname = database === undefined ? "/" : `/${encodeURIComponent(database)}`;
  return parseDatabaseUrl(u.toString());
}

function quoteIdent(url: DatabaseUrl, name: string): string {
  return url.dialect === "mysql" ? `\`${name.replace(/`/g, "``")}\`` : `"${name.replace(/"/g, '""')}"`;
}

/** Error codes meaning "the database of the URL does not exist". */
function isUnknownDatabase(error: unknown): boolean {
  const text = String((error as Error)?.message ?? error);
  return /database .* does not exist|Unknown database|3D000|ER_BAD_DB_ERROR/i.test(text);
}

/** A connection to the server with the URL's credentials, for CREATE/DROP DATABASE. */
async function adminConnection(url: DatabaseUrl): Promise<Connection> {
  try {
    return await connect(url);
  } catch (error) {
    if (!isUnknownDatabase(error)) throw error;
    return connect(withDatabase(url, url.dialect === "postgresql" ? "postgres" : undefined));
  }
}

async function admin(url: DatabaseUrl, sql: string): Promise<void> {
  const conn = await adminConnection(url);
  try {
    await conn.execute({ sql });
  } finally {
    await conn.close().catch(() => undefined);
  }
}

/** Create a throwaway database next to the one `url` names. */
export async function createThrowawayDatabase(url: DatabaseUrl): Promise<ThrowawayDatabase> {
  if (url.dialect === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "athanor-test-"));
    const file = join(dir, `${throwawayName(undefined)}.db`);
    let dropped = false;
    return {
      url: parseDatabaseUrl(`sqlite:${file}`),
      name: file,
      async drop() {
        if (dropped) return;
        dropped = true;
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const name = throwawayName(url.database);
  const q = quoteIdent(url, name);
  try {
    await admin(url, `CREATE DATABASE ${q}`);
  } catch (error) {
    const why = redactSecrets((error as Error)?.message ?? String(error), [url.password]);
    throw new Error(`could not create the throwaway database ${name} on ${url.redacted}: ${why}`);
  }
  let dropping: Promise<void> | undefined;
  const dropSql = url.dialect === "postgresql" ? `DROP DATABASE IF EXISTS ${q} WITH (FORCE)` : `DROP DATABASE IF EXISTS ${q}`;
  return {
    url: withDatabase(url, name),
    name,
    drop() {
      dropping ??= admin(url, dropSql);
      return dropping;
    },
  };
}
