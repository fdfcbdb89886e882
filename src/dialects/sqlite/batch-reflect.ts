/**
 * Read a live SQLite table into `sa` data for batch recreate ("move and copy"):
 * PRAGMA table_xinfo / index_list / index_info / foreign_key_list plus the stored CREATE TABLE /
 * CREATE INDEX text for what the PRAGMAs don't tell. Types are kept verbatim (`sa.customType`),
 * defaults as raw SQL, so an untouched column is recreated exactly as declared.
 */
import { column, deepFreeze, foreignKey, primaryKey, sql as rawSql, table, unique, check, index } from "../../schema/builders.js";
import type { Column, Constraint, CustomType, Index, ReferentialAction, Table, TableItem } from "../../schema/types.js";
import type { Statement } from "../types.js";
import { parseCreateIndex, parseCreateTable } from "./batch-parse.js";

export type QueryFn = (statement: Statement) => Promise<Record<string, unknown>[]>;

const str = (v: unknown): string => (v === null || v === undefined ? "" : String(v));
const num = (v: unknown): number => Number(v ?? 0);

function action(v: unknown): ReferentialAction | null {
  const s = str(v).toUpperCase();
  if (s === "" || s === "NO ACTION") return null;
  return s as ReferentialAction;
}

export async function reflectSqliteTable(query: QueryFn, name: string): Promise<Table> {
  const master = await query({ sql: "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name = ? COLLATE NOCASE", params: [name] });
  if (master.length === 0) throw new Error(`table "${name}" does not exist`);
  const tableName = str(master[0]!.name);
  const parsed = parseCreateTable(str(master[0]!.sql));
  if (/\bWITHOUT\s+ROWID\b/i.test(parsed.tail) || /\bSTRICT\b/i.test(parsed.tail)) {
    throw new Error(`table "${tableName}" is ${parsed.tail}: batch recreate does not support table options`);
  }
  const info = await query({ sql: "SELECT * FROM pragma_table_xinfo(?)", params: [tableName] });
  const canonical = new Map<string, string>();
  for (const r of info) canonical.set(str(r.name).toLowerCase(), str(r.name));
  const canon = (c: string) => canonical.get(c.toLowerCase()) ?? c;
  const parsedColumns = new Map(parsed.columns.map((c) => [c.name.toLowerCase(), c]));

  const pkCols = info.filter((r) => num(r.pk) > 0).sort((a, b) => num(a.pk) - num(b.pk)).map((r) => str(r.name));
  const items: TableItem[] = [];
  for (const r of info) {
    if (num(r.hidden) !== 0) throw new Error(`table "${tableName}" has generated or hidden column "${str(r.name)}": batch recreate does not support them`);
    const colName = str(r.name);
    const p = parsedColumns.get(colName.toLowerCase());
    let typeText = str(r.type);
    if (p?.collate) typeText = `${typeText} COLLATE ${p.collate}`.trim();
    const type: CustomType = deepFreeze({ kind: "custom", sql: typeText });
    const isPk = pkCols.includes(colName);
    const col: Column = column(colName, type, {
      primaryKey: isPk,
      nullable: isPk ? false : num(r.notnull) === 0,
      autoincrement: p?.autoincrement ? true : isPk && pkCols.length === 1 ? "auto" : false,
      serverDefault: r.dflt_value === null || r.dflt_value === undefined ? null : rawSql(str(r.dflt_value)),
    });
    items.push(col);
  }
  if (pkCols.length > 0) items.push(primaryKey(pkCols, { name: parsed.primaryKeyName }));

  const constraints: Constraint[] = [];
  const indexes: Index[] = [];
  const sameCols = (a: readonly string[], b: readonly string[]) =>
    a.length === b.length && a.every((x, i) => x.toLowerCase() === b[i]!.toLowerCase());

  const list = await query({ sql: "SELECT * FROM pragma_index_list(?)", params: [tableName] });
  const usedUniqueNames = new Set<number>();
  for (const ix of list) {
    const origin = str(ix.origin);
    const ixName = str(ix.name);
    if (origin === "u") {
      const cols = (await query({ sql: "SELECT * FROM pragma_index_info(?) ORDER BY seqno", params: [ixName] })).map((c) => canon(str(c.name)));
      const k = parsed.uniques.findIndex((u, i) => !usedUniqueNames.has(i) && sameCols(u.columns, cols));
      let uname: string | null = null;
      if (k >= 0) {
        usedUniqueNames.add(k);
        uname = parsed.uniques[k]!.name;
      }
      constraints.push(unique(cols, { name: uname }));
    } else if (origin === "c") {
      const rows = await query({ sql: "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?", params: [ixName] });
      const text = str(rows[0]?.sql);
      if (!text) continue;
      const pi = parseCreateIndex(text);
      indexes.push(index(ixName, pi.elements.map((e) => ("column" in e ? canon(e.column) : rawSql(e.expression))), {
        unique: num(ix.unique) === 1,
        where: pi.where,
      }));
    }
  }
  // list order is newest first; keep declaration order
  constraints.reverse();
  indexes.reverse();

  const fkRows = await query({ sql: "SELECT * FROM pragma_foreign_key_list(?) ORDER BY id, seq", params: [tableName] });
  const groups = new Map<number, Record<string, unknown>[]>();
  for (const r of fkRows) {
    const id = num(r.id);
    if (!groups.has(id)) groups.set(id, []);
    groups.get(id)!.push(r);
  }
  const usedFk = new Set<number>();
  const fks: Constraint[] = [];
  for (const rows of groups.values()) {
    const first = rows[0]!;
    const referentTable = str(first.table);
    const local = rows.map((r) => canon(str(r.from)));
    let remote = rows.map((r) => str(r.to));
    if (remote.some((r) => r === "")) {
      const pk = (await query({ sql: "SELECT name, pk FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk", params: [referentTable] })).map((r) => str(r.name));
      if (pk.length !== local.length) throw new Error(`cannot resolve the referenced columns of a foreign key of "${tableName}" to "${referentTable}"`);
      remote = pk;
    }
    const k = parsed.foreignKeys.findIndex((f, i) => !usedFk.has(i) && sameCols(f.columns, local)
      && f.referentTable.toLowerCase() === referentTable.toLowerCase());
    const pf = k >= 0 ? parsed.foreignKeys[k]! : null;
    if (k >= 0) usedFk.add(k);
    fks.push(foreignKey(local, referentTable, remote, {
      name: pf?.name ?? null,
      onDelete: action(first.on_delete),
      onUpdate: action(first.on_update),
      deferrable: pf?.deferrable ?? null,
      initiallyDeferred: pf?.initiallyDeferred ?? null,
    }));
  }
  // foreign_key_list numbers the last declared FK 0
  fks.reverse();
  constraints.push(...fks);
  for (const c of parsed.checks) constraints.push(check(c.condition, { name: c.name }));
  return table(tableName, ...items, ...constraints, ...indexes);
}
