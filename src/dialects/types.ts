export type DialectName = "postgresql" | "mysql" | "sqlite";

/** One SQL statement with its bound parameters (positional, in the dialect's placeholder style). */
export interface Statement {
  sql: string;
  params?: unknown[];
}

export interface QueryResult {
  rows: Record<string, unknown>[];
  /** Rows affected by INSERT/UPDATE/DELETE. */
  rowCount: number;
}

/** A live connection to one database. All methods reject with the driver's error on failure. */
export interface Connection {
  readonly dialect: DialectName;
  execute(statement: Statement): Promise<QueryResult>;
  begin(): Promise<void>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
  /**
   * Take the migration lock that makes concurrent runners exclude each other
   * (advisory lock on PostgreSQL, GET_LOCK on MySQL, an immediate write transaction on SQLite).
   * `onWait` is called once if the lock is held by someone else and we have to wait.
   */
  acquireMigrationLock(onWait: () => void): Promise<void>;
  releaseMigrationLock(): Promise<void>;
  close(): Promise<void>;
}
