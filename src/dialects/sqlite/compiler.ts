import { isIntegerType, isSqlExpression } from "../../schema/builders.js";
import type { Column, IndexElement, ServerDefault, SqlType, Table } from "../../schema/types.js";
import type { AlterColumnOp, Operation } from "../../operations/ops.js";
import { BaseCompiler, CompileError } from "../compile-base.js";
import { formatDateUtc, isFullyParenthesized } from "../compile-sql.js";
import type { CompileContext, CompilePlan, TableRequirement } from "../compiler-types.js";
import type { Statement } from "../types.js";
import { planSqlite, sqliteTablesNeeded } from "./batch.js";

const SIMPLE_DEFAULT = /^(?:[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|0[xX][0-9A-Fa-f]+|'(?:[^']|'')*'|[xX]'[0-9A-Fa-f]*'|NULL|TRUE|FALSE|CURRENT_TIME|CURRENT_DATE|CURRENT_TIMESTAMP)$/i;
const CONSTANT_DEFAULT = /^(?:[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|0[xX][0-9A-Fa-f]+|'(?:[^']|'')*'|[xX]'[0-9A-Fa-f]*'|NULL|TRUE|FALSE)$/i;

/**
 * SQLite 3.35+. Native ADD COLUMN, RENAME COLUMN, RENAME TO and DROP COLUMN; everything else on an
 * existing table (alter type/nullable/default, add/drop constraints, primary key) recreates the table
 * ("move and copy", see batch.ts). Comments are not supported by SQLite and compile to nothing.
 * Types: `uuid` is CHAR(36), enums are VARCHAR(longest value); an autoincrementing integer primary key is
 * `INTEGER` (the rowid alias), with the AUTOINCREMENT keyword only when `autoincrement: true`.
 */
export class SqliteCompiler extends BaseCompiler {
  readonly dialect = "sqlite" as const;
  readonly transactionalDdl = true;

  protected dialectType(t: SqlType): string | undefined {
    return t.kind === "dateTime" ? "DATETIME" : undefined;
  }

  /** Expression defaults are parenthesized, as SQLite requires (literals and CURRENT_* stay bare). */
  override renderServerDefault(d: ServerDefault): string {
    if (!isSqlExpression(d)) return this.renderLiteral(d);
    const s = d.sql.trim();
    return SIMPLE_DEFAULT.test(s) || isFullyParenthesized(s) ? s : `(${s})`;
  }

  /** Whether ALTER TABLE ADD COLUMN accepts this default (no CURRENT_* and no expressions). */
  isConstantDefault(d: ServerDefault | null): boolean {
    if (d === null || !isSqlExpression(d)) return true;
    return CONSTANT_DEFAULT.test(d.sql.trim());
  }

  /** better-sqlite3 binds no booleans or Dates: 1/0 and UTC `YYYY-MM-DD HH:MM:SS.mmm` (a date column: `YYYY-MM-DD`). */
  protected override adaptValue(v: unknown, type: SqlType | undefined): unknown {
    const a = super.adaptValue(v, type);
    if (typeof a === "boolean") return a ? 1 : 0;
    if (a instanceof Date) {
      const s = formatDateUtc(a);
      return type?.kind === "date" ? s.slice(0, 10) : s;
    }
    return a;
  }

  protected override indexElement(e: IndexElement): string {
    return typeof e === "string" ? this.q(e) : e.sql;
  }

  /** Integer types that may be the rowid alias. */
  private integerLike(col: Column): boolean {
    return isIntegerType(col.type) || (col.type.kind === "custom" && /^\s*INTEGER\s*$/i.test(col.type.sql));
  }

  private isRowidAlias(col: Column, pkColumns: readonly string[]): boolean {
    return pkColumns.length === 1 && pkColumns[0] === col.name && col.autoincrement !== false && this.integerLike(col);
  }

  /** The column carries `PRIMARY KEY AUTOINCREMENT` inline (only with an explicit `autoincrement: true`). */
  inlinePrimaryKey(col: Column, pkColumns: readonly string[]): boolean {
    return col.autoincrement === true && this.isRowidAlias(col, pkColumns);
  }

  protected override columnType(col: Column, pkColumns: readonly string[]): string {
    // The rowid alias must be declared exactly INTEGER.
    if (this.isRowidAlias(col, pkColumns) && col.type.kind !== "custom") return "INTEGER";
    return this.renderType(col.type);
  }

  protected columnSpec(col: Column, pkColumns: readonly string[], where: "create" | "add", pkName: string | null = null): string {
    const type = this.columnType(col, pkColumns);
    let s = type ? `${this.q(col.name)} ${type}` : this.q(col.name);
    if (!col.nullable) s += " NOT NULL";
    if (where === "create" && this.inlinePrimaryKey(col, pkColumns)) {
      s += ` ${this.constraintName(pkName)}PRIMARY KEY AUTOINCREMENT`;
    }
    if (col.serverDefault !== null) s += ` DEFAULT ${this.renderServerDefault(col.serverDefault)}`;
    return s;
  }

  protected override tableBodyItems(t: Table, name: string): string[] {
    const pk = BaseCompiler.pkColumns(t);
    const pkConstraint = t.constraints.find((c) => c.kind === "primaryKey");
    const inline = t.columns.find((c) => this.inlinePrimaryKey(c, pk));
    const items = t.columns.map((c) => this.columnSpec(c, pk, "create", pkConstraint?.name ?? null));
    for (const c of t.constraints) {
      if (c.kind === "primaryKey" && inline) continue;
      items.push(this.constraintSql(c, c.kind === "foreignKey" && name !== t.name && c.referentTable === t.name ? name : undefined));
    }
    return items;
  }

  override plan(op: Operation, ctx: CompileContext = {}): CompilePlan {
    return planSqlite(this, op, ctx);
  }

  override tablesNeeded(op: Operation): TableRequirement[] {
    return sqliteTablesNeeded(this, op);
  }

  /** The generic (non-recreate) compilation, used by batch.ts for what SQLite does natively. */
  compileNative(op: Operation, ctx: CompileContext = {}): Statement[] {
    return this.compileOp(op, ctx);
  }

  /** Only rename (and comment, ignored) are native; batch.ts routes everything else to a recreate. */
  protected alterColumn(op: AlterColumnOp): Statement[] {
    if (op.type !== undefined || op.nullable !== undefined || op.serverDefault !== undefined || op.using !== undefined) {
      throw new CompileError(`alterColumn("${op.table}", "${op.column}"): SQLite cannot alter a column's type, nullability or default in place; the table must be recreated`);
    }
    if (op.newName !== undefined && op.newName !== op.column) {
      return [{ sql: `ALTER TABLE ${this.q(op.table)} RENAME COLUMN ${this.q(op.column)} TO ${this.q(op.newName)}` }];
    }
    return [];
  }

  protected setTableComment(): Statement[] {
    return [];
  }
}

export const sqliteCompiler = new SqliteCompiler();
