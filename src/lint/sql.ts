/**
 * Raw SQL of `op.execute(...)`, analysed with the real PostgreSQL parser (libpg-query, the server's own
 * grammar compiled to WebAssembly) and turned into the same actions as operation objects. MySQL and
 * SQLite statements are parsed with it too on a best-effort basis (backticks become double quotes);
 * what cannot be parsed is reported as `unparsed-sql` (the linter cannot vouch for it).
 */
import type { DialectName } from "../dialects/types.js";
import { convertParams, type ExecuteParams } from "../operations/params.js";
import type { Action, TypeInfo } from "./actions.js";

/* eslint-disable @typescript-eslint/no-explicit-any */
type Node = any;

interface PgParser {
  parseSync(sql: string): { stmts?: { stmt: Node }[] };
}

let parser: PgParser | undefined;
let loading: Promise<PgParser> | undefined;

/** Load the WebAssembly parser once (about 20 ms). */
export async function loadSqlParser(): Promise<PgParser> {
  if (parser) return parser;
  loading ??= (async () => {
    const mod = (await import("libpg-query")) as unknown as PgParser & { loadModule(): Promise<void> };
    await mod.loadModule();
    parser = mod;
    return mod;
  })();
  return loading;
}

/** Parse one `execute` op's SQL into actions (the parser must be loaded: see loadSqlParser). */
export function actionsOfSql(sql: string, params: ExecuteParams | null, dialect: DialectName): Action[] {
  if (!parser) throw new Error("loadSqlParser() must be awaited before actionsOfSql()");
  let text: string;
  try {
    // :name and ? placeholders become $n, which the PostgreSQL grammar understands.
    text = convertParams(sql, params, "postgresql").sql;
  } catch {
    text = sql;
  }
  if (dialect !== "postgresql") text = text.replace(/`/g, '"');
  let stmts: { stmt: Node }[];
  try {
    stmts = parser.parseSync(text).stmts ?? [];
  } catch (error) {
    return [{ kind: "unparsedSql", sql, error: (error as Error).message }];
  }
  return stmts.flatMap((s) => actionsOfStatement(s.stmt));
}

function relName(rel: Node): string {
  if (!rel) return "?";
  return rel.schemaname ? `${rel.schemaname}.${rel.relname}` : String(rel.relname);
}

function strings(list: Node[] | undefined): string[] {
  return (list ?? []).map((n) => n?.String?.sval).filter((s): s is string => typeof s === "string");
}

function constValue(n: Node): number | null {
  const c = n?.A_Const ?? n?.Integer ?? null;
  if (!c) return null;
  if (c.ival !== undefined) return typeof c.ival === "object" ? Number(c.ival.ival ?? 0) : Number(c.ival);
  if (c.fval !== undefined) return Number(typeof c.fval === "object" ? c.fval.fval : c.fval);
  return null;
}

/** PostgreSQL TypeName -> TypeInfo. */
export function typeOfTypeName(t: Node): TypeInfo {
  const names = strings(t?.names);
  const name = (names[names.length - 1] ?? "unknown").toLowerCase();
  const mods = (t?.typmods ?? []).map(constValue);
  const canonical: Record<string, string> = {
    integer: "int4", int: "int4", bigint: "int8", smallint: "int2", "character varying": "varchar",
    boolean: "bool", "double precision": "float8", real: "float4", decimal: "numeric", bpchar: "char",
  };
  const base = canonical[name] ?? name;
  const arrayBounds = (t?.arrayBounds ?? []).length > 0 ? "[]" : "";
  if (base === "varchar") {
    const length = mods[0] ?? null;
    return { name: `varchar${arrayBounds}`, length, text: length === null ? "varchar" : `varchar(${length})` };
  }
  if (base === "numeric") {
    const precision = mods[0] ?? null;
    const scale = precision === null ? null : (mods[1] ?? 0);
    return { name: `numeric${arrayBounds}`, precision, scale, text: precision === null ? "numeric" : `numeric(${precision}, ${scale})` };
  }
  return { name: base + arrayBounds, text: base + arrayBounds + (mods.length ? `(${mods.join(", ")})` : "") };
}

/** Functions whose value differs per row: a default using one is computed for every existing row. */
export const VOLATILE_FUNCTIONS: ReadonlySet<string> = new Set([
  "random", "gen_random_uuid", "uuid_generate_v1", "uuid_generate_v1mc", "uuid_generate_v4", "uuidv4", "uuidv7",
  "clock_timestamp", "timeofday", "nextval", "txid_current", "uuid", "uuid_short", "rand", "sysdate",
]);

function functionNames(n: Node, out: string[] = []): string[] {
  if (Array.isArray(n)) {
    for (const x of n) functionNames(x, out);
  } else if (n && typeof n === "object") {
    if (n.FuncCall) out.push(...strings(n.FuncCall.funcname).slice(-1).map((s) => s.toLowerCase()));
    for (const v of Object.values(n)) functionNames(v, out);
  }
  return out;
}

function isLiteral(n: Node): boolean {
  if (!n) return false;
  if (n.A_Const) return true;
  if (n.TypeCast) return isLiteral(n.TypeCast.arg);
  return false;
}

/** A WHERE clause that names a key range or values (`id BETWEEN $1 AND $2`, `id = 3`, `id IN (...)`). */
function isBounded(where: Node): boolean {
  if (!where) return false;
  let bounded = false;
  const visit = (n: Node): void => {
    if (bounded || !n || typeof n !== "object") return;
    if (Array.isArray(n)) return n.forEach(visit);
    const e = n.A_Expr;
    if (e) {
      const op = strings(e.name)[0];
      const sides = [e.lexpr, e.rexpr];
      const hasColumn = sides.some((s) => s?.ColumnRef);
      const hasValue = sides.some((s) => isLiteral(s) || s?.ParamRef || (Array.isArray(s?.List?.items) && s.List.items.every((i: Node) => isLiteral(i) || i?.ParamRef)));
      if (hasColumn && hasValue && (e.kind === "AEXPR_IN" || e.kind?.startsWith("AEXPR_BETWEEN") || ["=", "<", ">", "<=", ">="].includes(op ?? ""))) {
        bounded = true;
        return;
      }
    }
    for (const v of Object.values(n)) visit(v);
  };
  visit(where);
  return bounded;
}

function notNullColumnOf(expr: Node): string | null {
  const t = expr?.NullTest;
  if (!t || t.nulltesttype !== "IS_NOT_NULL") return null;
  const fields = strings(t.arg?.ColumnRef?.fields);
  return fields[fields.length - 1] ?? null;
}

const TIMEOUTS: Record<string, "lock" | "statement"> = {
  lock_timeout: "lock", lock_wait_timeout: "lock", innodb_lock_wait_timeout: "lock",
  statement_timeout: "statement", max_statement_time: "statement", max_execution_time: "statement",
};

function actionsOfStatement(stmt: Node): Action[] {
  const [type, s] = Object.entries(stmt ?? {})[0] ?? [];
  if (!type || !s) return [];
  const n = s as Node;
  switch (type) {
    case "CreateStmt":
      return [{ kind: "createTable", table: relName(n.relation) }];
    case "CreateTableAsStmt":
      return [{ kind: "createTable", table: relName(n.into?.rel) }];
    case "IndexStmt":
      return [{ kind: "createIndex", table: relName(n.relation), name: n.idxname ?? "?", unique: !!n.unique, concurrently: !!n.concurrent }];
    case "DropStmt": {
      const objects: string[] = (n.objects ?? []).map((o: Node) => strings(o?.List?.items).join("."));
      if (n.removeType === "OBJECT_TABLE") return objects.map((t) => ({ kind: "dropTable", table: t }));
      if (n.removeType === "OBJECT_INDEX") return objects.map((i) => ({ kind: "dropIndex", table: null, name: i, concurrently: !!n.concurrent }));
      return [];
    }
    case "RenameStmt":
      if (n.renameType === "OBJECT_TABLE") return [{ kind: "renameTable", table: relName(n.relation), newName: n.newname }];
      if (n.renameType === "OBJECT_COLUMN") return [{ kind: "renameColumn", table: relName(n.relation), column: n.subname, newName: n.newname }];
      return [];
    case "UpdateStmt":
      return [{ kind: "dataChange", verb: "update", table: relName(n.relation), bounded: isBounded(n.whereClause) }];
    case "DeleteStmt":
      return [{ kind: "dataChange", verb: "delete", table: relName(n.relation), bounded: isBounded(n.whereClause) }];
    case "TruncateStmt":
      return (n.relations ?? []).map((r: Node) => ({ kind: "dataChange", verb: "delete", table: relName(r.RangeVar), bounded: false }));
    case "VariableSetStmt": {
      const which = TIMEOUTS[String(n.name ?? "").toLowerCase()];
      return which && n.kind === "VAR_SET_VALUE" ? [{ kind: "setTimeout", which }] : [];
    }
    case "CreateTrigStmt":
      return [{ kind: "otherDdl", table: relName(n.relation), what: "CREATE TRIGGER" }];
    case "AlterTableStmt":
      if (n.objtype && n.objtype !== "OBJECT_TABLE") return [];
      return (n.cmds ?? []).flatMap((c: Node) => actionsOfAlterCmd(relName(n.relation), c.AlterTableCmd));
    default:
      return [];
  }
}

function actionsOfAlterCmd(table: string, cmd: Node): Action[] {
  if (!cmd) return [];
  switch (cmd.subtype) {
    case "AT_AddColumn": {
      const def = cmd.def?.ColumnDef;
      const constraints: Node[] = (def?.constraints ?? []).map((c: Node) => c.Constraint);
      const dflt = constraints.find((c) => c?.contype === "CONSTR_DEFAULT");
      const generated = constraints.some((c) => c?.contype === "CONSTR_GENERATED" || c?.contype === "CONSTR_IDENTITY");
      const typeName = strings(def?.typeName?.names).pop()?.toLowerCase() ?? "";
      const volatileDefault = dflt ? functionNames(dflt.raw_expr).some((f) => VOLATILE_FUNCTIONS.has(f)) : false;
      const out: Action[] = [{
        kind: "addColumn", table, column: def?.colname ?? "?",
        nullable: !constraints.some((c) => c?.contype === "CONSTR_NOTNULL" || c?.contype === "CONSTR_PRIMARY"),
        defaultSql: dflt ? (volatileDefault ? `${functionNames(dflt.raw_expr).join(", ")}()` : "(expression)") : null,
        defaultIsExpression: dflt ? !isLiteral(dflt.raw_expr) : false,
        computed: generated || volatileDefault || ["serial", "bigserial", "smallserial", "serial4", "serial8"].includes(typeName),
      }];
      for (const c of constraints) {
        if (c?.contype === "CONSTR_UNIQUE" || c?.contype === "CONSTR_PRIMARY") {
          out.push({ kind: "addConstraint", table, name: c.conname ?? null, type: c.contype === "CONSTR_UNIQUE" ? "unique" : "primary", notValid: false, usingIndex: null, referentTable: null, notNullColumn: null });
        }
        if (c?.contype === "CONSTR_FOREIGN") {
          out.push({ kind: "addConstraint", table, name: c.conname ?? null, type: "foreignkey", notValid: !!c.skip_validation, usingIndex: null, referentTable: relName(c.pktable), notNullColumn: null });
        }
      }
      return out;
    }
    case "AT_DropColumn":
      return [{ kind: "dropColumn", table, column: cmd.name }];
    case "AT_AlterColumnType": {
      const t = cmd.def?.ColumnDef?.typeName;
      return [{ kind: "alterType", table, column: cmd.name, from: null, to: typeOfTypeName(t) }];
    }
    case "AT_SetNotNull":
      return [{ kind: "setNotNull", table, column: cmd.name }];
    case "AT_AddConstraint": {
      const c = cmd.def?.Constraint;
      const types: Record<string, "unique" | "primary" | "foreignkey" | "check"> = {
        CONSTR_UNIQUE: "unique", CONSTR_PRIMARY: "primary", CONSTR_FOREIGN: "foreignkey", CONSTR_CHECK: "check",
      };
      const type = types[c?.contype ?? ""];
      if (!type) return [{ kind: "otherDdl", table, what: "ADD CONSTRAINT" }];
      return [{
        kind: "addConstraint", table, name: c.conname ?? null, type, notValid: !!c.skip_validation,
        usingIndex: c.indexname ?? null, referentTable: c.pktable ? relName(c.pktable) : null,
        notNullColumn: type === "check" ? notNullColumnOf(c.raw_expr) : null,
      }];
    }
    case "AT_ValidateConstraint":
      return [{ kind: "validateConstraint", table, name: cmd.name }];
    default:
      return [{ kind: "otherDdl", table, what: String(cmd.subtype).replace(/^AT_/, "") }];
  }
}

/** `col IS NOT NULL` in a raw condition, by the parser (null when unparsable or not that shape). */
export function notNullColumnOfCondition(condition: string): string | null {
  if (!parser) return null;
  try {
    const stmt = parser.parseSync(`SELECT 1 WHERE ${condition.replace(/`/g, '"')}`).stmts?.[0]?.stmt;
    return notNullColumnOf(stmt?.SelectStmt?.whereClause);
  } catch {
    return null;
  }
}
