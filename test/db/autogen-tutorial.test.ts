/**
 * Autogenerate of the tutorial's User and Order models from an empty database: the revision is
 * equivalent to the hand-written examples/tutorial one (same operations up and down), and applying it
 * makes `check` pass, on PostgreSQL, MariaDB and SQLite.
 */
import assert from "node:assert/strict";
import { resolve } from "node:path";
import { after, before, describe, test } from "node:test";
import type { DialectName } from "../../src/dialects/types.js";
import { Operations, type OpExecutor, type Operation } from "../../src/operations/index.js";
import { importTypeScript } from "../../src/script/versions.js";
import { DIALECTS } from "../helpers/databases.js";
import { Harness, SA_IMPORT, type StepResult } from "./autogen-harness.test.js";

const TUTORIAL = resolve(import.meta.dirname, "../../examples/tutorial/versions/3a8f1c2d4b7e_add_users_and_orders_tables.ts");

export const TUTORIAL_SCHEMA = `${SA_IMPORT}
export const users = sa.table(
  "users",
  sa.column("id", sa.integer(), { primaryKey: true, autoincrement: true }),
  sa.column("username", sa.string(50), { nullable: false, unique: true }),
  sa.column("email", sa.string(255), { nullable: false, unique: true }),
  sa.column("full_name", sa.string(100), { nullable: true }),
  sa.column("is_active", sa.boolean(), { nullable: false, serverDefault: sa.sql("true") }),
  sa.column("created_at", sa.dateTime({ timezone: true }), { nullable: false, serverDefault: sa.sql("CURRENT_TIMESTAMP") }),
);

export const orders = sa.table(
  "orders",
  sa.column("id", sa.integer(), { primaryKey: true, autoincrement: true }),
  sa.column("user_id", sa.integer(), { nullable: false }),
  sa.column("total_amount", sa.numeric(10, 2), { nullable: false }),
  sa.column("status", sa.string(20), { nullable: false, serverDefault: "pending" }),
  sa.column("created_at", sa.dateTime({ timezone: true }), { nullable: false, serverDefault: sa.sql("CURRENT_TIMESTAMP") }),
  sa.foreignKey(["user_id"], "users", ["id"], { onDelete: "CASCADE" }),
  sa.index("ix_orders_user_id", ["user_id"]),
);
`;

/** The operations a revision module's upgrade/downgrade performs (recorded offline, nothing executed). */
async function recordedOps(path: string, dialect: DialectName, direction: "upgrade" | "downgrade"): Promise<Operation[]> {
  const executor: OpExecutor = {
    dialect,
    offline: true,
    run: async () => {},
    query: async () => {
      throw new Error("no queries while recording");
    },
    autocommit: (fn) => fn(),
  };
  const op = new Operations(executor);
  const mod = await importTypeScript(path);
  await mod[direction](op, { dialect, offline: true, direction: direction === "upgrade" ? "up" : "down", x: {}, tag: undefined });
  return op.log;
}

for (const dialect of DIALECTS) {
  describe(`autogenerate the tutorial models on ${dialect}`, () => {
    let h: Harness;
    let step: StepResult;
    before(async () => {
      h = await Harness.create(dialect);
    });
    after(async () => {
      await h.close();
    });

    test("from an empty database: two tables and an index are detected", async () => {
      step = await h.autogen(TUTORIAL_SCHEMA, { message: "add users and orders tables" });
      assert.deepEqual(step.differences.map((d) => d.message), [
        "added table 'users'",
        "added table 'orders'",
        "added index 'ix_orders_user_id' on 'orders' (user_id)",
      ]);
      assert.match(h.log.lines.join("\n"), /INFO {2}Detected added table 'users'/);
      assert.match(step.text, /await op\.createTable\(\n {4}"users",\n {4}sa\.column\("id", sa\.integer\(\), \{ primaryKey: true, autoincrement: true \}\),/);
    });

    test("the revision is equivalent to the hand-written tutorial migration", async () => {
      const path = step.result.revisions[0]!.path;
      assert.deepEqual(await recordedOps(path, dialect, "upgrade"), await recordedOps(TUTORIAL, dialect, "upgrade"));
      assert.deepEqual(await recordedOps(path, dialect, "downgrade"), await recordedOps(TUTORIAL, dialect, "downgrade"));
    });

    test("applying it makes check pass; downgrade leaves an empty database", async () => {
      await h.upgrade();
      const c = await h.check();
      assert.deepEqual(c, { upToDate: true, differences: [] });
      await h.downgrade("base");
      assert.deepEqual((await h.introspect()).tables, []);
      await h.upgrade();
      assert.equal((await h.check()).upToDate, true);
    });

    test("a second autogenerate right after finds nothing and writes an empty revision", async () => {
      const again = await h.autogen(TUTORIAL_SCHEMA, { message: "nothing" });
      assert.deepEqual(again.differences, []);
      assert.match(again.text, /\/\/ no changes detected/);
      assert.match(h.log.lines.join("\n"), /No changes in schema detected\./);
    });
  });
}
