/**
 * SQLite introspection of the `main` schema: five bulk queries (sqlite_master, and the table list joined
 * with the table-valued PRAGMA functions table_xinfo, index_list, index_info, foreign_key_list), plus the stored
 * CREATE TABLE / CREATE INDEX text parsed with ./batch-parse.ts for what the PRAGMAs don't tell (constraint
 * names, CHECKs, collations, index expressions and predicates, FK deferrability).
 * Internal `sqlite_%` tables, virtual tables (and their shadow tables, on SQLite 3.37+) and
 * `sqlite_autoindex_*` indexes are skipped.
 *
 * Types come from the declared type text (SQLite keeps it verbatim): INTEGER, BIGINT, SMALLINT,
 * VARCHAR[(n)] -> string, TEXT, BOOLEAN, DATETIME -> dateTime{timezone: false}, DATE, TIME, NUMERIC[(p[, s])]
 * (exactly as declared), FLOAT, JSON, CHAR(36) -> uuid, BLOB -> binary (case-insensitive, spacing
 * normalised); anything else -> `{kind: "custom", sql: <declared text>}` (with ` COLLATE x` appended when
 * the column has a collation, as batch recreate does).
 *
 * Normalisations (declared -> read back; `declaredAsIntrospected` in ../introspect.ts mirrors them):
 * - `dateTime({timezone: true})` reads back with `timezone: false` (both DATETIME).
 * - an enum (VARCHAR(<longest value>) on SQLite) reads back as `string(<longest value>)`.
 * - the rowid alias (the single INTEGER primary-key column of a rowid table) reads back
 *   `autoincrement: true` with type `integer`, with or without the AUTOINCREMENT keyword; that includes a
 *   declared bigInteger/smallInteger autoincrementing key (rendered INTEGER) and an integer key declared
 *   `autoincrement: false` (SQLite cannot make it anything else). Every other column is `false`.
 * - Server defaults: quoted literals -> strings; numbers -> numbers (on a boolean column 1/0 -> true/false);
 *   TRUE/FALSE -> booleans (1/0 on a non-boolean column); NULL -> no default; `current_timestamp` & co. in
 *   upper case; other expressions as written, without their outer parentheses (`sa.sql("(1 + 2)")` reads
 *   back as `sa.sql("1 + 2")`).
 * - foreign keys: NO ACTION -> null; `deferrable`/`initiallyDeferred` are true or null (NOT DEFERRABLE and
 *   INITIALLY IMMEDIATE read back as null). Unnamed constraints (PK, unique, FK, check) have null names.
 * - comments: SQLite has none (table and column comments read back as null).
 * - CHECK conditions, index expressions and predicates are the text as written in the DDL.
 * Not represented (left out): WITHOUT ROWID / STRICT table options, generated-column expressions (read as
 * plain columns without default), ON CONFLICT clauses, index sort order (a `col DESC` element reads back as
 * an expression).
 */
import type { DatabaseSchema } from "../../schema/database-schema.js";
import type { Column, Constraint, Index, IndexElement, ServerDefault, SqlType } from "../../schema/types.js";
import {
  canonicalSchema, makeColumn, makeForeignKey, makeTable, numberLiteral, referentialActionOrNull, sqlExpr, str,
  stripOuterParens, tableFilter, upperCaseSqlKeywordDefault, type IntrospectOptions,
} from "../introspect.js";
import type { Connection } from "../types.js";
import { parseCreateIndex, parseCreateTable, type ParsedIndex, type ParsedTable } from "./batch-parse.js";

type Row = Record<string, unknown>;

/**
 * The user tables of `main`: `pragma_table_list` (SQLite 3.37+) tells shadow tables of virtual tables
 * (FTS5's `x_data`, ...) from real ones; older versions fall back to sqlite_master.
 */
const TABLE_LIST = `(SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table'
  AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\')`;
const TABLE_LIST_FALLBACK = `(SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'
  AND sql NOT LIKE 'CREATE VIRTUAL%')`;

const MASTER_SQL = `SELECT type, name, sql FROM main.sqlite_master WHERE type IN ('table', 'index')`;
const columnsSql = (tables: string) => `SELECT m.name AS tbl, p.cid AS cid, p.name AS name, p.type AS type,
  p."notnull" AS not_null, p.dflt_value AS dflt, p.pk AS pk, p.hidden AS hidden
FROM ${tables} m JOIN pragma_table_xinfo(m.name, 'main') p ORDER BY m.name, p.cid`;
const indexListSql = (tables: string) => `SELECT m.name AS tbl, il.seq AS seq, il.name AS name, il."unique" AS is_unique,
  il.origin AS origin
FROM ${tables} m JOIN pragma_index_list(m.name, 'main') il ORDER BY m.name, il.seq`;
const uniqueColumnsSql = (tables: string) => `SELECT il.name AS idx, ii.seqno AS seqno, ii.name AS col
FROM ${tables} m JOIN pragma_index_list(m.name, 'main') il JOIN pragma_index_info(il.name, 'main') ii
WHERE il.origin = 'u' ORDER BY il.name, ii.seqno`;
const foreignKeysSql = (tables: string) => `SELECT m.name AS tbl, fk.id AS id, fk.seq AS seq, fk."table" AS ref_table,
  fk."from" AS col, fk."to" AS ref_col, fk.on_update AS on_update, fk.on_delete AS on_delete
FROM ${tables} m JOIN pragma_foreign_key_list(m.name, 'main') fk ORDER BY m.name, fk.id, fk.seq`;

const EMPTY_PARSE: ParsedTable = { columns: [], primaryKeyName: null, uniques: [], checks: [], foreignKeys: [], tail: "" };

function groupBy<K>(rows: Row[], keyOf: (r: Row) => K): Map<K, Row[]> {
  const out = new Map<K, Row[]>();
  for (const r of rows) {
    const k = keyOf(r);
    let l = out.get(k);
    if (!l) out.set(k, (l = []));
    l.push(r);
  }
  return out;
}

const sameColumns = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((x, i) => x.toLowerCase() === b[i]!.toLowerCase());

export async function introspectSqlite(connection: Connection, options: IntrospectOptions = {}): Promise<DatabaseSchema> {
  const keep = tableFilter(options);
  const q = async (sql: string): Promise<Row[]> => (await connection.execute({ sql })).rows;
  const master = await q(MASTER_SQL);
  const tableSql = new Map<string, string>();
  const indexSql = new Map<string, string>();
  for (const r of master) {
    if (r.sql === null || r.sql === undefined) continue;
    (str(r.type) === "table" ? tableSql : indexSql).set(str(r.name), str(r.sql));
  }
  let tableList = TABLE_LIST;
  try {
    await q(`SELECT name FROM ${TABLE_LIST} LIMIT 1`);
  } catch {
    tableList = TABLE_LIST_FALLBACK;
  }
  const columnsByTable = groupBy(await q(columnsSql(tableList)), (r) => str(r.tbl));
  const names = [...columnsByTable.keys()].filter((n) => !n.startsWith("sqlite_") && keep(n));
  if (names.length === 0) return canonicalSchema([], []);
  const indexLists = groupBy(await q(indexListSql(tableList)), (r) => str(r.tbl));
  const uniqueColumns = groupBy(await q(uniqueColumnsSql(tableList)), (r) => str(r.idx));
  const fkRows = groupBy(await q(foreignKeysSql(tableList)), (r) => str(r.tbl));

  // primary-key columns of every table (also excluded ones), to resolve FKs that name no referent columns
  const pkOf = new Map<string, string[]>();
  for (const [t, rows] of columnsByTable) {
    pkOf.set(t.toLowerCase(), rows.filter((r) => Number(r.pk) > 0).sort((a, b) => Number(a.pk) - Number(b.pk)).map((r) => str(r.name)));
  }

  const tables = names.map((tableName) => {
    const sql = tableSql.get(tableName) ?? "";
    let parsed: ParsedTable = EMPTY_PARSE;
    try {
      parsed = parseCreateTable(sql, { allowGenerated: true });
    } catch {
      // unparseable stored SQL: names and checks stay unknown, the PRAGMAs still tell the rest
    }
    const withoutRowid = /\bWITHOUT\s+ROWID\b/i.test(parsed.tail);
    const parsedColumns = new Map(parsed.columns.map((c) => [c.name.toLowerCase(), c]));
    const info = (columnsByTable.get(tableName) ?? []).filter((r) => Number(r.hidden) !== 1);
    const canonical = new Map(info.map((r) => [str(r.name).toLowerCase(), str(r.name)]));
    const canon = (c: string) => canonical.get(c.toLowerCase()) ?? c;
    const pkCols = info.filter((r) => Number(r.pk) > 0).sort((a, b) => Number(a.pk) - Number(b.pk)).map((r) => str(r.name));

    const columns: Column[] = info.map((r) => {
      const name = str(r.name);
      const declared = str(r.type);
      const p = parsedColumns.get(name.toLowerCase());
      const rowid = !withoutRowid && pkCols.length === 1 && pkCols[0] === name && /^\s*INTEGER\s*$/i.test(declared);
      const type: SqlType = rowid ? { kind: "integer" } : sqliteType(declared, p?.collate ?? null);
      const generated = Number(r.hidden) === 2 || Number(r.hidden) === 3 || p?.generated === true;
      return makeColumn(name, type, Number(r.not_null) === 0, generated ? null : sqliteDefault(r.dflt, type), rowid, null);
    });

    const constraints: Constraint[] = [];
    if (pkCols.length > 0) constraints.push({ kind: "primaryKey", name: parsed.primaryKeyName, columns: pkCols });

    const indexes: Index[] = [];
    const usedUniques = new Set<number>();
    // index_list is newest first: walk it in creation order so same-column uniques pair up with their names
    for (const ix of [...(indexLists.get(tableName) ?? [])].reverse()) {
      const origin = str(ix.origin);
      const ixName = str(ix.name);
      if (origin === "u") {
        const cols = (uniqueColumns.get(ixName) ?? []).map((c) => canon(str(c.col)));
        const k = parsed.uniques.findIndex((u, i) => !usedUniques.has(i) && sameColumns(u.columns, cols));
        if (k >= 0) usedUniques.add(k);
        constraints.push({ kind: "unique", name: k >= 0 ? parsed.uniques[k]!.name : null, columns: cols });
      } else if (origin === "c") {
        const text = indexSql.get(ixName);
        if (!text || ixName.startsWith("sqlite_autoindex_")) continue;
        let pi: ParsedIndex;
        try {
          pi = parseCreateIndex(text);
        } catch {
          continue;
        }
        const els: IndexElement[] = pi.elements.map((e) => ("column" in e ? canon(e.column) : sqlExpr(e.expression)));
        indexes.push({ kind: "index", name: ixName, columns: els, unique: Number(ix.is_unique) === 1, where: pi.where });
      }
    }

    const groups = groupBy(fkRows.get(tableName) ?? [], (r) => Number(r.id));
    const usedFk = new Set<number>();
    // foreign_key_list numbers the last declared FK 0: walk them in declaration order
    for (const id of [...groups.keys()].sort((a, b) => b - a)) {
      const rows = groups.get(id)!;
      const first = rows[0]!;
      const referentTable = str(first.ref_table);
      const local = rows.map((r) => canon(str(r.col)));
      let remote = rows.map((r) => str(r.ref_col));
      if (remote.some((c) => c === "")) remote = pkOf.get(referentTable.toLowerCase()) ?? [];
      const k = parsed.foreignKeys.findIndex((f, i) => !usedFk.has(i) && sameColumns(f.columns, local)
        && f.referentTable.toLowerCase() === referentTable.toLowerCase());
      const pf = k >= 0 ? parsed.foreignKeys[k]! : null;
      if (k >= 0) usedFk.add(k);
      constraints.push(makeForeignKey(
        pf?.name ?? null, local, referentTable, remote,
        referentialActionOrNull(first.on_delete), referentialActionOrNull(first.on_update),
        pf?.deferrable ?? null, pf?.initiallyDeferred ?? null,
      ));
    }
    for (const c of parsed.checks) constraints.push({ kind: "check", name: c.name, condition: c.condition });
    return makeTable(tableName, columns, constraints, indexes, null);
  });
  return canonicalSchema(tables, []);
}

/** A declared SQLite type in the `sa` model (see the header for the mapping). */
export function sqliteType(declared: string, collate: string | null): SqlType {
  if (collate) return { kind: "custom", sql: `${declared} COLLATE ${collate}`.trim() };
  const t = declared.trim().toUpperCase().replace(/\s+/g, " ").replace(/\s*([(),])\s*/g, "$1");
  let m: RegExpExecArray | null;
  switch (t) {
    case "INTEGER": return { kind: "integer" };
    case "BIGINT": return { kind: "bigInteger" };
    case "SMALLINT": return { kind: "smallInteger" };
    case "VARCHAR": return { kind: "string", length: null };
    case "TEXT": return { kind: "text" };
    case "BOOLEAN": return { kind: "boolean" };
    case "DATETIME": return { kind: "dateTime", timezone: false };
    case "DATE": return { kind: "date" };
    case "TIME": return { kind: "time" };
    case "NUMERIC": return { kind: "numeric", precision: null, scale: null };
    case "FLOAT": return { kind: "float" };
    case "JSON": return { kind: "json" };
    case "CHAR(36)": return { kind: "uuid" };
    case "BLOB": return { kind: "binary" };
  }
  if ((m = /^VARCHAR\((\d+)\)$/.exec(t)) && Number(m[1]) > 0) return { kind: "string", length: Number(m[1]) };
  if ((m = /^NUMERIC\((\d+)(?:,(\d+))?\)$/.exec(t))) {
    return { kind: "numeric", precision: Number(m[1]), scale: m[2] === undefined ? null : Number(m[2]) };
  }
  return { kind: "custom", sql: declared };
}

/** A `dflt_value` (the default's text as written in the DDL) in the `sa` model. */
export function sqliteDefault(raw: unknown, type: SqlType): ServerDefault | null {
  if (raw === null || raw === undefined) return null;
  const t = stripOuterParens(str(raw));
  if (/^NULL$/i.test(t)) return null;
  const lit = /^'((?:[^']|'')*)'$/s.exec(t);
  if (lit) return lit[1]!.replace(/''/g, "'");
  const n = numberLiteral(t);
  if (n !== null) return type.kind === "boolean" && (n === 0 || n === 1) ? n === 1 : n;
  if (/^(TRUE|FALSE)$/i.test(t)) {
    const b = t.toUpperCase() === "TRUE";
    return type.kind === "boolean" ? b : b ? 1 : 0;
  }
  return sqlExpr(upperCaseSqlKeywordDefault(t));
}
