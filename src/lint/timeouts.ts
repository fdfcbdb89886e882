/**
 * Per-revision timeouts: a revision file may declare
 *
 *   export const lockTimeout = "5s";        // how long a statement may wait for a lock
 *   export const statementTimeout = "60s";  // how long a statement may run
 *
 * and the runtime sets them before the revision's statements and resets them after:
 * - PostgreSQL: `SET lock_timeout` / `SET statement_timeout`, then `RESET`. Session-level rather than
 *   `SET LOCAL` so that they also cover the revision's autocommit blocks (CREATE INDEX CONCURRENTLY,
 *   `op.backfill` batches); set inside the revision's transaction, they vanish with it on failure.
 * - MySQL/MariaDB: `SET SESSION lock_wait_timeout` (seconds); MariaDB `max_statement_time` (seconds),
 *   MySQL `max_execution_time` (milliseconds, SELECT only); then `= DEFAULT`.
 * - SQLite: `PRAGMA busy_timeout` (how long to wait for another writer), then the previous value;
 *   SQLite has no statement timeout.
 * Durations: a number of milliseconds, or a string `500ms`, `5s`, `2min`, `1h`.
 */
import type { Statement } from "../dialects/types.js";
import type { OpExecutor } from "../operations/executor.js";

export interface RevisionTimeouts {
  lockTimeoutMs: number | null;
  statementTimeoutMs: number | null;
}

const UNITS: Record<string, number> = { ms: 1, s: 1000, sec: 1000, m: 60_000, min: 60_000, h: 3_600_000 };

export function parseDuration(value: unknown, what = "duration"): number {
  if (typeof value === "number" && Number.isFinite(value) && value >= 0) return Math.round(value);
  if (typeof value === "string") {
    const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|sec|m|min|h)?\s*$/i.exec(value);
    if (m) return Math.round(Number(m[1]) * UNITS[(m[2] ?? "ms").toLowerCase()]!);
  }
  throw new TypeError(`${what} must be a number of milliseconds or a string like "500ms", "5s", "2min"; got ${JSON.stringify(value)}`);
}

export function readRevisionTimeouts(mod: Record<string, unknown>): RevisionTimeouts {
  const read = (name: string) => (mod[name] === undefined || mod[name] === null ? null : parseDuration(mod[name], `export const ${name}`));
  return { lockTimeoutMs: read("lockTimeout"), statementTimeoutMs: read("statementTimeout") };
}

const none = async () => undefined;

/**
 * Apply a revision module's `lockTimeout` / `statementTimeout` through the executor; returns the
 * function that resets them (call it after the revision's upgrade/downgrade succeeded).
 */
export async function applyRevisionTimeouts(executor: OpExecutor, mod: Record<string, unknown>): Promise<() => Promise<void>> {
  const t = readRevisionTimeouts(mod);
  if (t.lockTimeoutMs === null && t.statementTimeoutMs === null) return none;
  const set: Statement[] = [];
  const reset: Statement[] = [];
  switch (executor.dialect) {
    case "postgresql":
      if (t.lockTimeoutMs !== null) {
        set.push({ sql: `SET lock_timeout = '${t.lockTimeoutMs}ms'` });
        reset.push({ sql: "RESET lock_timeout" });
      }
      if (t.statementTimeoutMs !== null) {
        set.push({ sql: `SET statement_timeout = '${t.statementTimeoutMs}ms'` });
        reset.push({ sql: "RESET statement_timeout" });
      }
      break;
    case "mysql": {
      if (t.lockTimeoutMs !== null) {
        set.push({ sql: `SET SESSION lock_wait_timeout = ${Math.max(1, Math.ceil(t.lockTimeoutMs / 1000))}` });
        reset.push({ sql: "SET SESSION lock_wait_timeout = DEFAULT" });
      }
      if (t.statementTimeoutMs !== null && !executor.offline) {
        const version = String(Object.values((await executor.query({ sql: "SELECT VERSION() AS v" }))[0] ?? {})[0] ?? "");
        if (/mariadb/i.test(version)) {
          set.push({ sql: `SET SESSION max_statement_time = ${t.statementTimeoutMs / 1000}` });
          reset.push({ sql: "SET SESSION max_statement_time = DEFAULT" });
        } else {
          set.push({ sql: `SET SESSION max_execution_time = ${t.statementTimeoutMs}` });
          reset.push({ sql: "SET SESSION max_execution_time = DEFAULT" });
        }
      }
      break;
    }
    case "sqlite":
      if (t.lockTimeoutMs !== null) {
        let previous = 10_000;
        if (!executor.offline) {
          const rows = await executor.query({ sql: "PRAGMA busy_timeout" });
          previous = Number(Object.values(rows[0] ?? {})[0] ?? previous);
        }
        set.push({ sql: `PRAGMA busy_timeout = ${t.lockTimeoutMs}` });
        reset.push({ sql: `PRAGMA busy_timeout = ${previous}` });
      }
      break;
  }
  if (set.length === 0) return none;
  await executor.run(set);
  return () => executor.run(reset);
}
