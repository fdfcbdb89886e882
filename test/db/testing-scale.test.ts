/**
 * `athanor test` on a generated 200-revision project (each revision creates a table, adds a column
 * or creates an index; a schema module declares the result) on every dialect: every check passes.
 * The elapsed time is reported as a test diagnostic; the target (issue #6) is under 60 s on
 * PostgreSQL for the full test. No timing assertion beyond a generous sanity bound.
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import type { DialectName } from "../../src/dialects/types.js";
import { testMigrations } from "../../src/testing/index.js";
import { DIALECTS, MYSQL_ADMIN_URL, POSTGRES_ADMIN_URL } from "../helpers/databases.js";

const REVISIONS = 200;

/** A project of `n` linear revisions: create table t_k / add column c_j to it / index it, in turn. */
function generateProject(n: number): string {
  const dir = mkdtempSync(join(tmpdir(), "athanor-testing-scale-"));
  const versions = join(dir, "migrations/versions");
  mkdirSync(versions, { recursive: true });
  writeFileSync(join(dir, "athanor.config.ts"), `export default { scriptLocation: "migrations", schema: "./schema.ts" };\n`);
  const tables: { name: string; columns: string[]; indexes: string[] }[] = [];
  let prev: string | null = null;
  for (let i = 0; i < n; i++) {
    const rev = (0xa00000000000 + i).toString(16);
    let up: string;
    let down: string;
    let message: string;
    if (i % 3 === 0) {
      const t = { name: `t_${tables.length + 1}`, columns: [] as string[], indexes: [] as string[] };
      tables.push(t);
      message = `create ${t.name}`;
      up = `await op.createTable("${t.name}", sa.column("id", sa.integer(), { primaryKey: true }), sa.column("name", sa.string(50), { nullable: false }));`;
      down = `await op.dropTable("${t.name}");`;
    } else if (i % 3 === 1) {
      const t = tables[tables.length - 1]!;
      const c = `c_${i}`;
      t.columns.push(c);
      message = `add ${t.name}.${c}`;
      up = `await op.addColumn("${t.name}", sa.column("${c}", sa.integer(), { nullable: true }));`;
      down = `await op.dropColumn("${t.name}", "${c}");`;
    } else {
      const t = tables[tables.length - 1]!;
      const c = t.columns[t.columns.length - 1]!;
      const ix = `ix_${t.name}_${c}`;
      t.indexes.push(`sa.index("${ix}", ["${c}"])`);
      message = `index ${t.name}.${c}`;
      up = `await op.createIndex("${ix}", "${t.name}", ["${c}"]);`;
      down = `await op.dropIndex("${ix}", { table: "${t.name}" });`;
    }
    writeFileSync(join(versions, `${rev}_r${i}.ts`), `/**
 * ${message}
 *
 * Revision ID: ${rev}
 * Revises: ${prev ?? ""}
 */
import { type Op, sa } from "athanor";

export const revision = "${rev}";
export const downRevision: string | null = ${JSON.stringify(prev)};

export async function upgrade(op: Op): Promise<void> {
  ${up}
}

export async function downgrade(op: Op): Promise<void> {
  ${down}
}
`);
    prev = rev;
  }
  const decls = tables.map((t) => `export const ${t.name} = sa.table("${t.name}",
  sa.column("id", sa.integer(), { primaryKey: true }),
  sa.column("name", sa.string(50), { nullable: false }),
${t.columns.map((c) => `  sa.column("${c}", sa.integer(), { nullable: true }),\n`).join("")}${t.indexes.map((x) => `  ${x},\n`).join("")});`);
  writeFileSync(join(dir, "schema.ts"), `import { sa } from "athanor";\n\n${decls.join("\n")}\n`);
  return dir;
}

const dir = generateProject(REVISIONS);
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
