#!/usr/bin/env node
// bench/roundtrip: time the whole `athanor test` (every check: single-head, upgrade, schema-matches,
// up-down, downgrade-no-trace; process start included) on a generated project of N linear revisions,
// each creating a table, adding a column or creating an index in turn, with a schema module declaring
// the result. Target (issue #6): 200 revisions on PostgreSQL under 60 s.
//
// Usage: npm run build && node bench/roundtrip.mjs [--revisions 200] [--runs 3] [--dialect all|postgresql|mysql|sqlite]
// Servers: ATHANOR_TEST_POSTGRES_URL (default postgresql://postgres@127.0.0.1:5432/test),
//          ATHANOR_TEST_MYSQL_URL (default mysql://root@127.0.0.1:3306/test), as the tests use.
// ATHANOR_CLI may point at another build of the CLI.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { fmt, measure, table } from "./lib.mjs";

const { values } = parseArgs({
  options: {
    revisions: { type: "string", default: "200" },
    runs: { type: "string", default: "3" },
    dialect: { type: "string", default: "all" },
  },
});
const N = Number(values.revisions);
const RUNS = Number(values.runs);
const CLI = process.env.ATHANOR_CLI ?? resolve(import.meta.dirname, "../dist/cli.js");
const URLS = {
  postgresql: process.env.ATHANOR_TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/test",
  mysql: process.env.ATHANOR_TEST_MYSQL_URL ?? "mysql://root@127.0.0.1:3306/test",
  sqlite: "sqlite:./app.db",
};

if (!existsSync(CLI)) {
  console.error(`bench/roundtrip: ${CLI} is missing: run \`npm run build\` first`);
  process.exit(1);
}
const help = spawnSync(process.execPath, [CLI, "test", "--help"], { encoding: "utf8" });
if (help.status !== 0 || !/Usage: athanor test\b/.test(help.stdout)) {
  console.error("bench/roundtrip: this build of the CLI has no `test` command");
  process.exit(1);
}

/** The same project as test/db/testing-scale.test.ts. */
function generateProject(n) {
  const dir = mkdtempSync(join(tmpdir(), "athanor-bench-roundtrip-"));
  const versions = join(dir, "migrations/versions");
  mkdirSync(versions, { recursive: true });
  writeFileSync(join(dir, "athanor.config.ts"), `export default { scriptLocation: "migrations", schema: "./schema.ts" };\n`);
  const tables = [];
  let prev = null;
  for (let i = 0; i < n; i++) {
    const rev = (0xa00000000000 + i).toString(16);
    let up;
    let down;
    let message;
    if (i % 3 === 0) {
      const t = { name: `t_${tables.length + 1}`, columns: [], indexes: [] };
      tables.push(t);
      message = `create ${t.name}`;
      up = `await op.createTable("${t.name}", sa.column("id", sa.integer(), { primaryKey: true }), sa.column("name", sa.string(50), { nullable: false }));`;
      down = `await op.dropTable("${t.name}");`;
    } else if (i % 3 === 1) {
      const t = tables.at(-1);
      const c = `c_${i}`;
      t.columns.push(c);
      message = `add ${t.name}.${c}`;
      up = `await op.addColumn("${t.name}", sa.column("${c}", sa.integer(), { nullable: true }));`;
      down = `await op.dropColumn("${t.name}", "${c}");`;
    } else {
      const t = tables.at(-1);
      const c = t.columns.at(-1);
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

const dir = generateProject(N);
const rows = [];
try {
  const dialects = values.dialect === "all" ? ["postgresql", "mysql", "sqlite"] : values.dialect.split(",");
  for (const dialect of dialects) {
    const env = { ...process.env };
    delete env.DATABASE_URL;
    const m = measure(process.execPath, [CLI, "test", "-q", "--url", URLS[dialect], "--format", "json"], { cwd: dir, runs: RUNS, env });
    let checks = "";
    try {
      const report = JSON.parse(m.stdout);
      checks = report.checks.map((c) => `${c.name} ${c.status} ${fmt(c.durationMs / 1000, 2)}s`).join(", ");
    } catch {
      checks = m.stderr.trim().split("\n").at(-1) ?? "";
    }
    rows.push([dialect, String(N), `${fmt(m.seconds, 2)} s`, `${fmt(m.peakMb, 0)} MB`, m.ok ? "yes" : "NO", checks]);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log(table(["dialect", "revisions", "athanor test (median)", "peak", "all pass", "checks"], rows));
