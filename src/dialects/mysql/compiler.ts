import { isAutoincrement } from "../../schema/builders.js";
import type { Column, Constraint, ServerDefault, SqlType, Table } from "../../schema/types.js";
import type { AlterColumnOp, CreateIndexOp, DropConstraintOp, DropIndexOp, RenameTableOp } from "../../operations/ops.js";
import { BaseCompiler, CompileError } from "../compile-base.js";
import type { Statement } from "../types.js";

/**
 * MySQL 8 / MariaDB 10.6+.
 *
 * Type choices: `sa.string()` without a length is an error (VARCHAR needs one; use `sa.text()`);
 * `dateTime` (with or without timezone) is `DATETIME(6)` and `time` is `TIME(6)` (MySQL has no
 * time-zone-aware type; microseconds kept); `float` is `DOUBLE` (as on PostgreSQL/SQLite, a JS number);
 * `uuid` is `CHAR(36)`; `binary` is `LONGBLOB`; `boolean` is `BOOL`; enums are inline `ENUM(...)`.
 * FK deferrability is ignored (MySQL has none); partial indexes are an error; `concurrently` is ignored.
 */
export class MysqlCompiler extends BaseCompiler {
  readonly dialect = "mysql" as const;
  readonly transactionalDdl = false;

  protected dialectType(t: SqlType): string | undefined {
    switch (t.kind) {
      case "string":
        if (t.length === null) throw new CompileError("sa.string() needs a length on MySQL (VARCHAR requires one): use sa.string(255) or sa.text()");
        return undefined;
      case "boolean": return "BOOL";
      case "dateTime": return "DATETIME(6)";
      case "time": return "TIME(6)";
      case "float": return "DOUBLE";
      case "binary": return "LONGBLOB";
      case "enum": return `ENUM(${t.values.map((v) => this.renderLiteral(v)).join(", ")})`;
      default: return undefined;
    }
  }

  private spec(name: string, type: string, nullable: boolean, explicitNull: boolean, serverDefault: ServerDefault | null,
    autoincrement: boolean, comment: string | null): string {
    let s = `${this.q(name)} ${type}`;
    if (!nullable) s += " NOT NULL";
    else if (explicitNull) s += " NULL";
    if (serverDefault !== null) s += ` DEFAULT ${this.renderServerDefault(serverDefault)}`;
    if (autoincrement) s += " AUTO_INCREMENT";
    if (comment !== null) s += ` COMMENT ${this.renderLiteral(comment)}`;
    return s;
  }

  protected columnSpec(col: Column, pkColumns: readonly string[], where: "create" | "add"): string {
    let s = this.spec(col.name, this.renderType(col.type), col.nullable, false, col.serverDefault,
      isAutoincrement(col, pkColumns), col.comment);
    if (where === "add") {
      if (col.primaryKey) s += " PRIMARY KEY";
      else if (col.unique && !col.index) s += " UNIQUE";
    }
    return s;
  }

  /** MySQL's primary key is always named PRIMARY: the name is not rendered. */
  protected override constraintSql(c: Constraint, referentOverride?: string): string {
    if (c.kind === "primaryKey") return `PRIMARY KEY ${this.columnNames(c.columns)}`;
    return super.constraintSql(c, referentOverride);
  }

  protected override deferrability(): string {
    return "";
  }

  protected override createTableSuffix(t: Table): string {
    return t.comment !== null ? ` COMMENT=${this.renderLiteral(t.comment)}` : "";
  }

  protected alterColumn(op: AlterColumnOp): Statement[] {
    const t = this.q(op.table);
    const rename = op.newName !== undefined && op.newName !== op.column;
    if (op.using !== undefined) {
      throw new CompileError(`alterColumn("${op.table}", "${op.column}"): using is PostgreSQL-only`);
    }
    if (op.type === undefined && op.nullable === undefined && op.comment === undefined && !rename) {
      if (op.serverDefault === undefined) return [];
      return [{
        sql: op.serverDefault === null
          ? `ALTER TABLE ${t} ALTER COLUMN ${this.q(op.column)} DROP DEFAULT`
          : `ALTER TABLE ${t} ALTER COLUMN ${this.q(op.column)} SET DEFAULT ${this.renderServerDefault(op.serverDefault)}`,
      }];
    }
    // MySQL restates the full column definition: everything not being changed must be known.
    const type = op.type ?? op.existingType;
    if (type === undefined) {
      throw new CompileError(`alterColumn("${op.table}", "${op.column}") on MySQL restates the whole column (MODIFY/CHANGE): pass existingType (the column's current type), and existingNullable/existingServerDefault/existingComment, so no attribute is silently lost`);
    }
    const nullable = op.nullable ?? op.existingNullable;
    if (nullable === undefined) {
      throw new CompileError(`alterColumn("${op.table}", "${op.column}") on MySQL restates the whole column (MODIFY/CHANGE): pass existingNullable (whether the column currently allows NULL)`);
    }
    const serverDefault = op.serverDefault !== undefined ? op.serverDefault : op.existingServerDefault ?? null;
    const comment = op.comment !== undefined ? op.comment : op.existingComment ?? null;
    const spec = this.spec(rename ? op.newName! : op.column, this.renderType(type), nullable, true, serverDefault,
      op.existingAutoincrement ?? false, comment);
    return [{
      sql: rename
        ? `ALTER TABLE ${t} CHANGE ${this.q(op.column)} ${spec}`
        : `ALTER TABLE ${t} MODIFY ${spec}`,
    }];
  }

  protected override renameTable(op: RenameTableOp): Statement[] {
    return [{ sql: `ALTER TABLE ${this.q(op.table)} RENAME ${this.q(op.newName)}` }];
  }

  override createIndexStatement(op: CreateIndexOp): Statement {
    if (op.where !== null) throw new CompileError(`createIndex("${op.name}"): partial indexes are not supported on MySQL`);
    return super.createIndexStatement(op);
  }

  protected override dropIndex(op: DropIndexOp): Statement[] {
    if (op.table === null) throw new CompileError(`dropIndex("${op.name}") on MySQL needs the table: dropIndex(name, { table })`);
    return [{ sql: `DROP INDEX ${op.ifExists ? "IF EXISTS " : ""}${this.q(op.name)} ON ${this.q(op.table)}` }];
  }

  protected override dropConstraint(op: DropConstraintOp): Statement[] {
    const t = this.q(op.table);
    switch (op.type) {
      case "foreignkey": return [{ sql: `ALTER TABLE ${t} DROP FOREIGN KEY ${this.q(op.name)}` }];
      case "unique": return [{ sql: `ALTER TABLE ${t} DROP INDEX ${this.q(op.name)}` }];
      case "check": return [{ sql: `ALTER TABLE ${t} DROP CONSTRAINT ${this.q(op.name)}` }];
      case "primary": return [{ sql: `ALTER TABLE ${t} DROP PRIMARY KEY` }];
      case null:
        throw new CompileError(`dropConstraint("${op.name}", "${op.table}") on MySQL needs the constraint type: { type: "unique" | "foreignkey" | "check" | "primary" }`);
    }
  }

  protected setTableComment(table: string, comment: string | null): Statement[] {
    return [{ sql: `ALTER TABLE ${this.q(table)} COMMENT = ${this.renderLiteral(comment ?? "")}` }];
  }
}

export const mysqlCompiler = new MysqlCompiler();
