/**
 * MySQL 8 / MariaDB introspection of `DATABASE()`: seven bulk `information_schema` queries (version,
 * tables, columns, index statistics, foreign-key columns and rules, checks), whatever the number of tables.
 *
 * Types (from COLUMN_TYPE, display widths ignored): int/bigint/smallint, `varchar(n)` -> string(n), text,
 * `tinyint(1)` -> boolean, `datetime(6)` -> dateTime{timezone: false}, date, `time(6)` -> time,
 * `decimal(p,s)` -> numeric, double -> float, json (MySQL) or longtext + MariaDB's `json_valid` check -> json,
 * `char(36)` / MariaDB `uuid` -> uuid, longblob -> binary, `enum('a','b')` -> enumType(<column name>, values);
 * anything else (tinyint(4), datetime, float, char(n), blob, unsigned/zerofill, ...) ->
 * `{kind: "custom", sql: <COLUMN_TYPE>}`.
 *
 * Normalisations (declared -> read back; `declaredAsIntrospected` in ../introspect.ts mirrors them):
 * - `dateTime({timezone: true})` reads back with `timezone: false` (both are DATETIME(6)).
 * - an enum reads back named after its column (MySQL enums are inline, unnamed).
 * - numeric: scale 0 reads back as null; `decimal(10,0)` (MySQL's default for a bare NUMERIC) as
 *   `numeric()`, so `sa.numeric()`, `sa.numeric(10)` and `sa.numeric(10, 0)` all read back as `numeric()`.
 * - every UNIQUE key is a unique constraint: a unique index on plain columns (`sa.index(..., {unique: true})`)
 *   reads back as `sa.unique(columns, {name})`; MySQL cannot tell them apart.
 * - the primary key's name is always PRIMARY on MySQL: it reads back as null.
 * - AUTO_INCREMENT columns read back `autoincrement: true`, all others `false`.
 * - foreign keys: RESTRICT and NO ACTION (the same thing in InnoDB, and what an unspecified action is
 *   reported as) read back as null; `deferrable`/`initiallyDeferred` are null (MySQL has no deferrable FKs).
 *   The index InnoDB creates to back a FK (named like the FK, or after its first column for an
 *   unnamed `<table>_ibfk_N` FK), on exactly the FK's columns, is not listed.
 * - Server defaults: MariaDB quotes string literals (`'pending'`) -> "pending" (escapes undone); bare
 *   numbers -> numbers (on a boolean column 1/0 -> true/false); so a number declared on a string column
 *   reads back as a string and a boolean on a non-boolean column as 1/0. `NULL` -> no default.
 *   `current_timestamp()`, `now()`, and `current_timestamp(N)` where N is the column's fractional precision
 *   -> `sa.sql("CURRENT_TIMESTAMP")` (`CURRENT_TIMESTAMP(N)` otherwise); `curdate()` -> CURRENT_DATE,
 *   `curtime()` -> CURRENT_TIME; other expressions -> `sa.sql(text)` with outer parentheses stripped and
 *   backticks removed from plain identifiers. MySQL 8 (unquoted literals, DEFAULT_GENERATED) is handled
 *   from EXTRA.
 * - comments: MySQL stores "no comment" as '': '' reads back as null.
 * - CHECK conditions: as the server normalises them (outer parentheses stripped, backticks removed from
 *   plain identifiers); the server rewrites conditions, so compare checks by name. MariaDB's `json_valid`
 *   column checks are not listed (they make the column json).
 * - MariaDB's information_schema is utf8mb3: a 4-byte character (emoji) in a default or comment reads
 *   back as "?".
 * Not represented (left out): index prefix lengths (`col(10)` reads back as `col`), FULLTEXT/SPATIAL
 * kinds, `ON UPDATE CURRENT_TIMESTAMP`, generated-column expressions (read as plain columns without
 * default), charsets/collations, unsigned (custom type), table options (engine, ...).
 */
import type { DatabaseSchema } from "../../schema/database-schema.js";
import type { Column, Constraint, ForeignKeyConstraint, Index, IndexElement, ServerDefault, SqlType } from "../../schema/types.js";
import { scanSql } from "../compile-sql.js";
import {
  canonicalSchema, makeColumn, makeForeignKey, makeTable, numberLiteral, referentialActionOrNull, sqlExpr, str, strOrNull,
  stripOuterParens, tableFilter, unescapeMysqlBackslashes, type IntrospectOptions,
} from "../introspect.js";
import type { Connection } from "../types.js";

type Row = Record<string, unknown>;

const TABLES_SQL = `SELECT TABLE_NAME AS name, TABLE_COMMENT AS comment FROM information_schema.TABLES
WHERE TABLE_SCHEMA = ? AND TABLE_TYPE IN ('BASE TABLE', 'SYSTEM VERSIONED')`;

const COLUMNS_SQL = `SELECT TABLE_NAME AS tbl, COLUMN_NAME AS name, ORDINAL_POSITION AS pos, COLUMN_TYPE AS column_type,
  DATA_TYPE AS data_type, IS_NULLABLE AS is_nullable, COLUMN_DEFAULT AS dflt, EXTRA AS extra, COLUMN_COMMENT AS comment,
  DATETIME_PRECISION AS dt_precision
FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME, ORDINAL_POSITION`;

const statisticsSql = (mariadb: boolean) => `SELECT TABLE_NAME AS tbl, INDEX_NAME AS name, NON_UNIQUE AS non_unique,
  SEQ_IN_INDEX AS seq, COLUMN_NAME AS col, ${mariadb ? "NULL" : "EXPRESSION"} AS expr
FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX`;

// Two queries joined here: information_schema joins are slow on MariaDB (one scan per outer row).
const FOREIGN_KEY_COLUMNS_SQL = `SELECT TABLE_NAME AS tbl, CONSTRAINT_NAME AS name, COLUMN_NAME AS col,
  ORDINAL_POSITION AS pos, REFERENCED_TABLE_NAME AS ref_table, REFERENCED_COLUMN_NAME AS ref_col
FROM information_schema.KEY_COLUMN_USAGE
WHERE TABLE_SCHEMA = ? AND REFERENCED_TABLE_NAME IS NOT NULL
ORDER BY TABLE_NAME, CONSTRAINT_NAME, ORDINAL_POSITION`;

const FOREIGN_KEY_RULES_SQL = `SELECT TABLE_NAME AS tbl, CONSTRAINT_NAME AS name, UPDATE_RULE AS on_update, DELETE_RULE AS on_delete
FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ?`;

const MARIADB_CHECKS_SQL = `SELECT TABLE_NAME AS tbl, CONSTRAINT_NAME AS name, CHECK_CLAUSE AS clause, LEVEL AS level
FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ?`;

const MYSQL_CHECKS_SQL = `SELECT tc.TABLE_NAME AS tbl, cc.CONSTRAINT_NAME AS name, cc.CHECK_CLAUSE AS clause, 'Table' AS level
FROM information_schema.TABLE_CONSTRAINTS tc
JOIN information_schema.CHECK_CONSTRAINTS cc
  ON cc.CONSTRAINT_SCHEMA = tc.CONSTRAINT_SCHEMA AND cc.CONSTRAINT_NAME = tc.CONSTRAINT_NAME
WHERE tc.TABLE_SCHEMA = ? AND cc.CONSTRAINT_SCHEMA = ? AND tc.CONSTRAINT_TYPE = 'CHECK'`;

interface TableAcc {
  name: string;
  comment: string | null;
  columns: Column[];
  /** column name -> its MySQL type info, for defaults and json detection */
  raw: Map<string, { columnType: string; dataType: string; index: number }>;
  constraints: Constraint[];
  indexes: Index[];
}

export async function introspectMysql(connection: Connection, options: IntrospectOptions = {}): Promise<DatabaseSchema> {
  const keep = tableFilter(options);
  const q = async (sql: string, params: unknown[] = []): Promise<Row[]> => (await connection.execute({ sql, params })).rows;
  const info = (await q("SELECT DATABASE() AS db, VERSION() AS version"))[0] ?? {};
  const database = strOrNull(info.db);
  if (database === null) throw new Error("introspection: no database selected on this MySQL connection");
  const mariadb = /mariadb/i.test(str(info.version));

  const tables = new Map<string, TableAcc>();
  for (const r of await q(TABLES_SQL, [database])) {
    const name = str(r.name);
    if (!keep(name)) continue;
    const comment = str(r.comment);
    tables.set(name, { name, comment: comment === "" ? null : comment, columns: [], raw: new Map(), constraints: [], indexes: [] });
  }
  if (tables.size === 0) return canonicalSchema([], []);

  const columnRows = await q(COLUMNS_SQL, [database]);
  // STATISTICS.EXPRESSION (functional indexes) exists from MySQL 8.0.13; CHECK_CONSTRAINTS from MySQL
  // 8.0.16 / MariaDB 10.2: older servers get no expressions / no checks rather than an error.
  const statRows = await q(statisticsSql(mariadb), [database]).catch((e: unknown) => {
    if (!isMissingCatalogItem(e)) throw e;
    return q(statisticsSql(true), [database]);
  });
  const fkRows = await q(FOREIGN_KEY_COLUMNS_SQL, [database]);
  const fkRules = new Map((await q(FOREIGN_KEY_RULES_SQL, [database])).map((r) => [`${str(r.tbl)}\0${str(r.name)}`, r]));
  const checkRows = await q(mariadb ? MARIADB_CHECKS_SQL : MYSQL_CHECKS_SQL, mariadb ? [database] : [database, database])
    .catch((e: unknown): Row[] => {
      if (!isMissingCatalogItem(e)) throw e;
      return [];
    });

  // MariaDB's JSON: a longtext column with a column-level CHECK (json_valid(`col`)) named after it.
  const jsonChecks = new Set<string>();
  if (mariadb) {
    for (const r of checkRows) {
      const name = str(r.name);
      if (str(r.level) === "Column" && str(r.clause).trim() === `json_valid(\`${name.replace(/`/g, "``")}\`)`) {
        jsonChecks.add(`${str(r.tbl)}\0${name}`);
      }
    }
  }

  for (const r of columnRows) {
    const t = tables.get(str(r.tbl));
    if (!t) continue;
    const name = str(r.name);
    const columnType = str(r.column_type);
    const dataType = str(r.data_type).toLowerCase();
    const isJson = jsonChecks.has(`${t.name}\0${name}`) && /^(long)?text$/i.test(dataType);
    const type: SqlType = isJson ? { kind: "json" } : mysqlType(columnType, name);
    const extra = str(r.extra);
    const autoincrement = /\bauto_increment\b/i.test(extra);
    const generated = /\b(VIRTUAL|STORED|PERSISTENT) GENERATED\b/i.test(extra);
    const dtPrecision = r.dt_precision === null || r.dt_precision === undefined ? null : Number(r.dt_precision);
    const dflt = autoincrement || generated ? null : mysqlDefault(r.dflt, type, extra, dtPrecision, mariadb);
    const comment = str(r.comment);
    t.raw.set(name, { columnType, dataType, index: t.columns.length });
    t.columns.push(makeColumn(name, type, str(r.is_nullable).toUpperCase() === "YES", dflt, autoincrement, comment === "" ? null : comment));
  }

  // foreign keys first: their backing indexes are skipped below
  const fks = new Map<string, ForeignKeyConstraint[]>();
  {
    let current: { t: TableAcc; name: string; cols: string[]; refCols: string[]; row: Row } | null = null;
    const flush = () => {
      if (!current) return;
      const { t, name, cols, refCols, row } = current;
      const rules = fkRules.get(`${t.name}\0${name}`);
      const fk = makeForeignKey(name, cols, str(row.ref_table), refCols, mysqlAction(rules?.on_delete), mysqlAction(rules?.on_update), null, null);
      t.constraints.push(fk);
      let l = fks.get(t.name);
      if (!l) fks.set(t.name, (l = []));
      l.push(fk);
      current = null;
    };
    for (const r of fkRows) {
      const t = tables.get(str(r.tbl));
      if (!t) continue;
      const name = str(r.name);
      if (!current || current.t !== t || current.name !== name) {
        flush();
        current = { t, name, cols: [], refCols: [], row: r };
      }
      current.cols.push(str(r.col));
      current.refCols.push(str(r.ref_col));
    }
    flush();
  }

  // index statistics: PRIMARY, unique keys (constraints), plain indexes
  {
    type Acc = { t: TableAcc; name: string; unique: boolean; els: IndexElement[] };
    let current: Acc | null = null;
    const flush = () => {
      if (!current) return;
      const { t, name, unique, els } = current;
      current = null;
      const plain = els.every((e) => typeof e === "string");
      if (name === "PRIMARY") {
        t.constraints.push({ kind: "primaryKey", name: null, columns: els as string[] });
      } else if (unique && plain) {
        t.constraints.push({ kind: "unique", name, columns: els as string[] });
      } else {
        if (!unique && plain && isForeignKeyIndex(name, els as string[], fks.get(t.name) ?? [])) return;
        t.indexes.push({ kind: "index", name, columns: els, unique, where: null });
      }
    };
    for (const r of statRows) {
      const t = tables.get(str(r.tbl));
      if (!t) continue;
      const name = str(r.name);
      if (!current || current.t !== t || current.name !== name) {
        flush();
        current = { t, name, unique: Number(r.non_unique) === 0, els: [] };
      }
      const col = strOrNull(r.col);
      const expr = strOrNull(r.expr);
      current.els.push(col !== null ? col : sqlExpr(normalizeMysqlExpression(expr ?? "")));
    }
    flush();
  }

  for (const r of checkRows) {
    const t = tables.get(str(r.tbl));
    if (!t) continue;
    const name = str(r.name);
    if (jsonChecks.has(`${t.name}\0${name}`) && t.columns[t.raw.get(name)?.index ?? -1]?.type.kind === "json") continue;
    t.constraints.push({ kind: "check", name, condition: normalizeMysqlExpression(str(r.clause)) });
  }

  return canonicalSchema([...tables.values()].map((t) => makeTable(t.name, t.columns, t.constraints, t.indexes, t.comment)), []);
}

/** An unknown information_schema table or column (an older server). */
function isMissingCatalogItem(e: unknown): boolean {
  const code = (e as { code?: unknown })?.code;
  return code === "ER_UNKNOWN_TABLE" || code === "ER_BAD_FIELD_ERROR" || code === "ER_NO_SUCH_TABLE" || code === "ER_UNKNOWN_TABLE_IN_SCHEMA";
}

/** The index InnoDB created for a FK: same columns, named like the FK (or after its column when unnamed). */
function isForeignKeyIndex(name: string, columns: string[], fks: ForeignKeyConstraint[]): boolean {
  return fks.some((fk) => fk.columns.length === columns.length && fk.columns.every((c, i) => c === columns[i])
    && (fk.name === name || (/_ibfk_\d+$/.test(fk.name ?? "") && (name === fk.columns[0] || new RegExp(`^${escapeRegExp(fk.columns[0]!)}_\\d+$`).test(name)))));
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function mysqlAction(v: unknown) {
  const a = referentialActionOrNull(v);
  return a === "RESTRICT" ? null : a;
}

export function mysqlType(columnType: string, columnName: string): SqlType {
  const t = columnType.trim().toLowerCase();
  let m: RegExpExecArray | null;
  if (/^int(\(\d+\))?$/.test(t) || /^integer(\(\d+\))?$/.test(t)) return { kind: "integer" };
  if (/^bigint(\(\d+\))?$/.test(t)) return { kind: "bigInteger" };
  if (/^smallint(\(\d+\))?$/.test(t)) return { kind: "smallInteger" };
  if (t === "tinyint(1)") return { kind: "boolean" };
  if ((m = /^varchar\((\d+)\)$/.exec(t))) return { kind: "string", length: Number(m[1]) };
  if (t === "text") return { kind: "text" };
  if (t === "datetime(6)") return { kind: "dateTime", timezone: false };
  if (t === "date") return { kind: "date" };
  if (t === "time(6)") return { kind: "time" };
  if (t === "double") return { kind: "float" };
  if (t === "json") return { kind: "json" };
  if (t === "char(36)" || t === "uuid") return { kind: "uuid" };
  if (t === "longblob") return { kind: "binary" };
  if ((m = /^decimal\((\d+),(\d+)\)$/.exec(t))) {
    const precision = Number(m[1]);
    const scale = Number(m[2]);
    if (scale === 0) return precision === 10 ? { kind: "numeric", precision: null, scale: null } : { kind: "numeric", precision, scale: null };
    return { kind: "numeric", precision, scale };
  }
  if (/^enum\(/.test(t)) {
    const values = parseEnumValues(columnType.trim());
    if (values !== null && values.length > 0) return { kind: "enum", name: columnName, values };
  }
  return { kind: "custom", sql: columnType };
}

/** `enum('a','b''c')` -> ["a", "b'c"] (null when it does not parse). */
export function parseEnumValues(columnType: string): string[] | null {
  const m = /^enum\((.*)\)$/is.exec(columnType);
  if (!m) return null;
  const body = m[1]!;
  const values: string[] = [];
  let i = 0;
  while (i < body.length) {
    if (body[i] !== "'") return null;
    let j = i + 1;
    let v = "";
    for (;;) {
      if (j >= body.length) return null;
      const ch = body[j]!;
      if (ch === "'" && body[j + 1] === "'") { v += "'"; j += 2; continue; }
      if (ch === "\\" && j + 1 < body.length) { v += unescapeMysqlBackslashes(body.slice(j, j + 2)); j += 2; continue; }
      if (ch === "'") break;
      v += ch;
      j++;
    }
    values.push(v);
    i = j + 1;
    if (i < body.length) {
      if (body[i] !== ",") return null;
      i++;
    }
  }
  return values;
}

const NUMERIC_KINDS = new Set(["integer", "bigInteger", "smallInteger", "numeric", "float"]);

function numberOrBoolean(n: number, type: SqlType): ServerDefault {
  if (type.kind === "boolean" && (n === 0 || n === 1)) return n === 1;
  return n;
}

/** A COLUMN_DEFAULT value in the `sa` model. */
export function mysqlDefault(raw: unknown, type: SqlType, extra: string, dtPrecision: number | null, mariadb: boolean): ServerDefault | null {
  if (raw === null || raw === undefined) return null;
  const text = str(raw);
  if (mariadb) {
    if (/^NULL$/i.test(text)) return null;
    const lit = /^'((?:[^'\\]|''|\\.)*)'$/s.exec(text);
    if (lit) {
      const value = unescapeMysqlBackslashes(lit[1]!.replace(/''/g, "'"));
      if (NUMERIC_KINDS.has(type.kind)) {
        const n = numberLiteral(value);
        if (n !== null) return n;
      }
      return value;
    }
    const n = numberLiteral(text);
    if (n !== null) return numberOrBoolean(n, type);
    return mysqlExpressionDefault(text, dtPrecision);
  }
  // MySQL 8: literals are unquoted; expression defaults are flagged DEFAULT_GENERATED
  if (/\bDEFAULT_GENERATED\b/i.test(extra) || /^(current_timestamp|now|localtime|localtimestamp)\b/i.test(text)) {
    return mysqlExpressionDefault(text, dtPrecision);
  }
  if (NUMERIC_KINDS.has(type.kind) || type.kind === "boolean") {
    const n = numberLiteral(text);
    if (n !== null) return numberOrBoolean(n, type);
  }
  return text;
}

function mysqlExpressionDefault(text: string, dtPrecision: number | null): ServerDefault {
  const t = stripOuterParens(text, true);
  let m = /^(?:current_timestamp|now|localtime|localtimestamp)(?:\s*\(\s*(\d*)\s*\))?$/i.exec(t);
  if (m) {
    const p = m[1] ? Number(m[1]) : 0;
    return sqlExpr(p === 0 || p === (dtPrecision ?? 0) ? "CURRENT_TIMESTAMP" : `CURRENT_TIMESTAMP(${p})`);
  }
  if (/^(?:curdate|current_date)(?:\s*\(\s*\))?$/i.test(t)) return sqlExpr("CURRENT_DATE");
  m = /^(?:curtime|current_time)(?:\s*\(\s*(\d*)\s*\))?$/i.exec(t);
  if (m) return sqlExpr(m[1] && Number(m[1]) !== (dtPrecision ?? 0) ? `CURRENT_TIME(${m[1]})` : "CURRENT_TIME");
  return sqlExpr(normalizeMysqlExpression(t));
}

/** Words that must stay quoted as identifiers (a conservative subset of MySQL's reserved words). */
const RESERVED = new Set(`add all alter and as asc between by case change check column constraint create cross current_date
current_time current_timestamp database default delete desc distinct div drop else exists false for foreign from full
group having if in index inner insert interval into is join key keys left like limit lock match mod not null on or order
outer primary references regexp rename replace right select set show table then to true union unique update usage using
values when where with xor`.split(/\s+/));

/**
 * A server-normalised expression (CHECK clause, index expression, default) made lighter: outer
 * parentheses stripped and backticks removed from plain, non-reserved identifiers.
 */
export function normalizeMysqlExpression(sql: string): string {
  return scanSql(stripOuterParens(sql, true), "mysql").map((seg) => {
    if (seg.kind === "identifier" && seg.text.startsWith("`")) {
      const name = seg.text.slice(1, -1);
      if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !RESERVED.has(name.toLowerCase())) return name;
    }
    return seg.text;
  }).join("");
}
