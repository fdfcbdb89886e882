/**
 * The comparator (pure): the target schema (what the schema modules declare) against the reflected
 * schema (what the database has) -> the operations that turn the database into the target, their
 * inverses for the downgrade, the differences found (for `check` and the log) and rename candidates.
 *
 * Upgrade order, so that every operation applies:
 *   1. new PostgreSQL enum types, enum value changes
 *   2. table renames
 *   3. foreign keys dropped from existing tables (and those that break cycles among dropped tables)
 *   4. new tables, referenced before referencing ones (FKs closing a cycle come in step 6), with
 *      their indexes
 *   5. per existing table (by name): added columns, altered columns, index and unique/check drops,
 *      then creates, table comment, dropped columns (SQLite: one batch per table)
 *   6. foreign keys created on existing tables (after every table and column they need exists)
 *   7. dropped tables, referencing before referenced ones
 *   8. dropped PostgreSQL enum types
 * The downgrade is each operation's inverse in reverse order (a new table's indexes go with it).
 */
import { getCompiler } from "../dialects/compilers.js";
import { isNativeOnSqlite } from "../dialects/sqlite/batch.js";
import type { SqliteCompiler } from "../dialects/sqlite/compiler.js";
import type { DialectName } from "../dialects/types.js";
import {
  addColumnOp, alterColumnOp, createCheckConstraintOp, createEnumOp, createForeignKeyOp, createIndexOp, createTableFrom,
  createTableCommentOp, createUniqueConstraintOp, dropColumnOp, dropConstraintOp, dropEnumOp, dropIndexOp,
  dropTableCommentOp, dropTableOp, executeOp, renameTableOp, type AlterColumnOptions,
} from "../operations/build.js";
import type { AlterColumnOp, BatchAlterTableOp, BatchChildOp, Operation } from "../operations/ops.js";
import { reverseOperation } from "../operations/reverse.js";
import { deepFreeze, isAutoincrement, tablePrimaryKey } from "../schema/builders.js";
import type { DatabaseSchema } from "../schema/database-schema.js";
import type {
  CheckConstraint, Column, Constraint, EnumType, ForeignKeyConstraint, Index, IndexElement, ReferentialAction,
  SqlType, Table, UniqueConstraint,
} from "../schema/types.js";
import { defaultKey, normalizeSqlExpression, renderDefault, typeKey, typeLabel } from "./normalize.js";
import {
  AutogenerateError, type AutogenerateHooks, type AutogenWarning, type MigrationPlan, type RenameCandidate, type Renames,
  type SchemaDifference, type SchemaItem, type SchemaObjectType,
} from "./types.js";

export interface CompareOptions {
  dialect: DialectName;
  hooks?: AutogenerateHooks;
  renames?: Renames;
  /** Tables never compared, on either side (the version and history tables). */
  excludeTables?: readonly string[];
  /**
   * MySQL: the database's indexes that the reflected schema leaves out (those InnoDB made for
   * foreign keys), by table. They are never compared; knowing them lets a foreign key be dropped or
   * added together with the index InnoDB keeps or makes for it.
   */
  hiddenIndexes?: Readonly<Record<string, readonly Index[]>>;
}

export { AutogenerateError };

// ------------------------------------------------------------------------------------ helpers

/** Longest identifier every dialect accepts (PostgreSQL: 63). */
const MAX_NAME = 63;

function fitName(name: string): string {
  if (name.length <= MAX_NAME) return name;
  let h = 0;
  for (const ch of name) h = (Math.imul(h, 31) + ch.charCodeAt(0)) >>> 0;
  const suffix = `_${h.toString(16).padStart(8, "0")}`;
  return name.slice(0, MAX_NAME - suffix.length) + suffix;
}

/**
 * A table in one canonical shape: column shorthands (`unique`, `index`) already live in
 * constraints/indexes; an unnamed unique constraint repeating another one's columns is left out
 * (databases keep one of them, or two that mean the same).
 */
function canonTable(t: Table): Table {
  const seen = new Set<string>();
  for (const c of t.constraints) if (c.kind === "unique" && c.name !== null) seen.add(c.columns.join("\0"));
  const constraints = t.constraints.filter((c) => {
    if (c.kind !== "unique" || c.name !== null) return true;
    const key = c.columns.join("\0");
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  if (t.columns.every((c) => !c.unique && !c.index) && constraints.length === t.constraints.length) return t;
  return deepFreeze({
    ...t,
    columns: t.columns.map((c) => (c.unique || c.index ? { ...c, unique: false, index: false } : c)),
    constraints,
  });
}

/** SQLite keeps one index for identical UNIQUE constraints (and reports one): the first one stays. */
function sqliteDedupe(t: Table): Table {
  const seen = new Set<string>();
  const constraints = t.constraints.filter((c) => {
    if (c.kind !== "unique") return true;
    const key = c.columns.join("\0");
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return constraints.length === t.constraints.length ? t : deepFreeze({ ...t, constraints });
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function elementKey(e: IndexElement): string {
  return typeof e === "string" ? `c:${e}` : `e:${normalizeSqlExpression(e.sql)}`;
}

function emptyToNull(s: string | null | undefined): string | null {
  return s === undefined || s === null || s === "" ? null : s;
}

function isEnumType(t: SqlType): t is EnumType {
  return t.kind === "enum";
}

const JSON_VALID = /^json_valid\(([^()]+)\)$/;

/** Database-generated constraint names (an unnamed constraint in the schema may match them). */
function looksGenerated(dialect: DialectName, table: string, name: string | null): boolean {
  if (name === null) return true;
  const t = table.toLowerCase();
  const n = name.toLowerCase();
  if (n.startsWith(`ck_${t}_`)) return true;
  if (dialect === "postgresql") return n.startsWith(`${t}_`) && /_check\d*$/.test(n);
  if (dialect === "mysql") return new RegExp(`^${escapeRe(t)}_chk_\\d+$`).test(n) || /^constraint_\d+$/.test(n);
  return false;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function normAction(dialect: DialectName, a: ReferentialAction | null): ReferentialAction | null {
  if (a === null || a === "NO ACTION") return null;
  if (a === "RESTRICT" && dialect === "mysql") return null;
  return a;
}

// ------------------------------------------------------------------------------------ comparator

interface Buckets {
  enumCreates: Operation[];
  fkDrops: Operation[];
  renames: Operation[];
  tableCreates: Operation[];
  perTable: Operation[];
  fkCreates: Operation[];
  tableDrops: Operation[];
  enumDrops: Operation[];
}

class Comparator {
  readonly dialect: DialectName;
  readonly hooks: AutogenerateHooks;
  readonly renames: Renames;
  readonly b: Buckets = {
    enumCreates: [], fkDrops: [], renames: [], tableCreates: [], perTable: [], fkCreates: [], tableDrops: [], enumDrops: [],
  };
  readonly differences: SchemaDifference[] = [];
  readonly warnings: AutogenWarning[] = [];
  readonly candidates: RenameCandidate[] = [];
  /** Inverses the generic `reverseOperation` can't build (enum changes, PostgreSQL USING casts). */
  readonly explicitReverse = new Map<Operation, Operation[]>();
  /** Tables created by this migration: their indexes need no separate downgrade. */
  readonly createdTables = new Set<string>();
  /** Generated names already used, per table. */
  private readonly usedNames = new Set<string>();

  readonly hiddenIndexes: Readonly<Record<string, readonly Index[]>>;

  constructor(options: CompareOptions) {
    this.dialect = options.dialect;
    this.hiddenIndexes = options.hiddenIndexes ?? {};
    this.hooks = options.hooks ?? {};
    this.renames = options.renames ?? {};
  }

  // ---------------------------------------------------------------- filters

  includeName(name: string, type: SchemaObjectType, tableName?: string): boolean {
    const hook = this.hooks.includeName;
    if (!hook) return true;
    return hook(name, type, tableName === undefined ? {} : { tableName }) !== false;
  }

  includeObject(obj: SchemaItem, name: string | null, type: SchemaObjectType, reflected: boolean, compareTo: SchemaItem | null): boolean {
    const hook = this.hooks.includeObject;
    if (!hook) return true;
    return hook(obj, name, type, reflected, compareTo) !== false;
  }

  /** Keep the objects of a reflected table that pass `includeName` (and drop database artefacts). */
  filterReflectedTable(t: Table): Table {
    const colOk = (c: Column) => this.includeName(c.name, "column", t.name);
    const columns = t.columns.filter(colOk);
    const jsonCols = new Set(t.columns.filter((c) => c.type.kind === "json" || /^(?:longtext|json)$/i.test(c.type.kind === "custom" ? c.type.sql : "")).map((c) => c.name.toLowerCase()));
    const constraints = t.constraints.filter((c) => {
      if (c.kind === "primaryKey") return true;
      if (c.kind === "check" && this.dialect === "mysql") {
        // MariaDB adds CHECK (json_valid(col)) to JSON columns
        const m = JSON_VALID.exec(normalizeSqlExpression(c.condition));
        if (m && jsonCols.has(m[1]!.toLowerCase())) return false;
      }
      if (c.name === null) return true;
      const type: SchemaObjectType = c.kind === "unique" ? "uniqueConstraint" : c.kind === "foreignKey" ? "foreignKeyConstraint" : "checkConstraint";
      return this.includeName(c.name, type, t.name);
    });
    const indexes = t.indexes.filter((ix) => {
      if (ix.name.startsWith("sqlite_autoindex_") || ix.name === "PRIMARY") return false;
      return this.includeName(ix.name, "index", t.name);
    });
    return deepFreeze({ ...canonTable(t), columns, constraints, indexes });
  }

  // ---------------------------------------------------------------- names

  generatedName(prefix: string, table: string, parts: readonly string[]): string {
    const base = fitName([prefix, table, ...parts].join("_"));
    let name = base;
    for (let i = 2; this.usedNames.has(`${table}\0${name}`); i++) name = fitName(`${base}_${i}`);
    this.usedNames.add(`${table}\0${name}`);
    return name;
  }

  // ---------------------------------------------------------------- differences

  diff(d: SchemaDifference): void {
    this.differences.push(d);
  }

  // ---------------------------------------------------------------- run

  run(target: DatabaseSchema, reflected: DatabaseSchema, excludeTables: readonly string[]): MigrationPlan {
    const excluded = new Set(excludeTables.map((n) => n.toLowerCase()));
    const skipTable = (name: string) => excluded.has(name.toLowerCase()) || name.startsWith("_athanor_tmp_")
      || (this.dialect === "sqlite" && name.startsWith("sqlite_"));

    const targetTables = new Map<string, Table>();
    for (const t of target.tables) {
      if (skipTable(t.name)) continue;
      if (targetTables.has(t.name)) throw new AutogenerateError(`the target schema declares table '${t.name}' more than once`);
      targetTables.set(t.name, this.dialect === "sqlite" ? sqliteDedupe(canonTable(t)) : canonTable(t));
    }
    const reflectedTables = new Map<string, Table>();
    const ignoredReflected: Table[] = [];
    for (const t of reflected.tables) {
      if (skipTable(t.name)) continue;
      if (!this.includeName(t.name, "table")) {
        ignoredReflected.push(t);
        continue;
      }
      reflectedTables.set(t.name, this.filterReflectedTable(t));
    }

    // ---- table matching: same name, then explicit renames, then rename candidates
    const pairs: [Table, Table][] = []; // [target, reflected]
    const added: Table[] = [];
    const removed = new Map(reflectedTables);
    const renamedTables: [string, string][] = [];
    for (const t of targetTables.values()) {
      const r = reflectedTables.get(t.name);
      if (r) {
        removed.delete(t.name);
        pairs.push([t, r]);
      } else added.push(t);
    }
    for (const [from, to] of Object.entries(this.renames.tables ?? {})) {
      const r = removed.get(from);
      const ti = added.findIndex((t) => t.name === to);
      if (!r || ti < 0) continue;
      const t = added[ti]!;
      added.splice(ti, 1);
      removed.delete(from);
      pairs.push([t, r]);
      renamedTables.push([from, to]);
    }
    // includeObject on tables
    const keptPairs = pairs.filter(([t, r]) => this.includeObject(t, t.name, "table", false, r) && this.includeObject(r, r.name, "table", true, t));
    const keptAdded = added.filter((t) => this.includeObject(t, t.name, "table", false, null));
    const keptRemoved = [...removed.values()].filter((r) => this.includeObject(r, r.name, "table", true, null));
    for (const r of removed.values()) if (!keptRemoved.includes(r)) ignoredReflected.push(r);

    this.tableRenameCandidates(keptRemoved, keptAdded);

    // ---- enums (PostgreSQL)
    if (this.dialect === "postgresql") this.compareEnums(target, reflected, keptPairs, keptAdded, ignoredReflected);

    // ---- renames
    for (const [from, to] of renamedTables) {
      if (!keptPairs.some(([t]) => t.name === to)) continue;
      this.b.renames.push(renameTableOp(from, to));
      this.diff({ kind: "renameTable", table: to, name: from, message: `renamed table '${from}' to '${to}'` });
    }

    // ---- new tables
    this.createTables(keptAdded);

    // ---- existing tables
    for (const [t, r] of [...keptPairs].sort((a, b) => (a[0].name < b[0].name ? -1 : a[0].name > b[0].name ? 1 : 0))) {
      this.compareTable(t, r.name === t.name ? r : this.renamedReflected(r, t.name));
    }

    // ---- removed tables
    this.dropTables(keptRemoved);

    const upgradeOps = [
      ...this.b.enumCreates, ...this.b.renames, ...this.b.fkDrops, ...this.b.tableCreates, ...this.b.perTable,
      ...this.b.fkCreates, ...this.b.tableDrops, ...this.b.enumDrops,
    ];
    return {
      upgradeOps,
      downgradeOps: this.reverseAll(upgradeOps),
      differences: this.differences,
      warnings: this.warnings,
      renameCandidates: this.candidates,
    };
  }

  // ---------------------------------------------------------------- renames

  /** A reflected table as it is after `renameTable` (InnoDB renames its generated `<table>_ibfk_N` FKs too). */
  private renamedReflected(r: Table, to: string): Table {
    const prefix = `${r.name}_ibfk_`;
    const constraints = this.dialect !== "mysql" ? r.constraints : r.constraints.map((c) =>
      c.kind === "foreignKey" && c.name !== null && c.name.startsWith(prefix) ? { ...c, name: `${to}_ibfk_${c.name.slice(prefix.length)}` } : c);
    return deepFreeze({ ...r, name: to, constraints });
  }

  private tableRenameCandidates(removed: Table[], added: Table[]): void {
    const used = new Set<string>();
    for (const r of [...removed].sort((a, b) => (a.name < b.name ? -1 : 1))) {
      let best: Table | null = null;
      let bestScore = 0;
      for (const t of added) {
        if (used.has(t.name)) continue;
        const score = this.tableSimilarity(r, t);
        if (score > bestScore) {
          best = t;
          bestScore = score;
        }
      }
      if (best && bestScore >= 0.5) {
        used.add(best.name);
        this.candidates.push({ kind: "table", from: r.name, to: best.name });
        this.warnings.push({
          message: `WARNING: drops table ${r.name} and creates table ${best.name}: DATA IN ${r.name} WILL BE LOST. If this is a rename, rerun with --rename ${r.name}:${best.name}`,
          before: undefined,
        });
        this.pendingTableWarnings.set(r.name, this.warnings[this.warnings.length - 1]!);
        this.pendingTableWarnings.set(best.name, this.warnings[this.warnings.length - 1]!);
      }
    }
  }

  /** Warnings waiting for the first operation on one of their tables. */
  private readonly pendingTableWarnings = new Map<string, AutogenWarning>();

  private tableSimilarity(a: Table, b: Table): number {
    const key = (c: Column) => `${c.name}\0${typeKey(this.dialect, c.type)}`;
    const ka = new Set(a.columns.map(key));
    const kb = new Set(b.columns.map(key));
    let common = 0;
    for (const k of ka) if (kb.has(k)) common++;
    const byName = common / Math.max(ka.size, kb.size, 1);
    // same shape with different column names
    const ta = a.columns.map((c) => typeKey(this.dialect, c.type)).sort().join(",");
    const tb = b.columns.map((c) => typeKey(this.dialect, c.type)).sort().join(",");
    return ta === tb ? Math.max(byName, 0.75) : byName;
  }

  private attachTableWarning(table: string, op: Operation): void {
    const w = this.pendingTableWarnings.get(table);
    if (w && w.before === undefined) w.before = op;
  }

  // ---------------------------------------------------------------- enums

  private compareEnums(
    target: DatabaseSchema, reflected: DatabaseSchema, pairs: [Table, Table][], added: Table[], ignored: Table[],
  ): void {
    const targetEnums = new Map<string, EnumType>();
    const addEnum = (e: EnumType, where: string) => {
      const prev = targetEnums.get(e.name);
      if (prev && !sameList(prev.values, e.values)) {
        throw new AutogenerateError(`enum type '${e.name}' is declared with different values (${prev.values.join(", ")} / ${e.values.join(", ")}) ${where}`);
      }
      targetEnums.set(e.name, e);
    };
    for (const e of target.enums) addEnum(e, "in the schema");
    for (const [t] of pairs) for (const c of t.columns) if (isEnumType(c.type)) addEnum(c.type, `on ${t.name}.${c.name}`);
    for (const t of added) for (const c of t.columns) if (isEnumType(c.type)) addEnum(c.type, `on ${t.name}.${c.name}`);
    const reflectedEnums = new Map<string, EnumType>();
    for (const e of reflected.enums) reflectedEnums.set(e.name, e);
    // enums used by reflected columns outside the comparison are never dropped
    const protectedEnums = new Set<string>();
    for (const t of ignored) for (const c of t.columns) if (isEnumType(c.type)) protectedEnums.add(c.type.name);
    const usage = (name: string): { table: string; column: Column }[] => {
      const out: { table: string; column: Column }[] = [];
      for (const t of reflected.tables) for (const c of t.columns) if (isEnumType(c.type) && c.type.name === name) out.push({ table: t.name, column: c });
      return out;
    };
    for (const e of [...targetEnums.values()].sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (!this.includeObject(e, e.name, "enum", false, reflectedEnums.get(e.name) ?? null)) continue;
      const r = reflectedEnums.get(e.name);
      if (!r) {
        this.b.enumCreates.push(createEnumOp(e.name, e.values));
        this.diff({ kind: "addEnum", name: e.name, message: `added enum '${e.name}' (${e.values.join(", ")})` });
        continue;
      }
      if (!this.includeObject(r, r.name, "enum", true, e)) continue;
      if (sameList(e.values, r.values)) continue;
      this.alterEnum(r, e, usage(e.name));
    }
    for (const r of [...reflectedEnums.values()].sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (targetEnums.has(r.name) || protectedEnums.has(r.name)) continue;
      if (!this.includeName(r.name, "enum") || !this.includeObject(r, r.name, "enum", true, null)) continue;
      this.b.enumDrops.push(dropEnumOp(r.name, { values: r.values }));
      this.diff({ kind: "removeEnum", name: r.name, message: `removed enum '${r.name}'` });
    }
  }

  private alterEnum(from: EnumType, to: EnumType, usage: { table: string; column: Column }[]): void {
    const q = (n: string) => getCompiler("postgresql").quoteIdentifier(n);
    const lit = (v: string) => getCompiler("postgresql").renderLiteral(v);
    const recreate = (values: readonly string[]): Operation[] => {
      const old = fitName(`${from.name}_old`);
      const ops: Operation[] = [
        executeOp(`ALTER TYPE ${q(from.name)} RENAME TO ${q(old)}`),
        executeOp(`CREATE TYPE ${q(from.name)} AS ENUM (${values.map(lit).join(", ")})`),
      ];
      for (const { table, column } of usage) {
        const t = q(table);
        const c = q(column.name);
        const d = renderDefault("postgresql", column.serverDefault);
        if (d !== null) ops.push(executeOp(`ALTER TABLE ${t} ALTER COLUMN ${c} DROP DEFAULT`));
        ops.push(executeOp(`ALTER TABLE ${t} ALTER COLUMN ${c} TYPE ${q(from.name)} USING ${c}::text::${q(from.name)}`));
        if (d !== null) ops.push(executeOp(`ALTER TABLE ${t} ALTER COLUMN ${c} SET DEFAULT ${d}`));
      }
      ops.push(executeOp(`DROP TYPE ${q(old)}`));
      return ops;
    };
    // Only additions, in an order that keeps the old values' relative order: ALTER TYPE ... ADD VALUE.
    const kept = to.values.filter((v) => from.values.includes(v));
    const onlyAdds = from.values.every((v) => to.values.includes(v)) && sameList(kept, from.values);
    const addedValues = to.values.filter((v) => !from.values.includes(v));
    const removedValues = from.values.filter((v) => !to.values.includes(v));
    let up: Operation[];
    if (onlyAdds) {
      up = [];
      const current = [...from.values];
      for (const v of addedValues) {
        const pos = to.values.indexOf(v);
        // the next value of the target that already exists
        const next = to.values.slice(pos + 1).find((x) => current.includes(x));
        up.push(executeOp(`ALTER TYPE ${q(from.name)} ADD VALUE ${lit(v)}${next !== undefined ? ` BEFORE ${lit(next)}` : ""}`));
        current.splice(next !== undefined ? current.indexOf(next) : current.length, 0, v);
      }
    } else {
      up = recreate(to.values);
    }
    const down = recreate(from.values);
    // the whole change reverses as one block: map the first op to the full inverse, the rest to nothing
    up.forEach((op, i) => this.explicitReverse.set(op, i === up.length - 1 ? down : []));
    this.b.enumCreates.push(...up);
    const parts: string[] = [];
    if (addedValues.length > 0) parts.push(`added values ${addedValues.map((v) => `'${v}'`).join(", ")}`);
    if (removedValues.length > 0) parts.push(`removed values ${removedValues.map((v) => `'${v}'`).join(", ")}`);
    if (parts.length === 0) parts.push("reordered values");
    this.diff({ kind: "modifyEnum", name: to.name, message: `${parts.join(" and ")} of enum '${to.name}'` });
  }

  // ---------------------------------------------------------------- new tables

  private createTables(added: Table[]): void {
    const pending = new Map(added.map((t) => [t.name, t]));
    const created = new Set<string>();
    const order: { table: Table; deferred: ForeignKeyConstraint[] }[] = [];
    const deps = (t: Table) => t.constraints
      .filter((c): c is ForeignKeyConstraint => c.kind === "foreignKey")
      .filter((fk) => fk.referentTable !== t.name && pending.has(fk.referentTable) && !created.has(fk.referentTable));
    while (pending.size > 0) {
      const ready = [...pending.values()].filter((t) => deps(t).length === 0).sort((a, b) => (a.name < b.name ? -1 : 1));
      if (ready.length > 0) {
        for (const t of ready) {
          order.push({ table: t, deferred: [] });
          created.add(t.name);
          pending.delete(t.name);
        }
        continue;
      }
      // a cycle: create the first table now and add its FKs to the tables still pending afterwards
      const t = [...pending.values()].sort((a, b) => (a.name < b.name ? -1 : 1))[0]!;
      order.push({ table: t, deferred: deps(t) });
      created.add(t.name);
      pending.delete(t.name);
    }
    for (const { table, deferred } of order) {
      this.reserveNames(table.name, table);
      const items = table.constraints.filter((c) => !deferred.includes(c as ForeignKeyConstraint));
      const bare: Table = deepFreeze({ ...table, constraints: items, indexes: [] });
      const op = createTableFrom(bare);
      this.createdTables.add(table.name);
      this.attachTableWarning(table.name, op);
      this.b.tableCreates.push(op);
      this.diff({ kind: "addTable", table: table.name, message: `added table '${table.name}'` });
      for (const ix of table.indexes) {
        this.b.tableCreates.push(createIndexOp(ix.name, table.name, ix.columns, { unique: ix.unique, where: ix.where }));
        this.diff({ kind: "addIndex", table: table.name, name: ix.name, message: `added index '${ix.name}' on '${table.name}' (${ix.columns.map(elementLabel).join(", ")})` });
      }
      for (const fk of deferred) {
        const name = fk.name ?? this.generatedName("fk", table.name, [...fk.columns, fk.referentTable]);
        this.b.fkCreates.push(this.fkCreateOp(table.name, { ...fk, name }));
      }
    }
  }

  private fkCreateOp(table: string, fk: ForeignKeyConstraint): Operation {
    return createForeignKeyOp(fk.name, table, fk.referentTable, fk.columns, fk.referentColumns, {
      onDelete: fk.onDelete, onUpdate: fk.onUpdate, deferrable: fk.deferrable, initiallyDeferred: fk.initiallyDeferred,
    });
  }

  // ---------------------------------------------------------------- dropped tables

  private dropTables(removed: Table[]): void {
    const pending = new Map(removed.map((t) => [t.name, t]));
    const order: { table: Table; broken: ForeignKeyConstraint[] }[] = [];
    // referencing tables first: a table can go when no pending table references it
    const referencedBy = (name: string) => [...pending.values()].filter((t) => t.name !== name
      && t.constraints.some((c) => c.kind === "foreignKey" && c.referentTable === name));
    while (pending.size > 0) {
      const ready = [...pending.values()].filter((t) => referencedBy(t.name).length === 0).sort((a, b) => (a.name < b.name ? -1 : 1));
      if (ready.length > 0) {
        for (const t of ready) {
          order.push({ table: t, broken: [] });
          pending.delete(t.name);
        }
        continue;
      }
      // a cycle: drop the FKs of the first table that point into the cycle first
      const t = [...pending.values()].sort((a, b) => (a.name < b.name ? -1 : 1))[0]!;
      const broken = t.constraints.filter((c): c is ForeignKeyConstraint => c.kind === "foreignKey"
        && c.referentTable !== t.name && pending.has(c.referentTable));
      order.push({ table: t, broken });
      pending.delete(t.name);
    }
    for (const { table, broken } of order) {
      let existing = table;
      if (broken.length > 0) {
        existing = deepFreeze({ ...table, constraints: table.constraints.filter((c) => !broken.includes(c as ForeignKeyConstraint)) });
        for (const fk of broken) {
          if (fk.name === null) throw new AutogenerateError(`cannot drop table '${table.name}': its unnamed foreign key to '${fk.referentTable}' is part of a cycle`);
          this.b.fkDrops.push(dropConstraintOp(fk.name, table.name, { type: "foreignkey", existing: fk }));
        }
      }
      const op = dropTableOp(table.name, { existing });
      this.attachTableWarning(table.name, op);
      this.b.tableDrops.push(op);
      this.diff({ kind: "removeTable", table: table.name, message: `removed table '${table.name}'` });
    }
  }

  // ---------------------------------------------------------------- existing tables

  /** Names a generated name must not take: those of the table's constraints and indexes, both sides. */
  private reserveNames(table: string, ...tables: Table[]): void {
    for (const x of tables) {
      for (const c of x.constraints) if (c.name !== null) this.usedNames.add(`${table}\0${c.name}`);
      for (const ix of x.indexes) this.usedNames.add(`${table}\0${ix.name}`);
    }
  }

  private compareTable(t: Table, r: Table): void {
    const table = t.name;
    this.reserveNames(table, t, r);
    const ops: { adds: Operation[]; alters: Operation[]; drops: Operation[]; creates: Operation[]; comment: Operation[]; colDrops: Operation[]; fkDrops: Operation[]; fkCreates: Operation[] } = {
      adds: [], alters: [], drops: [], creates: [], comment: [], colDrops: [], fkDrops: [], fkCreates: [],
    };
    this.compareColumns(t, r, ops);
    this.compareIndexesAndUniques(t, r, ops);
    this.compareForeignKeys(t, r, ops);
    this.compareChecks(t, r, ops);
    this.compareTableComment(t, r, ops);
    if (this.dialect === "mysql") this.mysqlForeignKeyIndexes(t, r, ops);

    const body = [...ops.adds, ...ops.alters, ...ops.drops, ...ops.creates, ...ops.comment, ...ops.colDrops];
    if (this.dialect !== "sqlite") {
      this.b.fkDrops.push(...ops.fkDrops);
      this.b.perTable.push(...body);
      this.b.fkCreates.push(...ops.fkCreates);
      return;
    }
    const all = [...ops.fkDrops, ...body, ...ops.fkCreates] as BatchChildOp[];
    if (all.length === 0) return;
    const compiler = getCompiler("sqlite") as SqliteCompiler;
    const unnamedDrops = all.filter((op) => op.kind === "dropConstraint" && this.syntheticNames.has(op));
    const needsBatch = all.some((op) => !isNativeOnSqlite(compiler, op, r));
    if (!needsBatch) {
      this.b.perTable.push(...all);
      return;
    }
    let copyFrom: Table | null = null;
    if (unnamedDrops.length > 0) {
      // SQLite can drop only named constraints: describe the table as it is, with the names
      // used by the drops given to its unnamed constraints, and recreate it from that.
      const names = new Map<Constraint, string>();
      for (const op of unnamedDrops) {
        const d = op as Extract<BatchChildOp, { kind: "dropConstraint" }>;
        if (d.existing) names.set(this.syntheticNames.get(op)!, d.name);
      }
      copyFrom = deepFreeze({ ...r, constraints: r.constraints.map((c) => (names.has(c) ? { ...c, name: names.get(c)! } : c)) });
    }
    const batch: BatchAlterTableOp = deepFreeze({
      kind: "batchAlterTable", table, recreate: copyFrom ? "always" : "auto", ops: all, copyFrom,
    });
    // warnings attached to a child are attached to the batch
    for (const w of this.warnings) if (w.before && all.includes(w.before as BatchChildOp)) w.before = batch;
    this.b.perTable.push(batch);
  }

  /** dropConstraint ops of unnamed SQLite constraints -> the reflected constraint they drop. */
  private readonly syntheticNames = new Map<Operation, Constraint>();

  private compareColumns(t: Table, r: Table, ops: { adds: Operation[]; alters: Operation[]; colDrops: Operation[] }): void {
    const table = t.name;
    const rCols = new Map(r.columns.map((c) => [c.name, c]));
    const pairs: [Column, Column][] = [];
    const added: Column[] = [];
    const removed = new Map(rCols);
    for (const c of t.columns) {
      const rc = rCols.get(c.name);
      if (rc) {
        pairs.push([c, rc]);
        removed.delete(c.name);
      } else added.push(c);
    }
    const explicit = this.renames.columns?.[table] ?? {};
    const renamed = new Map<Column, Column>(); // target -> reflected
    for (const [from, to] of Object.entries(explicit)) {
      const rc = removed.get(from);
      const ai = added.findIndex((c) => c.name === to);
      if (!rc || ai < 0) continue;
      const tc = added[ai]!;
      added.splice(ai, 1);
      removed.delete(from);
      pairs.push([tc, rc]);
      renamed.set(tc, rc);
    }
    const keptPairs = pairs.filter(([tc, rc]) => this.includeObject(tc, tc.name, "column", false, rc) && this.includeObject(rc, rc.name, "column", true, tc));
    const keptAdded = added.filter((c) => this.includeObject(c, c.name, "column", false, null));
    const keptRemoved = [...removed.values()].filter((c) => this.includeObject(c, c.name, "column", true, null));

    // rename candidates: a removed and an added column of the same type
    const pendingWarnings = new Map<string, AutogenWarning>();
    const usedAdded = new Set<string>();
    for (const rc of keptRemoved) {
      const match = keptAdded.find((c) => !usedAdded.has(c.name) && typeKey(this.dialect, c.type) === typeKey(this.dialect, rc.type));
      if (!match) continue;
      usedAdded.add(match.name);
      this.candidates.push({ kind: "column", table, from: rc.name, to: match.name });
      const w: AutogenWarning = {
        message: `WARNING: drops column ${table}.${rc.name} and adds ${table}.${match.name}: DATA IN ${rc.name} WILL BE LOST. If this is a rename, rerun with --rename ${table}.${rc.name}:${match.name}`,
      };
      this.warnings.push(w);
      pendingWarnings.set(match.name, w);
      pendingWarnings.set(`-${rc.name}`, w);
    }

    const pkCols = tablePrimaryKey(r)?.columns ?? [];
    for (const c of keptAdded) {
      const op = addColumnOp(table, c);
      const w = pendingWarnings.get(c.name);
      if (w && !w.before) w.before = op;
      ops.adds.push(op);
      this.diff({ kind: "addColumn", table, column: c.name, message: `added column '${table}.${c.name}'` });
    }
    for (const [tc, rc] of keptPairs) {
      const op = this.compareColumn(table, tc, rc, pkCols, renamed.has(tc), tablePrimaryKey(t)?.columns ?? []);
      if (op) ops.alters.push(op);
    }
    for (const rc of keptRemoved) {
      const op = dropColumnOp(table, rc.name, { existing: rc });
      const w = pendingWarnings.get(`-${rc.name}`);
      if (w && !w.before) w.before = op;
      ops.colDrops.push(op);
      this.diff({ kind: "removeColumn", table, column: rc.name, message: `removed column '${table}.${rc.name}'` });
    }
  }

  /** A column's type key in its table: SQLite's rowid alias is INTEGER whatever integer type was declared. */
  private columnTypeKey(c: Column, pkCols: readonly string[]): string {
    if (this.dialect === "sqlite" && pkCols.length === 1 && pkCols[0] === c.name && c.autoincrement !== false
      && (c.type.kind === "integer" || c.type.kind === "bigInteger" || c.type.kind === "smallInteger")) return "INTEGER";
    return typeKey(this.dialect, c.type);
  }

  private compareColumn(
    table: string, tc: Column, rc: Column, pkCols: readonly string[], renamed: boolean, targetPkCols: readonly string[],
  ): Operation | null {
    const ctx = { dialect: this.dialect, table };
    const change: AlterColumnOptions = {};
    const col = tc.name;
    if (renamed) {
      change.newName = tc.name;
      this.diff({ kind: "renameColumn", table, column: tc.name, name: rc.name, message: `renamed column '${table}.${rc.name}' to '${table}.${tc.name}'` });
    }
    // type
    if (this.hooks.compareType !== false) {
      const hook = this.hooks.compareType;
      const verdict = hook ? hook(ctx, rc, tc, rc.type, tc.type) : undefined;
      const changed = verdict === true || verdict === false
        ? verdict
        : this.columnTypeKey(tc, targetPkCols) !== this.columnTypeKey(rc, pkCols);
      if (changed) {
        change.type = tc.type;
        this.diff({
          kind: "modifyType", table, column: col,
          message: `type change from ${typeLabel(this.dialect, rc.type)} to ${typeLabel(this.dialect, tc.type)} on '${table}.${col}'`,
        });
      }
    }
    // nullable
    if (tc.nullable !== rc.nullable) {
      change.nullable = tc.nullable;
      this.diff({ kind: "modifyNullable", table, column: col, message: `${tc.nullable ? "NULL" : "NOT NULL"} on column '${table}.${col}'` });
    }
    // server default
    if (this.hooks.compareServerDefault !== false) {
      const rendered = renderDefault(this.dialect, rc.serverDefault);
      const isSequence = rendered !== null && /nextval\s*\(/i.test(rendered);
      if (!(isSequence && tc.serverDefault === null)) {
        const renderedTarget = renderDefault(this.dialect, tc.serverDefault);
        const hook = this.hooks.compareServerDefault;
        const verdict = hook ? hook(ctx, rc, tc, rendered, tc.serverDefault, renderedTarget) : undefined;
        const changed = verdict === true || verdict === false
          ? verdict
          : defaultKey(this.dialect, tc.serverDefault, tc.type) !== defaultKey(this.dialect, rc.serverDefault, rc.type);
        if (changed) {
          change.serverDefault = tc.serverDefault;
          const what = tc.serverDefault === null ? "removed server default" : rc.serverDefault === null ? "added server default" : "changed server default";
          this.diff({ kind: "modifyDefault", table, column: col, message: `${what} on column '${table}.${col}'${renderedTarget !== null ? ` (${renderedTarget})` : ""}` });
        }
      }
    }
    // comment
    if (this.dialect !== "sqlite" && emptyToNull(tc.comment) !== emptyToNull(rc.comment)) {
      change.comment = emptyToNull(tc.comment);
      this.diff({ kind: "modifyComment", table, column: col, message: `column comment on '${table}.${col}'` });
    }
    if (Object.keys(change).length === 0) return null;
    change.existingType = rc.type;
    change.existingNullable = rc.nullable;
    change.existingServerDefault = rc.serverDefault;
    if (this.dialect !== "sqlite") change.existingComment = emptyToNull(rc.comment);
    if (this.dialect === "mysql" && rc.autoincrement === true && isAutoincrement(rc, pkCols)) change.existingAutoincrement = true;
    const op = alterColumnOp(table, rc.name, change);
    return this.withUsing(op);
  }

  /** PostgreSQL can't cast some types implicitly: add `USING col::type` to the change. */
  private withUsing(op: AlterColumnOp): AlterColumnOp {
    if (this.dialect !== "postgresql" || op.type === undefined || op.existingType === undefined || op.using !== undefined) return op;
    // the type changes before a rename (see the PostgreSQL compiler): the old name
    const using = pgUsing(op.column, op.existingType, op.type);
    if (using === null) return op;
    return deepFreeze({ ...op, using });
  }

  private compareIndexesAndUniques(t: Table, r: Table, ops: { drops: Operation[]; creates: Operation[] }): void {
    const table = t.name;
    const rFks = r.constraints.filter((c): c is ForeignKeyConstraint => c.kind === "foreignKey");
    const tIdx = t.indexes;
    const rIdx = r.indexes;
    const rIdxByName = new Map(rIdx.map((ix) => [ix.name, ix]));
    const claimedR = new Set<Index | Constraint>();
    const tUqs = t.constraints.filter((c): c is UniqueConstraint => c.kind === "unique");
    const rUqs = r.constraints.filter((c): c is UniqueConstraint => c.kind === "unique");

    const sameIndex = (a: Index, b: Index) => a.unique === b.unique
      && a.columns.length === b.columns.length && a.columns.every((e, i) => elementKey(e) === elementKey(b.columns[i]!))
      && (this.dialect === "mysql" || normalizeSqlExpression(a.where ?? "") === normalizeSqlExpression(b.where ?? ""));

    for (const ti of tIdx) {
      const ri = rIdxByName.get(ti.name);
      const includeT = this.includeObject(ti, ti.name, "index", false, ri ?? null);
      if (ri) {
        claimedR.add(ri);
        if (!includeT || !this.includeObject(ri, ri.name, "index", true, ti)) continue;
        if (sameIndex(ti, ri)) continue;
        ops.drops.push(this.dropIndex(table, ri, "changed"));
        ops.creates.push(this.createIndex(table, ti, "changed"));
        continue;
      }
      if (!includeT) continue;
      // a unique index may be reported as a unique constraint of the same name (MySQL)
      const asUq = ti.unique && ti.where === null ? rUqs.find((u) => u.name === ti.name && ti.columns.every((e) => typeof e === "string") && sameList(u.columns, ti.columns as string[])) : undefined;
      if (asUq) {
        claimedR.add(asUq);
        continue;
      }
      ops.creates.push(this.createIndex(table, ti, "added"));
    }

    // unique constraints: named by name, unnamed by columns; reflected unique indexes count too
    const pool: (UniqueConstraint | Index)[] = [
      ...rUqs.filter((u) => !claimedR.has(u)),
      ...rIdx.filter((ix) => !claimedR.has(ix) && ix.unique && ix.where === null && ix.columns.every((e) => typeof e === "string")),
    ];
    const poolCols = (p: UniqueConstraint | Index) => p.columns as readonly string[];
    const leftoverT: UniqueConstraint[] = [];
    for (const u of tUqs.filter((x) => x.name !== null)) {
      // by name; else an unnamed one of the same columns (SQLite keeps one of two identical UNIQUEs)
      const p = pool.find((x) => x.name === u.name)
        ?? pool.find((x) => x.kind === "unique" && x.name === null && sameList(x.columns, u.columns));
      if (!p) {
        leftoverT.push(u);
        continue;
      }
      pool.splice(pool.indexOf(p), 1);
      claimedR.add(p);
      const include = this.includeObject(u, u.name, "uniqueConstraint", false, p) && this.includeObject(p, p.name, p.kind === "index" ? "index" : "uniqueConstraint", true, u);
      if (!include || sameList(poolCols(p), u.columns)) continue;
      ops.drops.push(this.dropUniqueLike(table, p, "changed"));
      ops.creates.push(this.createUnique(table, u, "changed"));
    }
    for (const u of tUqs.filter((x) => x.name === null)) {
      const p = pool.find((x) => sameList(poolCols(x), u.columns));
      if (!p) {
        leftoverT.push(u);
        continue;
      }
      pool.splice(pool.indexOf(p), 1);
      claimedR.add(p);
    }
    for (const u of leftoverT) {
      if (!this.includeObject(u, u.name, "uniqueConstraint", false, null)) continue;
      ops.creates.push(this.createUnique(table, u, "added"));
    }
    for (const p of pool) {
      claimedR.add(p);
      if (!this.includeObject(p, p.name, p.kind === "index" ? "index" : "uniqueConstraint", true, null)) continue;
      ops.drops.push(this.dropUniqueLike(table, p, "removed"));
    }
    // remaining reflected indexes: removed (except MySQL's implicit foreign-key indexes)
    for (const ri of rIdx) {
      if (claimedR.has(ri)) continue;
      if (this.dialect === "mysql" && !ri.unique && rFks.some((fk) => ri.columns.length >= fk.columns.length
        && fk.columns.every((c, i) => ri.columns[i] === c) && ri.columns.length === fk.columns.length)) continue;
      if (!this.includeObject(ri, ri.name, "index", true, null)) continue;
      ops.drops.push(this.dropIndex(table, ri, "removed"));
    }
  }

  /**
   * MySQL and its foreign-key indexes:
   * - it refuses to drop the index a foreign key uses, and whether another index (InnoDB's implicit
   *   one) can take over is not always known: an index or unique constraint covering the columns of a
   *   foreign key that stays is dropped with the key dropped around it (recreated after, the key then
   *   makes its own index); likewise in the downgrade of a new index covering such a key;
   * - dropping a foreign key leaves the index InnoDB made for it: it is dropped too;
   * - adding a foreign key no index covers makes InnoDB create one, named like the key: its
   *   downgrade drops that index too.
   */
  private mysqlForeignKeyIndexes(
    t: Table, r: Table, ops: { drops: Operation[]; creates: Operation[]; fkDrops: Operation[]; fkCreates: Operation[] },
  ): void {
    const table = t.name;
    const hidden = [...(this.hiddenIndexes[r.name] ?? [])];
    const covers = (cols: readonly IndexElement[], fk: { columns: readonly string[] }) => fk.columns.every((c, i) => cols[i] === c);
    const indexCols = (op: Operation): readonly IndexElement[] | null => {
      if (op.kind === "dropIndex") return op.existing?.columns ?? null;
      if (op.kind === "dropConstraint" && op.existing?.kind === "unique") return op.existing.columns;
      if (op.kind === "createIndex") return op.columns;
      if (op.kind === "createUniqueConstraint") return op.columns;
      return null;
    };
    const droppedFks = new Set(ops.fkDrops.map((op) => (op.kind === "dropConstraint" ? op.existing : null)));
    const recreated = new Set(ops.fkCreates.map((op) => (op as { name: string | null }).name));
    // removed keys: their implicit index goes too
    for (let i = 0; i < ops.fkDrops.length; i++) {
      const op = ops.fkDrops[i]!;
      if (op.kind !== "dropConstraint" || op.existing?.kind !== "foreignKey" || recreated.has(op.name)) continue;
      const fk = op.existing;
      const h = hidden.find((ix) => ix.columns.length === fk.columns.length && covers(ix.columns, fk));
      if (!h) continue;
      hidden.splice(hidden.indexOf(h), 1);
      ops.fkDrops.splice(++i, 0, dropIndexOp(h.name, { table, existing: { columns: h.columns, unique: false, where: null } }));
    }
    // kept keys around dropped or new covering indexes
    const keptFks = r.constraints.filter((c): c is ForeignKeyConstraint => c.kind === "foreignKey" && c.name !== null && !droppedFks.has(c));
    for (const fk of keptFks) {
      const drop = (): Operation => dropConstraintOp(fk.name!, table, { type: "foreignkey", existing: fk });
      if (ops.drops.some((op) => covers(indexCols(op) ?? [], fk))) {
        ops.fkDrops.push(drop());
        ops.fkCreates.push(this.fkCreateOp(table, fk));
        continue;
      }
      for (const create of ops.creates) {
        if (!covers(indexCols(create) ?? [], fk)) continue;
        const inverse = reverseOperation(create);
        if (inverse) this.explicitReverse.set(create, [drop(), inverse, this.fkCreateOp(table, fk)]);
      }
    }
    // new keys no index covers: InnoDB makes one, named like the key
    const pk = tablePrimaryKey(t);
    const covering: (readonly IndexElement[])[] = [
      ...(pk ? [pk.columns] : []),
      ...t.constraints.filter((c): c is UniqueConstraint => c.kind === "unique").map((c) => c.columns),
      ...t.indexes.map((ix) => ix.columns),
      ...hidden.map((ix) => ix.columns),
    ];
    for (const op of ops.fkCreates) {
      if (op.kind !== "createForeignKey" || op.name === null || covering.some((cols) => covers(cols, op))) continue;
      const inverse = reverseOperation(op);
      if (!inverse) continue;
      this.explicitReverse.set(op, [inverse, dropIndexOp(op.name, { table, existing: { columns: op.columns, unique: false, where: null } })]);
      covering.push(op.columns);
    }
  }

  private createIndex(table: string, ix: Index, how: "added" | "changed"): Operation {
    this.diff({ kind: "addIndex", table, name: ix.name, message: `${how} index '${ix.name}' on '${table}' (${ix.columns.map(elementLabel).join(", ")})` });
    return createIndexOp(ix.name, table, ix.columns, { unique: ix.unique, where: ix.where });
  }

  private dropIndex(table: string, ix: Index, how: "removed" | "changed"): Operation {
    if (how === "removed") this.diff({ kind: "removeIndex", table, name: ix.name, message: `removed index '${ix.name}' on '${table}'` });
    return dropIndexOp(ix.name, { table, existing: { columns: ix.columns, unique: ix.unique, where: ix.where } });
  }

  private createUnique(table: string, u: UniqueConstraint, how: "added" | "changed"): Operation {
    const name = u.name ?? this.generatedName("uq", table, u.columns);
    this.diff({ kind: "addUniqueConstraint", table, name, message: `${how} unique constraint '${name}' on '${table}' (${u.columns.join(", ")})` });
    return createUniqueConstraintOp(name, table, u.columns);
  }

  private dropUniqueLike(table: string, p: UniqueConstraint | Index, how: "removed" | "changed"): Operation {
    if (p.kind === "index") return this.dropIndex(table, p, how);
    if (how === "removed") this.diff({ kind: "removeUniqueConstraint", table, name: p.name ?? undefined, message: `removed unique constraint ${p.name === null ? "" : `'${p.name}' `}on '${table}' (${p.columns.join(", ")})` });
    return this.dropConstraint(table, p);
  }

  /** dropConstraint of a reflected constraint (an unnamed one gets a synthetic name: SQLite only). */
  private dropConstraint(table: string, c: Constraint): Operation {
    const type = c.kind === "unique" ? "unique" : c.kind === "check" ? "check" : c.kind === "foreignKey" ? "foreignkey" : "primary";
    if (c.name !== null) return dropConstraintOp(c.name, table, { type, existing: c });
    if (this.dialect !== "sqlite") throw new AutogenerateError(`cannot drop an unnamed ${c.kind} constraint of table '${table}'`);
    const parts = c.kind === "check" ? [] : c.columns;
    const name = this.generatedName(c.kind === "unique" ? "uq" : c.kind === "check" ? "ck" : "fk", table, parts);
    const op = dropConstraintOp(name, table, { type, existing: c });
    this.syntheticNames.set(op, c);
    return op;
  }

  private fkKey(fk: ForeignKeyConstraint): string {
    const pg = this.dialect === "postgresql";
    return JSON.stringify([
      fk.columns, fk.referentTable, fk.referentColumns, normAction(this.dialect, fk.onDelete), normAction(this.dialect, fk.onUpdate),
      pg ? fk.deferrable === true : false, pg ? fk.initiallyDeferred === true : false,
    ]);
  }

  private compareForeignKeys(t: Table, r: Table, ops: { fkDrops: Operation[]; fkCreates: Operation[] }): void {
    const table = t.name;
    const tFks = t.constraints.filter((c): c is ForeignKeyConstraint => c.kind === "foreignKey");
    const pool = r.constraints.filter((c): c is ForeignKeyConstraint => c.kind === "foreignKey");
    const leftover: ForeignKeyConstraint[] = [];
    for (const fk of tFks.filter((x) => x.name !== null)) {
      const p = pool.find((x) => x.name === fk.name);
      if (!p) {
        leftover.push(fk);
        continue;
      }
      pool.splice(pool.indexOf(p), 1);
      if (!this.includeObject(fk, fk.name, "foreignKeyConstraint", false, p) || !this.includeObject(p, p.name, "foreignKeyConstraint", true, fk)) continue;
      if (this.fkKey(fk) === this.fkKey(p)) continue;
      ops.fkDrops.push(this.dropFk(table, p, "changed"));
      ops.fkCreates.push(this.createFk(table, fk, "changed"));
    }
    for (const fk of tFks.filter((x) => x.name === null)) {
      const p = pool.find((x) => this.fkKey(x) === this.fkKey(fk));
      if (!p) {
        leftover.push(fk);
        continue;
      }
      pool.splice(pool.indexOf(p), 1);
    }
    for (const fk of leftover) {
      if (!this.includeObject(fk, fk.name, "foreignKeyConstraint", false, null)) continue;
      ops.fkCreates.push(this.createFk(table, fk, "added"));
    }
    for (const p of pool) {
      if (!this.includeObject(p, p.name, "foreignKeyConstraint", true, null)) continue;
      ops.fkDrops.push(this.dropFk(table, p, "removed"));
    }
  }

  private createFk(table: string, fk: ForeignKeyConstraint, how: "added" | "changed"): Operation {
    const name = fk.name ?? this.generatedName("fk", table, [...fk.columns, fk.referentTable]);
    this.diff({ kind: "addForeignKey", table, name, message: `${how} foreign key (${fk.columns.join(", ")})(${fk.referentColumns.join(", ")}) on table ${table}` });
    return this.fkCreateOp(table, { ...fk, name });
  }

  private dropFk(table: string, fk: ForeignKeyConstraint, how: "removed" | "changed"): Operation {
    if (how === "removed") this.diff({ kind: "removeForeignKey", table, name: fk.name ?? undefined, message: `removed foreign key (${fk.columns.join(", ")})(${fk.referentColumns.join(", ")}) on table ${table}` });
    return this.dropConstraint(table, fk);
  }

  private compareChecks(t: Table, r: Table, ops: { drops: Operation[]; creates: Operation[] }): void {
    const table = t.name;
    const tCks = t.constraints.filter((c): c is CheckConstraint => c.kind === "check");
    const pool = r.constraints.filter((c): c is CheckConstraint => c.kind === "check");
    const leftover: CheckConstraint[] = [];
    // named: by name (a changed condition of the same name is not detected: databases rewrite the text)
    for (const ck of tCks.filter((x) => x.name !== null)) {
      const p = pool.find((x) => x.name === ck.name);
      if (!p) leftover.push(ck);
      else pool.splice(pool.indexOf(p), 1);
    }
    // unnamed: by condition, then any database-named check left
    const unnamed = tCks.filter((x) => x.name === null);
    const unmatched: CheckConstraint[] = [];
    for (const ck of unnamed) {
      const key = normalizeSqlExpression(ck.condition);
      const p = pool.find((x) => normalizeSqlExpression(x.condition) === key);
      if (p) pool.splice(pool.indexOf(p), 1);
      else unmatched.push(ck);
    }
    for (const ck of unmatched) {
      const p = pool.find((x) => looksGenerated(this.dialect, table, x.name));
      if (p) pool.splice(pool.indexOf(p), 1);
      else leftover.push(ck);
    }
    for (const ck of leftover) {
      if (!this.includeObject(ck, ck.name, "checkConstraint", false, null)) continue;
      const name = ck.name ?? this.generatedName("ck", table, [String(tCks.indexOf(ck) + 1)]);
      this.diff({ kind: "addCheckConstraint", table, name, message: `added check constraint '${name}' on '${table}'` });
      ops.creates.push(createCheckConstraintOp(name, table, ck.condition));
    }
    for (const p of pool) {
      if (!this.includeObject(p, p.name, "checkConstraint", true, null)) continue;
      this.diff({ kind: "removeCheckConstraint", table, name: p.name ?? undefined, message: `removed check constraint ${p.name === null ? "" : `'${p.name}' `}on '${table}'` });
      ops.drops.push(this.dropConstraint(table, p));
    }
  }

  private compareTableComment(t: Table, r: Table, ops: { comment: Operation[] }): void {
    if (this.dialect === "sqlite") return;
    const tc = emptyToNull(t.comment);
    const rc = emptyToNull(r.comment);
    if (tc === rc) return;
    if (tc === null) {
      ops.comment.push(dropTableCommentOp(t.name, { existingComment: rc }));
      this.diff({ kind: "removeTableComment", table: t.name, message: `removed table comment on '${t.name}'` });
    } else {
      ops.comment.push(createTableCommentOp(t.name, tc, { existingComment: rc }));
      this.diff({
        kind: rc === null ? "addTableComment" : "modifyTableComment", table: t.name,
        message: `${rc === null ? "added" : "changed"} table comment on '${t.name}'`,
      });
    }
  }

  // ---------------------------------------------------------------- downgrade

  reverseAll(upgradeOps: readonly Operation[]): Operation[] {
    return reverseOperations(upgradeOps, { dialect: this.dialect, explicit: this.explicitReverse });
  }
}

function elementLabel(e: IndexElement): string {
  return typeof e === "string" ? e : e.sql;
}

const PG_STRINGISH = new Set(["string", "text", "enum", "custom"]);

/** `USING "col"::type` for PostgreSQL type changes that have no implicit (assignment) cast. */
export function pgUsing(column: string, from: SqlType, to: SqlType): string | null {
  const c = getCompiler("postgresql");
  const col = c.quoteIdentifier(column);
  if (to.kind === "enum") return `${col}::text::${c.quoteIdentifier(to.name)}`;
  if (from.kind === to.kind) return null;
  const target = c.renderType(to);
  if (PG_STRINGISH.has(from.kind) || from.kind === "json") {
    if (["integer", "bigInteger", "smallInteger", "numeric", "float", "boolean", "date", "time", "dateTime", "json", "uuid", "binary"].includes(to.kind)) {
      return from.kind === "enum" || from.kind === "json" ? `${col}::text::${target}` : `${col}::${target}`;
    }
  }
  if (to.kind === "boolean" && (from.kind === "integer" || from.kind === "smallInteger" || from.kind === "bigInteger")) return `${col}::${target}`;
  return null;
}

export interface ReverseOptions {
  dialect: DialectName;
  /** Inverses given explicitly (an empty list: the op's inverse is part of another op's). */
  explicit?: ReadonlyMap<Operation, readonly Operation[]>;
}

/**
 * The downgrade of a list of operations: each inverse, in reverse order. The indexes created for a
 * table created in the same list go away with the table (and MySQL would refuse to drop an index its
 * foreign key uses). Throws when an operation has no inverse.
 */
export function reverseOperations(ops: readonly Operation[], options: ReverseOptions): Operation[] {
  const created = new Set(ops.filter((op) => op.kind === "createTable").map((op) => (op as Extract<Operation, { kind: "createTable" }>).table.name));
  const out: Operation[] = [];
  for (const op of [...ops].reverse()) {
    const explicit = options.explicit?.get(op);
    if (explicit) {
      out.push(...explicit);
      continue;
    }
    if (op.kind === "createIndex" && created.has(op.table)) continue;
    let r = reverseOperation(op);
    // a recreate forced only to describe unnamed SQLite constraints (copyFrom) needn't be forced back
    if (r !== null && r.kind === "batchAlterTable" && op.kind === "batchAlterTable" && op.copyFrom !== null) {
      r = deepFreeze({ ...r, recreate: "auto" as const });
    }
    if (r === null) throw new AutogenerateError(`operation ${op.kind}${"table" in op && typeof op.table === "string" ? ` on '${op.table}'` : ""} has no inverse; the downgrade can't be written`);
    out.push(options.dialect === "postgresql" ? addPgUsing(r) : r);
  }
  return out;
}

function addPgUsing(op: Operation): Operation {
  if (op.kind === "alterColumn") {
    if (op.type === undefined || op.existingType === undefined || op.using !== undefined) return op;
    const using = pgUsing(op.column, op.existingType, op.type);
    return using ? deepFreeze({ ...op, using }) : op;
  }
  if (op.kind === "batchAlterTable") return deepFreeze({ ...op, ops: op.ops.map((c) => addPgUsing(c) as BatchChildOp) });
  return op;
}

/**
 * Compare a target schema with a reflected one. Pure: no database, no files.
 */
export function compareSchemas(target: DatabaseSchema, reflected: DatabaseSchema, options: CompareOptions): MigrationPlan {
  return new Comparator(options).run(target, reflected, options.excludeTables ?? []);
}

