/**
 * `op.backfill(table, { set, where, batchSize })`: a data migration in bounded batches.
 *
 * - Batches are primary-key ranges found by keyset pagination (`key > last ORDER BY key LIMIT 1
 *   OFFSET batchSize - 1` gives the upper bound), so every batch touches at most `batchSize` rows
 *   whatever the gaps in the keys, and finding a bound is an index range scan.
 * - Each batch is its own short transaction (the revision's transaction is committed first:
 *   the backfill runs in an autocommit block), so row locks are held for one batch only.
 * - Resumable: after each batch, in the same transaction, the last key done is written to a small
 *   progress table (`athanor_backfill`, keyed by table + a hash of `set`/`where`); a rerun after a
 *   failure continues after it. The progress row is deleted when the backfill completes.
 * - Progress lines: `INFO  backfill users: 50000/1000000 rows` (at most one a second, and the last).
 *
 * Offline (`--sql`), the backfill is rendered as one UPDATE statement (batches need the data).
 */
import { createHash } from "node:crypto";
import { DEFAULT_BACKFILL_TABLE } from "../config/defaults.js";
import { getCompiler } from "../dialects/compilers.js";
import type { DialectName, Statement } from "../dialects/types.js";
import { isSqlExpression } from "../schema/builders.js";
import type { SqlExpression } from "../schema/types.js";
import { createStreamLogger, type Logger } from "../util/log.js";
import type { OpExecutor } from "./executor.js";

export type BackfillValue = string | SqlExpression | number | boolean | null;

export interface BackfillOptions {
  /**
   * What to set: a SQL SET clause (`"first_name = split_part(username, '_', 1)"`), or an object of
   * column -> value where strings and `sa.sql(...)` are SQL expressions (`{ last_login: "created_at" }`)
   * and numbers, booleans and null are bound values.
   */
  set: string | Readonly<Record<string, BackfillValue>>;
  /** SQL predicate choosing the rows to update (e.g. `"last_login IS NULL"`); default: every row. */
  where?: string | SqlExpression | null;
  /** Rows per batch (transaction); default 1000. */
  batchSize?: number;
  /** Column the batches range over; default: the table's primary key (its first column; SQLite: rowid when none). */
  key?: string;
  /** Pause between batches, in milliseconds (throttling for replicas); default 0. */
  pauseMs?: number;
  /** Progress table name; default `athanor_backfill`. */
  progressTable?: string;
  /** Progress key; default derived from the table, `set` and `where`. */
  id?: string;
  /** Called after each committed batch (measurements, tests). */
  onBatch?: (batch: BackfillBatch) => void;
}

export interface BackfillBatch {
  /** 1-based batch number in this run. */
  readonly batch: number;
  /** Keys covered by the batch. */
  readonly rows: number;
  /** Keys covered so far (including a resumed run's earlier progress). */
  readonly done: number;
  readonly total: number;
  /** Duration of the batch's transaction (BEGIN to COMMIT), milliseconds. */
  readonly ms: number;
}

export interface BackfillResult {
  /** Keys covered in this run. */
  rows: number;
  batches: number;
  /** The run continued an interrupted one. */
  resumed: boolean;
}

export { DEFAULT_BACKFILL_TABLE };
const DEFAULT_BATCH_SIZE = 1000;

function sqlText(v: string | SqlExpression): string {
  return isSqlExpression(v) ? v.sql : v;
}

class Sql {
  readonly params: unknown[] = [];
  constructor(private readonly dialect: DialectName) {}
  p(value: unknown): string {
    this.params.push(value);
    return this.dialect === "postgresql" ? `$${this.params.length}` : "?";
  }
}

interface Plan {
  dialect: DialectName;
  q: (name: string) => string;
  table: string;
  setSql: (s: Sql) => string;
  where: string | null;
  batchSize: number;
  pauseMs: number;
  progressTable: string;
  id: string;
}

function validate(table: string, options: BackfillOptions, dialect: DialectName): Plan {
  if (typeof table !== "string" || table === "") throw new TypeError("op.backfill: table must be a non-empty string");
  if (!options || typeof options !== "object") throw new TypeError("op.backfill(table, { set, where, batchSize }): options are required");
  const compiler = getCompiler(dialect);
  const q = (name: string) => name.split(".").map((part) => compiler.quoteIdentifier(part)).join(".");
  const set = options.set;
  let setSql: (s: Sql) => string;
  let setKey: string;
  if (typeof set === "string" || isSqlExpression(set)) {
    const text = sqlText(set as string | SqlExpression).trim();
    if (!text) throw new TypeError("op.backfill: set must not be empty");
    setSql = () => text;
    setKey = text;
  } else if (set && typeof set === "object" && Object.keys(set).length > 0) {
    const entries = Object.entries(set);
    setSql = (s) =>
      entries
        .map(([column, value]) => `${q(column)} = ${typeof value === "string" || isSqlExpression(value) ? sqlText(value) : s.p(value)}`)
        .join(", ");
    setKey = JSON.stringify(entries.map(([k, v]) => [k, isSqlExpression(v) ? v.sql : v]));
  } else {
    throw new TypeError("op.backfill: set must be a SQL SET clause or an object of column -> value");
  }
  const where = options.where === undefined || options.where === null ? null : sqlText(options.where).trim() || null;
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new TypeError(`op.backfill: batchSize must be a positive integer, got ${batchSize}`);
  const pauseMs = options.pauseMs ?? 0;
  const id = options.id ?? `${table}:${createHash("sha1").update(`${table}\n${setKey}\n${where ?? ""}`).digest("hex").slice(0, 16)}`;
  return { dialect, q, table, setSql, where, batchSize, pauseMs, progressTable: options.progressTable ?? DEFAULT_BACKFILL_TABLE, id };
}

function beginSql(dialect: DialectName): string {
  return dialect === "mysql" ? "START TRANSACTION" : dialect === "sqlite" ? "BEGIN IMMEDIATE" : "BEGIN";
}

async function keyColumn(executor: OpExecutor, plan: Plan, explicit: string | undefined): Promise<string> {
  if (explicit) return explicit;
  const bare = plan.table.split(".").pop()!;
  let rows: Record<string, unknown>[];
  if (plan.dialect === "postgresql") {
    rows = await executor.query({
      sql: `SELECT a.attname AS name FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
            WHERE i.indrelid = to_regclass($1) AND i.indisprimary`,
      params: [plan.q(plan.table)],
    });
  } else if (plan.dialect === "mysql") {
    rows = await executor.query({
      sql: `SELECT COLUMN_NAME AS name FROM information_schema.KEY_COLUMN_USAGE
            WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND CONSTRAINT_NAME = 'PRIMARY' ORDER BY ORDINAL_POSITION`,
      params: [bare],
    });
  } else {
    rows = await executor.query({ sql: "SELECT name FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk", params: [bare] });
    if (rows.length === 0) return "rowid";
  }
  const name = rows[0]?.name;
  if (typeof name !== "string") {
    throw new Error(`op.backfill: ${plan.table} has no primary key; pass { key: "<indexed unique column>" }`);
  }
  return name;
}

function ensureProgressTable(plan: Plan): Statement {
  const t = plan.q(plan.progressTable);
  return {
    sql:
      `CREATE TABLE IF NOT EXISTS ${t} (id varchar(64) NOT NULL PRIMARY KEY, table_name varchar(255) NOT NULL, ` +
      `last_key varchar(1000), rows_done bigint NOT NULL, updated_at varchar(40))`,
  };
}

function saveProgress(plan: Plan, lastKey: unknown, done: number): Statement {
  const s = new Sql(plan.dialect);
  const t = plan.q(plan.progressTable);
  const values = `(${s.p(plan.id)}, ${s.p(plan.table)}, ${s.p(JSON.stringify(lastKey))}, ${s.p(done)}, ${s.p(new Date().toISOString())})`;
  const cols = "(id, table_name, last_key, rows_done, updated_at)";
  const sql =
    plan.dialect === "mysql"
      ? `INSERT INTO ${t} ${cols} VALUES ${values} ON DUPLICATE KEY UPDATE last_key = VALUES(last_key), rows_done = VALUES(rows_done), updated_at = VALUES(updated_at)`
      : `INSERT INTO ${t} ${cols} VALUES ${values} ON CONFLICT (id) DO UPDATE SET last_key = excluded.last_key, rows_done = excluded.rows_done, updated_at = excluded.updated_at`;
  return { sql, params: s.params };
}

function count(row: Record<string, unknown> | undefined): number {
  return Number(Object.values(row ?? {})[0] ?? 0);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Run a backfill through an executor (what `op.backfill` does). */
export async function runBackfill(executor: OpExecutor, table: string, options: BackfillOptions, log?: Logger): Promise<BackfillResult> {
  const plan = validate(table, options, executor.dialect);
  const logger = log ?? (executor as { log?: Logger }).log ?? createStreamLogger();
  const t = plan.q(plan.table);
  if (executor.offline) {
    const s = new Sql(plan.dialect);
    const sql = `UPDATE ${t} SET ${plan.setSql(s)}${plan.where ? ` WHERE ${plan.where}` : ""}`;
    await executor.autocommit(() => executor.run([{ sql, params: s.params }]));
    return { rows: 0, batches: 0, resumed: false };
  }
  return executor.autocommit(async () => {
    const key = await keyColumn(executor, plan, options.key);
    const k = key === "rowid" && plan.dialect === "sqlite" ? "rowid" : plan.q(key);
    await executor.run([ensureProgressTable(plan)]);
    const pt = plan.q(plan.progressTable);
    const progress = await executor.query(
      plan.dialect === "postgresql"
        ? { sql: `SELECT last_key, rows_done FROM ${pt} WHERE id = $1`, params: [plan.id] }
        : { sql: `SELECT last_key, rows_done FROM ${pt} WHERE id = ?`, params: [plan.id] },
    );
    let last: unknown = null;
    let done = 0;
    const resumed = progress.length > 0 && progress[0]!.last_key !== null;
    if (resumed) {
      last = JSON.parse(String(progress[0]!.last_key));
      done = Number(progress[0]!.rows_done);
    }
    const remainingQuery = new Sql(plan.dialect);
    const remaining = count(
      (await executor.query({
        sql: `SELECT COUNT(*) AS n FROM ${t}${last === null ? "" : ` WHERE ${k} > ${remainingQuery.p(last)}`}`,
        params: remainingQuery.params,
      }))[0],
    );
    const total = done + remaining;
    if (resumed) logger.info(`backfill ${plan.table}: resuming after ${key} ${JSON.stringify(last)} (${done}/${total} rows done)`);
    let batches = 0;
    let rowsThisRun = 0;
    let lastLog = Date.now();
    for (;;) {
      // Upper bound of the next batch: the batchSize-th key after `last`.
      const b = new Sql(plan.dialect);
      const lower = last === null ? "" : `WHERE ${k} > ${b.p(last)} `;
      const bound = await executor.query({
        sql: `SELECT ${k} AS k FROM ${t} ${lower}ORDER BY ${k} LIMIT 1 OFFSET ${b.p(plan.batchSize - 1)}`,
        params: b.params,
      });
      let upper: unknown = bound[0]?.k ?? null;
      let rows = plan.batchSize;
      if (upper === null) {
        // The last, partial batch: its size and last key.
        const c = new Sql(plan.dialect);
        const rest = await executor.query({
          sql: `SELECT COUNT(*) AS n, MAX(${k}) AS k FROM ${t}${last === null ? "" : ` WHERE ${k} > ${c.p(last)}`}`,
          params: c.params,
        });
        rows = count(rest[0]);
        upper = rest[0]?.k ?? null;
        if (rows === 0 || upper === null) break;
      }
      const u = new Sql(plan.dialect);
      const setClause = plan.setSql(u);
      const range = `${last === null ? "" : `${k} > ${u.p(last)} AND `}${k} <= ${u.p(upper)}`;
      const update: Statement = {
        sql: `UPDATE ${t} SET ${setClause} WHERE ${range}${plan.where ? ` AND (${plan.where})` : ""}`,
        params: u.params,
      };
      const started = performance.now();
      await executor.run([{ sql: beginSql(plan.dialect) }]);
      try {
        await executor.run([update, saveProgress(plan, upper, done + rows)]);
        await executor.run([{ sql: "COMMIT" }]);
      } catch (error) {
        await executor.run([{ sql: "ROLLBACK" }]).catch(() => undefined);
        const e = error as Error;
        e.message = `backfill ${plan.table} failed in the batch ${key} ${last === null ? "" : `> ${JSON.stringify(last)} and `}<= ${JSON.stringify(upper)} (${done}/${total} rows done; rerun to resume): ${e.message}`;
        throw e;
      }
      const ms = performance.now() - started;
      batches++;
      rowsThisRun += rows;
      done += rows;
      last = upper;
      options.onBatch?.({ batch: batches, rows, done, total, ms });
      const final = rows < plan.batchSize;
      if (!final && (batches === 1 || Date.now() - lastLog >= 1000)) {
        logger.info(`backfill ${plan.table}: ${done}/${total} rows`);
        lastLog = Date.now();
      }
      if (final) break;
      if (plan.pauseMs > 0) await sleep(plan.pauseMs);
    }
    const s = new Sql(plan.dialect);
    await executor.run([{ sql: `DELETE FROM ${pt} WHERE id = ${s.p(plan.id)}`, params: s.params }]);
    logger.info(`backfill ${plan.table}: done, ${done}/${total} rows in ${batches} batch${batches === 1 ? "" : "es"}`);
    return { rows: rowsThisRun, batches, resumed };
  });
}
