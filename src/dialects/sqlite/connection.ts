/**
 * SQLite connection adapter over `better-sqlite3` (synchronous; wrapped in promises).
 *
 * Migration lock: SQLite has one writer at a time, so the lock IS a write transaction:
 * `acquireMigrationLock` runs `BEGIN IMMEDIATE` (polling asynchronously while another
 * connection writes, so that the event loop is never blocked), and `releaseMigrationLock`
 * commits it. While that outer transaction is open, `begin`/`commit`/`rollback` work on
 * SAVEPOINTs inside it, so each revision can be undone alone while the lock stays held.
 * Without the lock, `begin` opens a real (immediate) transaction.
 */
import type { DatabaseUrl } from "../../config/url.js";
import { connectionError } from "../connect.js";
import type { Connection, QueryResult, Statement } from "../types.js";

type Db = import("better-sqlite3").Database;

/** Milliseconds SQLite itself retries a busy database inside one statement. */
const BUSY_TIMEOUT_MS = 10_000;
/** Polling interval while waiting for another runner's write transaction. */
const POLL_MS = 25;

export async function connectSqlite(url: DatabaseUrl): Promise<Connection> {
  const Database = (await import("better-sqlite3")).default;
  const filename = url.filename ?? ":memory:";
  let db: Db;
  try {
    db = new Database(filename, { timeout: BUSY_TIMEOUT_MS });
  } catch (error) {
    throw connectionError(url, error);
  }
  return new SqliteConnection(db);
}

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" && (code === "SQLITE_BUSY" || code.startsWith("SQLITE_BUSY_") || code === "SQLITE_LOCKED");
}

/** better-sqlite3 binds numbers, bigints, strings, buffers and null only. */
function bindable(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (typeof value === "boolean") return value ? 1 : 0;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "object" && !Buffer.isBuffer(value) && !(value instanceof Uint8Array)) {
    return JSON.stringify(value);
  }
  return value;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

class SqliteConnection implements Connection {
  readonly dialect = "sqlite" as const;
  /** The lock's outer write transaction is open. */
  private locked = false;
  /** Open begin() levels: "tx" = a real transaction, otherwise a savepoint name. */
  private readonly levels: string[] = [];
  private savepoints = 0;

  constructor(private readonly db: Db) {}

  async execute(statement: Statement): Promise<QueryResult> {
    const params = (statement.params ?? []).map(bindable);
    let prepared: import("better-sqlite3").Statement;
    try {
      prepared = this.db.prepare(statement.sql);
    } catch (error) {
      // Several statements in one parameterless string: run them as a script.
      if (params.length === 0 && error instanceof RangeError && /more than one statement/i.test(error.message)) {
        const before = this.db.prepare("SELECT total_changes() AS n").get() as { n: number };
        this.db.exec(statement.sql);
        const after = this.db.prepare("SELECT total_changes() AS n").get() as { n: number };
        this.syncLevels();
        return { rows: [], rowCount: after.n - before.n };
      }
      throw error;
    }
    try {
      if (prepared.reader) {
        const rows = prepared.all(...params) as Record<string, unknown>[];
        return { rows, rowCount: rows.length };
      }
      const info = prepared.run(...params);
      return { rows: [], rowCount: info.changes };
    } finally {
      this.syncLevels();
    }
  }

  /** Some errors (and raw COMMIT/ROLLBACK in user SQL) end the transaction behind our back. */
  private syncLevels(): void {
    if (!this.db.inTransaction) {
      this.levels.length = 0;
      this.locked = false;
    }
  }

  async begin(): Promise<void> {
    if (this.db.inTransaction) {
      const name = `athanor_sp_${++this.savepoints}`;
      this.db.exec(`SAVEPOINT ${name}`);
      this.levels.push(name);
    } else {
      await this.beginImmediate();
      this.levels.push("tx");
    }
  }

  async commit(): Promise<void> {
    this.syncLevels();
    const level = this.levels.pop();
    if (level === undefined) return;
    if (level === "tx") this.db.exec("COMMIT");
    else this.db.exec(`RELEASE ${level}`);
  }

  async rollback(): Promise<void> {
    this.syncLevels();
    const level = this.levels.pop();
    if (level === undefined) return;
    if (level === "tx") this.db.exec("ROLLBACK");
    else {
      this.db.exec(`ROLLBACK TO ${level}`);
      this.db.exec(`RELEASE ${level}`);
    }
  }

  /** BEGIN IMMEDIATE, retried asynchronously while another connection holds the write lock. */
  private async beginImmediate(onWait?: () => void): Promise<void> {
    let waited = false;
    this.db.pragma("busy_timeout = 0");
    try {
      for (;;) {
        try {
          this.db.exec("BEGIN IMMEDIATE");
          return;
        } catch (error) {
          if (!isBusy(error)) throw error;
          if (!waited) {
            waited = true;
            onWait?.();
          }
          await sleep(POLL_MS);
        }
      }
    } finally {
      this.db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    }
  }

  async acquireMigrationLock(onWait: () => void): Promise<void> {
    if (this.locked) return;
    if (this.db.inTransaction) throw new Error("cannot take the migration lock inside an open transaction");
    await this.beginImmediate(onWait);
    this.locked = true;
  }

  async releaseMigrationLock(): Promise<void> {
    this.syncLevels();
    if (!this.locked) return;
    // Savepoints left open (a failure between begin and commit) are released with the commit.
    this.levels.length = 0;
    this.locked = false;
    this.db.exec("COMMIT");
  }

  async close(): Promise<void> {
    if (this.db.open) {
      if (this.db.inTransaction) {
        try {
          this.db.exec("ROLLBACK");
        } catch {
          // closing anyway
        }
      }
      this.db.close();
    }
  }
}
