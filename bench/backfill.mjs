#!/usr/bin/env node
/**
 * op.backfill vs one bulk UPDATE on PostgreSQL (not part of `npm test`).
 *
 *   npm run build && node bench/backfill.mjs [rows=1000000] [batch sizes=1000,5000,10000]
 *
 * For each run a fresh copy of the table (id bigserial primary key, src text, v text) is filled with
 * `rows` rows; then either one `UPDATE t SET v = src` (one transaction) or `runBackfill` with a batch
 * size. "longest lock" is the longest transaction holding row locks: the whole UPDATE for the bulk
 * run, the longest BEGIN..COMMIT of a batch for the backfill. Prints a markdown table.
 * Uses ATHANOR_TEST_POSTGRES_URL (default postgresql://postgres@127.0.0.1:5432/test) as admin URL.
 */
import pg from "pg";
import { parseDatabaseUrl } from "../dist/config/url.js";
import { connect } from "../dist/dialects/connect.js";
import { runBackfill } from "../dist/operations/backfill.js";

const ROWS = Number(process.argv[2] ?? 1_000_000);
const SIZES = (process.argv[3] ?? "1000,5000,10000").split(",").map(Number);
const ADMIN = process.env.ATHANOR_TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/test";
const NAME = `athanor_bench_backfill_${Date.now().toString(36)}`;

async function admin(sql) {
  const c = new pg.Client({ connectionString: ADMIN });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

const url = (() => {
  const u = new URL(ADMIN);
  u.pathname = `/${NAME}`;
  return u.toString();
})();

async function freshTable(conn, table) {
  await conn.execute({ sql: `DROP TABLE IF EXISTS ${table}` });
  await conn.execute({ sql: `CREATE TABLE ${table} (id bigserial PRIMARY KEY, src text NOT NULL, v text)` });
  await conn.execute({ sql: `INSERT INTO ${table} (src) SELECT 'user_' || g FROM generate_series(1, ${ROWS}) g` });
  await conn.execute({ sql: `VACUUM ANALYZE ${table}` });
}

const results = [];
await admin(`CREATE DATABASE "${NAME}"`);
try {
  const conn = await connect(parseDatabaseUrl(url));
  try {
    // One bulk UPDATE, one transaction.
    await freshTable(conn, "bench_bulk");
    let started = performance.now();
    await conn.begin();
    await conn.execute({ sql: "UPDATE bench_bulk SET v = src" });
    await conn.commit();
    const bulkMs = performance.now() - started;
    results.push({ method: "one UPDATE (one transaction)", batch: "-", batches: 1, totalMs: bulkMs, longestMs: bulkMs });
    await conn.execute({ sql: "DROP TABLE bench_bulk" });

    const executor = {
      dialect: "postgresql",
      offline: false,
      run: async (statements) => {
        for (const s of statements) await conn.execute(s);
      },
      query: async (s) => (await conn.execute(s)).rows,
      autocommit: (fn) => fn(),
    };
    const log = { info: () => undefined, warn: (m) => process.stderr.write(`WARN  ${m}\n`) };
    for (const size of SIZES) {
      await freshTable(conn, "bench_backfill");
      let longest = 0;
      started = performance.now();
      const r = await runBackfill(executor, "bench_backfill", {
        set: { v: "src" }, batchSize: size, onBatch: (b) => (longest = Math.max(longest, b.ms)),
      }, log);
      const totalMs = performance.now() - started;
      const check = await conn.execute({ sql: "SELECT count(*)::int AS n FROM bench_backfill WHERE v IS DISTINCT FROM src" });
      if (check.rows[0].n !== 0) throw new Error(`backfill left ${check.rows[0].n} rows not updated`);
      results.push({ method: "op.backfill", batch: size, batches: r.batches, totalMs, longestMs: longest });
      await conn.execute({ sql: "DROP TABLE bench_backfill" });
    }
  } finally {
    await conn.close();
  }
} finally {
  await admin(`DROP DATABASE IF EXISTS "${NAME}" WITH (FORCE)`);
}

const bulk = results[0].totalMs;
const ver = await (async () => {
  const c = new pg.Client({ connectionString: ADMIN });
  await c.connect();
  const v = (await c.query("SHOW server_version")).rows[0].server_version;
  await c.end();
  return v;
})();
console.log(`\n### op.backfill vs one UPDATE: ${ROWS.toLocaleString("en-US")} rows, PostgreSQL ${ver}, Node ${process.version}\n`);
console.log("| method | batch size | transactions | total | vs one UPDATE | longest row-lock hold |");
console.log("|---|---:|---:|---:|---:|---:|");
for (const r of results) {
  console.log(
    `| ${r.method} | ${r.batch} | ${r.batches} | ${(r.totalMs / 1000).toFixed(2)} s | ${(r.totalMs / bulk).toFixed(2)}x | ${r.longestMs >= 1000 ? `${(r.longestMs / 1000).toFixed(2)} s` : `${r.longestMs.toFixed(0)} ms`} |`,
  );
}
const worst = results.slice(1);
const ok = worst.every((r) => r.longestMs < 1000) && worst.some((r) => r.totalMs <= 2 * bulk);
console.log(`\nCriteria (every batch < 1 s of row locks; total within 2x of one UPDATE): ${ok ? "met" : "NOT met"}`);
