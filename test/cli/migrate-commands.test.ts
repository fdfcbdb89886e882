import assert from "node:assert/strict";
import { cpSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { after, before, describe, test } from "node:test";
import { createTestDatabase, DIALECTS, type TestDatabase } from "../helpers/databases.js";
import { athanor, athanorAsync, tempDir } from "./cli-helpers.js";

const TUTORIAL = resolve(import.meta.dirname, "../../examples/tutorial/versions");
const FIRST = "3a8f1c2d4b7e";
const SECOND = "9c3e5f8a1d2b";

for (const dialect of DIALECTS) {
  describe(`migration commands through the CLI on ${dialect}`, () => {
    const project = tempDir();
    let db: TestDatabase;
    const run = (...args: string[]) => athanor(project.dir, args, { DATABASE_URL: db.url });

    before(async () => {
      db = await createTestDatabase(dialect);
      assert.equal(athanor(project.dir, ["init", "migrations"]).status, 0);
      cpSync(TUTORIAL, join(project.dir, "migrations/versions"), { recursive: true });
    });
    after(async () => {
      await db.drop();
      project.cleanup();
    });

    test("current on an empty database prints nothing and creates nothing", () => {
      const r = run("current");
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stdout, "");
    });

    test("upgrade head runs both tutorial revisions in order", () => {
      const r = run("upgrade", "head");
      assert.equal(r.status, 0, r.stderr);
      const running = r.stderr.split("\n").filter((l) => l.includes("Running"));
      assert.deepEqual(running, [
        `INFO  Running upgrade  -> ${FIRST}, add users and orders tables`,
        `INFO  Running upgrade ${FIRST} -> ${SECOND}, add phone_number to users`,
      ]);
      assert.equal(run("current").stdout, `${SECOND} (head)\n`);
      assert.equal(run("upgrade", "head").status, 0, "upgrading at head is a no-op");
    });

    test("history --indicate-current marks the current revision", () => {
      const r = run("history", "--indicate-current");
      assert.equal(r.status, 0, r.stderr);
      assert.equal(
        r.stdout,
        `${FIRST} -> ${SECOND} (head) (current), add phone_number to users\n<base> -> ${FIRST}, add users and orders tables\n`,
      );
    });

    test("downgrade -1, then base, then upgrade again", () => {
      const down = run("downgrade", "-1");
      assert.equal(down.status, 0, down.stderr);
      assert.match(down.stderr, new RegExp(`INFO  Running downgrade ${SECOND} -> ${FIRST}, add phone_number to users`));
      assert.equal(run("current").stdout, `${FIRST}\n`);
      assert.equal(run("downgrade", "base").status, 0);
      assert.equal(run("current").stdout, "");
      assert.equal(run("upgrade", "+1").status, 0);
      assert.equal(run("current").stdout, `${FIRST}\n`);
    });

    test("upgrade --sql prints the SQL and never connects", () => {
      const r = athanor(project.dir, ["upgrade", "head", "--sql"], {
        DATABASE_URL: dialect === "sqlite" ? "sqlite:/nonexistent/dir/x.db" : db.url.replace(/127\.0\.0\.1:\d+/, "127.0.0.1:1"),
      });
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /CREATE TABLE .*athanor_version/);
      assert.match(r.stdout, /CREATE TABLE .*users/);
      assert.match(r.stdout, new RegExp(`INSERT INTO .*athanor_version.* VALUES \\('${FIRST}'\\);`));
      assert.match(r.stdout, new RegExp(`UPDATE .*athanor_version.* SET .*'${SECOND}'.*'${FIRST}'.*;`));
      if (dialect === "mysql") assert.doesNotMatch(r.stdout, /^BEGIN;/m);
      else assert.match(r.stdout, /^BEGIN;$/m);
    });

    test("stamp writes the version table only", () => {
      assert.equal(run("stamp", "head").status, 0);
      assert.equal(run("current").stdout, `${SECOND} (head)\n`);
      assert.equal(run("stamp", FIRST).status, 0);
      assert.equal(run("current").stdout, `${FIRST}\n`);
    });

    test("a failing revision names itself and its statement; the database stays at the last good revision", () => {
      writeFileSync(
        join(project.dir, "migrations/versions/ffff00000001_broken.ts"),
        `/**\n * broken\n */\nimport { type Op, sa } from "athanor";\nexport const revision = "ffff00000001";\nexport const downRevision = "${SECOND}";\n` +
          `export async function upgrade(op: Op) {\n  await op.createTable("audit", sa.column("id", sa.integer(), { primaryKey: true }));\n  await op.execute("SELECT * FROM no_such_table");\n}\nexport async function downgrade(op: Op) {\n  await op.dropTable("audit");\n}\n`,
      );
      const r = run("upgrade", "head");
      assert.equal(r.status, 1);
      const errors = r.stderr.split("\n").filter((l) => l.startsWith("ERROR:"));
      assert.equal(errors.length, 1, r.stderr);
      assert.match(errors[0]!, /ffff00000001/);
      assert.match(errors[0]!, /no_such_table/);
      assert.equal(run("current").stdout, `${SECOND}\n`);
    });
  });
}

describe("concurrent runners", () => {
  for (const dialect of DIALECTS) {
    test(`eight 'upgrade head' at once on ${dialect}: all exit 0, each revision runs once`, async () => {
      const project = tempDir();
      const db = await createTestDatabase(dialect);
      try {
        assert.equal(athanor(project.dir, ["init", "migrations"]).status, 0);
        cpSync(TUTORIAL, join(project.dir, "migrations/versions"), { recursive: true });
        const runs = await Promise.all(Array.from({ length: 8 }, () => athanorAsync(project.dir, ["upgrade", "head"], { DATABASE_URL: db.url })));
        for (const r of runs) assert.equal(r.status, 0, r.stderr);
        const applied = runs.flatMap((r) => r.stderr.split("\n").filter((l) => l.includes("Running upgrade")));
        assert.equal(applied.length, 2, applied.join("\n"));
        assert.equal(athanor(project.dir, ["current"], { DATABASE_URL: db.url }).stdout, `${SECOND} (head)\n`);
      } finally {
        await db.drop();
        project.cleanup();
      }
    });
  }
});
