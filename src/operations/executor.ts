import type { DialectName, Statement } from "../dialects/types.js";

/** What the `op` facade needs from the migration runtime (online connection or --sql writer). */
export interface OpExecutor {
  readonly dialect: DialectName;
  readonly offline: boolean;
  /** Execute online, or print offline. */
  run(statements: Statement[]): Promise<void>;
  /** Read rows (online only; offline it throws "op.query cannot run in --sql mode"). */
  query(statement: Statement): Promise<Record<string, unknown>[]>;
  /** Commit the current transaction, run fn outside any transaction, then begin a new one. */
  autocommit<T>(fn: () => Promise<T>): Promise<T>;
}
