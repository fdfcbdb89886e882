/**
 * MySQL / MariaDB connection adapter over `mysql2/promise` (one connection,
 * `multipleStatements: false`). Statements use `?` placeholders, interpolated by the driver
 * (`query`, not server-side prepared statements, so that every DDL statement works).
 *
 * Migration lock: the named lock `GET_LOCK('athanor_migrations_<database>')`. Tried with a
 * zero timeout first; when busy, `onWait` is called and we wait in a loop of long timeouts.
 * The server releases a named lock when its session ends.
 */
import { createHash } from "node:crypto";
import type { DatabaseUrl } from "../../config/url.js";
import { connectionError } from "../connect.js";
import type { Connection, QueryResult, Statement } from "../types.js";

type MysqlConnection = import("mysql2/promise").Connection;

/** Seconds of one blocking GET_LOCK call while waiting for another runner. */
const WAIT_SECONDS = 30;

/** The lock name for a database: at most 64 characters (MySQL's limit). */
export function mysqlLockName(database: string): string {
  const name = `athanor_migrations_${database}`;
  if (name.length <= 64) return name;
  return `athanor_migrations_${createHash("sha256").update(database).digest("hex").slice(0, 40)}`;
}

export async function connectMysql(url: DatabaseUrl): Promise<Connection> {
  const mysql = (await import("mysql2/promise")).default;
  const o = url.options;
  const ssl = o.ssl === "true" || o.ssl === "1" || /^(required|verify_ca|verify_identity)$/i.test(o["ssl-mode"] ?? o.sslmode ?? "");
  let conn: MysqlConnection;
  try {
    conn = await mysql.createConnection({
      host: url.host,
      port: url.port ?? 3306,
      user: url.user ?? "root",
      password: url.password,
      database: url.database,
      multipleStatements: false,
      charset: o.charset ?? "utf8mb4",
      connectTimeout: 10_000,
      ...(ssl ? { ssl: {} } : {}),
    });
  } catch (error) {
    throw connectionError(url, error);
  }
  let lost: Error | undefined;
  conn.on("error", (error: Error) => {
    lost = error;
  });
  let database = url.database;
  if (!database) {
    const [rows] = await conn.query("SELECT DATABASE() AS db");
    database = String((rows as Record<string, unknown>[])[0]?.db ?? "");
  }
  return new MysqlConnectionImpl(conn, mysqlLockName(database ?? ""), () => lost);
}

class MysqlConnectionImpl implements Connection {
  readonly dialect = "mysql" as const;
  private locked = false;

  constructor(
    private readonly conn: MysqlConnection,
    private readonly lockName: string,
    private readonly lostError: () => Error | undefined,
  ) {}

  async execute(statement: Statement): Promise<QueryResult> {
    const lost = this.lostError();
    if (lost) throw lost;
    const params = statement.params && statement.params.length > 0 ? (statement.params as any[]) : undefined;
    const [result] = params ? await this.conn.query(statement.sql, params) : await this.conn.query(statement.sql);
    if (Array.isArray(result)) {
      return { rows: result as Record<string, unknown>[], rowCount: result.length };
    }
    const header = result as { affectedRows?: number };
    return { rows: [], rowCount: header.affectedRows ?? 0 };
  }

  async begin(): Promise<void> {
    await this.conn.query("START TRANSACTION");
  }

  async commit(): Promise<void> {
    await this.conn.query("COMMIT");
  }

  async rollback(): Promise<void> {
    await this.conn.query("ROLLBACK");
  }

  private async getLock(timeout: number): Promise<boolean> {
    const [rows] = await this.conn.query("SELECT GET_LOCK(?, ?) AS l", [this.lockName, timeout]);
    const value = (rows as Record<string, unknown>[])[0]?.l;
    if (value === null || value === undefined) {
      throw new Error(`GET_LOCK('${this.lockName}') failed`);
    }
    return Number(value) === 1;
  }

  async acquireMigrationLock(onWait: () => void): Promise<void> {
    if (this.locked) return;
    if (!(await this.getLock(0))) {
      onWait();
      while (!(await this.getLock(WAIT_SECONDS))) {
        // keep waiting: the holder is still migrating
      }
    }
    this.locked = true;
  }

  async releaseMigrationLock(): Promise<void> {
    if (!this.locked) return;
    this.locked = false;
    await this.conn.query("SELECT RELEASE_LOCK(?)", [this.lockName]);
  }

  async close(): Promise<void> {
    await this.conn.end().catch(() => this.conn.destroy());
  }
}
