/**
 * Live-database introspection: read the current schema of a connected database into the `sa` model
 * (`DatabaseSchema`), so autogenerate can diff it against a declared schema.
 *
 *   const live = await introspect(connection);                      // all tables but athanor_version/_history
 *   const some = await introspect(connection, { includeTable: (n) => n.startsWith("app_") });
 *
 * Scope: the current schema only (PostgreSQL `current_schema()`, MySQL `DATABASE()`, SQLite `main`).
 * Each dialect reads its catalogs with a handful of bulk queries (never one query per table on
 * PostgreSQL/MySQL), see `./<dialect>/introspect.ts`, whose header comments document what each
 * database normalises or cannot store.
 *
 * Output is canonical so that two introspections of the same database are deepEqual: tables and enums
 * sorted by name; columns in ordinal order; constraints primary key first, then unique, foreign key and
 * check constraints, each group by name; indexes by name. Columns always carry `unique: false`,
 * `index: false` (the shorthands are expanded into constraints/indexes) and a boolean `autoincrement`.
 *
 * `declaredAsIntrospected(table, dialect)` applies the same documented normalisations to a declared
 * table, so that `declaredAsIntrospected(declared) deepEquals introspected` for a table created from the
 * DSL by the project's own compiler (the property autogenerate's "no false positives" rests on; tested on
 * all three databases in test/db/introspect.test.ts). What it does not predict:
 * - names the database invents for unnamed constraints (they stay null on the declared side; PostgreSQL
 *   `<table>_pkey`/`_key`/`_fkey`/`_check`, MySQL `PRIMARY`(-> null)/first column/`<table>_ibfk_N`/
 *   `CONSTRAINT_N`, SQLite null);
 * - CHECK conditions, which servers rewrite (compare checks by name);
 * - a `customType` whose text is one the dialect maps back to an `sa` type (`customType("TEXT")` reads back
 *   as `text()`), or that the server respells (MySQL lower-cases and adds display widths);
 * - anything the compiler renders differently from the declaration on purpose (see each compiler).
 */
import { isFullyParenthesized } from "./compile-sql.js";
import { DEFAULT_BACKFILL_TABLE, DEFAULT_HISTORY_TABLE, DEFAULT_VERSION_TABLE } from "../config/defaults.js";
import { isAutoincrement, isSqlExpression, tablePrimaryKey } from "../schema/builders.js";
import type { DatabaseSchema } from "../schema/database-schema.js";
import type {
  Column, Constraint, EnumType, ForeignKeyConstraint, Index, ReferentialAction, ServerDefault, SqlExpression, SqlType, Table,
} from "../schema/types.js";
import type { Connection, DialectName } from "./types.js";

export interface IntrospectOptions {
  /** Keep only the tables for which this returns true (applied after `excludeTables`). */
  includeTable?: (name: string) => boolean;
  /** Table names to leave out. Default: athanor's own tables (version, history, backfill progress). */
  excludeTables?: string[];
}

export const DEFAULT_EXCLUDED_TABLES: readonly string[] = Object.freeze([DEFAULT_VERSION_TABLE, DEFAULT_HISTORY_TABLE, DEFAULT_BACKFILL_TABLE]);

export async function introspect(connection: Connection, options: IntrospectOptions = {}): Promise<DatabaseSchema> {
  switch (connection.dialect) {
    case "postgresql":
      return (await import("./postgres/introspect.js")).introspectPostgres(connection, options);
    case "mysql":
      return (await import("./mysql/introspect.js")).introspectMysql(connection, options);
    case "sqlite":
      return (await import("./sqlite/introspect.js")).introspectSqlite(connection, options);
    default:
      throw new Error(`introspection is not supported for dialect ${JSON.stringify((connection as Connection).dialect)}`);
  }
}

// ------------------------------------------------------------------ shared helpers (used by the dialects)

/** The table-name predicate for the options. */
export function tableFilter(options: IntrospectOptions): (name: string) => boolean {
  const excluded = new Set(options.excludeTables ?? DEFAULT_EXCLUDED_TABLES);
  const include = options.includeTable;
  return (name) => !excluded.has(name) && (include === undefined || include(name));
}

/** A string value from a driver row (MySQL may hand back Buffers for some catalog columns). */
export function str(v: unknown): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "string") return v;
  if (v instanceof Uint8Array) return Buffer.from(v).toString("utf8");
  return String(v);
}

/** null/undefined stay null, everything else as `str`. */
export function strOrNull(v: unknown): string | null {
  return v === null || v === undefined ? null : str(v);
}

export function sqlExpr(text: string): SqlExpression {
  return { kind: "sql", sql: text };
}

/** Strip redundant outer parentheses (all levels) and surrounding whitespace. */
export function stripOuterParens(s: string, backslashEscapes = false): string {
  let t = s.trim();
  while (isFullyParenthesized(t, backslashEscapes)) t = t.slice(1, -1).trim();
  return t;
}

const NUMBER_LITERAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * A numeric literal as a JS number when that is exact enough to round-trip (integers within 2^53,
 * at most 15 significant digits); otherwise null (the caller keeps it as SQL text).
 */
export function numberLiteral(text: string): number | null {
  const t = text.trim();
  if (!NUMBER_LITERAL.test(t)) return null;
  const n = Number(t);
  if (!Number.isFinite(n)) return null;
  if (Number.isInteger(n) && !/[.eE]/.test(t)) return Number.isSafeInteger(n) ? (Object.is(n, -0) ? 0 : n) : null;
  const digits = t.replace(/^[+-]/, "").replace(/[eE].*$/, "").replace(".", "").replace(/^0+/, "").replace(/0+$/, "");
  if (digits.length > 15) return null;
  return Object.is(n, -0) ? 0 : n;
}

/** `CURRENT_TIMESTAMP` & co. in upper case (SQLite keeps the case as written, MySQL lowers them). */
export function upperCaseSqlKeywordDefault(s: string): string {
  const m = /^(current_timestamp|current_date|current_time|localtimestamp|localtime)(\s*\(\s*\d*\s*\))?$/i.exec(s.trim());
  if (!m) return s;
  return m[1]!.toUpperCase() + (m[2] ?? "").replace(/\s+/g, "");
}

export function referentialActionOrNull(v: unknown): ReferentialAction | null {
  const s = str(v).trim().toUpperCase().replace(/\s+/g, " ");
  switch (s) {
    case "CASCADE":
    case "SET NULL":
    case "SET DEFAULT":
    case "RESTRICT":
      return s;
    default:
      return null; // "", NO ACTION: the default
  }
}

export function deepFreezeTable<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    for (const v of Object.values(value as Record<string, unknown>)) deepFreezeTable(v);
    Object.freeze(value);
  }
  return value;
}

const CONSTRAINT_RANK: Record<Constraint["kind"], number> = { primaryKey: 0, unique: 1, foreignKey: 2, check: 3 };

function constraintKey(c: Constraint): string {
  switch (c.kind) {
    case "check": return c.condition;
    case "foreignKey": return `${c.columns.join("\0")}\u0001${c.referentTable}\u0001${c.referentColumns.join("\0")}`;
    default: return c.columns.join("\0");
  }
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function compareConstraints(a: Constraint, b: Constraint): number {
  const r = CONSTRAINT_RANK[a.kind] - CONSTRAINT_RANK[b.kind];
  if (r !== 0) return r;
  if (a.name !== b.name) {
    if (a.name === null) return 1;
    if (b.name === null) return -1;
    return compareStrings(a.name, b.name);
  }
  return compareStrings(constraintKey(a), constraintKey(b));
}

/** The canonical order of a table's constraints and indexes (columns keep their order). Pure; freezes. */
export function canonicalTable(t: Table): Table {
  return deepFreezeTable({
    ...t,
    constraints: [...t.constraints].sort(compareConstraints),
    indexes: [...t.indexes].sort((a, b) => compareStrings(a.name, b.name)),
  });
}

/** Tables (already canonical, from `makeTable`) and enums sorted by name. */
export function canonicalSchema(tables: Table[], enums: EnumType[]): DatabaseSchema {
  return deepFreezeTable({
    tables: [...tables].sort((a, b) => compareStrings(a.name, b.name)),
    enums: [...enums].sort((a, b) => compareStrings(a.name, b.name)),
  });
}

/** Assemble a Table: PK columns marked `primaryKey`/NOT NULL, shorthands off. */
export function makeTable(
  name: string,
  columns: Column[],
  constraints: Constraint[],
  indexes: Index[],
  comment: string | null,
): Table {
  const pk = constraints.find((c) => c.kind === "primaryKey");
  const pkCols = new Set(pk?.columns ?? []);
  const cols = columns.map((c) => (pkCols.has(c.name) ? { ...c, primaryKey: true, nullable: false } : c));
  return canonicalTable({ kind: "table", name, columns: cols, constraints, indexes, comment });
}

export function makeColumn(
  name: string,
  type: SqlType,
  nullable: boolean,
  serverDefault: ServerDefault | null,
  autoincrement: boolean,
  comment: string | null,
): Column {
  return {
    kind: "column", name, type, nullable, primaryKey: false, autoincrement, unique: false, index: false,
    serverDefault, comment,
  };
}

export function makeForeignKey(
  name: string | null,
  columns: string[],
  referentTable: string,
  referentColumns: string[],
  onDelete: ReferentialAction | null,
  onUpdate: ReferentialAction | null,
  deferrable: boolean | null,
  initiallyDeferred: boolean | null,
): ForeignKeyConstraint {
  return {
    kind: "foreignKey", name, columns, referentTable, referentColumns, onDelete, onUpdate,
    deferrable: deferrable === true || initiallyDeferred === true ? true : null,
    initiallyDeferred: initiallyDeferred === true ? true : null,
  };
}

// ------------------------------------------------------------------ declared -> as introspection reads it

/** `sa.sql` text that is just a literal, as the literal value; otherwise the (paren-stripped) expression. */
function literalOfSql(text: string, dialect: DialectName): ServerDefault {
  const t = stripOuterParens(text, dialect === "mysql");
  const n = numberLiteral(t);
  if (n !== null) return n;
  const q = (dialect === "mysql" ? /^'((?:[^'\\]|''|\\.)*)'$/s : /^'((?:[^']|'')*)'$/s).exec(t);
  if (q) {
    let v = q[1]!.replace(/''/g, "'");
    if (dialect === "mysql") v = unescapeMysqlBackslashes(v);
    return v;
  }
  if (/^(true|false)$/i.test(t)) return t.toLowerCase() === "true";
  if (/^null$/i.test(t)) return sqlExpr("NULL");
  return sqlExpr(upperCaseSqlKeywordDefault(t));
}

/** MySQL string-literal backslash escapes. */
export function unescapeMysqlBackslashes(s: string): string {
  return s.replace(/\\(.)/gs, (_m, c: string) => {
    switch (c) {
      case "0": return "\0";
      case "n": return "\n";
      case "r": return "\r";
      case "t": return "\t";
      case "b": return "\b";
      case "Z": return "\x1a";
      default: return c;
    }
  });
}

const NUMERIC_KINDS = new Set(["integer", "bigInteger", "smallInteger", "numeric", "float"]);

function normalizeDeclaredDefault(d: ServerDefault | null, type: SqlType, dialect: DialectName): ServerDefault | null {
  if (d === null) return null;
  let v: ServerDefault = isSqlExpression(d) ? literalOfSql(d.sql, dialect) : d;
  if (isSqlExpression(v) && /^NULL$/i.test(v.sql)) return null;
  if (typeof v === "number" && Object.is(v, -0)) v = 0;
  // PostgreSQL and MySQL store a literal typed: numeric text on a numeric column reads back as a number
  // (SQLite keeps the literal as written) ...
  if (dialect !== "sqlite" && typeof v === "string" && NUMERIC_KINDS.has(type.kind)) {
    const n = numberLiteral(v);
    if (n !== null) v = n;
  }
  if (dialect === "postgresql" && type.kind === "boolean" && typeof v === "string" && /^(true|false)$/i.test(v.trim())) {
    v = v.trim().toLowerCase() === "true"; // PostgreSQL stores the boolean constant
  }
  if (dialect === "mysql" && type.kind === "boolean" && typeof v === "string") {
    const n = numberLiteral(v);
    if (n !== null) v = n;
  }
  if (dialect !== "postgresql" && type.kind === "boolean") {
    // ... booleans are 1/0 on MySQL and SQLite
    if (v === 1 || v === 0) v = v === 1;
  }
  if (dialect === "mysql") {
    if (typeof v === "boolean" && type.kind !== "boolean") v = v ? 1 : 0;
    // MariaDB quotes every literal default of a non-numeric column: it reads back as a string
    if (typeof v === "number" && !NUMERIC_KINDS.has(type.kind) && type.kind !== "boolean") v = String(v);
    if (isSqlExpression(v)) {
      // now(), current_timestamp() ... are stored as current_timestamp(<precision>)
      const m = /^(?:now|current_timestamp|localtime|localtimestamp)(?:\s*\(\s*(\d*)\s*\))?$/i.exec(v.sql);
      if (m) {
        const p = m[1] ? Number(m[1]) : 0;
        v = sqlExpr(p === 0 || (type.kind === "dateTime" && p === 6) ? "CURRENT_TIMESTAMP" : `CURRENT_TIMESTAMP(${p})`);
      }
    }
  }
  if (dialect === "sqlite" && typeof v === "boolean" && type.kind !== "boolean") v = v ? 1 : 0;
  return v;
}

function normalizeDeclaredType(t: SqlType, col: Column, dialect: DialectName, rowidAlias: boolean): SqlType {
  switch (dialect) {
    case "postgresql":
      if (t.kind === "numeric" && t.scale === 0) return { ...t, scale: null };
      return t;
    case "mysql":
      if (t.kind === "dateTime") return { kind: "dateTime", timezone: false };
      if (t.kind === "enum") return { kind: "enum", name: col.name, values: [...t.values] };
      if (t.kind === "numeric") {
        const scale = t.scale === 0 ? null : t.scale;
        if ((t.precision === 10 || t.precision === null) && scale === null) return { kind: "numeric", precision: null, scale: null };
        return { kind: "numeric", precision: t.precision, scale };
      }
      return t;
    case "sqlite":
      if (rowidAlias) return { kind: "integer" };
      if (t.kind === "dateTime") return { kind: "dateTime", timezone: false };
      if (t.kind === "enum") return { kind: "string", length: Math.max(...t.values.map((v) => v.length)) };
      return t;
  }
}

/**
 * A declared table (from `sa.table`) as introspection of the table created from it by the project's
 * compiler reads it back on `dialect`: the documented normalisations of `./<dialect>/introspect.ts`
 * applied to the declared side. Names of unnamed constraints stay null (the database invents them).
 * CHECK conditions are kept as declared (servers rewrite them: compare checks by name).
 */
export function declaredAsIntrospected(t: Table, dialect: DialectName): Table {
  const pk = tablePrimaryKey(t);
  const pkCols = pk?.columns ?? [];
  const columns: Column[] = t.columns.map((c) => {
    const auto = isAutoincrement(c, pkCols);
    const rowidAlias = dialect === "sqlite" && pkCols.length === 1 && pkCols[0] === c.name && c.autoincrement !== false
      && (c.type.kind === "integer" || c.type.kind === "bigInteger" || c.type.kind === "smallInteger");
    // SQLite: a single INTEGER primary key is always the rowid alias, whatever `autoincrement` says
    const sqliteRowid = dialect === "sqlite" && pkCols.length === 1 && pkCols[0] === c.name
      && (rowidAlias || c.type.kind === "integer" || (c.type.kind === "custom" && /^\s*INTEGER\s*$/i.test(c.type.sql)));
    const type = normalizeDeclaredType(c.type, c, dialect, rowidAlias);
    return {
      ...c,
      type,
      unique: false,
      index: false,
      autoincrement: dialect === "sqlite" ? sqliteRowid : auto,
      // SERIAL / AUTO_INCREMENT columns have no server default of their own
      serverDefault: auto && dialect !== "sqlite" ? null : normalizeDeclaredDefault(c.serverDefault, type, dialect),
      comment: dialect === "sqlite" || (dialect === "mysql" && c.comment === "") ? null : c.comment,
    };
  });
  const constraints: Constraint[] = [];
  const indexes: Index[] = [];
  for (const c of t.constraints) {
    if (c.kind === "primaryKey") {
      constraints.push(dialect === "mysql" ? { ...c, name: null } : c);
    } else if (c.kind === "foreignKey") {
      const mysqlDefault = (a: ReferentialAction | null) => (a === "RESTRICT" || a === "NO ACTION" ? null : a);
      constraints.push(makeForeignKey(
        c.name, [...c.columns], c.referentTable, [...c.referentColumns],
        dialect === "mysql" ? mysqlDefault(c.onDelete) : c.onDelete === "NO ACTION" ? null : c.onDelete,
        dialect === "mysql" ? mysqlDefault(c.onUpdate) : c.onUpdate === "NO ACTION" ? null : c.onUpdate,
        dialect === "mysql" ? null : c.deferrable,
        dialect === "mysql" ? null : c.initiallyDeferred,
      ));
    } else {
      constraints.push(c);
    }
  }
  for (const ix of t.indexes) {
    // MySQL: a unique index and a unique constraint are the same thing (a UNIQUE KEY)
    if (dialect === "mysql" && ix.unique && ix.where === null && ix.columns.every((e) => typeof e === "string")) {
      constraints.push({ kind: "unique", name: ix.name, columns: ix.columns as string[] });
    } else if (dialect === "sqlite") {
      indexes.push(ix);
    } else {
      indexes.push({
        ...ix,
        columns: ix.columns.map((e) => (typeof e === "string" ? e : sqlExpr(stripOuterParens(e.sql, dialect === "mysql")))),
        where: ix.where === null ? null : stripOuterParens(ix.where),
      });
    }
  }
  return canonicalTable({
    ...t,
    columns,
    constraints,
    indexes,
    comment: dialect === "sqlite" || (dialect === "mysql" && t.comment === "") ? null : t.comment,
  });
}
