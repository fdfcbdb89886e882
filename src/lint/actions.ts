/**
 * What the linter reasons about: a normalized "action" per schema or data change, derived from the
 * operation objects a revision records (`op.addColumn(...)` -> addColumn) and from the statements of
 * its raw SQL (`op.execute("ALTER TABLE ...")`, parsed by the real PostgreSQL parser, see sql.ts).
 * Both paths meet here so that every rule is written once.
 */
import type { Operation } from "../operations/ops.js";
import type { ServerDefault, SqlType } from "../schema/types.js";

/** A column type, reduced to what matters for "does this change rewrite or narrow". */
export interface TypeInfo {
  /** PostgreSQL-style base name: varchar, text, int2, int4, int8, numeric, float8, bool, timestamp, timestamptz, ... */
  readonly name: string;
  /** varchar length; null = unbounded. */
  readonly length?: number | null;
  readonly precision?: number | null;
  readonly scale?: number | null;
  /** How the user wrote it (for messages). */
  readonly text: string;
}

export type Action =
  | { kind: "createTable"; table: string }
  | { kind: "dropTable"; table: string }
  | { kind: "renameTable"; table: string; newName: string }
  | {
      kind: "addColumn"; table: string; column: string; nullable: boolean;
      /** The server default as SQL text (literals rendered), or null. */
      defaultSql: string | null;
      /** The default is an expression (not a literal). */
      defaultIsExpression: boolean;
      /** Stored generated column / serial / AUTO_INCREMENT: always computed for every existing row. */
      computed: boolean;
    }
  | { kind: "dropColumn"; table: string; column: string }
  | { kind: "renameColumn"; table: string; column: string; newName: string }
  | { kind: "alterType"; table: string; column: string; from: TypeInfo | null; to: TypeInfo }
  | { kind: "setNotNull"; table: string; column: string }
  | { kind: "createIndex"; table: string; name: string; unique: boolean; concurrently: boolean }
  | { kind: "dropIndex"; table: string | null; name: string; concurrently: boolean }
  | {
      kind: "addConstraint"; table: string; name: string | null; type: "unique" | "primary" | "foreignkey" | "check";
      notValid: boolean;
      /** `UNIQUE/PRIMARY KEY USING INDEX <name>` (PostgreSQL). */
      usingIndex: string | null;
      referentTable: string | null;
      /** For a check `col IS NOT NULL`: the column. */
      notNullColumn: string | null;
    }
  | { kind: "validateConstraint"; table: string; name: string }
  | { kind: "dataChange"; verb: "update" | "delete"; table: string; bounded: boolean }
  | { kind: "setTimeout"; which: "lock" | "statement" }
  | { kind: "backfill"; table: string }
  | { kind: "unparsedSql"; sql: string; error: string }
  /** Any other statement that locks a table briefly (defaults, comments, triggers, dropping constraints). */
  | { kind: "otherDdl"; table: string; what: string };

export type ActionKind = Action["kind"];

export function typeInfo(t: SqlType): TypeInfo {
  switch (t.kind) {
    case "integer": return { name: "int4", text: "integer" };
    case "bigInteger": return { name: "int8", text: "bigint" };
    case "smallInteger": return { name: "int2", text: "smallint" };
    case "string": return t.length === null ? { name: "text", text: "varchar" } : { name: "varchar", length: t.length, text: `varchar(${t.length})` };
    case "text": return { name: "text", text: "text" };
    case "boolean": return { name: "bool", text: "boolean" };
    case "dateTime": return t.timezone ? { name: "timestamptz", text: "timestamptz" } : { name: "timestamp", text: "timestamp" };
    case "date": return { name: "date", text: "date" };
    case "time": return { name: "time", text: "time" };
    case "numeric": {
      const text = t.precision === null ? "numeric" : `numeric(${t.precision}${t.scale === null ? "" : `, ${t.scale}`})`;
      return { name: "numeric", precision: t.precision, scale: t.precision === null ? null : (t.scale ?? 0), text };
    }
    case "float": return { name: "float8", text: "float" };
    case "json": return { name: "json", text: "json" };
    case "uuid": return { name: "uuid", text: "uuid" };
    case "binary": return { name: "bytea", text: "binary" };
    case "enum": return { name: `enum:${t.name}`, text: `enum ${t.name}` };
    case "custom": return { name: t.sql.trim().toLowerCase(), text: t.sql };
  }
}

function defaultText(d: ServerDefault): { sql: string; expression: boolean } {
  if (typeof d === "object" && d !== null) return { sql: d.sql, expression: !/^\s*('([^']|'')*'|-?\d+(\.\d+)?|true|false|null)\s*$/i.test(d.sql) };
  return { sql: typeof d === "string" ? `'${d.replace(/'/g, "''")}'` : String(d), expression: false };
}

/** `col IS NOT NULL` (optionally quoted / parenthesized) -> col. Raw SQL conditions are also parsed in sql.ts. */
export function notNullCheckColumn(condition: string): string | null {
  const m = /^\s*\(*\s*(?:"([^"]+)"|`([^`]+)`|([A-Za-z_][A-Za-z0-9_$]*))\s+IS\s+NOT\s+NULL\s*\)*\s*$/i.exec(condition);
  return m ? (m[1] ?? m[2] ?? m[3] ?? null) : null;
}

/** The actions of one operation object (`execute` is handled by the SQL analyser, not here). */
export function actionsOfOperation(op: Operation): Action[] {
  switch (op.kind) {
    case "createTable":
      return [{ kind: "createTable", table: op.table.name }];
    case "dropTable":
      return [{ kind: "dropTable", table: op.table }];
    case "renameTable":
      return [{ kind: "renameTable", table: op.table, newName: op.newName }];
    case "addColumn": {
      const c = op.column;
      const d = c.serverDefault === null ? null : defaultText(c.serverDefault);
      return [{
        kind: "addColumn", table: op.table, column: c.name, nullable: c.nullable && !c.primaryKey,
        defaultSql: d?.sql ?? null, defaultIsExpression: d?.expression ?? false, computed: c.autoincrement === true,
      }];
    }
    case "dropColumn":
      return [{ kind: "dropColumn", table: op.table, column: op.column }];
    case "alterColumn": {
      const out: Action[] = [];
      if (op.type !== undefined) {
        out.push({ kind: "alterType", table: op.table, column: op.column, from: op.existingType ? typeInfo(op.existingType) : null, to: typeInfo(op.type) });
      }
      if (op.nullable === false && op.existingNullable !== false) out.push({ kind: "setNotNull", table: op.table, column: op.column });
      if (op.serverDefault !== undefined) out.push({ kind: "otherDdl", table: op.table, what: "ALTER COLUMN ... SET/DROP DEFAULT" });
      if (op.nullable === true && op.existingNullable !== true) out.push({ kind: "otherDdl", table: op.table, what: "ALTER COLUMN ... DROP NOT NULL" });
      if (op.newName !== undefined) out.push({ kind: "renameColumn", table: op.table, column: op.column, newName: op.newName });
      return out;
    }
    case "createIndex":
      return [{ kind: "createIndex", table: op.table, name: op.name, unique: op.unique, concurrently: op.concurrently }];
    case "dropIndex":
      return [{ kind: "dropIndex", table: op.table, name: op.name, concurrently: op.concurrently }];
    case "createUniqueConstraint":
      return [{ kind: "addConstraint", table: op.table, name: op.name, type: "unique", notValid: false, usingIndex: null, referentTable: null, notNullColumn: null }];
    case "createPrimaryKey":
      return [{ kind: "addConstraint", table: op.table, name: op.name, type: "primary", notValid: false, usingIndex: null, referentTable: null, notNullColumn: null }];
    case "createForeignKey":
      return [{ kind: "addConstraint", table: op.table, name: op.name, type: "foreignkey", notValid: false, usingIndex: null, referentTable: op.referentTable, notNullColumn: null }];
    case "createCheckConstraint":
      return [{
        kind: "addConstraint", table: op.table, name: op.name, type: "check", notValid: false, usingIndex: null, referentTable: null,
        notNullColumn: notNullCheckColumn(op.condition),
      }];
    case "dropConstraint":
      return [{ kind: "otherDdl", table: op.table, what: `DROP CONSTRAINT ${op.name}` }];
    case "createTableComment":
    case "dropTableComment":
    case "bulkInsert":
    case "createEnum":
    case "dropEnum":
    case "execute":
      return [];
    case "batchAlterTable":
      return op.ops.flatMap((child) => actionsOfOperation(child));
  }
}
