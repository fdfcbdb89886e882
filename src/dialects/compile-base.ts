/**
 * Shared compiler machinery: each dialect's compiler extends `BaseCompiler` and overrides what differs.
 * Pure: operations in, statements out.
 */
import {
  isAutoincrement, isSqlExpression, tablePrimaryKey,
} from "../schema/builders.js";
import type {
  Column, Constraint, ForeignKeyConstraint, IndexElement, ServerDefault, SqlType, Table,
} from "../schema/types.js";
import type {
  AddColumnOp, AlterColumnOp, BatchAlterTableOp, BulkInsertOp, CreateEnumOp, CreateIndexOp, DropColumnOp,
  DropConstraintOp, DropEnumOp, DropIndexOp, DropTableOp, Operation, RenameTableOp,
} from "../operations/ops.js";
import { constraintOfOp } from "../operations/ops.js";
import { convertParams } from "../operations/params.js";
import type { CompileContext, CompilePlan, Compiler, TableRequirement } from "./compiler-types.js";
import { inlineStatementFor, quoteIdentifierFor, renderLiteralFor } from "./compile-sql.js";
import type { DialectName, Statement } from "./types.js";

export class CompileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CompileError";
  }
}

export const INDENT = "    ";

/** Largest number of bound parameters put in one multi-row INSERT. */
const MAX_PARAMS_PER_STATEMENT = 30000;
const MAX_ROWS_PER_STATEMENT = 1000;

export abstract class BaseCompiler implements Compiler {
  abstract readonly dialect: DialectName;
  abstract readonly transactionalDdl: boolean;

  /** The SQL-standard spelling of each type; a dialect's {@link dialectType} overrides where it differs. */
  renderType(t: SqlType): string {
    const own = this.dialectType(t);
    if (own !== undefined) return own;
    switch (t.kind) {
      case "integer": return "INTEGER";
      case "bigInteger": return "BIGINT";
      case "smallInteger": return "SMALLINT";
      case "string": return t.length === null ? "VARCHAR" : `VARCHAR(${t.length})`;
      case "text": return "TEXT";
      case "boolean": return "BOOLEAN";
      case "dateTime": return "TIMESTAMP";
      case "date": return "DATE";
      case "time": return "TIME";
      case "numeric":
        if (t.precision === null) return "NUMERIC";
        return t.scale === null ? `NUMERIC(${t.precision})` : `NUMERIC(${t.precision}, ${t.scale})`;
      case "float": return "FLOAT";
      case "json": return "JSON";
      case "uuid": return "CHAR(36)";
      case "binary": return "BLOB";
      case "enum": return `VARCHAR(${Math.max(...t.values.map((v) => v.length))})`;
      case "custom": return t.sql;
    }
  }

  /** This dialect's spelling of a type where it differs from the standard one, else undefined. */
  protected abstract dialectType(t: SqlType): string | undefined;

  quoteIdentifier(name: string): string {
    return quoteIdentifierFor(this.dialect, name);
  }

  /** Shorthand for quoteIdentifier. */
  protected q(name: string): string {
    return this.quoteIdentifier(name);
  }

  renderLiteral(value: unknown): string {
    return renderLiteralFor(this.dialect, value);
  }

  renderServerDefault(d: ServerDefault): string {
    if (isSqlExpression(d)) return d.sql;
    return this.renderLiteral(d);
  }

  inlineStatement(s: Statement): string {
    return inlineStatementFor(this.dialect, s);
  }

  compile(op: Operation, ctx: CompileContext = {}): Statement[] {
    return this.plan(op, ctx).statements;
  }

  plan(op: Operation, ctx: CompileContext = {}): CompilePlan {
    return { statements: this.compileOp(op, ctx), recreatedTables: [] };
  }

  tablesNeeded(_op: Operation): TableRequirement[] {
    return [];
  }

  /** Placeholder for the n-th (1-based) parameter. */
  protected placeholder(n: number): string {
    return this.dialect === "postgresql" ? `$${n}` : "?";
  }

  protected compileOp(op: Operation, ctx: CompileContext): Statement[] {
    switch (op.kind) {
      case "createTable": return this.createTable(op.table);
      case "dropTable": return this.dropTable(op);
      case "addColumn": return this.addColumn(op);
      case "dropColumn": return this.dropColumn(op);
      case "alterColumn": return this.alterColumn(op);
      case "renameTable": return this.renameTable(op);
      case "createIndex": return [this.createIndexStatement(op)];
      case "dropIndex": return this.dropIndex(op);
      case "createUniqueConstraint":
      case "createCheckConstraint":
      case "createForeignKey":
      case "createPrimaryKey":
        return this.addConstraint(op.table, constraintOfOp(op));
      case "dropConstraint": return this.dropConstraint(op);
      case "createTableComment": return this.setTableComment(op.table, op.comment);
      case "dropTableComment": return this.setTableComment(op.table, null);
      case "execute": {
        const st = convertParams(op.sql, op.params, this.dialect);
        return [st.params && st.params.length > 0 ? { sql: st.sql, params: st.params.map((v) => (v === undefined ? null : v)) } : { sql: st.sql }];
      }
      case "bulkInsert": return this.bulkInsert(op);
      case "createEnum": return this.createEnum(op);
      case "dropEnum": return this.dropEnum(op);
      case "batchAlterTable": return this.batchAlterTable(op, ctx);
    }
  }

  // ------------------------------------------------------------ pieces

  protected columnNames(cols: readonly string[]): string {
    return `(${cols.map((c) => this.q(c)).join(", ")})`;
  }

  protected indexElement(e: IndexElement): string {
    return typeof e === "string" ? this.q(e) : `(${e.sql})`;
  }

  protected constraintName(name: string | null): string {
    return name === null ? "" : `CONSTRAINT ${this.q(name)} `;
  }

  protected foreignKeyClause(c: ForeignKeyConstraint, referentTable: string = c.referentTable): string {
    let s = `FOREIGN KEY ${this.columnNames(c.columns)} REFERENCES ${this.q(referentTable)} ${this.columnNames(c.referentColumns)}`;
    if (c.onDelete) s += ` ON DELETE ${c.onDelete}`;
    if (c.onUpdate) s += ` ON UPDATE ${c.onUpdate}`;
    s += this.deferrability(c);
    return s;
  }

  protected deferrability(c: ForeignKeyConstraint): string {
    let s = "";
    if (c.deferrable === true) s += " DEFERRABLE";
    else if (c.deferrable === false) s += " NOT DEFERRABLE";
    if (c.initiallyDeferred === true) s += " INITIALLY DEFERRED";
    else if (c.initiallyDeferred === false && c.deferrable !== null) s += " INITIALLY IMMEDIATE";
    return s;
  }

  /** A table-level constraint as it appears in CREATE TABLE or ALTER TABLE ADD. */
  protected constraintSql(c: Constraint, referentOverride?: string): string {
    switch (c.kind) {
      case "primaryKey": return `${this.constraintName(c.name)}PRIMARY KEY ${this.columnNames(c.columns)}`;
      case "unique": return `${this.constraintName(c.name)}UNIQUE ${this.columnNames(c.columns)}`;
      case "check": return `${this.constraintName(c.name)}CHECK (${c.condition})`;
      case "foreignKey": return `${this.constraintName(c.name)}${this.foreignKeyClause(c, referentOverride ?? c.referentTable)}`;
    }
  }

  /** The type of a column in DDL (dialects turn autoincrementing integers into SERIAL etc.). */
  protected columnType(col: Column, _pkColumns: readonly string[]): string {
    return this.renderType(col.type);
  }

  /** `"name" TYPE ...` for CREATE TABLE / ADD COLUMN. */
  protected abstract columnSpec(col: Column, pkColumns: readonly string[], where: "create" | "add"): string;

  protected createTableSuffix(_t: Table): string {
    return "";
  }

  /** Statements to run before CREATE TABLE (PostgreSQL enum types). */
  protected beforeCreateTable(_t: Table): Statement[] {
    return [];
  }

  /** Statements to run after CREATE TABLE and before its indexes (PostgreSQL comments). */
  protected afterCreateTable(_t: Table): Statement[] {
    return [];
  }

  /** Which constraints are rendered in the CREATE TABLE body. */
  protected tableBodyItems(t: Table, name: string): string[] {
    const pk = tablePrimaryKey(t);
    const pkCols = pk?.columns ?? [];
    const items = t.columns.map((c) => this.columnSpec(c, pkCols, "create"));
    // Under another name (SQLite's temporary copy), self-references point at the new name.
    for (const c of t.constraints) {
      items.push(this.constraintSql(c, c.kind === "foreignKey" && name !== t.name && c.referentTable === t.name ? name : undefined));
    }
    return items;
  }

  createTableSql(t: Table, name: string = t.name): string {
    const items = this.tableBodyItems(t, name);
    if (t.columns.length === 0) throw new CompileError(`createTable("${t.name}"): a table needs at least one column`);
    return `CREATE TABLE ${this.q(name)} (\n${items.map((i) => INDENT + i).join(",\n")}\n)${this.createTableSuffix(t)}`;
  }

  protected createTable(t: Table): Statement[] {
    return [
      ...this.beforeCreateTable(t),
      { sql: this.createTableSql(t) },
      ...this.afterCreateTable(t),
      ...t.indexes.map((ix) => this.createIndexStatement({
        kind: "createIndex", name: ix.name, table: t.name, columns: ix.columns, unique: ix.unique, where: ix.where,
        concurrently: false, ifNotExists: false,
      })),
    ];
  }

  protected dropTable(op: DropTableOp): Statement[] {
    return [{ sql: `DROP TABLE ${op.ifExists ? "IF EXISTS " : ""}${this.q(op.table)}` }];
  }

  protected addColumn(op: AddColumnOp): Statement[] {
    const col = op.column;
    const out: Statement[] = [{ sql: `ALTER TABLE ${this.q(op.table)} ADD COLUMN ${this.columnSpec(col, col.primaryKey ? [col.name] : [], "add")}` }];
    if (col.index) out.push(this.columnIndex(op.table, col));
    return out;
  }

  protected columnIndex(table: string, col: Column): Statement {
    return this.createIndexStatement({
      kind: "createIndex", name: `ix_${table}_${col.name}`, table, columns: [col.name], unique: col.unique,
      where: null, concurrently: false, ifNotExists: false,
    });
  }

  protected dropColumn(op: DropColumnOp): Statement[] {
    return [{ sql: `ALTER TABLE ${this.q(op.table)} DROP COLUMN ${this.q(op.column)}` }];
  }

  protected abstract alterColumn(op: AlterColumnOp): Statement[];

  protected renameTable(op: RenameTableOp): Statement[] {
    return [{ sql: `ALTER TABLE ${this.q(op.table)} RENAME TO ${this.q(op.newName)}` }];
  }

  createIndexStatement(op: CreateIndexOp): Statement {
    let sql = `CREATE ${op.unique ? "UNIQUE " : ""}INDEX `;
    if (op.concurrently && this.dialect === "postgresql") sql += "CONCURRENTLY ";
    if (op.ifNotExists) sql += "IF NOT EXISTS ";
    sql += `${this.q(op.name)} ON ${this.q(op.table)} (${op.columns.map((c) => this.indexElement(c)).join(", ")})`;
    if (op.where !== null) sql += ` WHERE ${op.where}`;
    return { sql };
  }

  protected dropIndex(op: DropIndexOp): Statement[] {
    return [{ sql: `DROP INDEX ${op.ifExists ? "IF EXISTS " : ""}${this.q(op.name)}` }];
  }

  protected addConstraint(table: string, c: Constraint): Statement[] {
    return [{ sql: `ALTER TABLE ${this.q(table)} ADD ${this.constraintSql(c)}` }];
  }

  protected dropConstraint(op: DropConstraintOp): Statement[] {
    return [{ sql: `ALTER TABLE ${this.q(op.table)} DROP CONSTRAINT ${this.q(op.name)}` }];
  }

  protected abstract setTableComment(table: string, comment: string | null): Statement[];

  protected createEnum(_op: CreateEnumOp): Statement[] {
    return [];
  }

  protected dropEnum(_op: DropEnumOp): Statement[] {
    return [];
  }

  /** PostgreSQL and MySQL have a full ALTER TABLE: a batch is just its operations, in order. */
  protected batchAlterTable(op: BatchAlterTableOp, ctx: CompileContext): Statement[] {
    return op.ops.flatMap((child) => this.compileOp(child, ctx));
  }

  /** A bound value adapted to what the driver accepts for this dialect (and column type, when known). */
  protected adaptValue(v: unknown, type: SqlType | undefined): unknown {
    if (v === undefined || v === null) return null;
    if (type?.kind === "json") return JSON.stringify(v);
    if (type === undefined && typeof v === "object" && !(v instanceof Date) && !(v instanceof Uint8Array)) return JSON.stringify(v);
    return v;
  }

  protected bulkInsert(op: BulkInsertOp): Statement[] {
    const types = new Map<string, SqlType>((op.columns ?? []).map((c) => [c.name, c.type]));
    const out: Statement[] = [];
    // Group consecutive rows that have the same set of keys; each group becomes multi-row INSERTs.
    let i = 0;
    while (i < op.rows.length) {
      const first = op.rows[i]!;
      const keys = Object.keys(first);
      if (keys.length === 0) throw new CompileError(`bulkInsert("${op.table}"): row ${i} has no columns`);
      const signature = [...keys].sort().join("\0");
      const perRow = Math.max(1, Math.min(MAX_ROWS_PER_STATEMENT, Math.floor(MAX_PARAMS_PER_STATEMENT / keys.length)));
      let j = i;
      while (j < op.rows.length && j - i < perRow && Object.keys(op.rows[j]!).sort().join("\0") === signature) j++;
      const params: unknown[] = [];
      const tuples: string[] = [];
      for (let r = i; r < j; r++) {
        const row = op.rows[r]!;
        tuples.push(`(${keys.map((k) => {
          params.push(this.adaptValue(row[k], types.get(k)));
          return this.placeholder(params.length);
        }).join(", ")})`);
      }
      out.push({
        sql: `INSERT INTO ${this.q(op.table)} ${this.columnNames(keys)} VALUES ${tuples.join(", ")}`,
        params,
      });
      i = j;
    }
    return out;
  }

  /** The column list of a primary key for `isAutoincrement`. */
  protected static pkColumns(t: Table): readonly string[] {
    return tablePrimaryKey(t)?.columns ?? [];
  }

  protected static autoincrements(col: Column, pkColumns: readonly string[]): boolean {
    return isAutoincrement(col, pkColumns);
  }
}
