/**
 * The migration runtime: run a plan of the revision graph against a database (online) or
 * render it as SQL text (offline, `--sql`).
 *
 * Online, every command takes the migration lock first and reads the version table after it,
 * so a runner that had to wait sees what the first one did. Per revision: begin, log
 * `Running upgrade <parents> -> <rev>, <message>`, load the module, call `upgrade(op)` /
 * `downgrade(op)`, write the version rows and a history row, commit.
 *
 * Transactions, per dialect:
 * - PostgreSQL: one transaction per revision (default) or one for the whole run
 *   (`transactionPerMigration: false`). A failing revision is rolled back; the database stays
 *   at the last revision that completed (the whole run is undone with one run-wide
 *   transaction).
 * - SQLite: the migration lock is the write transaction itself (`BEGIN IMMEDIATE`, held for
 *   the whole run, so other runners wait); each revision runs in a SAVEPOINT inside it. A
 *   failing revision is rolled back to its savepoint and the revisions completed before it are
 *   committed when the lock is released; with `transactionPerMigration: false` the whole run
 *   is one savepoint and is undone. A killed runner leaves the database as it was before the
 *   run (nothing of the run was committed yet).
 * - MySQL/MariaDB: DDL commits implicitly, so a revision cannot be undone. The version rows
 *   are written right after each revision (so finished revisions are never lost); a revision
 *   that fails (or is killed) half-way leaves the statements that already ran, and the version
 *   table still names the previous revision: the error says so.
 */
import { relative, isAbsolute } from "node:path";
import { performance } from "node:perf_hooks";
import { DEFAULT_BACKFILL_TABLE } from "../config/defaults.js";
import { redactSecrets, type DatabaseUrl } from "../config/url.js";
import { connect } from "../dialects/connect.js";
import { getCompiler } from "../dialects/compilers.js";
import type { Connection, DialectName, Statement } from "../dialects/types.js";
import type { RevisionGraph } from "../graph/index.js";
import type { MigrationStep } from "../graph/types.js";
import type { OpExecutor } from "../operations/executor.js";
import type { Logger } from "../util/log.js";
import { athanorVersion } from "../util/version.js";
import { OnlineExecutor } from "./online-executor.js";
import { MigrationError, errorText, shortSql } from "./errors.js";
import { DEFAULT_HISTORY_TABLE, createHistoryTable, fileChecksum, insertHistory, lastChecksums } from "./history-table.js";
import {
  DEFAULT_VERSION_TABLE,
  createVersionTable,
  createVersionTableSql,
  quoteName,
  readVersionRows,
  tableExists,
  versionStatementsSql,
  writeVersionRows,
} from "./version-table.js";

export { MigrationError } from "./errors.js";

export interface RuntimeOptions {
  url: DatabaseUrl;
  graph: RevisionGraph;
  log: Logger;
  /** Default "athanor_version". */
  versionTable?: string;
  /** Default "athanor_history". */
  historyTable?: string;
  /** Default true; false = one transaction for the whole run (where DDL is transactional). */
  transactionPerMigration?: boolean;
  /** Fail instead of warn when an applied revision's file changed. */
  strict?: boolean;
  /** Recorded in the history table (`upgrade --tag`). */
  tag?: string;
  /** `-x key=value` arguments, given to revision functions as `context.x`. */
  xArgs?: Record<string, string>;
  /** The database of a multi-database config (`--name`), given to revision functions as `context.name`. */
  name?: string;
  /**
   * Called with the planned steps once the lock is held and before the first one runs (upgrade and
   * downgrade): `upgrade` lints exactly what it is about to apply here. Throwing stops the run.
   */
  beforeRun?: (steps: MigrationStep[]) => Promise<void>;
}

export type OfflineOptions = Omit<RuntimeOptions, "url"> & { dialect: DialectName };

export interface MigrateResult<D extends "up" | "down"> {
  steps: { revision: string; direction: D }[];
  /** The version rows after the run. */
  current: string[];
}

/** The second argument of `upgrade(op, context)` / `downgrade(op, context)`. */
export interface MigrationContext {
  dialect: DialectName;
  offline: boolean;
  direction: "up" | "down";
  /** `-x key=value` arguments. */
  x: Record<string, string>;
  tag: string | undefined;
  /** The database of a multi-database config (`--name`); multidb templates dispatch on it. */
  name: string | undefined;
}

export const WAITING_MESSAGE = "Waiting for the migration lock held by another runner...";

const IMPL_NAMES: Record<DialectName, string> = {
  postgresql: "PostgresqlImpl",
  mysql: "MySQLImpl",
  sqlite: "SQLiteImpl",
};

function transactionalDdl(dialect: DialectName): boolean {
  return getCompiler(dialect).transactionalDdl;
}

function logContext(log: Logger, dialect: DialectName, offline: boolean): void {
  log.info(`Context impl ${IMPL_NAMES[dialect]}.`);
  if (offline) log.info("Generating static SQL");
  log.info(transactionalDdl(dialect) ? "Will assume transactional DDL." : "Will assume non-transactional DDL.");
}

/** `upgrade a, b -> c` / `downgrade c -> a, b` (Alembic's short log of a step). */
export function stepLabel(step: Pick<MigrationStep, "revision" | "direction">): string {
  const rev = step.revision;
  const parents = rev.parents.join(", ");
  return step.direction === "up" ? `upgrade ${parents} -> ${rev.revision}` : `downgrade ${rev.revision} -> ${parents}`;
}

function stepLogLine(step: MigrationStep): string {
  const message = step.revision.message;
  return `Running ${stepLabel(step)}${message ? `, ${message}` : ""}`;
}

function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel : path;
}

// -------------------------------------------------------------------------------------------
// Online

interface Session {
  opts: RuntimeOptions;
  conn: Connection;
  dialect: DialectName;
  log: Logger;
  versionTable: string;
  historyTable: string;
  transactional: boolean;
  /** One transaction per revision (always on non-transactional dialects). */
  perMigration: boolean;
  secrets: string[];
  /** A transaction (or savepoint) opened by the runtime is open. */
  inTransaction: boolean;
  /** The step running now (for autocommit blocks). */
  step: MigrationStep | undefined;
  /** athanor_backfill exists: downgrades clear it (see runStep). */
  clearBackfillProgress?: boolean;
}

function onWait(log: Logger): () => void {
  return () => log.info(WAITING_MESSAGE);
}

/** Connect, take the lock, run `fn`, release the lock, close; errors redacted. */
async function withSession<T>(
  opts: RuntimeOptions,
  options: { lock: boolean },
  fn: (s: Session) => Promise<T>,
): Promise<T> {
  const dialect = opts.url.dialect;
  const secrets = [opts.url.password].filter((x): x is string => !!x);
  const conn = await connect(opts.url);
  const transactional = transactionalDdl(dialect);
  const session: Session = {
    opts,
    conn,
    dialect,
    log: opts.log,
    versionTable: opts.versionTable ?? DEFAULT_VERSION_TABLE,
    historyTable: opts.historyTable ?? DEFAULT_HISTORY_TABLE,
    transactional,
    perMigration: !transactional || opts.transactionPerMigration !== false,
    secrets,
    inTransaction: false,
    step: undefined,
  };
  try {
    logContext(opts.log, dialect, false);
    if (!options.lock) return await fn(session);
    await conn.acquireMigrationLock(onWait(opts.log));
    let result: T;
    try {
      result = await fn(session);
    } catch (error) {
      await conn.releaseMigrationLock().catch(() => undefined);
      throw error;
    }
    // On SQLite this commits the run: its failure is the run's failure.
    await conn.releaseMigrationLock();
    return result;
  } catch (error) {
    throw redactError(error, secrets);
  } finally {
    await conn.close().catch(() => undefined);
  }
}

function redactError(error: unknown, secrets: string[]): unknown {
  if (error instanceof Error && secrets.length > 0) {
    const clean = redactSecrets(error.message, secrets);
    if (clean !== error.message) error.message = clean;
  }
  return error;
}

async function ensureTables(s: Session): Promise<void> {
  await createVersionTable(s.conn, s.versionTable);
  await createHistoryTable(s.conn, s.historyTable);
}

async function begin(s: Session): Promise<void> {
  await s.conn.begin();
  s.inTransaction = true;
}

async function commit(s: Session): Promise<void> {
  await s.conn.commit();
  s.inTransaction = false;
}

async function rollback(s: Session): Promise<void> {
  if (!s.inTransaction) return;
  s.inTransaction = false;
  await s.conn.rollback().catch(() => undefined);
}

/** Commit, run `fn` outside any transaction, begin again (`op.autocommitBlock`). */
async function autocommitBlock<T>(s: Session, fn: () => Promise<T>): Promise<T> {
  if (!s.inTransaction) return fn();
  await commit(s);
  // On SQLite the lock is the write transaction: it has to be committed too.
  if (s.dialect === "sqlite") await s.conn.releaseMigrationLock();
  try {
    return await fn();
  } finally {
    if (s.dialect === "sqlite") {
      await s.conn.acquireMigrationLock(onWait(s.log));
      const step = s.step;
      if (step) {
        const rows = await readVersionRows(s.conn, s.versionTable);
        if (rows.join(",") !== step.rowsBefore.join(",")) {
          throw new MigrationError(
            `The version table changed while revision ${step.revision.revision} ran an autocommit block ` +
              `(another runner?): expected ${rowsText(step.rowsBefore)}, found ${rowsText(rows)}`,
          );
        }
      }
    }
    await begin(s);
  }
}

function rowsText(rows: readonly string[]): string {
  return rows.length > 0 ? rows.join(", ") : "(base)";
}

function migrationContext(opts: Omit<RuntimeOptions, "url">, dialect: DialectName, offline: boolean, direction: "up" | "down"): MigrationContext {
  return { dialect, offline, direction, x: { ...(opts.xArgs ?? {}) }, tag: opts.tag, name: opts.name };
}

async function callRevision(
  step: MigrationStep,
  executor: OpExecutor,
  context: MigrationContext,
): Promise<void> {
  // Loaded on the first step: `current` and `stamp` never need the op machinery or the TS loader.
  const [{ loadRevisionModule }, { Operations }, { applyRevisionTimeouts }] = await Promise.all([
    import("../script/versions.js"),
    import("../operations/index.js"),
    import("../lint/timeouts.js"),
  ]);
  const mod = await loadRevisionModule(step.revision.path);
  const op = new Operations(executor);
  const resetTimeouts = await applyRevisionTimeouts(executor, mod); // export const lockTimeout / statementTimeout
  if (step.direction === "up") await mod.upgrade(op, context);
  else await mod.downgrade(op, context);
  await resetTimeouts();
}

function stepFailure(s: Session, step: MigrationStep, error: unknown, executor: OnlineExecutor): MigrationError {
  const rev = step.revision;
  const direction = step.direction === "up" ? "upgrade" : "downgrade";
  const name = rev.message ? `${rev.revision} (${rev.message})` : rev.revision;
  let message = `Revision ${name} failed in ${direction}: ${errorText(error)}`;
  if (executor.failed) message += ` while executing: ${shortSql(executor.failed.sql)}`;
  if (!s.transactional && executor.ran.length > 0) {
    message +=
      ` (MySQL commits DDL implicitly: ${executor.ran.length} earlier statement(s) of this revision stay applied;` +
      ` the version table still shows ${rowsText(step.rowsBefore)})`;
  }
  return new MigrationError(redactSecrets(message, s.secrets), {
    revision: rev.revision,
    direction: step.direction,
    statement: executor.failed?.sql,
    cause: error,
  });
}

async function runStep(s: Session, step: MigrationStep, executor: OnlineExecutor): Promise<void> {
  const started = performance.now();
  const rev = step.revision;
  s.step = step;
  executor.reset();
  if (s.perMigration) await begin(s);
  try {
    s.log.info(stepLogLine(step));
    let checksum: string | null = null;
    try {
      checksum = fileChecksum(rev.path);
    } catch {
      checksum = null;
    }
    await callRevision(step, executor, migrationContext(s.opts, s.dialect, false, step.direction));
    await writeVersionRows(s.conn, s.versionTable, step.rowsBefore, step.rowsAfter);
    // An interrupted op.backfill resumes from its progress row; once anything is downgraded the rows
    // it had done may be gone (a dropped and re-added column), so no progress may survive a downgrade.
    if (step.direction === "down" && s.clearBackfillProgress) {
      await s.conn.execute({ sql: `DELETE FROM ${quoteName(s.dialect, DEFAULT_BACKFILL_TABLE)}` });
    }
    await insertHistory(s.conn, s.historyTable, {
      revision: rev.revision,
      direction: step.direction,
      checksum,
      durationMs: performance.now() - started,
      tag: s.opts.tag,
      toolVersion: athanorVersion(),
    });
    if (s.perMigration) await commit(s);
  } catch (error) {
    if (s.perMigration) await rollback(s);
    throw stepFailure(s, step, error, executor);
  } finally {
    s.step = undefined;
  }
}

/** Warn (or with `strict`, fail) when an applied revision's file differs from the recorded checksum. */
async function checkDrift(s: Session, rows: string[]): Promise<void> {
  const recorded = await lastChecksums(s.conn, s.historyTable);
  if (recorded.size === 0) return;
  const graph = s.opts.graph;
  for (const id of graph.appliedFromRows(rows)) {
    const sum = recorded.get(id);
    if (sum === undefined) continue;
    const rev = graph.get(id);
    if (!rev) continue;
    let now: string;
    try {
      now = fileChecksum(rev.path);
    } catch {
      continue;
    }
    if (now === sum) continue;
    const message = `Revision ${id} (${displayPath(rev.path)}) has changed since it was applied`;
    if (s.opts.strict) throw new MigrationError(`${message} (strict mode)`, { revision: id });
    s.log.warn(message);
  }
}

async function runPlan(s: Session, steps: MigrationStep[]): Promise<void> {
  if (steps.length === 0) return;
  if (!s.transactional) s.log.info("MySQL commits DDL implicitly; a failing revision may leave partial changes");
  const executor = new OnlineExecutor(s.conn, s.log, (fn) => autocommitBlock(s, fn));
  s.clearBackfillProgress = steps.some((step) => step.direction === "down") && (await tableExists(s.conn, DEFAULT_BACKFILL_TABLE));
  const runWide = !s.perMigration;
  if (runWide) await begin(s);
  try {
    for (const step of steps) await runStep(s, step, executor);
    if (runWide) await commit(s);
  } catch (error) {
    if (runWide) await rollback(s);
    throw error;
  }
}

async function migrate<D extends "up" | "down">(
  opts: RuntimeOptions,
  direction: D,
  target: string,
): Promise<MigrateResult<D>> {
  return withSession(opts, { lock: true }, async (s) => {
    await ensureTables(s);
    const rows = await readVersionRows(s.conn, s.versionTable);
    if (direction === "up") await checkDrift(s, rows);
    const steps = direction === "up" ? opts.graph.planUpgrade(rows, target) : opts.graph.planDowngrade(rows, target);
    if (steps.length > 0) await opts.beforeRun?.(steps);
    await runPlan(s, steps);
    const current = await readVersionRows(s.conn, s.versionTable);
    return {
      steps: steps.map((step) => ({ revision: step.revision.revision, direction: step.direction as D })),
      current,
    };
  });
}

/** Upgrade to `target` (`head`, `heads`, an id, `+N`, `label@head`, ...). */
export function upgrade(opts: RuntimeOptions, target: string): Promise<MigrateResult<"up">> {
  return migrate(opts, "up", target);
}

/** Downgrade to `target` (`base`, an id, `-N`, ...). */
export function downgrade(opts: RuntimeOptions, target: string): Promise<MigrateResult<"down">> {
  return migrate(opts, "down", target);
}

/** Set the version table to `targets` without running any migration. */
export function stamp(opts: RuntimeOptions, targets: string[], o: { purge?: boolean } = {}): Promise<{ current: string[] }> {
  return withSession(opts, { lock: true }, async (s) => {
    await ensureTables(s);
    const rows = await readVersionRows(s.conn, s.versionTable);
    const after = [...opts.graph.planStamp(rows, targets, o.purge ?? false)].sort();
    const before = rows;
    if (before.join(",") !== after.join(",")) {
      await begin(s);
      try {
        s.log.info(`Running stamp_revision ${before.join(", ")} -> ${after.join(", ")}`);
        await writeVersionRows(s.conn, s.versionTable, before, after);
        await commit(s);
      } catch (error) {
        await rollback(s);
        throw error;
      }
    }
    return { current: await readVersionRows(s.conn, s.versionTable) };
  });
}

/**
 * The version-table rows, and the applied heads they stand for (`graph.currentHeads`).
 * Never creates any table, takes no lock.
 */
export function current(opts: RuntimeOptions): Promise<{ rows: string[]; heads: string[] }> {
  return withSession(opts, { lock: false }, async (s) => {
    if (!(await tableExists(s.conn, s.versionTable))) return { rows: [], heads: [] };
    const rows = await readVersionRows(s.conn, s.versionTable);
    return { rows, heads: opts.graph.currentHeads(rows) };
  });
}

/** Create the version table (and the history table) if they do not exist. */
export function ensureVersion(opts: RuntimeOptions): Promise<void> {
  return withSession(opts, { lock: true }, async (s) => {
    await ensureTables(s);
  });
}

// -------------------------------------------------------------------------------------------
// Offline (--sql)

/** Collects the SQL text of an offline run. */
class OfflineWriter {
  private readonly parts: string[] = [];
  constructor(private readonly dialect: DialectName) {}

  statement(sql: string): void {
    this.parts.push(`${sql.replace(/\t/g, "    ").trim()};\n\n`);
  }

  comment(text: string): void {
    this.parts.push(`-- ${text}\n\n`);
  }

  text(): string {
    return this.parts.join("");
  }

  inline(statement: Statement): string {
    return getCompiler(this.dialect).inlineStatement(statement);
  }
}

class OfflineExecutor implements OpExecutor {
  readonly offline = true;
  constructor(
    readonly dialect: DialectName,
    private readonly out: OfflineWriter,
    private readonly transactional: () => boolean,
  ) {}

  async run(statements: Statement[]): Promise<void> {
    for (const statement of statements) this.out.statement(this.out.inline(statement));
  }

  async query(statement: Statement): Promise<Record<string, unknown>[]> {
    throw new MigrationError(
      `op.query() cannot run in offline (--sql) mode: it needs a database connection (query: ${shortSql(statement.sql, 80)})`,
    );
  }

  async autocommit<T>(fn: () => Promise<T>): Promise<T> {
    if (!this.transactional()) return fn();
    this.out.statement("COMMIT");
    const result = await fn();
    this.out.statement("BEGIN");
    return result;
  }
}

interface OfflinePlan {
  startRows: string[];
  steps: MigrationStep[];
}

function resolveStart(graph: RevisionGraph, start: string): string[] {
  const s = start.trim();
  if (s === "" || s === "base") return [];
  return [...graph.resolve(s)].sort();
}

async function renderOffline(opts: OfflineOptions, kind: "upgrade" | "downgrade", plan: OfflinePlan): Promise<string> {
  const dialect = opts.dialect;
  const log = opts.log;
  logContext(log, dialect, true);
  const versionTable = opts.versionTable ?? DEFAULT_VERSION_TABLE;
  const transactional = transactionalDdl(dialect);
  const perMigration = opts.transactionPerMigration !== false;
  const out = new OfflineWriter(dialect);
  let inTx = false;
  const executor = new OfflineExecutor(dialect, out, () => inTx);
  let created = false;
  if (transactional && !perMigration) {
    out.statement("BEGIN");
    inTx = true;
  }
  for (const step of plan.steps) {
    if (transactional && perMigration) {
      out.statement("BEGIN");
      inTx = true;
    }
    if (!created && step.rowsBefore.length === 0 && plan.startRows.length === 0) {
      out.statement(createVersionTableSql(dialect, versionTable, false));
      created = true;
    }
    log.info(stepLogLine(step));
    out.comment(`Running ${stepLabel(step)}`);
    try {
      await callRevision(step, executor, migrationContext(opts, dialect, true, step.direction));
    } catch (error) {
      if (error instanceof MigrationError) throw error;
      const rev = step.revision;
      const name = rev.message ? `${rev.revision} (${rev.message})` : rev.revision;
      throw new MigrationError(`Revision ${name} failed in ${kind}: ${errorText(error)}`, {
        revision: rev.revision,
        direction: step.direction,
        cause: error,
      });
    }
    for (const sql of versionStatementsSql(dialect, versionTable, step.rowsBefore, step.rowsAfter)) out.statement(sql);
    if (transactional && perMigration) {
      out.statement("COMMIT");
      inTx = false;
    }
  }
  if (transactional && !perMigration) out.statement("COMMIT");
  return out.text();
}

function splitRange(range: string): [string | undefined, string] {
  const i = range.indexOf(":");
  if (i < 0) return [undefined, range];
  return [range.slice(0, i), range.slice(i + 1)];
}

/** SQL of `upgrade <range> --sql`: `head`, `<rev>`, or `<start>:<end>` (from base without a start). Never connects. */
export async function upgradeSql(opts: OfflineOptions, range: string): Promise<string> {
  const [start, end] = splitRange(range);
  const from = start === undefined || start.trim() === "" ? "base" : start.trim();
  const startRows = resolveStart(opts.graph, from);
  const steps = opts.graph.planOffline("up", from, end.trim() || "head");
  return renderOffline(opts, "upgrade", { startRows, steps });
}

/** SQL of `downgrade <start>:<end> --sql`. Never connects. */
export async function downgradeSql(opts: OfflineOptions, range: string): Promise<string> {
  const [start, end] = splitRange(range);
  if (start === undefined || start.trim() === "" || end.trim() === "") {
    throw new MigrationError("downgrade with --sql requires <fromrev>:<torev>");
  }
  const startRows = resolveStart(opts.graph, start);
  const steps = opts.graph.planOffline("down", start.trim(), end.trim());
  return renderOffline(opts, "downgrade", { startRows, steps });
}

/** SQL of `stamp <targets> --sql`; the first target may be `<start>:<end>`. Never connects. */
export async function stampSql(opts: OfflineOptions, targets: string[]): Promise<string> {
  const dialect = opts.dialect;
  logContext(opts.log, dialect, true);
  const versionTable = opts.versionTable ?? DEFAULT_VERSION_TABLE;
  let startRows: string[] = [];
  const ends = [...targets];
  const first = ends[0];
  if (first !== undefined && first.includes(":")) {
    const [start, end] = splitRange(first);
    startRows = resolveStart(opts.graph, start ?? "");
    ends[0] = end;
  }
  const after = [...opts.graph.planStamp(startRows, ends, false)].sort();
  const out = new OfflineWriter(dialect);
  const transactional = transactionalDdl(dialect);
  if (transactional) out.statement("BEGIN");
  if (startRows.length === 0) out.statement(createVersionTableSql(dialect, versionTable, false));
  if (startRows.join(",") !== after.join(",")) {
    const label = `stamp_revision ${startRows.join(", ")} -> ${after.join(", ")}`;
    opts.log.info(`Running ${label}`);
    out.comment(`Running ${label}`);
    for (const sql of versionStatementsSql(dialect, versionTable, startRows, after)) out.statement(sql);
  }
  if (transactional) out.statement("COMMIT");
  return out.text();
}
