import { isAutoincrement } from "../../schema/builders.js";
import type { Column, EnumType, SqlType, Table } from "../../schema/types.js";
import type { AddColumnOp, AlterColumnOp, CreateEnumOp, DropEnumOp, DropIndexOp } from "../../operations/ops.js";
import { BaseCompiler, CompileError } from "../compile-base.js";
import type { Statement } from "../types.js";

/** PostgreSQL 13+. */
export class PostgresCompiler extends BaseCompiler {
  readonly dialect = "postgresql" as const;
  readonly transactionalDdl = true;

  protected dialectType(t: SqlType): string | undefined {
    switch (t.kind) {
      case "dateTime": return t.timezone ? "TIMESTAMP WITH TIME ZONE" : "TIMESTAMP WITHOUT TIME ZONE";
      case "time": return "TIME WITHOUT TIME ZONE";
      case "uuid": return "UUID";
      case "binary": return "BYTEA";
      case "enum": return this.q(t.name);
      default: return undefined;
    }
  }

  protected override columnType(col: Column, pkColumns: readonly string[]): string {
    if (isAutoincrement(col, pkColumns)) {
      if (col.type.kind === "bigInteger") return "BIGSERIAL";
      if (col.type.kind === "smallInteger") return "SMALLSERIAL";
      return "SERIAL";
    }
    return this.renderType(col.type);
  }

  protected columnSpec(col: Column, pkColumns: readonly string[], where: "create" | "add"): string {
    let s = `${this.q(col.name)} ${this.columnType(col, pkColumns)}`;
    if (col.serverDefault !== null) s += ` DEFAULT ${this.renderServerDefault(col.serverDefault)}`;
    if (!col.nullable) s += " NOT NULL";
    if (where === "add") {
      if (col.primaryKey) s += " PRIMARY KEY";
      else if (col.unique && !col.index) s += " UNIQUE";
    }
    return s;
  }

  /** `CREATE TYPE ... AS ENUM`, skipped when a type of that name exists (SQLAlchemy's checkfirst). */
  ensureEnum(t: EnumType): Statement {
    const values = t.values.map((v) => this.renderLiteral(v)).join(", ");
    const body = `CREATE TYPE ${this.q(t.name)} AS ENUM (${values}); EXCEPTION WHEN duplicate_object THEN NULL;`;
    if (body.includes("$athanor$")) throw new CompileError(`enum ${t.name}: values cannot contain "$athanor$"`);
    return { sql: `DO $athanor$ BEGIN ${body} END $athanor$` };
  }

  private ensureEnums(types: readonly SqlType[]): Statement[] {
    const seen = new Set<string>();
    const out: Statement[] = [];
    for (const t of types) {
      if (t.kind === "enum" && !seen.has(t.name)) {
        seen.add(t.name);
        out.push(this.ensureEnum(t));
      }
    }
    return out;
  }

  protected override beforeCreateTable(t: Table): Statement[] {
    return this.ensureEnums(t.columns.map((c) => c.type));
  }

  protected override afterCreateTable(t: Table): Statement[] {
    const out: Statement[] = [];
    if (t.comment !== null) out.push(...this.setTableComment(t.name, t.comment));
    for (const c of t.columns) if (c.comment !== null) out.push(this.columnComment(t.name, c.name, c.comment));
    return out;
  }

  private columnComment(table: string, column: string, comment: string | null): Statement {
    return { sql: `COMMENT ON COLUMN ${this.q(table)}.${this.q(column)} IS ${comment === null ? "NULL" : this.renderLiteral(comment)}` };
  }

  protected override addColumn(op: AddColumnOp): Statement[] {
    const out = [...this.ensureEnums([op.column.type]), ...super.addColumn(op)];
    if (op.column.comment !== null) out.splice(out.length - (op.column.index ? 1 : 0), 0, this.columnComment(op.table, op.column.name, op.column.comment));
    return out;
  }

  protected alterColumn(op: AlterColumnOp): Statement[] {
    const t = this.q(op.table);
    const c = this.q(op.column);
    const out: Statement[] = [];
    if (op.using !== undefined && op.type === undefined) {
      throw new CompileError(`alterColumn("${op.table}", "${op.column}"): using must be given with type`);
    }
    if (op.type !== undefined) {
      out.push(...this.ensureEnums([op.type]));
      out.push({ sql: `ALTER TABLE ${t} ALTER COLUMN ${c} TYPE ${this.renderType(op.type)}${op.using !== undefined ? ` USING ${op.using}` : ""}` });
    }
    if (op.nullable !== undefined) {
      out.push({ sql: `ALTER TABLE ${t} ALTER COLUMN ${c} ${op.nullable ? "DROP NOT NULL" : "SET NOT NULL"}` });
    }
    if (op.serverDefault !== undefined) {
      out.push({
        sql: op.serverDefault === null
          ? `ALTER TABLE ${t} ALTER COLUMN ${c} DROP DEFAULT`
          : `ALTER TABLE ${t} ALTER COLUMN ${c} SET DEFAULT ${this.renderServerDefault(op.serverDefault)}`,
      });
    }
    if (op.comment !== undefined) out.push(this.columnComment(op.table, op.column, op.comment));
    if (op.newName !== undefined && op.newName !== op.column) {
      out.push({ sql: `ALTER TABLE ${t} RENAME COLUMN ${c} TO ${this.q(op.newName)}` });
    }
    return out;
  }

  protected override dropIndex(op: DropIndexOp): Statement[] {
    return [{ sql: `DROP INDEX ${op.concurrently ? "CONCURRENTLY " : ""}${op.ifExists ? "IF EXISTS " : ""}${this.q(op.name)}` }];
  }

  protected setTableComment(table: string, comment: string | null): Statement[] {
    return [{ sql: `COMMENT ON TABLE ${this.q(table)} IS ${comment === null ? "NULL" : this.renderLiteral(comment)}` }];
  }

  protected override createEnum(op: CreateEnumOp): Statement[] {
    if (op.ifNotExists) return [this.ensureEnum({ kind: "enum", name: op.name, values: op.values })];
    return [{ sql: `CREATE TYPE ${this.q(op.name)} AS ENUM (${op.values.map((v) => this.renderLiteral(v)).join(", ")})` }];
  }

  protected override dropEnum(op: DropEnumOp): Statement[] {
    return [{ sql: `DROP TYPE ${op.ifExists ? "IF EXISTS " : ""}${this.q(op.name)}` }];
  }
}

export const postgresCompiler = new PostgresCompiler();
