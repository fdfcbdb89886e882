/**
 * SQLite batch mode: what SQLite can't ALTER is done by "move and copy" (Alembic's batch recreate):
 *
 *   CREATE TABLE "_athanor_tmp_<t>" (<new definition>)
 *   INSERT INTO "_athanor_tmp_<t>" (<kept columns>) SELECT <old columns, CAST when the type changed> FROM "<t>"
 *   DROP TABLE "<t>"
 *   ALTER TABLE "_athanor_tmp_<t>" RENAME TO "<t>"
 *   CREATE INDEX ... (every index of the new definition)
 *
 * Self-referencing foreign keys point at the temporary name while it exists (SQLite rewrites them on the
 * rename), so dropping the old table never cascades into the copy. Foreign keys *from other tables*
 * are the caller's concern: with enforcement on, dropping the old table would cascade into them, so the
 * `op` facade suspends `PRAGMA foreign_keys` around the recreate (see operations/operations.ts). Pure.
 */
import { index as makeIndex, isSqlExpression, primaryKey as makePrimaryKey, sql as rawSql, table as makeTable, unique as makeUnique } from "../../schema/builders.js";
import type { Column, Constraint, Index, IndexElement, SqlType, Table } from "../../schema/types.js";
import type { AlterColumnOp, BatchAlterTableOp, BatchChildOp, Operation } from "../../operations/ops.js";
import { constraintOfOp } from "../../operations/ops.js";
import { CompileError } from "../compile-base.js";
import type { CompileContext, CompilePlan, TableRequirement } from "../compiler-types.js";
import type { Statement } from "../types.js";
import { renameIdentifierInSql, sqlReferencesIdentifier } from "./batch-parse.js";
import type { SqliteCompiler } from "./compiler.js";

export const TMP_PREFIX = "_athanor_tmp_";

const TABLE_ALTERING = new Set<Operation["kind"]>([
  "addColumn", "dropColumn", "alterColumn", "createUniqueConstraint", "createCheckConstraint", "createForeignKey",
  "createPrimaryKey", "dropConstraint",
]);

/** A single non-batch op that alters a table is handled as a one-op batch with recreate "auto". */
function asBatch(op: Operation): BatchAlterTableOp | null {
  if (op.kind === "batchAlterTable") return op;
  if (TABLE_ALTERING.has(op.kind)) {
    return { kind: "batchAlterTable", table: (op as BatchChildOp).table!, recreate: "auto", ops: [op as BatchChildOp], copyFrom: null };
  }
  return null;
}

function sameType(a: SqlType, b: SqlType): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function eq(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** Whether a column is used by an index or constraint (then DROP COLUMN can't be native). */
function columnIsConstrained(t: Table, col: string): boolean {
  for (const c of t.constraints) {
    if (c.kind === "check") {
      if (sqlReferencesIdentifier(c.condition, col)) return true;
    } else if (c.columns.some((x) => eq(x, col))) return true;
  }
  for (const c of t.constraints) {
    if (c.kind === "foreignKey" && eq(c.referentTable, t.name) && c.referentColumns.some((x) => eq(x, col))) return true;
  }
  for (const ix of t.indexes) {
    if (ix.columns.some((e) => (typeof e === "string" ? eq(e, col) : sqlReferencesIdentifier(e.sql, col)))) return true;
    if (ix.where !== null && sqlReferencesIdentifier(ix.where, col)) return true;
  }
  return false;
}

/** Whether SQLite can do a batch child with a plain ALTER TABLE (given the table, when known). */
export function isNativeOnSqlite(compiler: SqliteCompiler, op: BatchChildOp, existing: Table | null): boolean {
  switch (op.kind) {
    case "createIndex":
    case "dropIndex":
    case "createTableComment":
    case "dropTableComment":
      return true;
    case "addColumn": {
      const c = op.column;
      if (c.primaryKey || (c.unique && !c.index)) return false;
      if (!compiler.isConstantDefault(c.serverDefault)) return false;
      if (!c.nullable && (c.serverDefault === null || (isSqlExpression(c.serverDefault) && /^null$/i.test(c.serverDefault.sql.trim())))) return false;
      return true;
    }
    case "dropColumn":
      return existing === null || !columnIsConstrained(existing, op.column);
    case "alterColumn":
      return op.type === undefined && op.nullable === undefined && op.serverDefault === undefined && op.using === undefined;
    default:
      return false;
  }
}

export function sqliteTablesNeeded(compiler: SqliteCompiler, op: Operation): TableRequirement[] {
  const batch = asBatch(op);
  if (!batch) return [];
  if (batch.copyFrom !== null || batch.recreate === "never") return [];
  if (batch.recreate === "always") return [{ table: batch.table, required: true }];
  const required = batch.ops.some((child) => !isNativeOnSqlite(compiler, child, null));
  const useful = batch.ops.some((child) => child.kind === "dropColumn");
  return required || useful ? [{ table: batch.table, required }] : [];
}

export function planSqlite(compiler: SqliteCompiler, op: Operation, ctx: CompileContext): CompilePlan {
  const batch = asBatch(op);
  if (!batch) return { statements: compiler.compileNative(op, ctx), recreatedTables: [] };
  for (const child of batch.ops) {
    if (child.kind !== "dropIndex" && child.table !== batch.table) {
      throw new CompileError(`batchAlterTable("${batch.table}"): operation ${child.kind} is on table "${child.table}"`);
    }
  }
  const existing = batch.copyFrom ?? ctx.tables?.[batch.table] ?? null;
  const native = batch.recreate === "never"
    || (batch.recreate === "auto" && batch.ops.every((child) => isNativeOnSqlite(compiler, child, existing)));
  if (native) {
    const statements: Statement[] = [];
    for (const child of batch.ops) {
      if (!isNativeOnSqlite(compiler, child, existing)) {
        throw new CompileError(`batchAlterTable("${batch.table}", { recreate: "never" }): ${child.kind} cannot be done with ALTER TABLE on SQLite; use recreate "auto" or "always"`);
      }
      statements.push(...compiler.compileNative(child.kind === "dropIndex" && child.table === null ? { ...child, table: batch.table } : child, ctx));
    }
    return { statements, recreatedTables: [] };
  }
  if (existing === null) {
    const what = op.kind === "batchAlterTable" ? `batchAlterTable("${batch.table}")` : `${op.kind} on table "${batch.table}"`;
    throw new CompileError(`${what} needs to recreate the table on SQLite ("move and copy"), which needs its current definition: this cannot proceed in --sql mode; use op.batchAlterTable("${batch.table}", fn, { copyFrom: sa.table(...) }) with the table as it is before the change`);
  }
  return { statements: recreateStatements(compiler, existing, batch.ops), recreatedTables: [batch.table] };
}

interface ColumnState {
  col: Column;
  /** The old column this one is copied from; null for a new column. */
  source: string | null;
  /** Type to CAST to when copying (set when the type changed). */
  castTo: SqlType | null;
}

interface TableState {
  name: string;
  columns: ColumnState[];
  constraints: Constraint[];
  indexes: Index[];
  comment: string | null;
}

function findColumn(s: TableState, name: string): ColumnState {
  const c = s.columns.find((x) => x.col.name === name) ?? s.columns.find((x) => eq(x.col.name, name));
  if (!c) throw new CompileError(`table "${s.name}" has no column "${name}"`);
  return c;
}

function renameInElement(e: IndexElement, from: string, to: string, quote: (n: string) => string): IndexElement {
  if (typeof e === "string") return eq(e, from) ? to : e;
  return rawSql(renameIdentifierInSql(e.sql, from, to, quote));
}

/** Apply batch operations to a table definition. */
export function applyBatchOps(compiler: SqliteCompiler, existing: Table, ops: readonly BatchChildOp[]): { table: Table; columns: ColumnState[] } {
  const s: TableState = {
    name: existing.name,
    columns: existing.columns.map((col) => ({ col, source: col.name, castTo: null })),
    constraints: [...existing.constraints],
    indexes: [...existing.indexes],
    comment: existing.comment,
  };
  const quote = (n: string) => compiler.quoteIdentifier(n);
  const pkOf = () => s.constraints.find((c) => c.kind === "primaryKey");
  const setPkFlags = (cols: readonly string[] | null) => {
    s.columns = s.columns.map((cs) => {
      const inPk = cols !== null && cols.some((c) => eq(c, cs.col.name));
      if (inPk === cs.col.primaryKey) return cs;
      return { ...cs, col: { ...cs.col, primaryKey: inPk, nullable: inPk ? false : cs.col.nullable } };
    });
  };
  const checkNameFree = (name: string | null) => {
    if (name !== null && s.constraints.some((c) => c.name !== null && eq(c.name, name))) {
      throw new CompileError(`table "${s.name}" already has a constraint named "${name}"`);
    }
  };
  for (const op of ops) {
    switch (op.kind) {
      case "addColumn": {
        const c = op.column;
        if (s.columns.some((x) => eq(x.col.name, c.name))) throw new CompileError(`table "${s.name}" already has a column "${c.name}"`);
        s.columns.push({ col: c, source: null, castTo: null });
        if (c.primaryKey) {
          if (pkOf()) throw new CompileError(`table "${s.name}" already has a primary key`);
          s.constraints.push(makePrimaryKey([c.name]));
        }
        if (c.index) s.indexes.push(makeIndex(`ix_${s.name}_${c.name}`, [c.name], { unique: c.unique }));
        else if (c.unique) s.constraints.push(makeUnique([c.name]));
        break;
      }
      case "dropColumn": {
        const cs = findColumn(s, op.column);
        const name = cs.col.name;
        s.columns = s.columns.filter((x) => x !== cs);
        s.constraints = s.constraints.filter((c) => {
          if (c.kind === "check") return !sqlReferencesIdentifier(c.condition, name);
          if (c.columns.some((x) => eq(x, name))) return false;
          if (c.kind === "foreignKey" && eq(c.referentTable, s.name) && c.referentColumns.some((x) => eq(x, name))) return false;
          return true;
        });
        s.indexes = s.indexes.filter((ix) => !ix.columns.some((e) => (typeof e === "string" ? eq(e, name) : sqlReferencesIdentifier(e.sql, name)))
          && !(ix.where !== null && sqlReferencesIdentifier(ix.where, name)));
        break;
      }
      case "alterColumn":
        alterColumnState(s, op, quote);
        break;
      case "createIndex":
        if (s.indexes.some((ix) => eq(ix.name, op.name))) {
          if (op.ifNotExists) break;
          throw new CompileError(`table "${s.name}" already has an index named "${op.name}"`);
        }
        for (const e of op.columns) if (typeof e === "string") findColumn(s, e);
        s.indexes.push(makeIndex(op.name, op.columns, { unique: op.unique, where: op.where }));
        break;
      case "dropIndex": {
        const before = s.indexes.length;
        s.indexes = s.indexes.filter((ix) => !eq(ix.name, op.name));
        if (s.indexes.length === before && !op.ifExists) throw new CompileError(`table "${s.name}" has no index named "${op.name}"`);
        break;
      }
      case "createUniqueConstraint":
      case "createCheckConstraint":
      case "createForeignKey":
      case "createPrimaryKey": {
        const c = constraintOfOp(op);
        checkNameFree(c.name);
        if (c.kind !== "check") for (const col of c.columns) findColumn(s, col);
        if (c.kind === "primaryKey") {
          if (pkOf()) throw new CompileError(`table "${s.name}" already has a primary key; drop it first with dropConstraint(name, "${s.name}", { type: "primary" })`);
          setPkFlags(c.columns);
        }
        s.constraints.push(c);
        break;
      }
      case "dropConstraint": {
        let i = s.constraints.findIndex((c) => c.name !== null && c.name === op.name);
        if (i < 0) i = s.constraints.findIndex((c) => c.name !== null && eq(c.name, op.name));
        if (i < 0 && op.type === "primary") i = s.constraints.findIndex((c) => c.kind === "primaryKey");
        if (i < 0) {
          throw new CompileError(`table "${s.name}" has no constraint named "${op.name}" (SQLite can only drop constraints that were created with a name)`);
        }
        const c = s.constraints[i]!;
        if (op.type !== null && ({ unique: "unique", check: "check", primary: "primaryKey", foreignkey: "foreignKey" } as const)[op.type] !== c.kind) {
          throw new CompileError(`constraint "${op.name}" on table "${s.name}" is a ${c.kind} constraint, not ${op.type}`);
        }
        s.constraints.splice(i, 1);
        if (c.kind === "primaryKey") setPkFlags(null);
        break;
      }
      case "createTableComment":
        s.comment = op.comment;
        break;
      case "dropTableComment":
        s.comment = null;
        break;
    }
  }
  const table = makeTable(s.name, ...s.columns.map((x) => x.col), ...s.constraints, ...s.indexes, { comment: s.comment });
  return { table, columns: s.columns };
}

function alterColumnState(s: TableState, op: AlterColumnOp, quote: (n: string) => string): void {
  const cs = findColumn(s, op.column);
  let col: Column = cs.col;
  if (op.type !== undefined && !sameType(op.type, col.type)) {
    cs.castTo = op.type;
    col = { ...col, type: op.type };
  }
  if (op.nullable !== undefined) {
    if (op.nullable && col.primaryKey) throw new CompileError(`column "${col.name}" is part of the primary key and cannot be nullable`);
    col = { ...col, nullable: op.nullable };
  }
  if (op.serverDefault !== undefined) col = { ...col, serverDefault: op.serverDefault };
  if (op.comment !== undefined) col = { ...col, comment: op.comment };
  if (op.newName !== undefined && op.newName !== col.name) {
    const from = col.name;
    const to = op.newName;
    if (s.columns.some((x) => x !== cs && eq(x.col.name, to))) throw new CompileError(`table "${s.name}" already has a column "${to}"`);
    col = { ...col, name: to };
    const ren = (cols: readonly string[]) => cols.map((c) => (eq(c, from) ? to : c));
    s.constraints = s.constraints.map((c): Constraint => {
      switch (c.kind) {
        case "check": return { ...c, condition: renameIdentifierInSql(c.condition, from, to, quote) };
        case "foreignKey": return {
          ...c, columns: ren(c.columns),
          referentColumns: eq(c.referentTable, s.name) ? ren(c.referentColumns) : c.referentColumns,
        };
        default: return { ...c, columns: ren(c.columns) };
      }
    });
    s.indexes = s.indexes.map((ix) => ({
      ...ix,
      columns: ix.columns.map((e) => renameInElement(e, from, to, quote)),
      where: ix.where === null ? null : renameIdentifierInSql(ix.where, from, to, quote),
    }));
  }
  cs.col = col;
}

/** The full "move and copy" statement list. */
export function recreateStatements(compiler: SqliteCompiler, existing: Table, ops: readonly BatchChildOp[]): Statement[] {
  const { table, columns } = applyBatchOps(compiler, existing, ops);
  const q = (n: string) => compiler.quoteIdentifier(n);
  const tmp = `${TMP_PREFIX}${existing.name}`;
  const out: Statement[] = [{ sql: compiler.createTableSql(table, tmp) }];
  const copied = columns.filter((c) => c.source !== null);
  if (copied.length > 0) {
    const select = copied.map((c) => (c.castTo !== null ? `CAST(${q(c.source!)} AS ${compiler.renderType(c.castTo) || "BLOB"})` : q(c.source!)));
    out.push({ sql: `INSERT INTO ${q(tmp)} (${copied.map((c) => q(c.col.name)).join(", ")}) SELECT ${select.join(", ")} FROM ${q(existing.name)}` });
  }
  out.push({ sql: `DROP TABLE ${q(existing.name)}` });
  out.push({ sql: `ALTER TABLE ${q(tmp)} RENAME TO ${q(existing.name)}` });
  for (const ix of table.indexes) {
    out.push(compiler.createIndexStatement({
      kind: "createIndex", name: ix.name, table: existing.name, columns: ix.columns, unique: ix.unique, where: ix.where,
      concurrently: false, ifNotExists: false,
    }));
  }
  return out;
}
