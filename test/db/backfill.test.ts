/**
 * op.backfill on every dialect: 20,000 rows in 1,000-row batches, each its own transaction; a failure
 * in the middle keeps the finished batches, and a rerun resumes after the last one (no row is updated
 * twice: `touched = touched + 1` ends at 1 everywhere).
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Connection, DialectName } from "../../src/dialects/types.js";
import { downgrade, upgrade, upgradeSql } from "../../src/runtime/migrate.js";
import { createTestDatabase, DIALECTS, type TestDatabase } from "../helpers/databases.js";
import { makeProject, type TestProject } from "../helpers/revisions.js";
import { inspect, runtimeOptions, versionRows } from "../helpers/runtime.js";

const ROWS = 20_000;
const BAD_ID = 12_345;

function createTable(dialect: DialectName): string {
  const id = dialect === "postgresql" ? "id serial PRIMARY KEY" : dialect === "mysql" ? "id integer AUTO_INCREMENT PRIMARY KEY" : "id INTEGER PRIMARY KEY";
  return `CREATE TABLE items (${id}, src varchar(20), v varchar(20), touched integer NOT NULL DEFAULT 0, CONSTRAINT ck_v CHECK (v IS NULL OR v <> 'bad'))`;
}

async function fill(c: Connection): Promise<void> {
  for (let start = 1; start <= ROWS; start += 1000) {
    const values: string[] = [];
    for (let i = start; i < start + 1000; i++) values.push(`('${i === BAD_ID ? "bad" : `s${i}`}')`);
    await c.execute({ sql: `INSERT INTO items (src) VALUES ${values.join(", ")}` });
  }
}

for (const dialect of DIALECTS) {
  describe(`op.backfill on ${dialect}`, () => {
    let db: TestDatabase;
    let project: TestProject;
    before(async () => {
      db = await createTestDatabase(dialect);
      project = makeProject();
      project.write({
        rev: "bf0000000001", down: null, message: "backfill items.v",
        upgrade: `await op.backfill("items", { set: { v: "src", touched: "touched + 1" }, batchSize: 1000 });`,
      });
      await inspect(db.url, async (c) => {
        await c.execute({ sql: createTable(dialect) });
        await fill(c);
      });
    });
    after(async () => {
      await db.drop();
      project.remove();
    });

    test("fails in the batch with the bad row, keeping the batches before it", async () => {
      const opts = runtimeOptions(db.url, project.versions);
      await assert.rejects(upgrade(opts, "head"), /backfill items failed in the batch id > 12000 and <= 13000 \(12000\/20000 rows done; rerun to resume\)/);
      assert.deepEqual(await versionRows(db.url), []);
      const counts = await inspect(db.url, async (c) => (await c.execute({ sql: "SELECT touched, COUNT(*) AS n, MIN(id) AS lo, MAX(id) AS hi FROM items GROUP BY touched ORDER BY touched" })).rows);
      assert.deepEqual(counts.map((r) => [Number(r.touched), Number(r.n), Number(r.lo), Number(r.hi)]), [[0, 8000, 12001, 20000], [1, 12000, 1, 12000]]);
      const progress = await inspect(db.url, async (c) => (await c.execute({ sql: "SELECT last_key, rows_done FROM athanor_backfill" })).rows);
      assert.deepEqual(progress.map((r) => [String(r.last_key), Number(r.rows_done)]), [["12000", 12000]]);
      assert.ok(opts.log.lines.includes("INFO  backfill items: 1000/20000 rows"), opts.log.lines.join("\n"));
    });

    test("a rerun resumes after the last committed batch and finishes", async () => {
      await inspect(db.url, (c) => c.execute({ sql: `UPDATE items SET src = 'fixed' WHERE id = ${BAD_ID}` }));
      const opts = runtimeOptions(db.url, project.versions);
      await upgrade(opts, "head");
      assert.deepEqual(await versionRows(db.url), ["bf0000000001"]);
      assert.ok(opts.log.lines.includes("INFO  backfill items: resuming after id 12000 (12000/20000 rows done)"), opts.log.lines.join("\n"));
      assert.ok(opts.log.lines.includes("INFO  backfill items: done, 20000/20000 rows in 8 batches"), opts.log.lines.join("\n"));
      const rows = await inspect(db.url, async (c) => (await c.execute({ sql: "SELECT touched, COUNT(*) AS n FROM items GROUP BY touched" })).rows);
      assert.deepEqual(rows.map((r) => [Number(r.touched), Number(r.n)]), [[1, ROWS]], "every row updated exactly once");
      const wrong = await inspect(db.url, async (c) => (await c.execute({ sql: "SELECT COUNT(*) AS n FROM items WHERE v IS NULL OR v <> src" })).rows);
      assert.equal(Number(wrong[0]!.n), 0);
      const progress = await inspect(db.url, async (c) => (await c.execute({ sql: "SELECT COUNT(*) AS n FROM athanor_backfill" })).rows);
      assert.equal(Number(progress[0]!.n), 0, "the progress row is removed when the backfill completes");
    });

    test("--sql renders the backfill as one UPDATE outside the revision's transaction", async () => {
      const { url: _url, ...opts } = runtimeOptions(db.url, project.versions);
      const sql = await upgradeSql({ ...opts, dialect }, "head");
      const q = dialect === "mysql" ? "`" : '"';
      assert.ok(sql.includes(`UPDATE ${q}items${q} SET ${q}v${q} = src, ${q}touched${q} = touched + 1;`), sql);
    });
  });
}

for (const dialect of DIALECTS) {
  test(`op.backfill on ${dialect}: a downgrade clears stale progress, so a re-upgrade backfills every row`, async () => {
    const db = await createTestDatabase(dialect);
    const project = makeProject();
    try {
      // Expand adds items.w (with a CHECK the bad row violates); the next revision backfills it.
      project.write({
        rev: "bf1000000001", down: null, message: "expand: items.w",
        upgrade:
          `await op.execute("ALTER TABLE items ADD COLUMN w varchar(20)");\n` +
          `  await op.createCheckConstraint("ck_w", "items", "w IS NULL OR w <> 'bad'");`,
        downgrade: `await op.dropConstraint("ck_w", "items", { type: "check" });\n  await op.dropColumn("items", "w");`,
      });
      project.write({
        rev: "bf1000000002", down: "bf1000000001", message: "backfill items.w",
        upgrade: `await op.backfill("items", { set: { w: "src" }, batchSize: 1000 });`,
      });
      await inspect(db.url, async (c) => {
        await c.execute({ sql: createTable(dialect) });
        await fill(c);
      });
      const opts = () => runtimeOptions(db.url, project.versions);
      const progress = async () =>
        Number((await inspect(db.url, async (c) => (await c.execute({ sql: "SELECT COUNT(*) AS n FROM athanor_backfill" })).rows))[0]!.n);

      await assert.rejects(upgrade(opts(), "head"), /backfill items failed/);
      assert.equal(await progress(), 1, "the interrupted backfill left its progress row");

      // Downgrade the expand (w is dropped), fix the bad row, upgrade again: w comes back empty.
      await downgrade(opts(), "base");
      assert.equal(await progress(), 0, "the downgrade cleared the stale progress");
      await inspect(db.url, (c) => c.execute({ sql: `UPDATE items SET src = 'fixed' WHERE id = ${BAD_ID}` }));
      await upgrade(opts(), "head");
      const missing = await inspect(db.url, async (c) => (await c.execute({ sql: "SELECT COUNT(*) AS n FROM items WHERE w IS NULL OR w <> src" })).rows);
      assert.equal(Number(missing[0]!.n), 0, "every row backfilled, none skipped by stale progress");
    } finally {
      await db.drop();
      project.remove();
    }
  });
}
