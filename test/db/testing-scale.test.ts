/**
 * `athanor test` on a generated 200-revision project (each revision creates a table, adds a column
 * or creates an index; a schema module declares the result) on every dialect: every check passes.
 * The elapsed time is reported as a test diagnostic; the target (issue #6) is under 60 s on
 * PostgreSQL for the full test. No timing assertion beyond a generous sanity bound.
 */
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { after, test } from "node:test";
import type { DialectName } from "../../src/dialects/types.js";
import { testMigrations } from "../../src/testing/index.js";
import { DIALECTS, MYSQL_ADMIN_URL, POSTGRES_ADMIN_URL } from "../helpers/databases.js";
import { generateRoundtripProject } from "../fixtures/roundtrip-project.mjs";

const REVISIONS = 200;


const dir = generateRoundtripProject(REVISIONS, "athanor-testing-scale-");
after(() => rmSync(dir, { recursive: true, force: true }));

const URLS: Record<DialectName, string> = {
  postgresql: POSTGRES_ADMIN_URL,
  mysql: MYSQL_ADMIN_URL,
  sqlite: "sqlite::memory:",
};

for (const dialect of DIALECTS) {
  test(`${REVISIONS} revisions on ${dialect}: every check passes`, async (t) => {
    const started = performance.now();
    const report = await testMigrations({ cwd: dir, url: URLS[dialect], env: {} });
    const seconds = (performance.now() - started) / 1000;
    assert.equal(report.revisions, REVISIONS);
    assert.deepEqual(
      report.checks.map((c) => [c.name, c.status]),
      [["single-head", "pass"], ["upgrade", "pass"], ["schema-matches", "pass"], ["up-down", "pass"], ["downgrade-no-trace", "pass"], ["data", "skip"]],
      JSON.stringify(report.checks, null, 2),
    );
    const parts = report.checks.map((c) => `${c.name} ${(c.durationMs / 1000).toFixed(2)}s`).join(", ");
    t.diagnostic(`athanor test, ${REVISIONS} revisions on ${dialect}: ${seconds.toFixed(2)} s (${parts})`);
    assert.ok(seconds < 120, `took ${seconds.toFixed(1)} s`);
  });
}
