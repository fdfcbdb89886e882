/** Per-revision `lockTimeout` / `statementTimeout`, applied by the runtime around the revision's statements. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import pg from "pg";
import type { DialectName } from "../../src/dialects/types.js";
import { upgrade, upgradeSql } from "../../src/runtime/migrate.js";
import { DIALECTS, withTestDatabase } from "../helpers/databases.js";
import { makeProject } from "../helpers/revisions.js";
import { inspect, runtimeOptions, versionRows } from "../helpers/runtime.js";

const READ: Record<DialectName, string> = {
  postgresql: "SELECT current_setting('lock_timeout') AS l, current_setting('statement_timeout') AS s",
  mysql: "SELECT @@SESSION.lock_wait_timeout AS l, @@SESSION.max_statement_time AS s",
  sqlite: "PRAGMA busy_timeout",
};

const EXPECTED: Record<DialectName, [unknown[], unknown[]]> = {
  postgresql: [["1500ms", "3s"], ["0", "0"]],
  mysql: [[2, 3], [null, 0]],
  sqlite: [[1500], [10000]],
};

const seen = () => ((globalThis as Record<string, unknown>).__athanorSeen ??= []) as Record<string, unknown>[][];

for (const dialect of DIALECTS) {
  describe(`revision timeouts on ${dialect}`, () => {
    test("set for the revision that declares them, reset after it", async () => {
      await withTestDatabase(dialect, async (db) => {
        const project = makeProject();
        try {
          const record = `if (!op.offline) (globalThis as any).__athanorSeen.push(await op.query(${JSON.stringify(READ[dialect])}));`;
          project.write({ rev: "to0000000001", down: null, message: "with timeouts", upgrade: record });
          const path = project.write({ rev: "to0000000002", down: "to0000000001", message: "without", upgrade: record });
          const { writeFileSync, readFileSync } = await import("node:fs");
          const first = path.replace("to0000000002_without", "to0000000001_with_timeouts");
          writeFileSync(first, readFileSync(first, "utf8").replace(`export const revision`, `export const lockTimeout = "1500ms";\nexport const statementTimeout = "3s";\nexport const revision`));
          seen().length = 0;
          await upgrade(runtimeOptions(db.url, project.versions), "head");
          const values = seen().map((rows) => Object.values(rows[0] ?? {}).map((v) => (typeof v === "string" && /^\d+(\.0+)?$/.test(v) && dialect !== "postgresql" ? Number(v) : v)));
          const [withT, without] = EXPECTED[dialect];
          assert.deepEqual(values[0], withT);
          if (dialect === "mysql") assert.notEqual(values[1]![0], 2, "lock_wait_timeout back to the default");
          else assert.deepEqual(values[1], without);
          if (dialect === "postgresql") {
            const { url: _u, ...opts } = runtimeOptions(db.url, project.versions);
            const sql = await upgradeSql({ ...opts, dialect }, "head");
            assert.match(sql, /SET lock_timeout = '1500ms';\s+SET statement_timeout = '3000ms';/);
            assert.match(sql, /RESET lock_timeout;/);
          }
        } finally {
          project.remove();
        }
      });
    });
  });
}

describe("lockTimeout on PostgreSQL stops a blocked ALTER instead of queueing behind a lock", () => {
  test("the revision fails fast with a lock timeout and nothing is applied", async () => {
    await withTestDatabase("postgresql", async (db) => {
      const project = makeProject();
      const holder = new pg.Client({ connectionString: db.url });
      try {
        await inspect(db.url, (c) => c.execute({ sql: "CREATE TABLE t (id int)" }));
        const path = project.write({ rev: "lt0000000001", down: null, message: "alter t", upgrade: `await op.execute("ALTER TABLE t ADD COLUMN x int");` });
        const { writeFileSync, readFileSync } = await import("node:fs");
        writeFileSync(path, readFileSync(path, "utf8").replace("export const revision", `export const lockTimeout = "300ms";\nexport const revision`));
        await holder.connect();
        await holder.query("BEGIN");
        await holder.query("LOCK TABLE t IN ACCESS SHARE MODE");
        const started = Date.now();
        await assert.rejects(upgrade(runtimeOptions(db.url, project.versions), "head"), /lock timeout/);
        assert.ok(Date.now() - started < 5000);
        assert.deepEqual(await versionRows(db.url), []);
      } finally {
        await holder.end().catch(() => undefined);
        project.remove();
      }
    });
  });
});
