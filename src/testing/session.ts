/**
 * One connection to the throwaway database, kept for the whole test, that applies or reverts one
 * revision at a time (the runtime connects, locks and reads the version table on every command;
 * stepping through hundreds of revisions that way would mostly measure connection set-up).
 *
 * A step does what the runtime's does (src/runtime/migrate.ts): begin, call the revision's
 * `upgrade(op, context)` / `downgrade(op, context)` with the revision's timeouts applied, write the
 * version rows, commit; roll back on failure. Per dialect, as the runtime:
 * - PostgreSQL: one transaction per revision (`synchronous_commit` is off: the database is thrown away);
 * - SQLite: the whole test runs inside the write transaction the runtime uses as its lock, each
 *   revision in a SAVEPOINT; `op.autocommitBlock` commits it and takes it again;
 * - MySQL/MariaDB: DDL commits implicitly.
 * The history table is created but not written.
 */
import { performance } from "node:perf_hooks";
import { redactSecrets, type DatabaseUrl } from "../config/url.js";
import { connect } from "../dialects/connect.js";
import { introspect } from "../dialects/introspect.js";
import type { Connection, DialectName } from "../dialects/types.js";
import type { RevisionGraph } from "../graph/index.js";
import type { MigrationStep, Revision } from "../graph/types.js";
import { applyRevisionTimeouts } from "../lint/timeouts.js";
import { DEFAULT_BACKFILL_TABLE } from "../config/defaults.js";
import { Operations } from "../operations/index.js";
import { convertParams, type ExecuteParams } from "../operations/params.js";
import { MigrationError, errorText, shortSql } from "../runtime/errors.js";
import { OnlineExecutor } from "../runtime/online-executor.js";
import { createHistoryTable } from "../runtime/history-table.js";
import { stepLabel, type MigrationContext } from "../runtime/migrate.js";
import { createVersionTable, writeVersionRows } from "../runtime/version-table.js";
import type { DatabaseSchema } from "../schema/database-schema.js";
import { loadRevisionModule, type RevisionModule } from "../script/versions.js";
import type { Logger } from "../util/log.js";

export interface SessionOptions {
  url: DatabaseUrl;
  graph: RevisionGraph;
  log: Logger;
  versionTable: string;
  historyTable: string;
  /** `-x key=value` arguments (context.x). */
  xArgs?: Record<string, string>;
  /** `--name` (context.name). */
  name?: string;
  /** Log a `Running upgrade ...` line per step. */
  verbose?: boolean;
}

/** What a revision's `seed(db, context)` / `verify(db, phase, context)` hooks receive. */
export interface TestDb {
  readonly dialect: DialectName;
  /**
   * Run a query and return its rows. Placeholders as in `op.execute`: `?` with an array of values,
   * `:name` with an object.
   */
  query(sql: string, params?: ExecuteParams): Promise<Record<string, unknown>[]>;
  /** Run a statement; returns the number of rows it affected. */
  execute(sql: string, params?: ExecuteParams): Promise<{ rowCount: number }>;
}

/** The third argument of `verify` and second of `seed`. */
export interface DataHookContext {
  dialect: DialectName;
  /** The revision whose hooks run. */
  revision: string;
}

export type VerifyPhase = "after-upgrade" | "after-downgrade";

/** What the last step ran (for messages such as "downgrade ran no statement"). */
export interface StepStats {
  operations: number;
  statements: number;
}

export class StepSession {
  readonly dialect: DialectName;
  /** Revisions applied now. */
  readonly applied = new Set<string>();
  private inTransaction = false;
  private locked = false;
  private readonly secrets: string[];
  private closed = false;
  lastStep: StepStats = { operations: 0, statements: 0 };
  /** Where op.backfill's progress lines go. */
  readonly progressLog: Logger;

  private constructor(
    readonly conn: Connection,
    private readonly opts: SessionOptions,
  ) {
    this.dialect = conn.dialect;
    this.secrets = [opts.url.password].filter((x): x is string => !!x);
    this.progressLog = opts.verbose ? opts.log : { info: () => undefined, warn: (m) => opts.log.warn(m) };
  }

  static async open(opts: SessionOptions): Promise<StepSession> {
    const conn = await connect(opts.url);
    const s = new StepSession(conn, opts);
    try {
      if (conn.dialect === "postgresql") await conn.execute({ sql: "SET synchronous_commit TO off" });
      if (conn.dialect === "sqlite") await s.lock();
      await createVersionTable(conn, opts.versionTable);
      await createHistoryTable(conn, opts.historyTable);
    } catch (error) {
      await s.close();
      throw error;
    }
    return s;
  }

  /** Version-table rows for the applied set. */
  rows(): string[] {
    return this.opts.graph.rowsForApplied(this.applied);
  }

  /** Introspect the database (without athanor's version, history and backfill-progress tables). */
  introspect(): Promise<DatabaseSchema> {
    return introspect(this.conn, { excludeTables: [this.opts.versionTable, this.opts.historyTable, DEFAULT_BACKFILL_TABLE] });
  }

  /** Apply (`up`) or revert (`down`) one revision; throws a MigrationError naming it. */
  async step(rev: Revision, direction: "up" | "down"): Promise<void> {
    const before = this.rows();
    const applied = new Set(this.applied);
    if (direction === "up") applied.add(rev.revision);
    else applied.delete(rev.revision);
    const after = this.opts.graph.rowsForApplied(applied);
    const step: MigrationStep = { revision: rev, direction, rowsBefore: before, rowsAfter: after };
    if (this.opts.verbose) this.opts.log.info(stepLogLine(step));
    const executor = new OnlineExecutor(this.conn, this.progressLog, (fn) => this.autocommit(fn));
    await this.begin();
    try {
      const mod = await loadRevisionModule(rev.path);
      const op = new Operations(executor);
      const resetTimeouts = await applyRevisionTimeouts(executor, mod);
      const context: MigrationContext = {
        dialect: this.dialect,
        offline: false,
        direction,
        x: { ...(this.opts.xArgs ?? {}) },
        tag: undefined,
        name: this.opts.name,
      };
      if (direction === "up") await mod.upgrade(op, context);
      else await mod.downgrade(op, context);
      await resetTimeouts();
      this.lastStep = { operations: op.log.length, statements: executor.ran.length };
      await writeVersionRows(this.conn, this.opts.versionTable, before, after);
      await this.commit();
    } catch (error) {
      await this.rollback();
      throw this.failure(step, error, executor);
    }
    if (direction === "up") this.applied.add(rev.revision);
    else this.applied.delete(rev.revision);
  }

  /** The object given to data hooks: queries on this connection, outside any revision's transaction. */
  db(): TestDb {
    const conn = this.conn;
    const dialect = this.dialect;
    return {
      dialect,
      async query(sql, params) {
        return (await conn.execute(convertParams(sql, params, dialect))).rows;
      },
      async execute(sql, params) {
        return { rowCount: (await conn.execute(convertParams(sql, params, dialect))).rowCount };
      },
    };
  }

  /** Load a revision module (cached by the loader). */
  module(rev: Revision): Promise<RevisionModule> {
    return loadRevisionModule(rev.path);
  }

  /** Commit everything (SQLite's outer transaction) so that other connections see it. */
  async release(): Promise<void> {
    if (this.locked) {
      this.locked = false;
      await this.conn.releaseMigrationLock();
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.conn.close().catch(() => undefined);
  }

  // ------------------------------------------------------------------------------ transactions

  private async lock(): Promise<void> {
    await this.conn.acquireMigrationLock(() => this.opts.log.info("Waiting for the SQLite write lock..."));
    this.locked = true;
  }

  private async begin(): Promise<void> {
    await this.conn.begin();
    this.inTransaction = true;
  }

  private async commit(): Promise<void> {
    await this.conn.commit();
    this.inTransaction = false;
  }

  private async rollback(): Promise<void> {
    if (!this.inTransaction) return;
    this.inTransaction = false;
    await this.conn.rollback().catch(() => undefined);
  }

  /** `op.autocommitBlock`: commit, run `fn` outside any transaction, begin again. */
  async autocommit<T>(fn: () => Promise<T>): Promise<T> {
    if (!this.inTransaction) return fn();
    await this.commit();
    const relock = this.locked;
    if (relock) await this.release();
    try {
      return await fn();
    } finally {
      if (relock) await this.lock();
      await this.begin();
    }
  }

  private failure(step: MigrationStep, error: unknown, executor: OnlineExecutor): MigrationError {
    const rev = step.revision;
    const direction = step.direction === "up" ? "upgrade" : "downgrade";
    let message = `${direction} failed: ${errorText(error)}`;
    if (executor.failed) message += ` while executing: ${shortSql(executor.failed.sql)}`;
    return new MigrationError(redactSecrets(message, this.secrets), {
      revision: rev.revision,
      direction: step.direction,
      statement: executor.failed?.sql,
      cause: error,
    });
  }
}

function stepLogLine(step: MigrationStep): string {
  const message = step.revision.message;
  return `Running ${stepLabel(step)}${message ? `, ${message}` : ""}`;
}

/** Milliseconds since `start`. */
export function since(start: number): number {
  return performance.now() - start;
}
