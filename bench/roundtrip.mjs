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
import { existsSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { generateRoundtripProject } from "../test/fixtures/roundtrip-project.mjs";
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


const dir = generateRoundtripProject(N, "athanor-bench-roundtrip-");
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
