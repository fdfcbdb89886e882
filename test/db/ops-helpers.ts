/**
 * Test-only executors for the `op` facade directly on the drivers (pg, mysql2, better-sqlite3),
 * each on its own freshly created, uniquely named database that is dropped afterwards.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DialectName, Statement } from "../../src/dialects/types.js";
import type { OpExecutor } from "../../src/operations/executor.js";
import { parseCreateTable } from "../../src/dialects/sqlite/batch-parse.js";
import { Operations, reverseOperationOrThrow, type Operation } from "../../src/operations/index.js";

export type Rows = Record<string, unknown>[];

export class TestExecutor implements OpExecutor {
  readonly offline = false;
  /** Every statement run through `run`, in order. */
  readonly statements: Statement[] = [];
  inTransaction = false;

  constructor(readonly dialect: DialectName, private readonly exec: (s: Statement) => Promise<Rows>) {}

  async run(statements: Statement[]): Promise<void> {
    for (const s of statements) {
      this.statements.push(s);
      await this.exec(s);
    }
  }

  query(statement: Statement): Promise<Rows> {
    return this.exec(statement);
  }

  async begin(): Promise<void> {
    await this.exec({ sql: this.dialect === "sqlite" ? "BEGIN IMMEDIATE" : "BEGIN" });
    this.inTransaction = true;
  }

  async commit(): Promise<void> {
    await this.exec({ sql: "COMMIT" });
    this.inTransaction = false;
  }

  async autocommit<T>(fn: () => Promise<T>): Promise<T> {
    if (!this.inTransaction) return fn();
    await this.commit();
    try {
      return await fn();
    } finally {
      await this.begin();
    }
  }
}

export interface TestDb {
  readonly dialect: DialectName;
  readonly name: string;
  readonly executor: TestExecutor;
  /** A fresh `op` over the executor. */
  op(): Operations;
  /** Run SQL directly (placeholders in the dialect's style). */
  q(sql: string, params?: unknown[]): Promise<Rows>;
  close(): Promise<void>;
}

export const uniqueDbName = (): string => `athanor_t_${randomBytes(5).toString("hex")}`;

function makeDb(dialect: DialectName, name: string, exec: (s: Statement) => Promise<Rows>, close: () => Promise<void>): TestDb {
  const executor = new TestExecutor(dialect, exec);
  return {
    dialect, name, executor,
    op: () => new Operations(executor),
    q: (sql, params) => exec(params ? { sql, params } : { sql }),
    close,
  };
}

export async function postgresDb(): Promise<TestDb> {
  const pg = (await import("pg")).default;
  const base = { host: "127.0.0.1", port: 5432, user: "postgres" };
  const name = uniqueDbName();
  const admin = new pg.Client({ ...base, database: "test" });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  const client = new pg.Client({ ...base, database: name });
  await client.connect();
  return makeDb("postgresql", name, async (s) => (await client.query(s.sql, (s.params ?? []) as unknown[])).rows, async () => {
    await client.end();
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  });
}

export async function mysqlDb(): Promise<TestDb> {
  const mysql = await import("mysql2/promise");
  const name = uniqueDbName();
  const admin = await mysql.createConnection({ host: "127.0.0.1", port: 3306, user: "root", password: "" });
  await admin.query(`CREATE DATABASE \`${name}\``);
  const conn = await mysql.createConnection({ host: "127.0.0.1", port: 3306, user: "root", password: "", database: name, dateStrings: true });
  return makeDb("mysql", name, async (s) => {
    const [rows] = await conn.query(s.sql, (s.params ?? []) as unknown[]);
    return Array.isArray(rows) ? (rows as Rows) : [];
  }, async () => {
    await conn.end();
    await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
    await admin.end();
  });
}

function sqliteBindable(v: unknown): unknown {
  if (v === undefined || v === null) return null;
  if (typeof v === "boolean") return v ? 1 : 0;
  if (v instanceof Date) return v.toISOString();
  return v;
}

export async function sqliteDb(): Promise<TestDb> {
  const Database = (await import("better-sqlite3")).default;
  const dir = mkdtempSync(join(tmpdir(), "athanor-ops-"));
  const name = join(dir, "test.db");
  const db = new Database(name);
  db.pragma("foreign_keys = ON");
  return makeDb("sqlite", name, async (s) => {
    const stmt = db.prepare(s.sql);
    const params = (s.params ?? []).map(sqliteBindable);
    if (stmt.reader) return stmt.all(...params) as Rows;
    stmt.run(...params);
    return [];
  }, async () => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });
}

export async function openDb(dialect: DialectName): Promise<TestDb> {
  if (dialect === "postgresql") return postgresDb();
  if (dialect === "mysql") return mysqlDb();
  return sqliteDb();
}

// ------------------------------------------------------------------ catalog snapshots

/** A comparable description of a table from the live catalog. */
export async function snapshotTable(db: TestDb, table: string): Promise<Record<string, unknown> | null> {
  if (db.dialect === "postgresql") return snapshotPg(db, table);
  if (db.dialect === "mysql") return snapshotMysql(db, table);
  return snapshotSqlite(db, table);
}

async function snapshotPg(db: TestDb, table: string): Promise<Record<string, unknown> | null> {
  const t = await db.q("SELECT obj_description(c.oid, 'pg_class') AS comment FROM pg_class c WHERE c.relname = $1 AND c.relkind = 'r'", [table]);
  if (t.length === 0) return null;
  const columns = await db.q(
    `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS notnull,
            pg_get_expr(d.adbin, d.adrelid) AS "default", col_description(a.attrelid, a.attnum) AS comment
       FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
       LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
      WHERE c.relname = $1 AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`, [table]);
  const constraints = await db.q(
    `SELECT con.conname AS name, con.contype AS type, pg_get_constraintdef(con.oid) AS def
       FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid WHERE c.relname = $1 ORDER BY con.conname`, [table]);
  const indexes = await db.q("SELECT indexname AS name, indexdef AS def FROM pg_indexes WHERE tablename = $1 ORDER BY indexname", [table]);
  return { comment: t[0]!.comment, columns, constraints, indexes };
}

async function snapshotMysql(db: TestDb, table: string): Promise<Record<string, unknown> | null> {
  const t = await db.q("SELECT TABLE_COMMENT AS comment FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?", [table]);
  if (t.length === 0) return null;
  const columns = await db.q(
    `SELECT COLUMN_NAME AS name, COLUMN_TYPE AS type, IS_NULLABLE AS nullable, COLUMN_DEFAULT AS \`default\`,
            COLUMN_COMMENT AS comment, EXTRA AS extra
       FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION`, [table]);
  const constraints = await db.q(
    `SELECT CONSTRAINT_NAME AS name, CONSTRAINT_TYPE AS type FROM information_schema.TABLE_CONSTRAINTS
      WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? ORDER BY CONSTRAINT_NAME, CONSTRAINT_TYPE`, [table]);
  const checks = await db.q(
    `SELECT CONSTRAINT_NAME AS name, CHECK_CLAUSE AS clause FROM information_schema.CHECK_CONSTRAINTS
      WHERE CONSTRAINT_SCHEMA = DATABASE() AND TABLE_NAME = ? ORDER BY CONSTRAINT_NAME`, [table]);
  const fks = await db.q(
    `SELECT k.CONSTRAINT_NAME AS name, k.COLUMN_NAME AS col, k.REFERENCED_TABLE_NAME AS ref, k.REFERENCED_COLUMN_NAME AS refcol,
            r.DELETE_RULE AS onDelete, r.UPDATE_RULE AS onUpdate
       FROM information_schema.KEY_COLUMN_USAGE k JOIN information_schema.REFERENTIAL_CONSTRAINTS r
         ON r.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME AND r.TABLE_NAME = k.TABLE_NAME
      WHERE k.TABLE_SCHEMA = DATABASE() AND k.TABLE_NAME = ? ORDER BY k.CONSTRAINT_NAME, k.ORDINAL_POSITION`, [table]);
  const indexes = await db.q(
    `SELECT INDEX_NAME AS name, NON_UNIQUE AS nonUnique, COLUMN_NAME AS col, SEQ_IN_INDEX AS seq FROM information_schema.STATISTICS
      WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? ORDER BY INDEX_NAME, SEQ_IN_INDEX`, [table]);
  return { comment: t[0]!.comment, columns, constraints, checks, fks, indexes };
}

async function snapshotSqlite(db: TestDb, table: string): Promise<Record<string, unknown> | null> {
  const t = await db.q("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", [table]);
  if (t.length === 0) return null;
  const columns = await db.q("SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_xinfo(?) ORDER BY cid", [table]);
  const indexList = await db.q("SELECT name, \"unique\", origin, partial FROM pragma_index_list(?) ORDER BY name", [table]);
  const indexes = [];
  for (const ix of indexList) {
    const cols = await db.q("SELECT name FROM pragma_index_info(?) ORDER BY seqno", [ix.name]);
    const sql = ix.origin === "c" ? (await db.q("SELECT sql FROM sqlite_master WHERE name = ?", [ix.name]))[0]?.sql : null;
    indexes.push({ ...ix, name: ix.origin === "c" ? ix.name : `(${String(ix.origin)})`, columns: cols.map((c) => c.name), sql });
  }
  const fks = await db.q("SELECT \"table\", \"from\", \"to\", on_update, on_delete FROM pragma_foreign_key_list(?) ORDER BY \"from\"", [table]);
  const parsed = parseCreateTable(String(t[0]!.sql));
  indexes.sort((a, b) => JSON.stringify([a.name, a.columns]).localeCompare(JSON.stringify([b.name, b.columns])));
  return {
    columns, indexes, fks,
    checks: parsed.checks.sort((a, b) => String(a.name).localeCompare(String(b.name))),
    uniques: parsed.uniques.map((u) => u.name).sort(),
    fkNames: parsed.foreignKeys.map((f) => [f.name, f.deferrable, f.initiallyDeferred]),
    primaryKeyName: parsed.primaryKeyName,
  };
}

/**
 * Apply an operation, check the catalog, apply its reverse and check the table is back to what it was.
 * Returns the snapshot taken after the operation.
 */
export async function roundTrip(
  db: TestDb, table: string, op: Operation, check: (after: Record<string, unknown> | null) => void | Promise<void>,
): Promise<void> {
  const before = await snapshotTable(db, table);
  await db.op().invoke(op);
  const afterTable = op.kind === "renameTable" ? op.newName : table;
  await check(await snapshotTable(db, afterTable));
  await db.op().invoke(reverseOperationOrThrow(op));
  const restored = await snapshotTable(db, table);
  if (JSON.stringify(restored) !== JSON.stringify(before)) {
    throw new Error(`reverse of ${op.kind} did not restore ${table}:\nbefore ${JSON.stringify(before, null, 1)}\nafter  ${JSON.stringify(restored, null, 1)}`);
  }
}

/** Columns of a snapshot, by name. */
export function columnsOf(snapshot: Record<string, unknown> | null): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const c of (snapshot?.columns ?? []) as Record<string, unknown>[]) out[String(c.name)] = c;
  return out;
}
