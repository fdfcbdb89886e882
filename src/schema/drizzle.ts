/**
 * Drizzle ORM tables (`pgTable`, `mysqlTable`, `sqliteTable`) as an autogenerate target: each is read
 * with drizzle's own `getTableConfig` and converted to the `sa` model.
 *
 * drizzle-orm is an optional peer dependency: it is loaded only when a schema module exports Drizzle
 * tables, from the project that declares them (so the project's own drizzle-orm is used), falling
 * back to one installed next to athanor.
 */
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import {
  bigInteger, binary, boolean, check, column, customType, date, dateTime, enumType, float, foreignKey, index, integer,
  json, numeric, primaryKey, smallInteger, sql as rawSql, string, table, text, time, unique, uuid,
} from "./builders.js";
import type { EnumType, ReferentialAction, ServerDefault, SqlType, Table, TableItem } from "./types.js";

export type DrizzleFamily = "pg" | "mysql" | "sqlite";

const IS_TABLE = Symbol.for("drizzle:IsDrizzleTable");
const NAME = Symbol.for("drizzle:Name");
const ENTITY_KIND = Symbol.for("drizzle:entityKind");
const IS_PG_ENUM = Symbol.for("drizzle:isPgEnum");

export class DrizzleSchemaError extends Error {
  override name = "DrizzleSchemaError";
}

/** Whether a value is a Drizzle table (no drizzle-orm needed to tell). */
export function isDrizzleTable(v: unknown): boolean {
  return (typeof v === "object" || typeof v === "function") && v !== null && (v as Record<symbol, unknown>)[IS_TABLE] === true;
}

/** Whether a value is a Drizzle `pgEnum(...)`. */
export function isDrizzlePgEnum(v: unknown): boolean {
  return typeof v === "function" && (v as unknown as Record<symbol, unknown>)[IS_PG_ENUM] === true;
}

function entityKinds(v: object): string[] {
  const kinds: string[] = [];
  let ctor = (v as { constructor?: unknown }).constructor as (Record<symbol, unknown> & { prototype?: unknown }) | undefined;
  while (ctor && kinds.length < 10) {
    const k = ctor[ENTITY_KIND];
    if (typeof k === "string" && !kinds.includes(k)) kinds.push(k);
    ctor = Object.getPrototypeOf(ctor);
  }
  return kinds;
}

/** Which drizzle dialect module a table comes from. */
export function drizzleFamily(v: unknown): DrizzleFamily | null {
  if (!isDrizzleTable(v)) return null;
  const kinds = entityKinds(v as object);
  if (kinds.includes("PgTable")) return "pg";
  if (kinds.includes("MySqlTable")) return "mysql";
  if (kinds.includes("SQLiteTable")) return "sqlite";
  return null;
}

/* eslint-disable @typescript-eslint/no-explicit-any */
type Any = any;

const modules = new Map<string, Promise<Any>>();

/** Import `drizzle-orm/<family>-core` as the project resolves it, else as athanor does. */
async function loadCore(family: DrizzleFamily, resolveFrom: string | undefined): Promise<Any> {
  const spec = `drizzle-orm/${family}-core`;
  const key = `${resolveFrom ?? ""}\0${spec}`;
  let p = modules.get(key);
  if (!p) {
    p = (async () => {
      if (resolveFrom) {
        try {
          const resolved = createRequire(resolveFrom).resolve(spec);
          return await import(pathToFileURL(resolved).href);
        } catch {
          // fall through to athanor's own resolution
        }
      }
      try {
        const dynamicSpec: string = spec;
        return await import(dynamicSpec);
      } catch (error) {
        throw new DrizzleSchemaError(
          `the schema exports Drizzle ORM tables, but drizzle-orm cannot be loaded (${(error as Error).message}); install it: npm install drizzle-orm`,
        );
      }
    })();
    modules.set(key, p);
  }
  return p;
}

function isSql(v: unknown): boolean {
  return typeof v === "object" && v !== null && Array.isArray((v as { queryChunks?: unknown }).queryChunks);
}

function tableNameOf(t: unknown): string {
  return String((t as Record<symbol, unknown>)[NAME]);
}

function action(v: unknown): ReferentialAction | null {
  if (v === undefined || v === null) return null;
  const s = String(v).toUpperCase().replace(/\s+/g, " ");
  return s === "NO ACTION" ? null : (s as ReferentialAction);
}

interface Converter {
  family: DrizzleFamily;
  core: Any;
  dialect: Any;
}

/** SQL of a drizzle `sql\`...\`` with parameters inlined and column references unqualified. */
function sqlText(conv: Converter, value: Any, tableName: string): string {
  const copy = typeof value.inlineParams === "function" ? value.inlineParams() : value;
  const { sql } = conv.dialect.sqlToQuery(copy, "indexes");
  const q = conv.family === "mysql" ? "`" : '"';
  const qualified = `${q}${tableName.replaceAll(q, q + q)}${q}.`;
  return String(sql).split(qualified).join("");
}

function pgType(col: Any): { type: SqlType; autoincrement?: boolean } {
  const kind = entityKinds(col)[0];
  const sqlType = String(col.getSQLType());
  switch (kind) {
    case "PgSerial": return { type: integer(), autoincrement: true };
    case "PgBigSerial53":
    case "PgBigSerial64": return { type: bigInteger(), autoincrement: true };
    case "PgSmallSerial": return { type: smallInteger(), autoincrement: true };
    case "PgInteger": return { type: integer(), autoincrement: col.generatedIdentity ? true : undefined };
    case "PgBigInt53":
    case "PgBigInt64": return { type: bigInteger(), autoincrement: col.generatedIdentity ? true : undefined };
    case "PgSmallInt": return { type: smallInteger(), autoincrement: col.generatedIdentity ? true : undefined };
    case "PgVarchar": return { type: string(col.length ?? null) };
    case "PgText": return { type: text() };
    case "PgBoolean": return { type: boolean() };
    case "PgTimestamp":
    case "PgTimestampString":
      return col.precision === undefined || col.precision === null
        ? { type: dateTime({ timezone: Boolean(col.withTimezone) }) }
        : { type: customType(sqlType) };
    case "PgDate":
    case "PgDateString": return { type: date() };
    case "PgTime":
      return !col.withTimezone && (col.precision === undefined || col.precision === null) ? { type: time() } : { type: customType(sqlType) };
    case "PgNumeric":
    case "PgNumericNumber":
    case "PgNumericBigInt": return { type: numeric(col.precision ?? null, col.precision == null ? null : col.scale ?? null) };
    case "PgDoublePrecision": return { type: float() };
    case "PgJson": return { type: json() };
    case "PgUUID": return { type: uuid() };
    case "PgEnumColumn":
    case "PgEnumObjectColumn": return { type: enumType(col.enum?.enumName ?? sqlType, col.enum?.enumValues ?? col.enumValues) };
    default: return { type: sqlType === "bytea" ? binary() : customType(sqlType) };
  }
}

function mysqlType(col: Any): { type: SqlType; autoincrement?: boolean; serial?: boolean } {
  const kind = entityKinds(col)[0];
  const sqlType = String(col.getSQLType());
  const unsigned = /unsigned/i.test(sqlType);
  switch (kind) {
    case "MySqlSerial": return { type: customType("bigint unsigned"), autoincrement: true, serial: true };
    case "MySqlInt": return { type: unsigned ? customType(sqlType) : integer() };
    case "MySqlBigInt53":
    case "MySqlBigInt64": return { type: unsigned ? customType(sqlType) : bigInteger() };
    case "MySqlSmallInt": return { type: unsigned ? customType(sqlType) : smallInteger() };
    case "MySqlVarChar": return { type: string(col.length ?? null) };
    case "MySqlText": return { type: sqlType === "text" ? text() : customType(sqlType) };
    case "MySqlBoolean": return { type: boolean() };
    case "MySqlDateTime":
    case "MySqlDateTimeString": return { type: sqlType === "datetime(6)" ? dateTime() : customType(sqlType) };
    case "MySqlDate":
    case "MySqlDateString": return { type: date() };
    case "MySqlTime": return { type: sqlType === "time(6)" ? time() : customType(sqlType) };
    case "MySqlDecimal":
    case "MySqlDecimalNumber":
    case "MySqlDecimalBigInt": return { type: numeric(col.precision ?? null, col.precision == null ? null : col.scale ?? null) };
    case "MySqlDouble": return { type: float() };
    case "MySqlJson": return { type: json() };
    case "MySqlEnumColumn":
    case "MySqlEnumObjectColumn": return { type: enumType(String(col.name), col.enumValues) };
    default: return { type: sqlType === "longblob" ? binary() : customType(sqlType) };
  }
}

function sqliteType(col: Any): { type: SqlType } {
  const sqlType = String(col.getSQLType());
  switch (sqlType.toLowerCase()) {
    case "integer": return { type: integer() };
    case "text": return { type: text() };
    case "numeric": return { type: numeric() };
    case "blob": return { type: binary() };
    default: return { type: customType(sqlType) };
  }
}

function serverDefault(conv: Converter, col: Any, tableName: string): ServerDefault | null {
  if (!col.hasDefault || col.default === undefined) return null;
  const d = col.default;
  if (isSql(d)) return rawSql(sqlText(conv, d, tableName));
  if (d === null) return null;
  if (typeof d === "string" || typeof d === "number" || typeof d === "boolean") return d;
  if (typeof d === "bigint") return rawSql(String(d));
  if (d instanceof Date) return d.toISOString().replace("T", " ").replace("Z", "");
  return JSON.stringify(d);
}

function convertTable(conv: Converter, t: Any): Table {
  const config = conv.core.getTableConfig(t);
  const name = String(config.name);
  if (config.schema) throw new DrizzleSchemaError(`Drizzle table '${config.schema}.${name}': schemas other than the default are not supported`);
  const items: TableItem[] = [];
  const compositePk = config.primaryKeys?.[0];
  for (const col of config.columns as Any[]) {
    const mapped: { type: SqlType; autoincrement?: boolean; serial?: boolean } =
      conv.family === "pg" ? pgType(col) : conv.family === "mysql" ? mysqlType(col) : sqliteType(col);
    let autoincrement: boolean | "auto" = mapped.autoincrement ? true : "auto";
    if (conv.family === "mysql" && col.autoIncrement) autoincrement = true;
    if (conv.family === "sqlite" && col.autoIncrement) autoincrement = true;
    const pk = Boolean(col.primary);
    items.push(column(String(col.name), mapped.type, {
      primaryKey: pk,
      nullable: pk || mapped.serial ? false : !col.notNull,
      autoincrement,
      serverDefault: serverDefault(conv, col, name),
    }));
    if (col.isUnique) items.push(unique([String(col.name)], { name: col.uniqueName ?? null }));
    else if (mapped.serial) items.push(unique([String(col.name)]));
  }
  if (compositePk) {
    items.push(primaryKey(compositePk.columns.map((c: Any) => String(c.name)), { name: compositePk.name ?? null }));
  }
  for (const u of (config.uniqueConstraints ?? []) as Any[]) {
    items.push(unique(u.columns.map((c: Any) => String(c.name)), { name: typeof u.getName === "function" ? u.getName() : u.name ?? null }));
  }
  for (const ck of (config.checks ?? []) as Any[]) {
    items.push(check(sqlText(conv, ck.value, name), { name: ck.name ?? null }));
  }
  for (const fk of (config.foreignKeys ?? []) as Any[]) {
    const ref = fk.reference();
    items.push(foreignKey(
      ref.columns.map((c: Any) => String(c.name)),
      tableNameOf(ref.foreignTable),
      ref.foreignColumns.map((c: Any) => String(c.name)),
      { name: fk.getName(), onDelete: action(fk.onDelete), onUpdate: action(fk.onUpdate) },
    ));
  }
  for (const ix of (config.indexes ?? []) as Any[]) {
    const c = ix.config;
    const cols = (c.columns as Any[]).map((e) => (isSql(e) ? rawSql(sqlText(conv, e, name)) : String(e.name)));
    items.push(index(String(c.name), cols, { unique: Boolean(c.unique), where: c.where ? sqlText(conv, c.where, name) : null }));
  }
  return table(name, ...items);
}

export interface DrizzleSchema {
  tables: Table[];
  /** `pgEnum(...)` values exported by the modules (the enums of columns are in their types). */
  enums: EnumType[];
}

/**
 * Convert Drizzle tables (and pgEnums) to the `sa` model. `resolveFrom` is a file of the project
 * (the schema module), from which drizzle-orm is resolved.
 */
export async function drizzleToSa(values: readonly unknown[], options: { resolveFrom?: string } = {}): Promise<DrizzleSchema> {
  const tables: Table[] = [];
  const enums: EnumType[] = [];
  const converters = new Map<DrizzleFamily, Converter>();
  for (const v of values) {
    if (isDrizzlePgEnum(v)) {
      const e = v as unknown as { enumName: string; enumValues: string[] };
      enums.push(enumType(e.enumName, e.enumValues));
      continue;
    }
    const family = drizzleFamily(v);
    if (family === null) continue;
    let conv = converters.get(family);
    if (!conv) {
      const core = await loadCore(family, options.resolveFrom);
      const Dialect = family === "pg" ? core.PgDialect : family === "mysql" ? core.MySqlDialect : core.SQLiteSyncDialect;
      conv = { family, core, dialect: new Dialect() };
      converters.set(family, conv);
    }
    tables.push(convertTable(conv, v));
  }
  return { tables, enums };
}
