import assert from "node:assert/strict";
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, before, describe, test } from "node:test";
import * as athanor from "../../src/index.js";
import { createTestDatabase, DIALECTS, type TestDatabase } from "../helpers/databases.js";

const TUTORIAL = resolve(import.meta.dirname, "../../examples/tutorial/versions");
const SCHEMA = resolve(import.meta.dirname, "../../examples/tutorial/schema.ts");

for (const dialect of DIALECTS) {
  describe(`programmatic API on ${dialect}`, () => {
    let db: TestDatabase;
    let cwd: string;
    before(async () => {
      db = await createTestDatabase(dialect);
      cwd = mkdtempSync(join(tmpdir(), "athanor-api-"));
      mkdirSync(join(cwd, "migrations/versions"), { recursive: true });
      cpSync(TUTORIAL, join(cwd, "migrations/versions"), { recursive: true });
      cpSync(SCHEMA, join(cwd, "schema.ts"));
      writeFileSync(join(cwd, "athanor.config.ts"), `export default { scriptLocation: "migrations", schema: "./schema.ts" };\n`);
    });
    after(async () => {
      await db.drop();
      rmSync(cwd, { recursive: true, force: true });
    });
    const project = () => ({ cwd, url: db.url });

    test("upgrade, current, check, lint, downgrade return data", async () => {
      const up = await athanor.upgrade(project(), "head");
      assert.deepEqual(up.steps.map((s) => s.revision), ["3a8f1c2d4b7e", "9c3e5f8a1d2b"]);
      assert.deepEqual((await athanor.current(project())).heads, ["9c3e5f8a1d2b"]);
      assert.deepEqual(await athanor.check(project()), { upToDate: true, differences: [] });
      const report = await athanor.lint(project(), { all: true });
      assert.deepEqual(report.revisions, ["3a8f1c2d4b7e", "9c3e5f8a1d2b"]);
      assert.equal(report.dialect, dialect);
      const down = await athanor.downgrade(project(), "base");
      assert.deepEqual(down.steps.map((s) => s.revision), ["9c3e5f8a1d2b", "3a8f1c2d4b7e"]);
      assert.deepEqual((await athanor.current(project())).heads, []);
    });
  });
}
