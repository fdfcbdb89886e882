/**
 * Generated property test: random schemas (seeded PRNG, reproducible; the seed is in each test's
 * name) are applied by autogenerate from an empty database and then compare equal (`check` is clean,
 * and the generated downgrade restores the previous state); random edits are then diffed, applied and
 * compared again. On PostgreSQL, MariaDB and SQLite.
 *
 * Run other seeds with ATHANOR_AUTOGEN_SEEDS=11,12,13 (a failing seed reproduces exactly).
 */
import { after, before, describe, test } from "node:test";
import { renderTableItems } from "../../src/autogenerate/render.js";
import type { DialectName } from "../../src/dialects/types.js";
import { sa } from "../../src/schema/index.js";
import type { Column, Constraint, Index, ServerDefault, SqlType, Table } from "../../src/schema/types.js";
import { DIALECTS } from "../helpers/databases.js";
import { Harness, SA_IMPORT } from "./autogen-harness.test.js";
import { prng } from "../fixtures/prng.mjs";

const SEEDS = (process.env.ATHANOR_AUTOGEN_SEEDS ?? "1,2,3,4,5").split(",").map((s) => Number(s.trim()));
const TABLES = 3;
const EDIT_ROUNDS = 2;
const EDITS_PER_ROUND = 4;


class Gen {
  readonly rand: () => number;
  private n = 0;
  constructor(seed: number, readonly dialect: DialectName) {
    this.rand = prng(seed);
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.rand() * (hi - lo + 1));
  }
  pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.rand() * list.length)]!;
  }
  chance(p: number): boolean {
    return this.rand() < p;
  }
  name(prefix: string): string {
    return `${prefix}_${++this.n}`;
  }

  type(): SqlType {
    const d = this.dialect;
    const kinds = ["integer", "bigInteger", "smallInteger", "string", "text", "boolean", "dateTime", "date", "time", "numeric", "float", "json", "uuid", "binary", "enum"];
    switch (this.pick(kinds)) {
      case "integer": return sa.integer();
      case "bigInteger": return sa.bigInteger();
      case "smallInteger": return sa.smallInteger();
      case "string": return sa.string(this.pick([10, 20, 50, 100, 255]));
      case "text": return sa.text();
      case "boolean": return sa.boolean();
      case "dateTime": return sa.dateTime({ timezone: this.chance(0.5) });
      case "date": return sa.date();
      case "time": return sa.time();
      case "numeric": return this.chance(0.2) ? sa.numeric() : sa.numeric(this.pick([5, 10, 12]), this.pick([0, 2, 4]));
      case "float": return sa.float();
      case "json": return sa.json();
      case "uuid": return sa.uuid();
      case "binary": return sa.binary();
      default: {
        const values = this.pick([["a", "b"], ["new", "active", "closed"], ["low", "mid", "high"]]);
        return sa.enumType(d === "postgresql" ? this.name("kind") : "e", values);
      }
    }
  }

  /** A server default valid for the type on every dialect, or null. */
  serverDefault(t: SqlType): ServerDefault | null {
    if (!this.chance(0.5)) return null;
    switch (t.kind) {
      case "integer":
      case "bigInteger":
      case "smallInteger": return this.pick([0, 1, 42, -7, sa.sql("5")]);
      case "numeric": return t.scale === null || t.scale === 0 ? this.pick([0, 3]) : this.pick([0, "1.50", 2.25]);
      case "float": return this.pick([0, 1.5, -2.25]);
      case "boolean": return this.pick([true, false, sa.sql("true"), sa.sql("false")]);
      case "string": return this.pick(["x", "it's", (t.length ?? 99) >= 11 ? "hello world" : "hi", sa.sql("'q'")]);
      case "enum": return this.pick(t.values);
      case "dateTime": return sa.sql("CURRENT_TIMESTAMP");
      default: return null;
    }
  }

  column(): Column {
    const type = this.type();
    const nullable = this.chance(0.6);
    const d = this.serverDefault(type);
    return sa.column(this.name("c"), type, {
      nullable,
      serverDefault: d,
      comment: this.dialect !== "sqlite" && this.chance(0.2) ? `note ${this.n}` : null,
    });
  }

  /** Column types that can be indexed / made unique on every dialect without prefix lengths. */
  indexable(c: Column): boolean {
    return ["integer", "bigInteger", "smallInteger", "string", "date", "numeric", "boolean", "uuid"].includes(c.type.kind)
      && !(c.type.kind === "string" && (c.type.length ?? 0) > 100);
  }

  table(existing: Table[]): Table {
    const name = this.name("t");
    const cols: Column[] = [sa.column("id", sa.integer(), { primaryKey: true, autoincrement: true })];
    const n = this.int(2, 5);
    for (let i = 0; i < n; i++) cols.push(this.column());
    const items: (Column | Constraint | Index | { comment: string })[] = [...cols];
    this.addExtras(name, cols, existing, items);
    if (this.dialect !== "sqlite" && this.chance(0.3)) items.push({ comment: `table ${name}` });
    return sa.table(name, ...items);
  }

  addExtras(table: string, cols: Column[], others: Table[], items: unknown[], existing: readonly Constraint[] = []): void {
    const idx = cols.filter((c) => c.name !== "id" && this.indexable(c));
    if (idx.length > 0 && this.chance(0.6)) {
      const c = this.pick(idx);
      const partial = this.dialect !== "mysql" && c.type.kind === "integer" && this.chance(0.3);
      items.push(sa.index(this.name(`ix_${table}`), [c.name], { unique: this.chance(0.3), where: partial ? `${c.name} > 0` : null }));
    }
    if (idx.length > 0 && this.chance(0.4)) {
      const c = this.pick(idx);
      items.push(sa.unique([c.name], { name: this.chance(0.5) ? this.name(`uq_${table}`) : null }));
    }
    const checked = new Set(existing.flatMap((c) => (c.kind === "check" ? [c.condition.split(" ")[0]!] : [])));
    const ints = cols.filter((c) => c.name !== "id" && c.type.kind === "integer" && !checked.has(c.name));
    if (ints.length > 0 && others.length > 0 && this.chance(0.6)) {
      const c = this.pick(ints);
      const ref = this.pick(others);
      items.push(sa.foreignKey([c.name], ref.name, ["id"], {
        name: this.chance(0.5) ? this.name(`fk_${table}`) : null,
        onDelete: this.pick([null, "CASCADE", c.nullable ? "SET NULL" : null]),
      }));
    }
    // MariaDB refuses CHECKs on a column of a foreign key with a referential action
    const fkCols = new Set([...existing, ...(items as Constraint[])].flatMap((c) => (c.kind === "foreignKey" ? c.columns : [])));
    const nums = cols.filter((c) => c.name !== "id" && !fkCols.has(c.name) && ["integer", "numeric", "smallInteger"].includes(c.type.kind));
    if (nums.length > 0 && this.chance(0.4)) {
      const c = this.pick(nums);
      items.push(sa.check(`${c.name} >= -100`, { name: this.chance(0.6) ? this.name(`ck_${table}`) : null }));
    }
  }
}

/** A table as a mutable bag of items, to edit and rebuild with sa.table. */
interface Draft {
  name: string;
  columns: Column[];
  constraints: Constraint[];
  indexes: Index[];
  comment: string | null;
}

function draft(t: Table): Draft {
  return { name: t.name, columns: [...t.columns], constraints: [...t.constraints], indexes: [...t.indexes], comment: t.comment };
}

function build(d: Draft): Table {
  return sa.table(d.name, ...d.columns, ...d.constraints, ...d.indexes, { comment: d.comment });
}

function uses(c: Constraint | Index, col: string): boolean {
  if (c.kind === "check") return c.condition.includes(col);
  if (c.kind === "index") return c.columns.includes(col) || (c.where ?? "").includes(col);
  return c.columns.includes(col);
}

/** Apply one random edit to the drafts (keeping the schema consistent). */
function edit(g: Gen, drafts: Draft[]): void {
  const t = g.pick(drafts);
  const nonPk = t.columns.filter((c) => c.name !== "id");
  const what = g.pick([
    "addColumn", "dropColumn", "type", "nullable", "default", "index", "unique", "fk", "check", "comment", "addTable", "dropTable",
    "enum",
  ]);
  switch (what) {
    case "addColumn":
      t.columns.push(g.column());
      return;
    case "dropColumn": {
      if (nonPk.length <= 1) return;
      const c = g.pick(nonPk);
      t.columns = t.columns.filter((x) => x !== c);
      t.constraints = t.constraints.filter((x) => !uses(x, c.name));
      t.indexes = t.indexes.filter((x) => !uses(x, c.name));
      return;
    }
    case "type": {
      const widen = nonPk.filter((c) => ["string", "smallInteger", "integer", "numeric"].includes(c.type.kind));
      if (widen.length === 0) return;
      const c = widen[Math.floor(g.rand() * widen.length)]!;
      let type: SqlType;
      if (c.type.kind === "string") type = g.chance(0.3) && !t.constraints.concat(t.indexes as never[]).some((x) => uses(x, c.name)) ? sa.text() : sa.string((c.type.length ?? 50) + 30);
      else if (c.type.kind === "smallInteger") type = sa.integer();
      else if (c.type.kind === "integer") {
        // an integer referencing another table's id stays an integer
        if (t.constraints.some((x) => x.kind === "foreignKey" && x.columns.includes(c.name))) return;
        type = sa.bigInteger();
      } else type = sa.numeric(14, 4);
      // keep defaults valid for the new type
      const serverDefault = type.kind === "text" ? null : c.serverDefault;
      t.columns = t.columns.map((x) => (x === c ? { ...x, type, serverDefault } : x));
      return;
    }
    case "nullable": {
      if (nonPk.length === 0) return;
      const c = g.pick(nonPk);
      t.columns = t.columns.map((x) => (x === c ? { ...x, nullable: !x.nullable } : x));
      // SET NULL needs a nullable column
      if (c.nullable) t.constraints = t.constraints.filter((x) => !(x.kind === "foreignKey" && x.columns.includes(c.name) && x.onDelete === "SET NULL"));
      return;
    }
    case "default": {
      if (nonPk.length === 0) return;
      const c = g.pick(nonPk);
      const d = g.serverDefault(c.type);
      t.columns = t.columns.map((x) => (x === c ? { ...x, serverDefault: d } : x));
      return;
    }
    case "index":
    case "unique":
    case "fk":
    case "check": {
      const kind = what === "index" ? "index" : what === "unique" ? "unique" : what === "fk" ? "foreignKey" : "check";
      const existing = kind === "index" ? t.indexes : t.constraints.filter((c) => c.kind === kind);
      if (existing.length > 0 && g.chance(0.5)) {
        const victim = g.pick(existing as (Constraint | Index)[]);
        t.indexes = t.indexes.filter((x) => x !== victim);
        t.constraints = t.constraints.filter((x) => x !== victim);
        return;
      }
      const items: unknown[] = [];
      const others = drafts.filter((x) => x !== t).map(build);
      g.addExtras(t.name, t.columns, others, items, t.constraints);
      for (const it of items as (Constraint | Index)[]) {
        if (it.kind !== kind) continue;
        if (it.kind === "index") t.indexes.push(it);
        else t.constraints.push(it);
      }
      return;
    }
    case "enum": {
      // a value added to an enum (anywhere in the list)
      const enums = nonPk.filter((c) => c.type.kind === "enum");
      if (enums.length === 0) return;
      const c = g.pick(enums);
      if (c.type.kind !== "enum") return;
      const values = [...c.type.values];
      values.splice(g.int(0, values.length), 0, `v${g.int(1, 999)}`);
      if (new Set(values).size !== values.length) return;
      const type = sa.enumType(c.type.name, values);
      t.columns = t.columns.map((x) => (x === c ? { ...x, type } : x));
      return;
    }
    case "comment":
      if (g.dialect === "sqlite") return;
      t.comment = t.comment === null ? `comment ${g.int(1, 99)}` : g.chance(0.5) ? null : `${t.comment}!`;
      return;
    case "addTable":
      drafts.push(draft(g.table(drafts.map(build))));
      return;
    case "dropTable": {
      if (drafts.length <= 1) return;
      const referenced = drafts.some((x) => x !== t && x.constraints.some((c) => c.kind === "foreignKey" && c.referentTable === t.name));
      if (referenced) return;
      drafts.splice(drafts.indexOf(t), 1);
      return;
    }
  }
}

function source(tables: Table[]): string {
  return SA_IMPORT + tables.map((t, i) => `\nexport const t${i} = sa.table(\n  ${JSON.stringify(t.name)},\n  ${renderTableItems(t).join(",\n  ")},\n);\n`).join("");
}

for (const dialect of DIALECTS) {
  describe(`random schemas round-trip through autogenerate on ${dialect}`, () => {
    for (const seed of SEEDS) {
      describe(`seed ${seed}`, () => {
        let h: Harness;
        let g: Gen;
        let drafts: Draft[];
        before(async () => {
          h = await Harness.create(dialect);
          g = new Gen(seed * 7919 + DIALECTS.indexOf(dialect), dialect);
        });
        after(async () => {
          await h.close();
        });

        test(`seed ${seed}: ${TABLES} random tables from an empty database`, async () => {
          const tables: Table[] = [];
          for (let i = 0; i < TABLES; i++) tables.push(g.table(tables));
          drafts = tables.map(draft);
          await h.step(source(tables), ["addTable"]);
        });

        for (let round = 1; round <= EDIT_ROUNDS; round++) {
          test(`seed ${seed}: edit round ${round} (${EDITS_PER_ROUND} random edits)`, async () => {
            for (let i = 0; i < EDITS_PER_ROUND; i++) edit(g, drafts);
            await h.step(source(drafts.map(build)), []);
          });
        }
      });
    }
  });
}
