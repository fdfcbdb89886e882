/**
 * Reading the target schema of autogenerate from the config's `schema` module(s): every exported
 * `sa.table(...)` (and `sa.enumType(...)`) is part of it, as is every exported Drizzle ORM table
 * (`pgTable`, `mysqlTable`, `sqliteTable`) and `pgEnum`. Arrays of tables and a default-exported
 * object of tables are looked into too.
 */
import { isDeepStrictEqual } from "node:util";
import { importTypeScript } from "../script/versions.js";
import type { DatabaseSchema } from "./database-schema.js";
import { drizzleToSa, isDrizzlePgEnum, isDrizzleTable } from "./drizzle.js";
import type { EnumType, Table } from "./types.js";

export class SchemaLoadError extends Error {
  override name = "SchemaLoadError";
}

function isSaTable(v: unknown): v is Table {
  return typeof v === "object" && v !== null && (v as { kind?: unknown }).kind === "table"
    && typeof (v as { name?: unknown }).name === "string" && Array.isArray((v as { columns?: unknown }).columns);
}

function isSaEnum(v: unknown): v is EnumType {
  return typeof v === "object" && v !== null && (v as { kind?: unknown }).kind === "enum" && Array.isArray((v as { values?: unknown }).values);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** The candidate values of a module's exports (one level into arrays and plain objects). */
function exportedValues(mod: Record<string, unknown>): unknown[] {
  const out: unknown[] = [];
  const seen = new Set<unknown>();
  const push = (v: unknown) => {
    if (v === null || v === undefined || seen.has(v)) return;
    seen.add(v);
    out.push(v);
  };
  for (const value of Object.values(mod)) {
    if (Array.isArray(value)) for (const v of value) push(v);
    else if (isPlainObject(value) && !isSaTable(value) && !isSaEnum(value)) for (const v of Object.values(value)) push(v);
    else push(value);
  }
  return out;
}

/** Collect tables and enums into one schema; the same name twice must mean the same definition. */
export function buildDatabaseSchema(tables: readonly Table[], enums: readonly EnumType[] = []): DatabaseSchema {
  const byName = new Map<string, Table>();
  for (const t of tables) {
    const prev = byName.get(t.name);
    if (prev && prev !== t && !isDeepStrictEqual(prev, t)) {
      throw new SchemaLoadError(`the schema declares two different tables named '${t.name}'`);
    }
    byName.set(t.name, t);
  }
  const enumsByName = new Map<string, EnumType>();
  const addEnum = (e: EnumType, where: string) => {
    const prev = enumsByName.get(e.name);
    // Two columns may use one name with different values: fine where enums are inline (MySQL,
    // SQLite); on PostgreSQL the comparator refuses it (one type, one set of values).
    void where;
    if (!prev) enumsByName.set(e.name, e);
  };
  for (const e of enums) addEnum(e, "exported enum");
  const sorted = [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const t of sorted) for (const c of t.columns) if (c.type.kind === "enum") addEnum(c.type, `column ${t.name}.${c.name}`);
  return {
    tables: sorted,
    enums: [...enumsByName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
  };
}

/**
 * Load the target schema from the given module paths (absolute, as in the resolved config's
 * `schema`). Throws when a path declares nothing usable.
 */
export async function loadTargetSchema(paths: readonly string[]): Promise<DatabaseSchema> {
  const tables: Table[] = [];
  const enums: EnumType[] = [];
  for (const path of paths) {
    const mod = (await importTypeScript(path)) as Record<string, unknown>;
    const values = exportedValues(mod);
    const drizzle: unknown[] = [];
    let found = 0;
    for (const v of values) {
      if (isSaTable(v)) {
        tables.push(v);
        found++;
      } else if (isSaEnum(v)) {
        enums.push(v);
        found++;
      } else if (isDrizzleTable(v) || isDrizzlePgEnum(v)) {
        drizzle.push(v);
        found++;
      }
    }
    if (drizzle.length > 0) {
      const converted = await drizzleToSa(drizzle, { resolveFrom: path });
      tables.push(...converted.tables);
      enums.push(...converted.enums);
    }
    if (found === 0) {
      throw new SchemaLoadError(`${path} exports no tables: export each sa.table(...) (or Drizzle pgTable/mysqlTable/sqliteTable) of the target schema`);
    }
  }
  return buildDatabaseSchema(tables, enums);
}
