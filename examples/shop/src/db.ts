/**
 * The database: Kysely over PostgreSQL, MySQL/MariaDB or SQLite, chosen from the URL's scheme.
 * One pool per process: the server creates it once (createDatabase) and closes it on shutdown.
 */
import Database from "better-sqlite3";
import { Kysely, MysqlDialect, PostgresDialect, SqliteDialect, sql, type ColumnType, type Generated } from "kysely";
import { createPool } from "mysql2";
import pg from "pg";
import { dialectOf, redact, sqliteFile } from "./settings.js";

// Row types of the tables at head (src/schema.ts declares the same tables for athanor).
// ColumnType<Select, Insert, Update>: what the drivers return differs per dialect, see src/app.ts.
export interface UsersTable {
  id: Generated<number>;
  email: string;
  full_name: string | null;
  is_active: ColumnType<boolean | number, boolean | undefined, boolean>;
  created_at: ColumnType<Date | string, never, never>;
  phone_number: string | null;
  profile_picture_url: string | null;
  first_name: string;
  last_name: string | null;
}

export interface OrdersTable {
  id: Generated<number>;
  user_id: number;
  total_amount: ColumnType<string | number, string, string>;
  status: ColumnType<string, string | undefined, string>;
  created_at: ColumnType<Date | string, never, never>;
}

export interface OrderStatusHistoryTable {
  id: Generated<number>;
  order_id: number;
  old_status: string | null;
  new_status: string;
  changed_at: ColumnType<Date | string, never, never>;
}

export interface ShopTables {
  users: UsersTable;
  orders: OrdersTable;
  order_status_history: OrderStatusHistoryTable;
}

export type Dialect = "postgresql" | "mysql" | "sqlite";

export interface ShopDatabase {
  db: Kysely<ShopTables>;
  dialect: Dialect;
  /** The URL with its password hidden, for logs. */
  redactedUrl: string;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** Connections in the pool (PostgreSQL, MySQL). Default 10, or DB_POOL_SIZE. */
  poolSize?: number;
}

export function createDatabase(url: string, options: DatabaseOptions = {}): ShopDatabase {
  const dialect = dialectOf(url);
  const poolSize = options.poolSize ?? (Number(process.env.DB_POOL_SIZE) || 10);
  let db: Kysely<ShopTables>;
  if (dialect === "postgresql") {
    db = new Kysely({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: poolSize }) }) });
  } else if (dialect === "mysql") {
    db = new Kysely({ dialect: new MysqlDialect({ pool: createPool({ ...mysqlOptions(url), connectionLimit: poolSize }) }) });
  } else {
    const file = sqliteFile(url) ?? ":memory:";
    db = new Kysely({
      dialect: new SqliteDialect({
        database: async () => {
          const database = new Database(file);
          database.pragma("foreign_keys = ON"); // ON DELETE CASCADE
          database.pragma("busy_timeout = 5000"); // wait for a migration holding the write lock
          return database;
        },
      }),
    });
  }
  return { db, dialect, redactedUrl: redact(url), close: () => db.destroy() };
}

/** mysql://user:password@host:port/database (or mariadb://) as mysql2 options. */
export function mysqlOptions(url: string) {
  const u = new URL(url);
  return {
    host: u.hostname.replace(/^\[|\]$/g, "") || "localhost",
    port: u.port ? Number(u.port) : 3306,
    user: decodeURIComponent(u.username || "root"),
    password: decodeURIComponent(u.password),
    database: decodeURIComponent(u.pathname.replace(/^\//, "")) || undefined,
  };
}

/** One round trip: throws when the database can't be reached. */
export async function ping(database: ShopDatabase): Promise<void> {
  await sql`SELECT 1`.execute(database.db);
}

/** The revision(s) the database is at, from athanor's version table ([] before the first upgrade). */
export async function appliedRevisions(database: ShopDatabase): Promise<string[]> {
  try {
    const result = await sql<{ version_num: string }>`SELECT version_num FROM athanor_version ORDER BY version_num`.execute(database.db);
    return result.rows.map((r) => r.version_num);
  } catch {
    return [];
  }
}

/**
 * Wait until the database accepts connections: `retries` attempts, `intervalMs` apart. For a
 * container started next to its database (docker compose, a pod whose database is still booting).
 */
export async function waitForDatabase(
  url: string,
  options: { retries: number; intervalMs: number; log?: (line: string) => void },
): Promise<void> {
  if (dialectOf(url) === "sqlite") return; // a file: nothing to wait for
  let lastError: unknown;
  for (let attempt = 1; attempt <= options.retries; attempt++) {
    const database = createDatabase(url, { poolSize: 1 });
    try {
      await ping(database);
      if (attempt > 1) options.log?.(`database is up (attempt ${attempt}/${options.retries})`);
      return;
    } catch (error) {
      lastError = error;
      options.log?.(`waiting for the database (attempt ${attempt}/${options.retries}): ${describe(error)}`);
    } finally {
      await database.close().catch(() => undefined);
    }
    if (attempt < options.retries) await new Promise((r) => setTimeout(r, options.intervalMs));
  }
  throw new Error(`database ${redact(url)} not reachable after ${options.retries} attempt(s): ${describe(lastError)}`);
}

export function describe(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return describe(error.errors[0]);
  if (error instanceof Error) return error.message || (error as NodeJS.ErrnoException).code || error.name;
  return String(error);
}
