/**
 * Rendering operations as TypeScript: readable `op.*` / `sa.*` calls that, run, perform exactly the
 * operations rendered (round trip through the real `op` facade); warnings; `--rename` parsing; the
 * interactive question; Prettier as a post-write hook.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { PassThrough } from "node:stream";
import { describe, test } from "node:test";
import { compareSchemas } from "../../src/autogenerate/compare.js";
import { formatWithProjectPrettier } from "../../src/autogenerate/prettier.js";
import { parseRenames, renameQuestion, terminalPrompt, withRename } from "../../src/autogenerate/renames.js";
import {
  BEGIN_MARKER, END_MARKER, renderColumn, renderOperationCall, renderOperations, renderRevisionBody, renderTableItems, renderType,
} from "../../src/autogenerate/render.js";
import type { DialectName } from "../../src/dialects/types.js";
import { Operations, type OpExecutor, type Operation } from "../../src/operations/index.js";
import { sa } from "../../src/schema/index.js";
import type { SqlType, Table } from "../../src/schema/types.js";

const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...args: string[]) => (...a: unknown[]) => Promise<void>;

/** Run rendered statements against a recording `op` (offline, nothing executed) and return what it did. */
async function run(code: string): Promise<Operation[]> {
  const executor: OpExecutor = {
    dialect: "postgresql",
    offline: true,
    run: async () => {},
    query: async () => [],
    autocommit: (fn) => fn(),
  };
  const op = new Operations(executor);
  await new AsyncFunction("op", "sa", code)(op, sa);
  return op.log;
}

/** A table up to the spelling of its unique constraints (`unique: true` on a column or `sa.unique`). */
function tableShape(t: Table): unknown {
  return {
    ...t,
    columns: t.columns.map((c) => ({ ...c, unique: false, index: false })),
    constraints: t.constraints.map((c) => JSON.stringify(c)).sort(),
  };
}

/** What rendering keeps of an operation (the `existing` state of drops is the downgrade's business). */
function rendered(op: Operation): unknown {
  const o: Record<string, unknown> = { ...op };
  if (op.kind === "createTable") o.table = tableShape(op.table);
  if (op.kind === "batchAlterTable" && op.copyFrom) o.copyFrom = tableShape(op.copyFrom);
  for (const k of ["existingServerDefault", "existingComment"]) if (o[k] === null) delete o[k];
  if (op.kind === "dropTable" || op.kind === "dropColumn" || op.kind === "dropIndex" || op.kind === "dropConstraint") o.existing = null;
  if (op.kind === "dropEnum") o.values = null;
  if ((op.kind === "createTableComment" || op.kind === "dropTableComment") && o.existingComment === undefined) delete o.existingComment;
  if (op.kind === "batchAlterTable") o.ops = op.ops.map(rendered);
  return JSON.parse(JSON.stringify(o));
}

const base = sa.table(
  "users",
  sa.column("id", sa.integer(), { primaryKey: true, autoincrement: true }),
  sa.column("name", sa.string(50), { nullable: false, comment: `a "name"` }),
  sa.column("age", sa.smallInteger(), { nullable: true, serverDefault: 0 }),
  sa.column("legacy", sa.text(), { nullable: true }),
  sa.unique(["name"], { name: "uq_users_name" }),
  sa.check("age >= 0", { name: "ck_users_age" }),
  sa.index("ix_users_legacy", ["legacy"]),
  { comment: "people" },
);
const next = sa.table(
  "users",
  sa.column("id", sa.integer(), { primaryKey: true, autoincrement: true }),
  sa.column("name", sa.string(80), { nullable: true, serverDefault: "it's" }),
  sa.column("age", sa.smallInteger(), { nullable: true }),
  sa.column("email", sa.string(120), { nullable: true }),
  sa.column("status", sa.enumType("status", ["a", "b"]), { nullable: false, serverDefault: "a" }),
  sa.unique(["email"], { name: "uq_users_email" }),
  sa.foreignKey(["age"], "ages", ["id"], { name: "fk_age", onDelete: "SET NULL", deferrable: true, initiallyDeferred: true }),
  sa.index("ix_users_lower", [sa.sql("lower(name)")], { unique: true, where: "age > 0" }),
);
const ages = sa.table("ages", sa.column("id", sa.integer(), { primaryKey: true }), sa.column("label", sa.string(10), { nullable: false, unique: true }));

describe("rendering", () => {
  test("types and columns as a person writes them", () => {
    const types: [SqlType, string][] = [
      [sa.integer(), "sa.integer()"], [sa.string(), "sa.string()"], [sa.string(20), "sa.string(20)"],
      [sa.dateTime({ timezone: true }), "sa.dateTime({ timezone: true })"], [sa.dateTime(), "sa.dateTime()"],
      [sa.numeric(10, 2), "sa.numeric(10, 2)"], [sa.numeric(10), "sa.numeric(10)"], [sa.numeric(), "sa.numeric()"],
      [sa.enumType("mood", ["ok", "it's"]), `sa.enumType("mood", ["ok", "it's"])`], [sa.customType("jsonb"), `sa.customType("jsonb")`],
    ];
    for (const [t, text] of types) assert.equal(renderType(t), text);
    assert.equal(renderColumn(sa.column("a", sa.boolean(), { nullable: false, serverDefault: sa.sql("true") })),
      `sa.column("a", sa.boolean(), { nullable: false, serverDefault: sa.sql("true") })`);
    assert.equal(renderColumn(sa.column("b", sa.text())), `sa.column("b", sa.text(), { nullable: true })`);
  });

  test("a table renders back to the same table", () => {
    for (const t of [base, next, ages]) {
      const code = `return sa.table(${JSON.stringify(t.name)}, ${renderTableItems(t).join(", ")});`;
      assert.deepEqual(new Function("sa", code)(sa), t);
    }
    const composite = sa.table("p", sa.column("b", sa.integer()), sa.column("a", sa.integer()), sa.primaryKey(["a", "b"]));
    assert.deepEqual(new Function("sa", `return sa.table("p", ${renderTableItems(composite).join(", ")});`)(sa), composite);
  });

  for (const dialect of ["postgresql", "mysql", "sqlite"] as DialectName[]) {
    test(`rendered operations perform exactly the operations rendered (${dialect}), up and down`, async () => {
      const plans = [
        compareSchemas({ tables: [next, ages], enums: [] }, { tables: [base], enums: [] }, { dialect }),
        compareSchemas({ tables: [base], enums: [] }, { tables: [next], enums: [sa.enumType("status", ["a", "b"])] }, { dialect }),
        compareSchemas({ tables: [base], enums: [] }, { tables: [], enums: [] }, { dialect }),
      ];
      for (const plan of plans) {
        for (const ops of [plan.upgradeOps, plan.downgradeOps]) {
          const code = renderOperations(ops);
          assert.deepEqual((await run(code)).map(rendered), ops.map(rendered), code);
        }
      }
    });
  }

  test("the body: markers, warnings before the operation they concern, an empty body", () => {
    const plan = compareSchemas(
      { tables: [sa.table("users", base.columns[0]!, sa.column("nick", sa.string(50), { nullable: false }))], enums: [] },
      { tables: [sa.table("users", base.columns[0]!, base.columns[1]!)], enums: [] },
      { dialect: "postgresql" },
    );
    const body = renderRevisionBody({ upgradeOps: plan.upgradeOps, downgradeOps: plan.downgradeOps, warnings: plan.warnings, imports: [] });
    assert.equal(body.upgrades, [
      BEGIN_MARKER,
      "// WARNING: drops column users.name and adds users.nick: DATA IN name WILL BE LOST. If this is a rename, rerun with --rename users.name:nick",
      `await op.addColumn("users", sa.column("nick", sa.string(50), { nullable: false }));`,
      `await op.dropColumn("users", "name");`,
      END_MARKER,
    ].join("\n"));
    assert.match(body.downgrades, /await op\.addColumn\("users", sa\.column\("name", sa\.string\(50\), \{ nullable: false, comment: "a \\"name\\"" \}\)\);/);
    assert.equal(renderOperations([]), `${BEGIN_MARKER}\n// no changes detected\n${END_MARKER}`);
  });

  test("long calls break at the options object", () => {
    const text = renderOperationCall({
      kind: "alterColumn", table: "a_rather_long_table_name", column: "a_rather_long_column_name", type: sa.string(100),
      existingType: sa.string(50), existingNullable: false,
    });
    assert.equal(text, [
      `op.alterColumn("a_rather_long_table_name", "a_rather_long_column_name", {`,
      "  type: sa.string(100),",
      "  existingType: sa.string(50),",
      "  existingNullable: false,",
      "})",
    ].join("\n"));
  });
});

describe("renames", () => {
  test("--rename flags", () => {
    assert.deepEqual(parseRenames(["users.full_name:display_name", "old:new", "users.a:users.b"]), {
      tables: { old: "new" },
      columns: { users: { full_name: "display_name", a: "b" } },
    });
    for (const bad of ["nocolon", ":x", "x:", "a:b:c", "t.a:u.b", "a:b.c"]) assert.throws(() => parseRenames([bad]), /--rename/);
    assert.deepEqual(withRename({}, { kind: "column", table: "t", from: "a", to: "b" }), { columns: { t: { a: "b" } } });
  });

  test("the question on a terminal: y/yes confirm, anything else declines", async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    let shown = "";
    output.on("data", (d) => (shown += String(d)));
    const prompt = terminalPrompt(input, output);
    const c = { kind: "column", table: "users", from: "full_name", to: "display_name" } as const;
    const first = prompt(c);
    input.write("y\n");
    assert.equal(await first, true);
    const second = prompt({ kind: "table", from: "a", to: "b" });
    input.write("no\n");
    assert.equal(await second, false);
    prompt.close();
    assert.ok(shown.includes(renameQuestion(c)));
    assert.match(renameQuestion(c), /Column 'users\.full_name' is dropped and 'users\.display_name' is added\. Is it a rename/);
  });
});

describe("prettier post-write hook", () => {
  const repoModules = resolve(import.meta.dirname, "../../node_modules");

  test("formats with the project's Prettier and its config", async () => {
    const dir = mkdtempSync(join(tmpdir(), "athanor-prettier-"));
    try {
      symlinkSync(repoModules, join(dir, "node_modules"), "dir");
      writeFileSync(join(dir, ".prettierrc"), JSON.stringify({ singleQuote: true, printWidth: 60 }));
      const file = join(dir, "rev.ts");
      writeFileSync(file, `export const x = {a:1,   b:"two"}\n`);
      assert.equal(await formatWithProjectPrettier(file, dir), true);
      assert.equal(readFileSync(file, "utf8"), `export const x = { a: 1, b: 'two' };\n`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("without Prettier the file is left alone", async () => {
    const dir = mkdtempSync(join(tmpdir(), "athanor-prettier-"));
    try {
      const file = join(dir, "rev.ts");
      writeFileSync(file, `export const x = {a:1}\n`);
      assert.equal(await formatWithProjectPrettier(file, dir), false);
      assert.equal(readFileSync(file, "utf8"), `export const x = {a:1}\n`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

