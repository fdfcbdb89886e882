/**
 * Constructors for operation objects (validated, frozen). The `op` facade and batch use them;
 * autogenerate can too.
 */
import {
  clonePlain, conditionText, deepFreeze, foreignKey, indexElements, isSqlExpression, isSqlType, table as makeTable,
  validateServerDefault, type ForeignKeyOptions,
} from "../schema/builders.js";
import type { Column, Constraint, IndexElement, ServerDefault, SqlExpression, SqlType, Table, TableItem } from "../schema/types.js";
import type {
  AddColumnOp, AlterColumnOp, BulkInsertOp, ConstraintType, CreateCheckConstraintOp, CreateEnumOp, CreateForeignKeyOp,
  CreateIndexOp, CreatePrimaryKeyOp, CreateTableCommentOp, CreateTableOp, CreateUniqueConstraintOp, DropColumnOp,
  DropConstraintOp, DropEnumOp, DropIndexOp, DropTableCommentOp, DropTableOp, ExecuteOp, RenameTableOp,
} from "./ops.js";
import type { ExecuteParams } from "./params.js";

function name(what: string, v: unknown): string {
  if (typeof v !== "string" || v.length === 0) throw new TypeError(`${what} must be a non-empty string, got ${JSON.stringify(v)}`);
  return v;
}

function optionalName(what: string, v: unknown): string | null {
  return v === null || v === undefined ? null : name(what, v);
}

function columns(what: string, v: string | readonly string[]): string[] {
  const list = typeof v === "string" ? [v] : Array.isArray(v) ? [...v] : null;
  if (!list || list.length === 0) throw new TypeError(`${what} needs a non-empty list of column names`);
  for (const c of list) name(`${what} column`, c);
  return list;
}

function isColumn(v: unknown): v is Column {
  return typeof v === "object" && v !== null && (v as { kind?: unknown }).kind === "column";
}

export function createTableOp(tableName: string, ...items: TableItem[]): CreateTableOp {
  return deepFreeze({ kind: "createTable", table: makeTable(tableName, ...items) });
}

export function createTableFrom(t: Table): CreateTableOp {
  return deepFreeze({ kind: "createTable", table: t });
}

export function dropTableOp(tableName: string, options: { ifExists?: boolean; existing?: Table | null } = {}): DropTableOp {
  return deepFreeze({ kind: "dropTable", table: name("dropTable name", tableName), ifExists: options.ifExists ?? false, existing: options.existing ?? null });
}

export function addColumnOp(tableName: string, column: Column): AddColumnOp {
  name("addColumn table", tableName);
  if (!isColumn(column)) throw new TypeError(`addColumn("${tableName}", column): column must be sa.column(...)`);
  return deepFreeze({ kind: "addColumn", table: tableName, column });
}

export function dropColumnOp(tableName: string, column: string, options: { existing?: Column | null } = {}): DropColumnOp {
  return deepFreeze({
    kind: "dropColumn", table: name("dropColumn table", tableName), column: name("dropColumn column", column),
    existing: options.existing ?? null,
  });
}

export interface AlterColumnOptions {
  newName?: string;
  type?: SqlType;
  nullable?: boolean;
  /** null drops the default. */
  serverDefault?: ServerDefault | null;
  /** null removes the comment. */
  comment?: string | null;
  /** PostgreSQL `USING` expression for a type change. */
  using?: string | SqlExpression;
  existingType?: SqlType;
  existingNullable?: boolean;
  existingServerDefault?: ServerDefault | null;
  existingComment?: string | null;
  existingAutoincrement?: boolean;
}

export function alterColumnOp(tableName: string, column: string, options: AlterColumnOptions = {}): AlterColumnOp {
  const where = `alterColumn("${tableName}", "${column}")`;
  name("alterColumn table", tableName);
  name("alterColumn column", column);
  for (const k of ["type", "existingType"] as const) {
    if (options[k] !== undefined && !isSqlType(options[k])) throw new TypeError(`${where}: ${k} must be an sa type`);
  }
  validateServerDefault(options.serverDefault, where);
  validateServerDefault(options.existingServerDefault, where);
  const op: Record<string, unknown> = { kind: "alterColumn", table: tableName, column };
  if (options.newName !== undefined) op.newName = name(`${where} newName`, options.newName);
  if (options.type !== undefined) op.type = options.type;
  if (options.nullable !== undefined) op.nullable = Boolean(options.nullable);
  if (options.serverDefault !== undefined) op.serverDefault = options.serverDefault;
  if (options.comment !== undefined) op.comment = options.comment;
  if (options.using !== undefined) {
    if (options.type === undefined) throw new TypeError(`${where}: using must be given with type`);
    op.using = isSqlExpression(options.using) ? options.using.sql : conditionText(options.using);
  }
  if (options.existingType !== undefined) op.existingType = options.existingType;
  if (options.existingNullable !== undefined) op.existingNullable = Boolean(options.existingNullable);
  if (options.existingServerDefault !== undefined) op.existingServerDefault = options.existingServerDefault;
  if (options.existingComment !== undefined) op.existingComment = options.existingComment;
  if (options.existingAutoincrement !== undefined) op.existingAutoincrement = Boolean(options.existingAutoincrement);
  return deepFreeze(op as unknown as AlterColumnOp);
}

export function renameTableOp(oldName: string, newName: string): RenameTableOp {
  return deepFreeze({ kind: "renameTable", table: name("renameTable old name", oldName), newName: name("renameTable new name", newName) });
}

export interface CreateIndexOptions {
  unique?: boolean;
  where?: string | SqlExpression | null;
  concurrently?: boolean;
  ifNotExists?: boolean;
}

export function createIndexOp(indexName: string, tableName: string, cols: IndexElement | readonly IndexElement[], options: CreateIndexOptions = {}): CreateIndexOp {
  return deepFreeze({
    kind: "createIndex",
    name: name("createIndex name", indexName),
    table: name("createIndex table", tableName),
    columns: indexElements(`createIndex("${indexName}")`, cols),
    unique: options.unique ?? false,
    where: options.where === undefined || options.where === null ? null : conditionText(options.where),
    concurrently: options.concurrently ?? false,
    ifNotExists: options.ifNotExists ?? false,
  });
}

export interface DropIndexOptions {
  table?: string | null;
  concurrently?: boolean;
  ifExists?: boolean;
  /** The index before the drop (makes the op reversible). */
  existing?: { columns: readonly IndexElement[]; unique?: boolean; where?: string | null } | null;
}

export function dropIndexOp(indexName: string, options: DropIndexOptions = {}): DropIndexOp {
  const ex = options.existing;
  return deepFreeze({
    kind: "dropIndex",
    name: name("dropIndex name", indexName),
    table: optionalName("dropIndex table", options.table),
    concurrently: options.concurrently ?? false,
    ifExists: options.ifExists ?? false,
    existing: ex ? { columns: indexElements(`dropIndex("${indexName}") existing`, ex.columns), unique: ex.unique ?? false, where: ex.where ?? null } : null,
  });
}

export function createUniqueConstraintOp(constraintName: string | null, tableName: string, cols: string | readonly string[]): CreateUniqueConstraintOp {
  return deepFreeze({
    kind: "createUniqueConstraint", name: optionalName("constraint name", constraintName),
    table: name("createUniqueConstraint table", tableName), columns: columns("createUniqueConstraint", cols),
  });
}

export function createCheckConstraintOp(constraintName: string | null, tableName: string, condition: string | SqlExpression): CreateCheckConstraintOp {
  return deepFreeze({
    kind: "createCheckConstraint", name: optionalName("constraint name", constraintName),
    table: name("createCheckConstraint table", tableName), condition: conditionText(condition),
  });
}

export type CreateForeignKeyOptions = Omit<ForeignKeyOptions, "name">;

export function createForeignKeyOp(
  constraintName: string | null, sourceTable: string, referentTable: string,
  localColumns: string | readonly string[], remoteColumns: string | readonly string[], options: CreateForeignKeyOptions = {},
): CreateForeignKeyOp {
  const fk = foreignKey(localColumns, referentTable, remoteColumns, { ...options, name: optionalName("constraint name", constraintName) });
  return deepFreeze({
    kind: "createForeignKey", name: fk.name, table: name("createForeignKey source table", sourceTable),
    referentTable: fk.referentTable, columns: fk.columns, referentColumns: fk.referentColumns,
    onDelete: fk.onDelete, onUpdate: fk.onUpdate, deferrable: fk.deferrable, initiallyDeferred: fk.initiallyDeferred,
  });
}

export function createPrimaryKeyOp(constraintName: string | null, tableName: string, cols: string | readonly string[]): CreatePrimaryKeyOp {
  return deepFreeze({
    kind: "createPrimaryKey", name: optionalName("constraint name", constraintName),
    table: name("createPrimaryKey table", tableName), columns: columns("createPrimaryKey", cols),
  });
}

const CONSTRAINT_TYPES: ReadonlySet<string> = new Set(["unique", "foreignkey", "check", "primary"]);

export function dropConstraintOp(
  constraintName: string, tableName: string, options: { type?: ConstraintType | null; existing?: Constraint | null } = {},
): DropConstraintOp {
  const type = options.type ?? null;
  if (type !== null && !CONSTRAINT_TYPES.has(type)) {
    throw new TypeError(`dropConstraint type must be "unique", "foreignkey", "check" or "primary", got ${JSON.stringify(type)}`);
  }
  return deepFreeze({
    kind: "dropConstraint", name: name("dropConstraint name", constraintName), table: name("dropConstraint table", tableName),
    type, existing: options.existing ?? null,
  });
}

export function createTableCommentOp(tableName: string, comment: string, options: { existingComment?: string | null } = {}): CreateTableCommentOp {
  if (typeof comment !== "string") throw new TypeError("createTableComment: comment must be a string");
  const op: Record<string, unknown> = { kind: "createTableComment", table: name("createTableComment table", tableName), comment };
  if (options.existingComment !== undefined) op.existingComment = options.existingComment;
  return deepFreeze(op as unknown as CreateTableCommentOp);
}

export function dropTableCommentOp(tableName: string, options: { existingComment?: string | null } = {}): DropTableCommentOp {
  const op: Record<string, unknown> = { kind: "dropTableComment", table: name("dropTableComment table", tableName) };
  if (options.existingComment !== undefined) op.existingComment = options.existingComment;
  return deepFreeze(op as unknown as DropTableCommentOp);
}

export function executeOp(sqlText: string | SqlExpression, params?: ExecuteParams | null): ExecuteOp {
  const text = isSqlExpression(sqlText) ? sqlText.sql : sqlText;
  if (typeof text !== "string") throw new TypeError("op.execute takes a SQL string or sa.sql(...)");
  if (params !== undefined && params !== null && typeof params !== "object") {
    throw new TypeError("op.execute params must be an object (for :name placeholders) or an array (for ?)");
  }
  return deepFreeze({
    kind: "execute", sql: text,
    params: params === undefined || params === null ? null : clonePlain(params),
  });
}

export function bulkInsertOp(target: string | Table, rows: readonly Record<string, unknown>[]): BulkInsertOp {
  const tableName = typeof target === "string" ? target : target?.kind === "table" ? target.name : null;
  if (!tableName) throw new TypeError("bulkInsert: the first argument must be a table name or sa.table(...)");
  if (!Array.isArray(rows)) throw new TypeError("bulkInsert: List expected (rows must be an array)");
  for (const r of rows) {
    if (r === null || typeof r !== "object" || Array.isArray(r)) throw new TypeError("bulkInsert: List of dictionaries expected (each row must be an object)");
  }
  return deepFreeze({
    kind: "bulkInsert", table: tableName,
    columns: typeof target === "string" ? null : target.columns,
    rows: rows.map((r) => clonePlain(r)),
  });
}

export function createEnumOp(enumName: string, values: readonly string[], options: { ifNotExists?: boolean } = {}): CreateEnumOp {
  name("createEnum name", enumName);
  if (!Array.isArray(values) || values.length === 0 || values.some((v) => typeof v !== "string")) {
    throw new TypeError(`createEnum("${enumName}"): values must be a non-empty list of strings`);
  }
  return deepFreeze({ kind: "createEnum", name: enumName, values: [...values], ifNotExists: options.ifNotExists ?? false });
}

export function dropEnumOp(enumName: string, options: { ifExists?: boolean; values?: readonly string[] | null } = {}): DropEnumOp {
  return deepFreeze({
    kind: "dropEnum", name: name("dropEnum name", enumName), ifExists: options.ifExists ?? false,
    values: options.values ? [...options.values] : null,
  });
}
