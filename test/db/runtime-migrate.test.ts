/**
 * The migration runtime against real databases: upgrade / downgrade / stamp / current,
 * version rows through branches and merges, the history table and checksum drift.
 */
import assert from "node:assert/strict";
import { appendFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createHash } from "node:crypto";
import { after, before, describe, test } from "node:test";
import * as runtime from "../../src/runtime/migrate.js";
import { MigrationError } from "../../src/runtime/errors.js";
import { createTestDatabase, DIALECTS, type TestDatabase } from "../helpers/databases.js";
import { makeProject, type TestProject } from "../helpers/revisions.js";
import { hasTable, historyRows, runtimeOptions, versionRows } from "../helpers/runtime.js";

const R1 = "1a2b3c4d5e01";
const R2 = "1a2b3c4d5e02";
const R3 = "1a2b3c4d5e03";
const R4 = "1a2b3c4d5e04";

function writeLinear(p: TestProject): Record<string, string> {
  return {
    [R1]: p.write({
      rev: R1,
      down: null,
      message: "create users",
      upgrade: `await op.execute("CREATE TABLE users (id integer PRIMARY KEY, name varchar(50))");`,
      downgrade: `await op.execute("DROP TABLE users");`,
    }),
    [R2]: p.write({
      rev: R2,
      down: R1,
      message: "create orders",
      upgrade: `await op.execute("CREATE TABLE orders (id integer PRIMARY KEY, user_id integer)");`,
      downgrade: `await op.execute("DROP TABLE orders");`,
    }),
    [R3]: p.write({
      rev: R3,
      down: R2,
      message: "add email to users",
      upgrade: `await op.execute("ALTER TABLE users ADD COLUMN email varchar(100)");`,
      downgrade: `await op.execute("ALTER TABLE users DROP COLUMN email");`,
    }),
    [R4]: p.write({
      rev: R4,
      down: R3,
      message: "seed users",
      upgrade: `await op.execute("INSERT INTO users (id, name, email) VALUES (?, ?, ?)", [1, "ann", "ann@example.com"]);
const rows = await op.query("SELECT name FROM users WHERE id = 1");
if (rows.length !== 1 || rows[0].name !== "ann") throw new Error("op.query did not see the row");`,
      downgrade: `await op.execute("DELETE FROM users WHERE id = 1");`,
    }),
  };
}

for (const dialect of DIALECTS) {
  describe(`runtime on ${dialect}`, () => {
    let db: TestDatabase;
    let project: TestProject;
    before(async () => {
      db = await createTestDatabase(dialect);
      project = makeProject();
    });
    after(async () => {
      await db?.drop();
      project?.remove();
    });

    test("current on an empty database creates nothing", async () => {
      const opts = runtimeOptions(db.url, project.versions);
      writeLinear(project);
      const result = await runtime.current(runtimeOptions(db.url, project.versions));
      assert.deepEqual(result, { rows: [], heads: [] });
      assert.equal(await hasTable(db.url, "athanor_version"), false);
      assert.equal(await hasTable(db.url, "athanor_history"), false);
      void opts;
    });

    test("upgrade head, downgrade -1, downgrade base, upgrade +2, stamp, current", async () => {
      const files = writeLinear(project);
      let opts = runtimeOptions(db.url, project.versions);
      const up = await runtime.upgrade(opts, "head");
      assert.deepEqual(
        up.steps.map((s) => s.revision),
        [R1, R2, R3, R4],
      );
      assert.ok(up.steps.every((s) => s.direction === "up"));
      assert.deepEqual(up.current, [R4]);
      const impl = { postgresql: "PostgresqlImpl", mysql: "MySQLImpl", sqlite: "SQLiteImpl" }[dialect];
      assert.deepEqual(opts.log.lines.slice(0, 2), [
        `INFO  Context impl ${impl}.`,
        dialect === "mysql" ? "INFO  Will assume non-transactional DDL." : "INFO  Will assume transactional DDL.",
      ]);
      const running = opts.log.lines.filter((l) => l.includes("Running"));
      assert.deepEqual(running, [
        `INFO  Running upgrade  -> ${R1}, create users`,
        `INFO  Running upgrade ${R1} -> ${R2}, create orders`,
        `INFO  Running upgrade ${R2} -> ${R3}, add email to users`,
        `INFO  Running upgrade ${R3} -> ${R4}, seed users`,
      ]);
      assert.deepEqual(await versionRows(db.url), [R4]);
      assert.equal(await hasTable(db.url, "users"), true);

      const history = await historyRows(db.url);
      assert.deepEqual(
        history.map((h) => [h.revision, h.direction]),
        [R1, R2, R3, R4].map((r) => [r, "up"]),
      );
      const sha = (p: string) => createHash("sha256").update(readFileSync(p)).digest("hex");
      assert.equal(history[0]!.checksum, sha(files[R1]!));
      assert.ok(history.every((h) => h.durationMs >= 0 && h.toolVersion === "0.1.0"));

      // Nothing left to do: no step, no error.
      opts = runtimeOptions(db.url, project.versions);
      assert.deepEqual(await runtime.upgrade(opts, "head"), { steps: [], current: [R4] });

      opts = runtimeOptions(db.url, project.versions);
      const down1 = await runtime.downgrade(opts, "-1");
      assert.deepEqual(down1, { steps: [{ revision: R4, direction: "down" }], current: [R3] });
      assert.ok(opts.log.lines.includes(`INFO  Running downgrade ${R4} -> ${R3}, seed users`));

      opts = runtimeOptions(db.url, project.versions);
      const downBase = await runtime.downgrade(opts, "base");
      assert.deepEqual(
        downBase.steps.map((s) => s.revision),
        [R3, R2, R1],
      );
      assert.deepEqual(downBase.current, []);
      assert.ok(opts.log.lines.includes(`INFO  Running downgrade ${R1} -> , create users`));
      assert.equal(await hasTable(db.url, "users"), false);
      assert.deepEqual(await versionRows(db.url), []);
      // The version table stays (Alembic never drops it online).
      assert.equal(await hasTable(db.url, "athanor_version"), true);

      const plus2 = await runtime.upgrade(runtimeOptions(db.url, project.versions), "+2");
      assert.deepEqual(plus2.current, [R2]);
      assert.equal(await hasTable(db.url, "orders"), true);

      const cur = await runtime.current(runtimeOptions(db.url, project.versions));
      assert.deepEqual(cur, { rows: [R2], heads: [R2] });

      // stamp moves the version table only.
      opts = runtimeOptions(db.url, project.versions);
      assert.deepEqual(await runtime.stamp(opts, [R4]), { current: [R4] });
      assert.ok(opts.log.lines.includes(`INFO  Running stamp_revision ${R2} -> ${R4}`));
      assert.deepEqual(await runtime.current(runtimeOptions(db.url, project.versions)), { rows: [R4], heads: [R4] });
      assert.deepEqual(await runtime.stamp(runtimeOptions(db.url, project.versions), ["base"]), { current: [] });
      assert.deepEqual(await runtime.stamp(runtimeOptions(db.url, project.versions), [R2]), { current: [R2] });
      // Stamping changes no history.
      assert.equal((await historyRows(db.url)).length, 4 + 1 + 3 + 2);

      const rest = await runtime.upgrade(runtimeOptions(db.url, project.versions), "head");
      assert.deepEqual(
        rest.steps.map((s) => s.revision),
        [R3, R4],
      );
      assert.deepEqual(rest.current, [R4]);
    });

    test("checksum drift: warning, and failure with strict", async () => {
      // Continues from the previous test: R1..R4 applied.
      const path = writeLinear(project)[R2]!;
      appendFileSync(path, "\n// edited after it was applied\n");
      const opts = runtimeOptions(db.url, project.versions);
      await runtime.upgrade(opts, "head");
      const warnings = opts.log.lines.filter((l) => l.startsWith("WARN"));
      assert.equal(warnings.length, 1);
      assert.match(warnings[0]!, new RegExp(`^WARN  Revision ${R2} \\(.*${R2}_create_orders\\.ts\\) has changed since it was applied$`));

      await assert.rejects(
        runtime.upgrade(runtimeOptions(db.url, project.versions, { strict: true }), "head"),
        (e: unknown) => e instanceof MigrationError && /^Revision 1a2b3c4d5e02 \(.*\) has changed since it was applied/.test(e.message),
      );
      // Re-applying the revision records the new checksum: no more warning.
      await runtime.downgrade(runtimeOptions(db.url, project.versions), R1);
      const again = runtimeOptions(db.url, project.versions);
      await runtime.upgrade(again, "head");
      assert.deepEqual(
        again.log.lines.filter((l) => l.startsWith("WARN")),
        [],
      );
    });

    test("ensureVersion creates the tables; a custom version table name", async () => {
      const db2 = await createTestDatabase(dialect);
      try {
        await runtime.ensureVersion(runtimeOptions(db2.url, project.versions));
        assert.equal(await hasTable(db2.url, "athanor_version"), true);
        assert.equal(await hasTable(db2.url, "athanor_history"), true);
        const opts = runtimeOptions(db2.url, project.versions, { versionTable: "My Versions", historyTable: "my_history" });
        const result = await runtime.upgrade(opts, R2);
        assert.deepEqual(result.current, [R2]);
        assert.equal(await hasTable(db2.url, "My Versions"), true);
        assert.equal(await hasTable(db2.url, "my_history"), true);
        assert.deepEqual(await versionRows(db2.url), []);
        assert.deepEqual(await runtime.current(opts), { rows: [R2], heads: [R2] });
      } finally {
        await db2.drop();
      }
    });

    test("op.autocommitBlock runs outside the revision's transaction; context carries -x and tag", async () => {
      const db2 = await createTestDatabase(dialect);
      const p = makeProject();
      const outside = {
        postgresql: `await op.execute("CREATE INDEX CONCURRENTLY ix_items_id ON items (id)");`,
        mysql: `await op.execute("CREATE INDEX ix_items_id ON items (id)");`,
        sqlite: `await op.execute("VACUUM");`,
      }[dialect];
      try {
        p.write({
          rev: "ac0000000001",
          down: null,
          message: "items",
          upgrade: `if (context.x.mode !== "fast" || context.tag !== "v1" || context.offline) throw new Error("bad context");
await op.execute("CREATE TABLE items (id integer)");
await op.autocommitBlock(async () => {
  ${outside}
});
await op.execute("INSERT INTO items (id) VALUES (1)");`,
          downgrade: `await op.execute("DROP TABLE items");`,
        });
        p.write({ rev: "ac0000000002", down: "ac0000000001", message: "second", upgrade: `await op.execute("DELETE FROM items");` });
        const opts = runtimeOptions(db2.url, p.versions, { xArgs: { mode: "fast" }, tag: "v1" });
        assert.deepEqual((await runtime.upgrade(opts, "head")).current, ["ac0000000002"]);
        const history = await historyRows(db2.url);
        assert.deepEqual(
          history.map((h) => [h.revision, h.tag]),
          [
            ["ac0000000001", "v1"],
            ["ac0000000002", "v1"],
          ],
        );
        assert.deepEqual(await versionRows(db2.url), ["ac0000000002"]);
      } finally {
        await db2.drop();
        p.remove();
      }
    });

    test("revision files as the SPEC writes them (import { sa } from 'athanor', op.createTable, ...)", async () => {
      const db2 = await createTestDatabase(dialect);
      const p = makeProject();
      try {
        const header = (rev: string, down: string | null, message: string) =>
          `/**\n * ${message}\n *\n * Revision ID: ${rev}\n * Revises: ${down ?? ""}\n */\n` +
          `import { type Op, sa } from "athanor";\n\n` +
          `export const revision = "${rev}";\nexport const downRevision: string | string[] | null = ${JSON.stringify(down)};\n` +
          `export const branchLabels: string[] | null = null;\nexport const dependsOn: string[] | null = null;\n\n`;
        writeFileSync(
          join(p.versions, "3a8f1c2d4b7e_add_users.ts"),
          header("3a8f1c2d4b7e", null, "add users and orders tables") +
            `export async function upgrade(op: Op): Promise<void> {
  await op.createTable("users",
    sa.column("id", sa.integer(), { primaryKey: true, autoincrement: true }),
    sa.column("email", sa.string(255), { nullable: false }),
  );
}
export async function downgrade(op: Op): Promise<void> {
  await op.dropTable("users");
}
`,
        );
        writeFileSync(
          join(p.versions, "9c3e5f8a1d2b_add_phone.ts"),
          header("9c3e5f8a1d2b", "3a8f1c2d4b7e", "add phone_number to users") +
            `export async function upgrade(op: Op): Promise<void> {
  await op.addColumn("users", sa.column("phone_number", sa.string(20), { nullable: true }));
  await op.createIndex("ix_users_phone_number", "users", ["phone_number"]);
}
export async function downgrade(op: Op): Promise<void> {
  await op.dropIndex("ix_users_phone_number", { table: "users" });
  await op.dropColumn("users", "phone_number");
}
`,
        );
        const opts = runtimeOptions(db2.url, p.versions);
        assert.deepEqual((await runtime.upgrade(opts, "head")).current, ["9c3e5f8a1d2b"]);
        assert.ok(opts.log.lines.includes("INFO  Running upgrade  -> 3a8f1c2d4b7e, add users and orders tables"));
        assert.ok(opts.log.lines.includes("INFO  Running upgrade 3a8f1c2d4b7e -> 9c3e5f8a1d2b, add phone_number to users"));
        assert.deepEqual((await runtime.downgrade(runtimeOptions(db2.url, p.versions), "base")).current, []);
        assert.equal(await hasTable(db2.url, "users"), false);
      } finally {
        await db2.drop();
        p.remove();
      }
    });

    test("branches and merges: one version row per head", async () => {
      const db2 = await createTestDatabase(dialect);
      const p = makeProject();
      const ddl = (t: string) => ({
        upgrade: `await op.execute("CREATE TABLE ${t} (id integer)");`,
        downgrade: `await op.execute("DROP TABLE ${t}");`,
      });
      const B0 = "b0b0b0b0b0b0";
      const B1 = "b1b1b1b1b1b1";
      const C1 = "c1c1c1c1c1c1";
      const M = "d0d0d0d0d0d0";
      const S1 = "e1e1e1e1e1e1";
      p.write({ rev: B0, down: null, message: "base", ...ddl("t_b0") });
      p.write({ rev: B1, down: B0, message: "branch b", ...ddl("t_b1") });
      p.write({ rev: C1, down: B0, message: "branch c", ...ddl("t_c1") });
      p.write({ rev: M, down: [B1, C1], message: "merge", ...ddl("t_m") });
      p.write({ rev: S1, down: null, message: "side root", branchLabels: ["side"], ...ddl("t_s1") });
      const run = <T>(fn: (o: runtime.RuntimeOptions) => Promise<T>) => fn(runtimeOptions(db2.url, p.versions));
      try {
        assert.deepEqual((await run((o) => runtime.upgrade(o, B1))).current, [B1]);
        assert.deepEqual((await run((o) => runtime.upgrade(o, C1))).current, [B1, C1]); // new branch: INSERT
        assert.deepEqual(await versionRows(db2.url), [B1, C1]);
        const merged = await run((o) => runtime.upgrade(o, M)); // merge: DELETE + UPDATE
        assert.deepEqual(merged, { steps: [{ revision: M, direction: "up" }], current: [M] });
        const heads = await run((o) => runtime.upgrade(o, "heads")); // second root: INSERT
        assert.deepEqual(heads.current, [M, S1].sort());
        assert.deepEqual(await run((o) => runtime.current(o)), { rows: [M, S1].sort(), heads: [M, S1].sort() });
        const side = await run((o) => runtime.downgrade(o, "side@base")); // to nothing: DELETE
        assert.deepEqual(side.current, [M]);
        const unmerge = await run((o) => runtime.downgrade(o, B0));
        assert.equal(unmerge.steps[0]!.revision, M);
        assert.deepEqual(unmerge.current, [B0]);
        assert.equal(await hasTable(db2.url, "t_m"), false);
        assert.equal(await hasTable(db2.url, "t_b0"), true);
        // stamp several heads at once, then purge.
        assert.deepEqual((await run((o) => runtime.stamp(o, [B1, C1]))).current, [B1, C1]);
        assert.deepEqual((await run((o) => runtime.stamp(o, [S1], { purge: true }))).current, [S1]);
      } finally {
        await db2.drop();
        p.remove();
      }
    });
  });
}
