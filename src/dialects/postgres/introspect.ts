/**
 * PostgreSQL introspection of `current_schema()`: five bulk catalog queries (tables, columns,
 * constraints, indexes, enum types), whatever the number of tables (plus one for the column names of FK
 * referents in other schemas, when there are any).
 *
 * Types (from `format_type`): integer/bigint/smallint, `character varying[(n)]` -> string(n|null), text,
 * boolean, `timestamp with[out] time zone` -> dateTime{timezone}, date, `time without time zone` -> time,
 * `numeric[(p,s)]`, `double precision` -> float, json, uuid, bytea -> binary, an enum type -> its
 * `enumType(name, values)` (values in `enumsortorder`); anything else (jsonb, real, timestamp(3), arrays,
 * domains, time with time zone, ...) -> `{kind: "custom", sql: <format_type text>}`.
 *
 * Normalisations (declared -> read back; `declaredAsIntrospected` in ../introspect.ts mirrors them):
 * - `numeric(p, 0)` reads back as `numeric(p)` (PostgreSQL stores NUMERIC(p) as NUMERIC(p,0)).
 * - SERIAL/BIGSERIAL/SMALLSERIAL (an integer column whose `nextval(...)` default uses a sequence the column
 *   owns) and identity columns read back as `autoincrement: true` with no server default; every other
 *   column is `autoincrement: false` (the declared "auto" is resolved with `isAutoincrement`).
 * - Server defaults: a quoted literal with casts (`'x'::character varying`, `'-1'::integer`,
 *   `'ok'::mood`) reads back as the plain value: a number when it is numeric and the cast or the column is
 *   numeric, else a string; `true`/`false` -> booleans; bare numbers -> numbers (unless not exactly
 *   representable); `NULL` -> no default; anything else is `sa.sql(text)` with redundant outer parentheses
 *   stripped and `::text` / `::character varying` casts on identifiers and literals removed. So
 *   `sa.sql("'x'")` reads back as "x", a string "7" on an integer column as 7, `sa.sql("(1 + 2)")` as
 *   `sa.sql("1 + 2")`. The server's deparse spacing is kept (`1+2` reads back as `1 + 2`).
 * - Primary-key and constraint names are the real ones (unnamed ones get `<table>_pkey`, `_key`, `_fkey`,
 *   `_check` names).
 * - Foreign keys: NO ACTION -> null; `deferrable`/`initiallyDeferred` are true or null (NOT DEFERRABLE and
 *   INITIALLY IMMEDIATE, the defaults, read back as null).
 * - CHECK conditions: `pg_get_expr(..., pretty)`, outer parentheses and `::text`/`::character varying`
 *   casts stripped; PostgreSQL rewrites some conditions (`IN (...)` -> `= ANY (ARRAY[...])`), so compare
 *   checks by name.
 * - Index expressions and partial-index predicates: pretty-printed, outer parentheses and
 *   `::text`/`::character varying` casts stripped (`lower(email)` on a varchar column stays `lower(email)`).
 * - Indexes backing PRIMARY KEY / UNIQUE / EXCLUDE constraints are not listed as indexes.
 * Not represented (left out): index sort order / opclasses / methods / INCLUDE columns, generated
 * columns' expressions (read as plain columns without default), NOT VALID, partitions (child partitions are
 * skipped), cross-schema FK referents (read as the bare table name).
 */
import type { DatabaseSchema } from "../../schema/database-schema.js";
import type { Column, Constraint, EnumType, Index, IndexElement, ServerDefault, SqlType } from "../../schema/types.js";
import { scanSql } from "../compile-sql.js";
import {
  canonicalSchema, makeColumn, makeForeignKey, makeTable, numberLiteral, referentialActionOrNull, sqlExpr, str, strOrNull,
  stripOuterParens, tableFilter, upperCaseSqlKeywordDefault, type IntrospectOptions,
} from "../introspect.js";
import type { Connection } from "../types.js";

const NS = "(SELECT oid FROM pg_catalog.pg_namespace WHERE nspname = current_schema())";

const TABLES_SQL = `
SELECT c.oid::int8 AS oid, c.relname AS name, d.description AS comment
FROM pg_catalog.pg_class c
LEFT JOIN pg_catalog.pg_description d
  ON d.objoid = c.oid AND d.classoid = 'pg_catalog.pg_class'::regclass AND d.objsubid = 0
WHERE c.relnamespace = ${NS} AND c.relkind IN ('r', 'p') AND NOT c.relispartition`;

const COLUMNS_SQL = `
SELECT a.attrelid::int8 AS table_oid, a.attname AS name, a.attnum AS num,
  pg_catalog.format_type(a.atttypid, a.atttypmod) AS type, a.atttypid::int8 AS type_oid, t.typtype AS typtype,
  t.typname AS typname, a.attnotnull AS notnull, a.attidentity AS identity, a.attgenerated AS generated,
  ad.dflt AS dflt, d.description AS comment,
  CASE WHEN ad.dflt LIKE 'nextval(%' THEN EXISTS (
    SELECT 1 FROM pg_catalog.pg_depend dep
    JOIN pg_catalog.pg_class s ON s.oid = dep.objid AND s.relkind = 'S'
    WHERE dep.classid = 'pg_catalog.pg_class'::regclass AND dep.refclassid = 'pg_catalog.pg_class'::regclass
      AND dep.refobjid = a.attrelid AND dep.refobjsubid = a.attnum AND dep.deptype IN ('a', 'i')
  ) ELSE false END AS owns_sequence
FROM pg_catalog.pg_attribute a
JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
LEFT JOIN (SELECT adrelid, adnum, pg_catalog.pg_get_expr(adbin, adrelid) AS dflt FROM pg_catalog.pg_attrdef) ad
  ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
LEFT JOIN pg_catalog.pg_description d
  ON d.objoid = a.attrelid AND d.classoid = 'pg_catalog.pg_class'::regclass AND d.objsubid = a.attnum
WHERE c.relnamespace = ${NS} AND c.relkind IN ('r', 'p') AND NOT c.relispartition
  AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attrelid, a.attnum`;

// Column numbers (conkey, indkey) are mapped to names from the columns query, not with per-row subqueries.
const CONSTRAINTS_SQL = `
SELECT con.conrelid::int8 AS table_oid, con.conname AS name, con.contype AS type, con.conkey AS keys,
  con.confrelid::int8 AS ref_oid, ref.relname AS ref_table, con.confkey AS ref_keys,
  con.confupdtype AS on_update, con.confdeltype AS on_delete, con.condeferrable AS deferrable,
  con.condeferred AS deferred,
  CASE WHEN con.contype = 'c' THEN pg_catalog.pg_get_expr(con.conbin, con.conrelid, true) END AS condition
FROM pg_catalog.pg_constraint con
JOIN pg_catalog.pg_class c ON c.oid = con.conrelid
LEFT JOIN pg_catalog.pg_class ref ON ref.oid = con.confrelid
WHERE c.relnamespace = ${NS} AND c.relkind IN ('r', 'p') AND NOT c.relispartition
  AND con.contype IN ('p', 'u', 'f', 'c')`;

const INDEXES_SQL = `
SELECT i.indrelid::int8 AS table_oid, ic.relname AS name, i.indisunique AS is_unique,
  (i.indkey::int2[])[0:i.indnkeyatts - 1] AS keys,
  CASE WHEN i.indexprs IS NOT NULL THEN ARRAY(
    SELECT CASE WHEN i.indkey[k - 1] = 0 THEN pg_catalog.pg_get_indexdef(i.indexrelid, k, true) END
    FROM generate_series(1, i.indnkeyatts) k ORDER BY k) END AS elements,
  pg_catalog.pg_get_expr(i.indpred, i.indrelid, true) AS predicate
FROM pg_catalog.pg_index i
JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
JOIN pg_catalog.pg_class c ON c.oid = i.indrelid
WHERE c.relnamespace = ${NS} AND c.relkind IN ('r', 'p') AND NOT c.relispartition
  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint con
                  WHERE con.conindid = i.indexrelid AND con.conrelid = i.indrelid AND con.contype IN ('p', 'u', 'x'))`;

/** Column names of tables outside the current schema (FK referents elsewhere). */
const OTHER_COLUMNS_SQL = `SELECT attrelid::int8 AS table_oid, attnum AS num, attname AS name FROM pg_catalog.pg_attribute
WHERE attrelid = ANY($1::oid[]) AND attnum > 0`;

const ENUMS_SQL = `
SELECT t.oid::int8 AS oid, t.typname AS name, t.typnamespace = ${NS} AS in_schema,
  ARRAY(SELECT e.enumlabel::text FROM pg_catalog.pg_enum e WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder) AS labels
FROM pg_catalog.pg_type t
WHERE t.typtype = 'e'`;

type Row = Record<string, unknown>;

const list = (v: unknown): string[] => (Array.isArray(v) ? v.map((x) => str(x)) : []);
const key = (v: unknown): string => str(v);

export async function introspectPostgres(connection: Connection, options: IntrospectOptions = {}): Promise<DatabaseSchema> {
  const keep = tableFilter(options);
  const q = async (sql: string): Promise<Row[]> => (await connection.execute({ sql })).rows;
  const tableRows = await q(TABLES_SQL);
  const tables = new Map<string, { name: string; comment: string | null }>();
  for (const r of tableRows) {
    const name = str(r.name);
    if (keep(name)) tables.set(key(r.oid), { name, comment: strOrNull(r.comment) });
  }
  const enumRows = await q(ENUMS_SQL);
  const enumsByOid = new Map<string, EnumType>();
  const schemaEnums: EnumType[] = [];
  for (const r of enumRows) {
    const e: EnumType = { kind: "enum", name: str(r.name), values: list(r.labels) };
    enumsByOid.set(key(r.oid), e);
    if (r.in_schema === true) schemaEnums.push(e);
  }
  if (tables.size === 0) return canonicalSchema([], schemaEnums);

  const [columnRows, constraintRows, indexRows] = [await q(COLUMNS_SQL), await q(CONSTRAINTS_SQL), await q(INDEXES_SQL)];

  // attnum -> name for every table of the schema (FK referents may be filtered-out tables)
  const attnames = new Map<string, Map<number, string>>();
  const addName = (oid: string, num: unknown, name: unknown) => {
    let m = attnames.get(oid);
    if (!m) attnames.set(oid, (m = new Map()));
    m.set(Number(num), str(name));
  };
  for (const r of columnRows) addName(key(r.table_oid), r.num, r.name);
  const missing = [...new Set(constraintRows.filter((r) => r.type === "f" && !attnames.has(key(r.ref_oid))).map((r) => key(r.ref_oid)))];
  if (missing.length > 0) {
    for (const r of (await connection.execute({ sql: OTHER_COLUMNS_SQL, params: [missing] })).rows) addName(key(r.table_oid), r.num, r.name);
  }
  const names = (oid: string, keys: unknown): string[] => {
    const m = attnames.get(oid);
    return (Array.isArray(keys) ? keys : []).map((k) => m?.get(Number(k)) ?? String(k));
  };

  const columns = new Map<string, Column[]>();
  for (const r of columnRows) {
    const tableOid = key(r.table_oid);
    if (!tables.has(tableOid)) continue;
    const type = pgType(str(r.type), str(r.typtype), enumsByOid.get(key(r.type_oid)));
    const identity = str(r.identity) !== "";
    const generated = str(r.generated) !== "";
    const serial = r.owns_sequence === true && (type.kind === "integer" || type.kind === "bigInteger" || type.kind === "smallInteger");
    const dflt = strOrNull(r.dflt);
    const col = makeColumn(
      str(r.name), type, r.notnull !== true,
      identity || serial || generated || dflt === null ? null : pgDefault(dflt, type),
      identity || serial,
      strOrNull(r.comment),
    );
    let cols = columns.get(tableOid);
    if (!cols) columns.set(tableOid, (cols = []));
    cols.push(col);
  }

  const constraints = new Map<string, Constraint[]>();
  const addConstraint = (oid: string, c: Constraint) => {
    let cs = constraints.get(oid);
    if (!cs) constraints.set(oid, (cs = []));
    cs.push(c);
  };
  for (const r of constraintRows) {
    const tableOid = key(r.table_oid);
    if (!tables.has(tableOid)) continue;
    const name = str(r.name);
    switch (str(r.type)) {
      case "p":
        addConstraint(tableOid, { kind: "primaryKey", name, columns: names(tableOid, r.keys) });
        break;
      case "u":
        addConstraint(tableOid, { kind: "unique", name, columns: names(tableOid, r.keys) });
        break;
      case "f":
        addConstraint(tableOid, makeForeignKey(
          name, names(tableOid, r.keys), str(r.ref_table), names(key(r.ref_oid), r.ref_keys),
          pgAction(r.on_delete), pgAction(r.on_update), r.deferrable === true, r.deferred === true,
        ));
        break;
      case "c":
        addConstraint(tableOid, { kind: "check", name, condition: normalizePgExpression(stripOuterParens(str(r.condition))) });
        break;
    }
  }

  const indexes = new Map<string, Index[]>();
  for (const r of indexRows) {
    const tableOid = key(r.table_oid);
    if (!tables.has(tableOid)) continue;
    const keys: unknown[] = Array.isArray(r.keys) ? r.keys : [];
    const elements: unknown[] = Array.isArray(r.elements) ? r.elements : [];
    const els: IndexElement[] = keys.map((k, i) =>
      Number(k) !== 0 ? names(tableOid, [k])[0]! : sqlExpr(normalizePgExpression(stripOuterParens(str(elements[i])))));
    const predicate = strOrNull(r.predicate);
    const ix: Index = {
      kind: "index", name: str(r.name), columns: els, unique: r.is_unique === true,
      where: predicate === null ? null : normalizePgExpression(stripOuterParens(predicate)),
    };
    let list_ = indexes.get(tableOid);
    if (!list_) indexes.set(tableOid, (list_ = []));
    list_.push(ix);
  }

  const out = [...tables].map(([oid, t]) =>
    makeTable(t.name, columns.get(oid) ?? [], constraints.get(oid) ?? [], indexes.get(oid) ?? [], t.comment));
  return canonicalSchema(out, schemaEnums);
}

function pgAction(v: unknown): ReturnType<typeof referentialActionOrNull> {
  switch (str(v)) {
    case "c": return "CASCADE";
    case "n": return "SET NULL";
    case "d": return "SET DEFAULT";
    case "r": return "RESTRICT";
    default: return null; // 'a' = NO ACTION
  }
}

export function pgType(formatted: string, typtype: string, enumType: EnumType | undefined): SqlType {
  if (typtype === "e" && enumType) return { kind: "enum", name: enumType.name, values: [...enumType.values] };
  switch (formatted) {
    case "integer": return { kind: "integer" };
    case "bigint": return { kind: "bigInteger" };
    case "smallint": return { kind: "smallInteger" };
    case "text": return { kind: "text" };
    case "boolean": return { kind: "boolean" };
    case "timestamp without time zone": return { kind: "dateTime", timezone: false };
    case "timestamp with time zone": return { kind: "dateTime", timezone: true };
    case "date": return { kind: "date" };
    case "time without time zone": return { kind: "time" };
    case "double precision": return { kind: "float" };
    case "json": return { kind: "json" };
    case "uuid": return { kind: "uuid" };
    case "bytea": return { kind: "binary" };
    case "numeric": return { kind: "numeric", precision: null, scale: null };
    case "character varying": return { kind: "string", length: null };
  }
  let m = /^character varying\((\d+)\)$/.exec(formatted);
  if (m) return { kind: "string", length: Number(m[1]) };
  m = /^numeric\((\d+),(\d+)\)$/.exec(formatted);
  if (m) {
    const scale = Number(m[2]);
    return { kind: "numeric", precision: Number(m[1]), scale: scale === 0 ? null : scale };
  }
  return { kind: "custom", sql: formatted };
}

const IDENT = `(?:"(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*)`;
const TYPE_WORDS = "(?:varying|precision|with|without|time|zone)";
/** `::type` as PostgreSQL deparses casts (qualified names, multi-word types, typmods, arrays). */
const CAST = `::${IDENT}(?:\\.${IDENT})?(?:\\s+${TYPE_WORDS})*(?:\\(\\d+(?:,\\s*\\d+)?\\))?(?:\\s+${TYPE_WORDS})*(?:\\[\\])*`;
const LITERAL_WITH_CASTS = new RegExp(`^'((?:[^']|'')*)'((?:${CAST})*)$`, "s");
const NULL_WITH_CASTS = new RegExp(`^NULL((?:${CAST})*)$`, "i");
const NUMERIC_CAST = /::(?:integer|bigint|smallint|numeric|double precision|real)(?:\(\d+(?:,\s*\d+)?\))?$/;
const NUMERIC_KINDS = new Set(["integer", "bigInteger", "smallInteger", "numeric", "float"]);

/** A column default as PostgreSQL deparses it (`pg_get_expr`), in the `sa` model. */
export function pgDefault(expr: string, type: SqlType): ServerDefault | null {
  const text = expr.trim();
  const lit = LITERAL_WITH_CASTS.exec(text);
  if (lit) {
    const value = lit[1]!.replace(/''/g, "'");
    const casts = lit[2]!;
    if (NUMERIC_CAST.test(casts) || NUMERIC_KINDS.has(type.kind)) {
      const n = numberLiteral(value);
      if (n !== null) return n;
    }
    return value;
  }
  const t = stripOuterParens(text);
  if (NULL_WITH_CASTS.test(t)) return null;
  if (t === "true" || t === "false") return t === "true";
  const n = numberLiteral(t);
  if (n !== null) return n;
  if (t !== text) {
    const inner = pgDefault(t, type);
    if (inner === null || typeof inner !== "object") return inner;
  }
  return sqlExpr(upperCaseSqlKeywordDefault(normalizePgExpression(t)));
}

const TEXT_CAST = /^::(?:text|character varying)(?![A-Za-z0-9_$[(])/;
const IDENT_TEXT_CAST = /(^|[^A-Za-z0-9_$."])([A-Za-z_][A-Za-z0-9_$]*)::(?:text|character varying)(?![A-Za-z0-9_$[(])/g;

/**
 * Remove the `::text` / `::character varying` casts PostgreSQL adds on identifiers and string literals
 * when it deparses an expression (`lower(email::text)`, `status::text = 'x'::text`). String literals,
 * quoted identifiers and comments are left alone.
 */
export function normalizePgExpression(sql: string): string {
  const segments = scanSql(sql, "postgresql");
  let out = "";
  let prev: string | null = null;
  for (const seg of segments) {
    if (seg.kind !== "code") {
      out += seg.text;
      prev = seg.kind;
      continue;
    }
    let text = seg.text;
    if ((prev === "string" || prev === "identifier") && TEXT_CAST.test(text)) text = text.replace(TEXT_CAST, "");
    out += text.replace(IDENT_TEXT_CAST, "$1$2");
    prev = "code";
  }
  return out;
}
