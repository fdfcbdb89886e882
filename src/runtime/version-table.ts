/**
 * The version table (`athanor_version` by default): one row per applied head, as Alembic's
 * `alembic_version`. This module builds its SQL per dialect; online statements bind the ids
 * as parameters, offline (`--sql`) statements carry them as literals.
 */
import { DEFAULT_VERSION_TABLE } from "../config/defaults.js";
import type { Connection, DialectName, Statement } from "../dialects/types.js";
import { getCompiler } from "../dialects/compilers.js";
import { MigrationError } from "./errors.js";

export { DEFAULT_VERSION_TABLE };

/** Placeholder for the n-th (1-based) parameter. */
export function placeholder(dialect: DialectName, n: number): string {
  return dialect === "postgresql" ? `$${n}` : "?";
}

/** A string literal (ids are hex, but labels and user input flow through here too). */
export function sqlLiteral(dialect: DialectName, value: string): string {
  const escaped = value.replace(/'/g, "''");
  return dialect === "mysql" ? `'${escaped.replace(/\\/g, "\\\\")}'` : `'${escaped}'`;
}

/** Words that cannot stand bare as a table name in at least one dialect. */
const RESERVED = new Set(
  ("all and any as asc between by case check column constraint create cross current_date current_time " +
    "current_timestamp current_user default delete desc distinct drop else end except exists false for foreign " +
    "from full grant group having in index inner insert intersect into is join key left like limit not null " +
    "offset on or order outer primary references right row rows select set table then to true union unique " +
    "update user using values when where with").split(" "),
);

/**
 * A table or constraint name as written in SQL: bare when it is a plain lower-case identifier
 * (as Alembic prints `alembic_version`), quoted by the dialect's compiler otherwise.
 */
export function quoteName(dialect: DialectName, name: string): string {
  if (/^[a-z_][a-z0-9_]*$/.test(name) && !RESERVED.has(name)) return name;
  return getCompiler(dialect).quoteIdentifier(name);
}

/** `CREATE TABLE [IF NOT EXISTS] <table> (version_num VARCHAR(32) NOT NULL, CONSTRAINT <table>_pkc PRIMARY KEY (version_num))`. */
export function createVersionTableSql(dialect: DialectName, table: string, ifNotExists: boolean): string {
  const t = quoteName(dialect, table);
  const pk = quoteName(dialect, `${table}_pkc`);
  return (
    `CREATE TABLE ${ifNotExists ? "IF NOT EXISTS " : ""}${t} (\n` +
    `    version_num VARCHAR(32) NOT NULL,\n` +
    `    CONSTRAINT ${pk} PRIMARY KEY (version_num)\n` +
    `)`
  );
}

/** A query returning one row when `table` exists (any column); the name is bound. */
export function tableExistsStatement(dialect: DialectName, table: string): Statement {
  switch (dialect) {
    case "postgresql":
      return { sql: "SELECT 1 AS present WHERE to_regclass(quote_ident($1)) IS NOT NULL", params: [table] };
    case "mysql":
      return {
        sql: "SELECT 1 AS present FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = ?",
        params: [table],
      };
    case "sqlite":
      return { sql: "SELECT 1 AS present FROM sqlite_master WHERE type = 'table' AND name = ?", params: [table] };
  }
}

export async function tableExists(conn: Connection, table: string): Promise<boolean> {
  const result = await conn.execute(tableExistsStatement(conn.dialect, table));
  return result.rows.length > 0;
}

export async function createVersionTable(conn: Connection, table: string): Promise<void> {
  await conn.execute({ sql: createVersionTableSql(conn.dialect, table, true) });
}

/** The version rows, sorted. */
export async function readVersionRows(conn: Connection, table: string): Promise<string[]> {
  const result = await conn.execute({ sql: `SELECT version_num FROM ${quoteName(conn.dialect, table)}` });
  return result.rows.map((r) => String(r.version_num ?? Object.values(r)[0])).sort();
}

/** One change of the version table. */
export type VersionChange =
  | { kind: "delete"; from: string }
  | { kind: "update"; from: string; to: string }
  | { kind: "insert"; to: string };

/**
 * The changes that turn `before` into `after`, as Alembic makes them: a row replaced by one
 * is an UPDATE; surplus old rows are DELETEd first (a merge: delete all but one, update the
 * last), surplus new rows INSERTed after (a new branch; an unmerge: update one, insert others).
 */
export function diffVersionRows(before: readonly string[], after: readonly string[]): VersionChange[] {
  const removed = before.filter((r) => !after.includes(r));
  const added = after.filter((r) => !before.includes(r));
  const changes: VersionChange[] = [];
  const updates = Math.min(removed.length, added.length);
  const deleted = removed.slice(0, removed.length - updates);
  const updatedFrom = removed.slice(removed.length - updates);
  for (const from of deleted) changes.push({ kind: "delete", from });
  updatedFrom.forEach((from, i) => changes.push({ kind: "update", from, to: added[i]! }));
  for (const to of added.slice(updates)) changes.push({ kind: "insert", to });
  return changes;
}

/** The statement of one change; `literal` renders the ids inline (offline SQL). */
export function versionChangeStatement(
  dialect: DialectName,
  table: string,
  change: VersionChange,
  literal: boolean,
): Statement {
  const t = quoteName(dialect, table);
  const col = `${t}.version_num`;
  const value = (v: string, n: number) => (literal ? sqlLiteral(dialect, v) : placeholder(dialect, n));
  const params = (...vs: string[]) => (literal ? {} : { params: vs });
  switch (change.kind) {
    case "insert":
      return { sql: `INSERT INTO ${t} (version_num) VALUES (${value(change.to, 1)})`, ...params(change.to) };
    case "update":
      return {
        sql: `UPDATE ${t} SET version_num=${value(change.to, 1)} WHERE ${col} = ${value(change.from, 2)}`,
        ...params(change.to, change.from),
      };
    case "delete":
      return { sql: `DELETE FROM ${t} WHERE ${col} = ${value(change.from, 1)}`, ...params(change.from) };
  }
}

/** Statements with literal ids for `before -> after` (offline SQL). */
export function versionStatementsSql(dialect: DialectName, table: string, before: readonly string[], after: readonly string[]): string[] {
  return diffVersionRows(before, after).map((c) => versionChangeStatement(dialect, table, c, true).sql);
}

/** Apply `before -> after` online; each UPDATE/DELETE must match exactly one row. */
export async function writeVersionRows(
  conn: Connection,
  table: string,
  before: readonly string[],
  after: readonly string[],
): Promise<void> {
  for (const change of diffVersionRows(before, after)) {
    const result = await conn.execute(versionChangeStatement(conn.dialect, table, change, false));
    if (change.kind !== "insert" && result.rowCount !== 1) {
      const what = change.kind === "update" ? `updating '${change.from}' to '${change.to}'` : `deleting '${change.from}'`;
      throw new MigrationError(
        `Online migration expected to match one row when ${what} in '${table}'; ${result.rowCount} found`,
      );
    }
  }
}
