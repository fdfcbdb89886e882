#!/usr/bin/env node
// bench/introspect: time `introspect()` on a generated schema of N tables (8 columns, a primary key,
// a unique constraint, a foreign key and two indexes each) in a throwaway database per dialect.
// Usage: npm run build && node bench/introspect.mjs [--dialect all|postgresql|mysql|sqlite] [--tables 1000] [--runs 5]
// Servers: ATHANOR_TEST_POSTGRES_URL (default postgresql://postgres@127.0.0.1:5432/test),
//          ATHANOR_TEST_MYSQL_URL (default mysql://root@127.0.0.1:3306/test), as the tests use.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { parseDatabaseUrl } from "../dist/config/url.js";
import { getCompiler } from "../dist/dialects/compilers.js";
import { connect } from "../dist/dialects/connect.js";
import { introspect } from "../dist/dialects/introspect.js";
import { sa } from "../dist/schema/index.js";
import { wideSchema } from "../test/fixtures/wide-schema.mjs";

const { values } = parseArgs({
  options: {
    dialect: { type: "string", default: "all" },
    tables: { type: "string", default: "1000" },
    runs: { type: "string", default: "5" },
  },
});
const N = Number(values.tables);
const RUNS = Number(values.runs);
const PG_ADMIN = process.env.ATHANOR_TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/test";
const MYSQL_ADMIN = process.env.ATHANOR_TEST_MYSQL_URL ?? "mysql://root@127.0.0.1:3306/test";


function withDatabase(adminUrl, database) {
  const u = new URL(adminUrl);
  u.pathname = `/${database}`;
  return u.toString();
}

async function adminQuery(dialect, sql) {
  const url = parseDatabaseUrl(dialect === "postgresql" ? PG_ADMIN : MYSQL_ADMIN);
  const conn = await connect(url);
  try {
    await conn.execute({ sql });
  } finally {
    await conn.close();
  }
}

async function run(dialect) {
  const dbName = `athanor_bench_${randomBytes(4).toString("hex")}`;
  let url;
  let drop;
  if (dialect === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "athanor-bench-"));
    url = `sqlite:${join(dir, "bench.db")}`;
    drop = async () => rmSync(dir, { recursive: true, force: true });
  } else {
    const q = dialect === "postgresql" ? `"${dbName}"` : `\`${dbName}\``;
    await adminQuery(dialect, `CREATE DATABASE ${q}`);
    url = withDatabase(dialect === "postgresql" ? PG_ADMIN : MYSQL_ADMIN, dbName);
    drop = () => adminQuery(dialect, dialect === "postgresql" ? `DROP DATABASE IF EXISTS ${q} WITH (FORCE)` : `DROP DATABASE IF EXISTS ${q}`);
  }
  const conn = await connect(parseDatabaseUrl(url));
  try {
    const compiler = getCompiler(dialect);
    const statements = wideSchema(sa, N).flatMap((t) => compiler.compile({ kind: "createTable", table: t }));
    const created = performance.now();
    if (dialect === "mysql") {
      for (const s of statements) await conn.execute(s); // the adapter runs one statement per call
    } else {
      if (dialect === "sqlite") await conn.execute({ sql: "BEGIN" });
      await conn.execute({ sql: statements.map((s) => `${s.sql};`).join("\n") });
      if (dialect === "sqlite") await conn.execute({ sql: "COMMIT" });
    }
    const createMs = performance.now() - created;
    const times = [];
    let result;
    for (let i = 0; i < RUNS; i++) {
      const start = performance.now();
      result = await introspect(conn);
      times.push(performance.now() - start);
    }
    const sorted = [...times].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)];
    const columns = result.tables.reduce((n, t) => n + t.columns.length, 0);
    console.log(`| ${dialect} | ${result.tables.length} | ${columns} | ${times[0].toFixed(0)} | ${median.toFixed(0)} | ${(createMs / 1000).toFixed(1)} s |`);
  } finally {
    await conn.close();
    await drop();
  }
}

const dialects = values.dialect === "all" ? ["postgresql", "mysql", "sqlite"] : [values.dialect];
console.log(`introspect(): ${N} tables, ${RUNS} runs\n`);
console.log("| dialect | tables | columns | first run (ms) | median (ms) | DDL time |");
console.log("|---|---:|---:|---:|---:|---:|");
for (const d of dialects) await run(d);
