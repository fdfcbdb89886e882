/**
 * MySQL restates a whole column on MODIFY/CHANGE. Online, the `op` facade fills the `existing*` fields
 * an alterColumn left out from information_schema, so nothing is silently lost (offline they must be given).
 */
import { customType, sql as rawSql } from "../../schema/builders.js";
import type { ServerDefault } from "../../schema/types.js";
import type { AlterColumnOp } from "../../operations/ops.js";
import type { Statement } from "../types.js";

export type QueryFn = (statement: Statement) => Promise<Record<string, unknown>[]>;

/** Whether compiling this alterColumn restates the column (so it needs the existing attributes). */
export function mysqlRestates(op: AlterColumnOp): boolean {
  return op.type !== undefined || op.nullable !== undefined || op.comment !== undefined
    || (op.newName !== undefined && op.newName !== op.column);
}

function needsFill(op: AlterColumnOp): boolean {
  return mysqlRestates(op) && (
    (op.type === undefined && op.existingType === undefined)
    || (op.nullable === undefined && op.existingNullable === undefined)
    || (op.serverDefault === undefined && op.existingServerDefault === undefined)
    || (op.comment === undefined && op.existingComment === undefined)
    || op.existingAutoincrement === undefined);
}

const get = (row: Record<string, unknown>, key: string): unknown => row[key] ?? row[key.toLowerCase()];

export async function fillMysqlExisting(query: QueryFn, op: AlterColumnOp, cache: { mariadb?: boolean }): Promise<AlterColumnOp> {
  if (!needsFill(op)) return op;
  const rows = await query({
    sql: "SELECT COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT, COLUMN_COMMENT, EXTRA FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND COLUMN_NAME = ?",
    params: [op.table, op.column],
  });
  const row = rows[0];
  if (!row) throw new Error(`alterColumn: column "${op.column}" does not exist in table "${op.table}"`);
  if (cache.mariadb === undefined) {
    const v = await query({ sql: "SELECT VERSION() AS v" });
    cache.mariadb = /mariadb/i.test(String(v[0]?.v ?? v[0]?.V ?? ""));
  }
  const extra = String(get(row, "EXTRA") ?? "");
  const out: Record<string, unknown> = { ...op };
  if (out.existingType === undefined) out.existingType = customType(String(get(row, "COLUMN_TYPE")));
  if (out.existingNullable === undefined) out.existingNullable = String(get(row, "IS_NULLABLE")).toUpperCase() === "YES";
  if (out.existingServerDefault === undefined) {
    const def = get(row, "COLUMN_DEFAULT");
    let d: ServerDefault | null = null;
    if (def !== null && def !== undefined) {
      const text = String(def);
      if (cache.mariadb) d = text.toUpperCase() === "NULL" ? null : rawSql(text); // MariaDB: already SQL text
      else if (/DEFAULT_GENERATED/i.test(extra)) d = rawSql(/^current_timestamp/i.test(text) ? text : `(${text})`);
      else d = text;
    }
    const onUpdate = /on update (\S+(?:\(\d*\))?)/i.exec(extra);
    if (onUpdate && d !== null) d = rawSql(`${typeof d === "string" ? `'${d.replace(/\\/g, "\\\\").replace(/'/g, "''")}'` : d.sql} ON UPDATE ${onUpdate[1]}`);
    out.existingServerDefault = d;
  }
  if (out.existingComment === undefined) {
    const c = String(get(row, "COLUMN_COMMENT") ?? "");
    out.existingComment = c === "" ? null : c;
  }
  if (out.existingAutoincrement === undefined) out.existingAutoincrement = /auto_increment/i.test(extra);
  return out as unknown as AlterColumnOp;
}
