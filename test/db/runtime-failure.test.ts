/**
 * Failures: a revision failing half-way, a runner killed in the middle of a revision,
 * connection errors.
 */
import assert from "node:assert/strict";
import { basename } from "node:path";
import { describe, test } from "node:test";
import { parseDatabaseUrl } from "../../src/config/url.js";
import { connect, ConnectionError } from "../../src/dialects/connect.js";
import * as runtime from "../../src/runtime/migrate.js";
import { MigrationError } from "../../src/runtime/errors.js";
import { createTestDatabase, DIALECTS } from "../helpers/databases.js";
import { makeProject } from "../helpers/revisions.js";
import { hasTable, historyRows, runChild, runtimeOptions, startChild, versionRows } from "../helpers/runtime.js";

const A = "aa00000000a1";
const B = "bb00000000b2";
const C = "cc00000000c3";

for (const dialect of DIALECTS) {
  describe(`failures on ${dialect}`, () => {
    test("a revision failing half-way leaves the previous revision; rerun after the fix", async () => {
      const db = await createTestDatabase(dialect);
      const p = makeProject();
      try {
        p.write({
          rev: A,
          down: null,
          message: "create t1",
          upgrade: `await op.execute("CREATE TABLE t1 (id integer)");`,
          downgrade: `await op.execute("DROP TABLE t1");`,
        });
        const broken = {
          rev: B,
          down: A,
          message: "add phone_number to users",
          upgrade: `await op.execute("CREATE TABLE t2 (id integer)");
await op.execute("INSERT INTO t2 (id) VALUES (1)");
await op.execute("INSERT INTO no_such_table (id) VALUES (1)");`,
          downgrade: `await op.execute("DROP TABLE t2");`,
        };
        p.write(broken);
        p.write({
          rev: C,
          down: B,
          message: "create t3",
          upgrade: `await op.execute("CREATE TABLE t3 (id integer)");`,
          downgrade: `await op.execute("DROP TABLE t3");`,
        });
        const opts = runtimeOptions(db.url, p.versions);
        let error: unknown;
        await runtime.upgrade(opts, "head").catch((e: unknown) => (error = e));
        assert.ok(error instanceof MigrationError, String(error));
        assert.equal(error.revision, B);
        assert.equal(error.direction, "up");
        assert.match(
          error.message,
          /^Revision bb00000000b2 \(add phone_number to users\) failed in upgrade: .*no_such_table.* while executing: INSERT INTO no_such_table \(id\) VALUES \(1\)/,
        );
        assert.doesNotMatch(error.message, /\n/);
        assert.deepEqual(await versionRows(db.url), [A]);
        assert.equal(await hasTable(db.url, "t1"), true);
        assert.deepEqual(
          (await historyRows(db.url)).map((h) => h.revision),
          [A],
        );
        if (dialect === "mysql") {
          // DDL committed implicitly: the table stays, and the error says so.
          assert.equal(await hasTable(db.url, "t2"), true);
          assert.match(error.message, /MySQL commits DDL implicitly: 2 earlier statement\(s\) of this revision stay applied; the version table still shows aa00000000a1/);
        } else {
          assert.equal(await hasTable(db.url, "t2"), false);
        }

        // Fix the file and run again (a fresh process: a new module cache, as with the CLI).
        p.write({
          ...broken,
          upgrade:
            dialect === "mysql"
              ? `await op.execute("CREATE TABLE IF NOT EXISTS t2 (id integer)");`
              : `await op.execute("CREATE TABLE t2 (id integer)");`,
        });
        const rerun = await runChild({ url: db.url, versions: p.versions, command: "upgrade", target: "head" });
        assert.equal(rerun.code, 0, rerun.stderr);
        assert.deepEqual(JSON.parse(rerun.stdout).current, [C]);
        assert.match(rerun.stderr, /INFO {2}Running upgrade aa00000000a1 -> bb00000000b2, add phone_number to users/);
        assert.deepEqual(await versionRows(db.url), [C]);
      } finally {
        await db.drop();
        p.remove();
      }
    });

    if (dialect !== "mysql") {
      test("transactionPerMigration: false undoes the whole run on failure", async () => {
        const db = await createTestDatabase(dialect);
        const p = makeProject();
        try {
          p.write({
            rev: A,
            down: null,
            message: "create t1",
            upgrade: `await op.execute("CREATE TABLE t1 (id integer)");`,
          });
          const brokenPath = p.write({ rev: B, down: A, message: "broken", upgrade: `throw new Error("boom in code");` });
          const opts = runtimeOptions(db.url, p.versions, { transactionPerMigration: false });
          await assert.rejects(runtime.upgrade(opts, "head"), /^MigrationError: Revision bb00000000b2 \(broken\) failed in upgrade: boom in code$/);
          assert.deepEqual(await versionRows(db.url), []);
          assert.equal(await hasTable(db.url, "t1"), false);
          // And it works when nothing fails.
          p.write({ rev: B, down: A, message: "fixed", upgrade: ``, file: basename(brokenPath) });
          const ok = await runChild({
            url: db.url,
            versions: p.versions,
            command: "upgrade",
            target: "head",
            transactionPerMigration: false,
          });
          assert.equal(ok.code, 0, ok.stderr);
          assert.deepEqual(await versionRows(db.url), [B]);
        } finally {
          await db.drop();
          p.remove();
        }
      });
    }

    test("SIGKILL in the middle of a revision: the next run completes", async () => {
      const db = await createTestDatabase(dialect);
      const p = makeProject();
      const sleep = {
        postgresql: `await op.execute("SELECT pg_sleep(3)");`,
        mysql: `await op.execute("SELECT SLEEP(3)");`,
        sqlite: `await new Promise((r) => setTimeout(r, 3000));`,
      }[dialect];
      try {
        p.write({
          rev: A,
          down: null,
          message: "create t1",
          upgrade: `await op.execute("CREATE TABLE t1 (id integer)");`,
        });
        p.write({
          rev: B,
          down: A,
          message: "slow one",
          upgrade: `await op.execute("CREATE TABLE ${dialect === "mysql" ? "IF NOT EXISTS " : ""}t2 (id integer)");
if (process.env.ATHANOR_TEST_SLEEP) { process.stderr.write("SLEEPING\\n"); ${sleep} }
await op.execute("INSERT INTO t2 (id) VALUES (1)");`,
        });
        const child = startChild(
          { url: db.url, versions: p.versions, command: "upgrade", target: "head" },
          { ATHANOR_TEST_SLEEP: "1" },
        );
        await child.waitForStderr(/Running upgrade aa00000000a1 -> bb00000000b2[^]*SLEEPING/);
        await new Promise((r) => setTimeout(r, 200));
        child.kill("SIGKILL");
        const killed = await child.done;
        assert.equal(killed.signal, "SIGKILL");

        const opts = runtimeOptions(db.url, p.versions);
        const result = await runtime.upgrade(opts, "head");
        assert.deepEqual(result.current, [B]);
        const history = await historyRows(db.url);
        assert.deepEqual(
          history.map((h) => h.revision),
          [A, B],
        );
        // SQLite: nothing of the killed run was committed, so this run applied both.
        assert.deepEqual(
          result.steps.map((s) => s.revision),
          dialect === "sqlite" ? [A, B] : [B],
        );
      } finally {
        await db.drop();
        p.remove();
      }
    });
  });
}

describe("connection errors", () => {
  test("unreachable servers: the message names the host and database, never the password", async () => {
    for (const raw of [
      "postgresql://app:s3cr3t-pw@127.0.0.1:1/appdb",
      "mysql://app:s3cr3t-pw@127.0.0.1:1/appdb",
    ]) {
      const error = await connect(parseDatabaseUrl(raw)).then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.ok(error instanceof ConnectionError);
      assert.equal(error.message, `could not connect to ${raw.replace("s3cr3t-pw", "***")}: connection refused`);
    }
  });

  test("wrong password or database: redacted", async () => {
    const error = await connect(parseDatabaseUrl("postgresql://postgres:s3cr3t-pw@127.0.0.1:5432/athanor_no_such_db")).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(error instanceof ConnectionError);
    assert.match(error.message, /^could not connect to postgresql:\/\/postgres:\*\*\*@127\.0\.0\.1:5432\/athanor_no_such_db: /);
    assert.doesNotMatch(error.message, /s3cr3t/);
    const upgradeError = await runtime
      .upgrade(runtimeOptions("mysql://root:s3cr3t-pw@127.0.0.1:3306/athanor_no_such_db", "/nonexistent"), "head")
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    assert.ok(upgradeError instanceof Error);
    assert.doesNotMatch(upgradeError.message, /s3cr3t/);
  });
});
