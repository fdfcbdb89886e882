import type {
  BigIntegerType, BinaryType, BooleanType, CheckConstraint, Column, Constraint, CustomType, DateTimeType,
  DateType, EnumType, FloatType, ForeignKeyConstraint, Index, IndexElement, IntegerType, JsonType,
  NumericType, PrimaryKeyConstraint, ReferentialAction, ServerDefault, SmallIntegerType, SqlExpression,
  SqlType, StringType, Table, TableItem, TableOptions, TextType, TimeType, UniqueConstraint, UuidType,
} from "./types.js";

/** Recursively freeze a plain data structure (plain objects and arrays; other objects are left alone). */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    const proto = Object.getPrototypeOf(value);
    if (!Array.isArray(value) && proto !== Object.prototype && proto !== null) return value;
    for (const v of Object.values(value as Record<string, unknown>)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** Copy plain objects and arrays recursively (other values, e.g. Dates and Buffers, are kept as they are). */
export function clonePlain<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => clonePlain(v)) as T;
  if (value !== null && typeof value === "object") {
    const proto = Object.getPrototypeOf(value);
    if (proto === Object.prototype || proto === null) {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = clonePlain(v);
      return out as T;
    }
  }
  return value;
}

function assertName(what: string, name: unknown): asserts name is string {
  if (typeof name !== "string" || name.length === 0) {
    throw new TypeError(`${what} must be a non-empty string, got ${JSON.stringify(name)}`);
  }
}

function columnList(what: string, columns: string | readonly string[]): string[] {
  const list = typeof columns === "string" ? [columns] : [...columns];
  if (list.length === 0) throw new TypeError(`${what} needs at least one column`);
  for (const c of list) assertName(`${what} column`, c);
  return list;
}

// ---------------------------------------------------------------- expressions

export function sql(text: string): SqlExpression {
  if (typeof text !== "string") throw new TypeError("sa.sql() takes a string");
  return deepFreeze({ kind: "sql", sql: text });
}

export function isSqlExpression(v: unknown): v is SqlExpression {
  return typeof v === "object" && v !== null && (v as { kind?: unknown }).kind === "sql"
    && typeof (v as { sql?: unknown }).sql === "string";
}

/** Text of a condition given as a string or `sa.sql(...)`. */
export function conditionText(c: string | SqlExpression): string {
  if (typeof c === "string") return c;
  if (isSqlExpression(c)) return c.sql;
  throw new TypeError("a condition must be a string or sa.sql(...)");
}

// ---------------------------------------------------------------- types

export const integer = (): IntegerType => deepFreeze({ kind: "integer" });
export const bigInteger = (): BigIntegerType => deepFreeze({ kind: "bigInteger" });
export const smallInteger = (): SmallIntegerType => deepFreeze({ kind: "smallInteger" });
export function string(length?: number | null): StringType {
  if (length !== undefined && length !== null && (!Number.isInteger(length) || length <= 0)) {
    throw new TypeError(`sa.string(length): length must be a positive integer, got ${length}`);
  }
  return deepFreeze({ kind: "string", length: length ?? null });
}
export const text = (): TextType => deepFreeze({ kind: "text" });
export const boolean = (): BooleanType => deepFreeze({ kind: "boolean" });
export function dateTime(options: { timezone?: boolean } = {}): DateTimeType {
  return deepFreeze({ kind: "dateTime", timezone: options.timezone ?? false });
}
export const date = (): DateType => deepFreeze({ kind: "date" });
export const time = (): TimeType => deepFreeze({ kind: "time" });
export function numeric(precision?: number | null, scale?: number | null): NumericType {
  for (const [n, v] of [["precision", precision], ["scale", scale]] as const) {
    if (v !== undefined && v !== null && (!Number.isInteger(v) || v < 0)) {
      throw new TypeError(`sa.numeric(): ${n} must be a non-negative integer, got ${v}`);
    }
  }
  if ((scale ?? null) !== null && (precision ?? null) === null) {
    throw new TypeError("sa.numeric(): a scale needs a precision");
  }
  return deepFreeze({ kind: "numeric", precision: precision ?? null, scale: scale ?? null });
}
export const float = (): FloatType => deepFreeze({ kind: "float" });
export const json = (): JsonType => deepFreeze({ kind: "json" });
export const uuid = (): UuidType => deepFreeze({ kind: "uuid" });
export const binary = (): BinaryType => deepFreeze({ kind: "binary" });
export function enumType(name: string, values: readonly string[]): EnumType {
  assertName("sa.enumType name", name);
  if (!Array.isArray(values) || values.length === 0) throw new TypeError(`sa.enumType("${name}") needs at least one value`);
  for (const v of values) if (typeof v !== "string") throw new TypeError(`sa.enumType("${name}") values must be strings`);
  if (new Set(values).size !== values.length) throw new TypeError(`sa.enumType("${name}") has duplicate values`);
  return deepFreeze({ kind: "enum", name, values: [...values] });
}
/** A type given as raw DDL text, rendered verbatim (escape hatch; also used for reflected types). */
export function customType(sqlText: string): CustomType {
  assertName("sa.customType", sqlText);
  return deepFreeze({ kind: "custom", sql: sqlText });
}

const TYPE_KINDS = new Set([
  "integer", "bigInteger", "smallInteger", "string", "text", "boolean", "dateTime", "date", "time",
  "numeric", "float", "json", "uuid", "binary", "enum", "custom",
]);

export function isSqlType(v: unknown): v is SqlType {
  return typeof v === "object" && v !== null && TYPE_KINDS.has((v as { kind?: string }).kind ?? "");
}

export function isIntegerType(t: SqlType): boolean {
  return t.kind === "integer" || t.kind === "bigInteger" || t.kind === "smallInteger";
}

// ---------------------------------------------------------------- columns

export interface ColumnOptions {
  nullable?: boolean;
  primaryKey?: boolean;
  autoincrement?: boolean | "auto";
  unique?: boolean;
  index?: boolean;
  serverDefault?: ServerDefault | null;
  comment?: string | null;
}

export function validateServerDefault(d: unknown, where: string): asserts d is ServerDefault | null | undefined {
  if (d === undefined || d === null || typeof d === "string" || typeof d === "boolean" || isSqlExpression(d)) return;
  if (typeof d === "number") {
    if (!Number.isFinite(d)) throw new TypeError(`${where}: serverDefault must be a finite number`);
    return;
  }
  throw new TypeError(`${where}: serverDefault must be sa.sql(...), a string, a number or a boolean`);
}

export function column(name: string, type: SqlType, options: ColumnOptions = {}): Column {
  assertName("sa.column name", name);
  if (!isSqlType(type)) throw new TypeError(`sa.column("${name}"): the second argument must be an sa type (e.g. sa.integer())`);
  validateServerDefault(options.serverDefault, `sa.column("${name}")`);
  const primaryKey = options.primaryKey ?? false;
  const nullable = options.nullable ?? !primaryKey;
  if (primaryKey && nullable) throw new TypeError(`sa.column("${name}"): a primary-key column cannot be nullable`);
  const autoincrement = options.autoincrement ?? "auto";
  if (autoincrement !== true && autoincrement !== false && autoincrement !== "auto") {
    throw new TypeError(`sa.column("${name}"): autoincrement must be true, false or "auto"`);
  }
  return deepFreeze({
    kind: "column",
    name,
    type,
    nullable,
    primaryKey,
    autoincrement,
    unique: options.unique ?? false,
    index: options.index ?? false,
    serverDefault: options.serverDefault ?? null,
    comment: options.comment ?? null,
  });
}

// ---------------------------------------------------------------- constraints

export function primaryKey(columns: string | readonly string[], options: { name?: string | null } = {}): PrimaryKeyConstraint {
  return deepFreeze({ kind: "primaryKey", name: options.name ?? null, columns: columnList("sa.primaryKey", columns) });
}

export function unique(columns: string | readonly string[], options: { name?: string | null } = {}): UniqueConstraint {
  return deepFreeze({ kind: "unique", name: options.name ?? null, columns: columnList("sa.unique", columns) });
}

export function check(condition: string | SqlExpression, options: { name?: string | null } = {}): CheckConstraint {
  return deepFreeze({ kind: "check", name: options.name ?? null, condition: conditionText(condition) });
}

const ACTIONS: ReadonlySet<string> = new Set(["CASCADE", "SET NULL", "SET DEFAULT", "RESTRICT", "NO ACTION"]);

export function referentialAction(v: string | null | undefined, what: string): ReferentialAction | null {
  if (v === undefined || v === null) return null;
  const norm = String(v).trim().toUpperCase().replace(/\s+/g, " ");
  if (!ACTIONS.has(norm)) {
    throw new TypeError(`${what} must be one of CASCADE, SET NULL, SET DEFAULT, RESTRICT, NO ACTION; got ${JSON.stringify(v)}`);
  }
  return norm as ReferentialAction;
}

export interface ForeignKeyOptions {
  name?: string | null;
  onDelete?: ReferentialAction | Lowercase<ReferentialAction> | null;
  onUpdate?: ReferentialAction | Lowercase<ReferentialAction> | null;
  deferrable?: boolean | null;
  initiallyDeferred?: boolean | null;
}

export function foreignKey(
  localColumns: string | readonly string[],
  referentTable: string,
  remoteColumns: string | readonly string[],
  options: ForeignKeyOptions = {},
): ForeignKeyConstraint {
  assertName("sa.foreignKey referent table", referentTable);
  const columns = columnList("sa.foreignKey", localColumns);
  const referentColumns = columnList("sa.foreignKey referent", remoteColumns);
  if (columns.length !== referentColumns.length) {
    throw new TypeError(`sa.foreignKey: ${columns.length} local column(s) but ${referentColumns.length} referent column(s)`);
  }
  return deepFreeze({
    kind: "foreignKey",
    name: options.name ?? null,
    columns,
    referentTable,
    referentColumns,
    onDelete: referentialAction(options.onDelete, "onDelete"),
    onUpdate: referentialAction(options.onUpdate, "onUpdate"),
    deferrable: options.deferrable ?? null,
    initiallyDeferred: options.initiallyDeferred ?? null,
  });
}

// ---------------------------------------------------------------- indexes

export interface IndexOptions {
  unique?: boolean;
  where?: string | SqlExpression | null;
}

export function indexElements(what: string, columns: IndexElement | readonly IndexElement[]): IndexElement[] {
  const list: IndexElement[] = typeof columns === "string" || isSqlExpression(columns) ? [columns] : [...(columns as readonly IndexElement[])];
  if (list.length === 0) throw new TypeError(`${what} needs at least one column`);
  for (const c of list) {
    if (typeof c === "string") assertName(`${what} column`, c);
    else if (!isSqlExpression(c)) throw new TypeError(`${what}: columns must be names or sa.sql(...) expressions`);
  }
  return list;
}

export function index(name: string, columns: IndexElement | readonly IndexElement[], options: IndexOptions = {}): Index {
  assertName("sa.index name", name);
  return deepFreeze({
    kind: "index",
    name,
    columns: indexElements(`sa.index("${name}")`, columns),
    unique: options.unique ?? false,
    where: options.where === undefined || options.where === null ? null : conditionText(options.where),
  });
}

// ---------------------------------------------------------------- tables

function isKind(item: unknown, kind: string): boolean {
  return typeof item === "object" && item !== null && (item as { kind?: unknown }).kind === kind;
}

/**
 * Build a table. Normalization (so every consumer sees one shape):
 * - a `sa.primaryKey(...)` item and columns with `primaryKey: true` are merged into one primaryKey
 *   constraint; its columns are marked `primaryKey: true, nullable: false`;
 * - a column with `index: true` yields an index `ix_<table>_<column>` (unique if the column is `unique`);
 * - a column with `unique: true` (and no `index`) yields an unnamed unique constraint.
 */
export function table(name: string, ...items: TableItem[]): Table {
  assertName("sa.table name", name);
  const columns: Column[] = [];
  const constraints: Constraint[] = [];
  const indexes: Index[] = [];
  let pk: PrimaryKeyConstraint | null = null;
  let comment: string | null = null;
  for (const item of items) {
    if (item === null || typeof item !== "object") throw new TypeError(`sa.table("${name}"): unexpected item ${String(item)}`);
    if (isKind(item, "column")) columns.push(item as Column);
    else if (isKind(item, "primaryKey")) {
      if (pk) throw new TypeError(`sa.table("${name}"): more than one primary key`);
      pk = item as PrimaryKeyConstraint;
    } else if (isKind(item, "unique") || isKind(item, "check") || isKind(item, "foreignKey")) constraints.push(item as Constraint);
    else if (isKind(item, "index")) indexes.push(item as Index);
    else if (!("kind" in item)) {
      const opts = item as TableOptions;
      if (opts.comment !== undefined) comment = opts.comment;
    } else throw new TypeError(`sa.table("${name}"): unexpected item of kind ${String((item as { kind: unknown }).kind)}`);
  }
  const names = new Set<string>();
  for (const c of columns) {
    if (names.has(c.name)) throw new TypeError(`sa.table("${name}"): duplicate column "${c.name}"`);
    names.add(c.name);
  }
  const flagged = columns.filter((c) => c.primaryKey).map((c) => c.name);
  if (pk) {
    for (const f of flagged) {
      if (!pk.columns.includes(f)) throw new TypeError(`sa.table("${name}"): column "${f}" is marked primaryKey but is not in the primary key constraint`);
    }
  } else if (flagged.length > 0) {
    pk = primaryKey(flagged);
  }
  const check = (what: string, cols: readonly IndexElement[]) => {
    for (const c of cols) {
      if (typeof c === "string" && !names.has(c)) throw new TypeError(`sa.table("${name}"): ${what} refers to unknown column "${c}"`);
    }
  };
  const finalColumns = columns.map((c) =>
    pk && pk.columns.includes(c.name) && (!c.primaryKey || c.nullable) ? { ...c, primaryKey: true, nullable: false } : c);
  const finalConstraints: Constraint[] = [];
  if (pk) {
    check("the primary key", pk.columns);
    finalConstraints.push(pk);
  }
  for (const c of constraints) {
    if (c.kind !== "check") check(`constraint ${c.name ?? `(${c.kind})`}`, c.columns);
    finalConstraints.push(c);
  }
  const finalIndexes = [...indexes];
  for (const c of columns) {
    if (c.index) finalIndexes.push(index(`ix_${name}_${c.name}`, [c.name], { unique: c.unique }));
    else if (c.unique) finalConstraints.push(unique([c.name]));
  }
  const indexNames = new Set<string>();
  for (const ix of finalIndexes) {
    check(`index ${ix.name}`, ix.columns);
    if (indexNames.has(ix.name)) throw new TypeError(`sa.table("${name}"): duplicate index "${ix.name}"`);
    indexNames.add(ix.name);
  }
  return deepFreeze({ kind: "table", name, columns: finalColumns, constraints: finalConstraints, indexes: finalIndexes, comment });
}

/** The primary-key constraint of a table, if any. */
export function tablePrimaryKey(t: Table): PrimaryKeyConstraint | null {
  return (t.constraints.find((c) => c.kind === "primaryKey") as PrimaryKeyConstraint | undefined) ?? null;
}

/**
 * Whether a column autoincrements within a table: explicit `true`, or `"auto"` when it is the only
 * primary-key column and of an integer type.
 */
export function isAutoincrement(col: Column, pkColumns: readonly string[]): boolean {
  if (col.autoincrement === false) return false;
  if (!isIntegerType(col.type)) return false;
  if (col.autoincrement === true) return true;
  return pkColumns.length === 1 && pkColumns[0] === col.name;
}
