/**
 * A structural diff of two introspected schemas (`DatabaseSchema`), for "the downgrade left no
 * trace": tables, columns (type, nullability, default, autoincrement, comment), primary keys,
 * unique / foreign-key / check constraints, indexes, table comments and enums.
 *
 *   - table users: index ix_users_phone_number (phone_number)     <- only in `before`
 *   + table users: index ix_users_phone_number (phone_number)     <- only in `after`
 *
 * A changed object gives a `-` line (before) and a `+` line (after). Column order is not compared
 * (a column dropped and added back lands at the end of the table on every database).
 * Constraints are matched by kind and name; unnamed ones (SQLite) by their columns.
 */
import { isDeepStrictEqual } from "node:util";
import type { DatabaseSchema } from "../schema/database-schema.js";
import type { Column, Constraint, EnumType, Index, IndexElement, ServerDefault, SqlType, Table } from "../schema/types.js";

export interface SchemaDiffEntry {
  /** `-`: only before; `+`: only after. A changed object gives one of each with the same `key`. */
  sign: "-" | "+";
  /** The table, or null for enums. */
  table: string | null;
  /** What kind of object. */
  object: "table" | "column" | "primary key" | "unique" | "foreign key" | "check" | "index" | "comment" | "enum";
  /** The object's name (column, constraint, index, enum; the table for tables and comments). */
  name: string;
  /** Identifies the object across the two sides. */
  key: string;
  /** `table users: index ix_users_phone_number (phone_number)`. */
  text: string;
  /** The object without its name (a constraint or index renamed has the same signature on both sides). */
  signature: string;
}

export interface SchemaDiff {
  entries: SchemaDiffEntry[];
  /** `- ...` / `+ ...` lines. */
  lines: string[];
  /** One short phrase per differing object: `index ix_users_phone_number on users left behind`. */
  summary: string[];
}

// ------------------------------------------------------------------------------ rendering

export function typeText(t: SqlType): string {
  switch (t.kind) {
    case "string":
      return t.length === null ? "string" : `string(${t.length})`;
    case "numeric":
      return t.precision === null ? "numeric" : t.scale === null ? `numeric(${t.precision})` : `numeric(${t.precision}, ${t.scale})`;
    case "dateTime":
      return t.timezone ? "dateTime(timezone)" : "dateTime";
    case "enum":
      return `enum ${t.name}(${t.values.map(quote).join(", ")})`;
    case "custom":
      return t.sql;
    default:
      return t.kind;
  }
}

function quote(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

export function defaultText(d: ServerDefault): string {
  if (typeof d === "string") return quote(d);
  if (typeof d === "number" || typeof d === "boolean") return String(d);
  return d.sql;
}

function columnText(c: Column): string {
  const parts = [`column ${c.name}`, typeText(c.type), c.nullable ? "NULL" : "NOT NULL"];
  if (c.serverDefault !== null) parts.push(`DEFAULT ${defaultText(c.serverDefault)}`);
  if (c.autoincrement === true) parts.push("autoincrement");
  if (c.comment !== null) parts.push(`comment ${quote(c.comment)}`);
  return parts.join(" ");
}

function elementText(e: IndexElement): string {
  return typeof e === "string" ? e : e.sql;
}

function named(name: string | null): string {
  return name === null ? "" : ` ${name}`;
}

function constraintText(c: Constraint): string {
  switch (c.kind) {
    case "primaryKey":
      return `primary key${named(c.name)} (${c.columns.join(", ")})`;
    case "unique":
      return `unique${named(c.name)} (${c.columns.join(", ")})`;
    case "check":
      return `check${named(c.name)} (${c.condition})`;
    case "foreignKey": {
      let s = `foreign key${named(c.name)} (${c.columns.join(", ")}) -> ${c.referentTable} (${c.referentColumns.join(", ")})`;
      if (c.onDelete) s += ` ON DELETE ${c.onDelete}`;
      if (c.onUpdate) s += ` ON UPDATE ${c.onUpdate}`;
      if (c.deferrable) s += c.initiallyDeferred ? " DEFERRABLE INITIALLY DEFERRED" : " DEFERRABLE";
      return s;
    }
  }
}

function indexText(ix: Index): string {
  let s = `${ix.unique ? "unique index" : "index"} ${ix.name} (${ix.columns.map(elementText).join(", ")})`;
  if (ix.where !== null) s += ` WHERE ${ix.where}`;
  return s;
}

function enumText(e: EnumType): string {
  return `enum ${e.name} (${e.values.map(quote).join(", ")})`;
}

const OBJECT_OF: Record<Constraint["kind"], SchemaDiffEntry["object"]> = {
  primaryKey: "primary key",
  unique: "unique",
  foreignKey: "foreign key",
  check: "check",
};

function constraintKey(c: Constraint): string {
  if (c.kind === "primaryKey") return "pk";
  if (c.name !== null) return `${c.kind}:${c.name}`;
  switch (c.kind) {
    case "unique":
      return `unique:(${c.columns.join(",")})`;
    case "check":
      return `check:(${c.condition})`;
    case "foreignKey":
      return `foreignKey:(${c.columns.join(",")})->${c.referentTable}(${c.referentColumns.join(",")})`;
  }
}

function constraintName(c: Constraint): string {
  if (c.name !== null) return c.name;
  return c.kind === "check" ? `(${c.condition})` : `(${c.columns.join(", ")})`;
}

// ------------------------------------------------------------------------------ diffing

interface Item {
  key: string;
  object: SchemaDiffEntry["object"];
  name: string;
  text: string;
  signature: string;
  value: unknown;
}

function tableItems(t: Table): Item[] {
  const items: Item[] = [];
  for (const c of t.columns) {
    const text = columnText(c);
    items.push({ key: `column:${c.name}`, object: "column", name: c.name, text, signature: text, value: c });
  }
  for (const c of t.constraints) {
    const signature = constraintText({ ...c, name: null });
    items.push({ key: constraintKey(c), object: OBJECT_OF[c.kind], name: constraintName(c), text: constraintText(c), signature, value: c });
  }
  for (const ix of t.indexes) {
    const signature = indexText({ ...ix, name: "" });
    items.push({ key: `index:${ix.name}`, object: "index", name: ix.name, text: indexText(ix), signature, value: ix });
  }
  if (t.comment !== null) {
    const text = `comment ${quote(t.comment)}`;
    items.push({ key: "comment", object: "comment", name: t.name, text, signature: text, value: t.comment });
  }
  return items;
}

function byKey(items: Item[]): Map<string, Item> {
  const m = new Map<string, Item>();
  for (const item of items) {
    let key = item.key;
    // Two unnamed constraints with the same signature: keep both.
    for (let n = 2; m.has(key); n++) key = `${item.key}#${n}`;
    m.set(key, { ...item, key });
  }
  return m;
}

function tableSummary(t: Table): string {
  return `table ${t.name} (${t.columns.map((c) => c.name).join(", ")})`;
}

/** The differences between `before` and `after`; empty when they are the same schema. */
export function diffSchemas(before: DatabaseSchema, after: DatabaseSchema): SchemaDiff {
  const entries: SchemaDiffEntry[] = [];
  const push = (sign: "-" | "+", table: string | null, item: Item, prefix: string) =>
    entries.push({
      sign, table, object: item.object, name: item.name, key: `${table ?? ""}\0${item.key}`, text: `${prefix}${item.text}`,
      signature: item.signature,
    });

  const beforeTables = new Map(before.tables.map((t) => [t.name, t]));
  const afterTables = new Map(after.tables.map((t) => [t.name, t]));
  const names = [...new Set([...beforeTables.keys(), ...afterTables.keys()])].sort();
  for (const name of names) {
    const b = beforeTables.get(name);
    const a = afterTables.get(name);
    if (!b || !a) {
      const t = (b ?? a)!;
      const text = tableSummary(t);
      entries.push({ sign: b ? "-" : "+", table: name, object: "table", name, key: `${name}\0table`, text, signature: text });
      continue;
    }
    if (isDeepStrictEqual(b, a)) continue;
    const bi = byKey(tableItems(b));
    const ai = byKey(tableItems(a));
    const keys = [...new Set([...bi.keys(), ...ai.keys()])];
    const prefix = `table ${name}: `;
    for (const key of keys) {
      const x = bi.get(key);
      const y = ai.get(key);
      if (x && y && isDeepStrictEqual(x.value, y.value)) continue;
      if (x) push("-", name, x, prefix);
      if (y) push("+", name, y, prefix);
    }
  }

  const enumItem = (e: EnumType): Item => ({ key: `enum:${e.name}`, object: "enum", name: e.name, text: enumText(e), signature: enumText(e), value: e });
  const be = byKey(before.enums.map(enumItem));
  const ae = byKey(after.enums.map(enumItem));
  for (const key of [...new Set([...be.keys(), ...ae.keys()])].sort()) {
    const x = be.get(key);
    const y = ae.get(key);
    if (x && y && isDeepStrictEqual(x.value, y.value)) continue;
    if (x) push("-", null, x, "");
    if (y) push("+", null, y, "");
  }

  return { entries, lines: entries.map((e) => `${e.sign} ${e.text}`), summary: summarize(entries) };
}

/**
 * `column phone_number of users left behind`, `index ix of users not restored`, `column x of users
 * changed`, `unique (username) of users renamed from username to users_username_key`.
 */
function summarize(entries: SchemaDiffEntry[]): string[] {
  const out: string[] = [];
  const seen = new Map<string, number>();
  const what = (e: SchemaDiffEntry) => e.object === "table" ? `table ${e.name}` : e.object === "comment" ? `comment of table ${e.name}`
    : e.table === null ? `${e.object} ${e.name}` : `${e.object} ${e.name} of ${e.table}`;
  // A constraint or index only renamed: the same signature on both sides under another name.
  const renamed = new Map<SchemaDiffEntry, SchemaDiffEntry>();
  const isNamed = (e: SchemaDiffEntry) => e.object !== "table" && e.object !== "column" && e.object !== "comment" && e.object !== "enum";
  for (const gone of entries) {
    if (gone.sign !== "-" || !isNamed(gone) || entries.some((x) => x !== gone && x.key === gone.key)) continue;
    const other = entries.find((x) => x.sign === "+" && x.table === gone.table && x.object === gone.object
      && x.signature === gone.signature && !entries.some((y) => y !== x && y.key === x.key) && ![...renamed.values()].includes(x));
    if (other) renamed.set(gone, other);
  }
  const consumed = new Set(renamed.values());
  for (const e of entries) {
    if (consumed.has(e)) continue;
    const to = renamed.get(e);
    if (to) {
      const from = e.name.startsWith("(") ? "no name" : e.name;
      const toName = to.name.startsWith("(") ? "no name" : to.name;
      out.push(`${e.object} ${e.signature.replace(/^[a-z ]+? (?=\()/, "")} of ${e.table} renamed from ${from} to ${toName}`);
      continue;
    }
    const i = seen.get(e.key);
    if (i !== undefined) {
      out[i] = `${what(e)} changed`;
      continue;
    }
    seen.set(e.key, out.length);
    out.push(`${what(e)} ${e.sign === "+" ? "left behind" : "not restored"}`);
  }
  return out;
}
