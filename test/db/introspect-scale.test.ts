/**
 * Introspection of a 1,000-table schema (8 columns, a primary key, a unique constraint, a foreign key and
 * two indexes each) on every dialect: counts and exact tables read back; the elapsed time is reported as
 * a test diagnostic (no timing assertion). The DDL is one generated script run in a single round trip.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { parseDatabaseUrl } from "../../src/config/url.js";
import { getCompiler } from "../../src/dialects/compilers.js";
import { connect } from "../../src/dialects/connect.js";
import { declaredAsIntrospected, introspect } from "../../src/dialects/introspect.js";
import type { DialectName } from "../../src/dialects/types.js";
import { sa, type Table } from "../../src/schema/index.js";
import { DIALECTS, createTestDatabase } from "../helpers/databases.js";
import { wideSchema } from "../fixtures/wide-schema.mjs";

const TABLES = 1000;


function ddlScript(dialect: DialectName, tables: Table[]): string {
  const compiler = getCompiler(dialect);
  if (dialect === "mysql") {
    // InnoDB rebuilds a table per CREATE INDEX: declare the indexes inside CREATE TABLE (KEY ...) instead,
    // which is 3x faster to create and reads back the same
    return tables.map((t) => {
      const [create] = compiler.compile({ kind: "createTable", table: { ...t, indexes: [] } });
      const keys = t.indexes.map((ix) => `,\n    KEY ${compiler.quoteIdentifier(ix.name)} (${ix.columns.map((c) => compiler.quoteIdentifier(c as string)).join(", ")})`);
      return `${create!.sql.replace(/\n\)$/, `${keys.join("")}\n)`)};`;
    }).join("\n");
  }
  return tables.flatMap((t) => compiler.compile({ kind: "createTable", table: t }).map((s) => `${s.sql};`)).join("\n");
}

/** MySQL's adapter runs one statement per call: the script goes through a multi-statement connection. */
async function runMysqlScript(url: string, script: string): Promise<void> {
  const mysql = (await import("mysql2/promise")).default;
  const u = new URL(url);
  const conn = await mysql.createConnection({
    host: u.hostname, port: u.port ? Number(u.port) : 3306, user: decodeURIComponent(u.username || "root"),
    password: decodeURIComponent(u.password), database: decodeURIComponent(u.pathname.slice(1)), multipleStatements: true,
  });
  try {
    await conn.query(script);
  } finally {
    await conn.end();
  }
}

for (const dialect of DIALECTS) {
  test(`${dialect}: introspecting ${TABLES} tables`, async (t) => {
    const db = await createTestDatabase(dialect);
    const conn = await connect(parseDatabaseUrl(db.url));
    try {
      const declared = wideSchema<Table>(sa, TABLES);
      const script = ddlScript(dialect, declared);
      const created = performance.now();
      if (dialect === "mysql") await runMysqlScript(db.url, script);
      else {
        await conn.execute({ sql: "BEGIN" });
        await conn.execute({ sql: script });
        await conn.execute({ sql: "COMMIT" });
      }
      t.diagnostic(`${dialect}: created ${TABLES} tables in ${(performance.now() - created).toFixed(0)} ms`);

      const times: number[] = [];
      let live = await introspect(conn);
      for (let run = 0; run < 3; run++) {
        const start = performance.now();
        live = await introspect(conn);
        times.push(performance.now() - start);
      }
      const first = times[0]!;
      t.diagnostic(`${dialect}: introspect of ${TABLES} tables: ${times.map((x) => x.toFixed(0)).join(" / ")} ms (3 warm runs)`);
      console.log(`${dialect}: introspect ${TABLES} tables: ${first.toFixed(0)} ms`);

      const count = (kind: string) => live.tables.reduce((n, tb) => n + tb.constraints.filter((c) => c.kind === kind).length, 0);
      assert.equal(live.tables.length, TABLES);
      assert.equal(live.tables.reduce((n, tb) => n + tb.columns.length, 0), TABLES * 8);
      assert.equal(count("primaryKey"), TABLES);
      assert.equal(count("unique"), TABLES);
      assert.equal(count("foreignKey"), TABLES);
      assert.equal(count("check"), 0);
      assert.equal(live.tables.reduce((n, tb) => n + tb.indexes.length, 0), TABLES * 2);
      assert.equal(live.tables.filter((tb) => tb.columns[0]!.autoincrement).length, TABLES);
      for (const d of declared) {
        const actual = live.tables.find((x) => x.name === d.name);
        assert.deepStrictEqual(actual, declaredAsIntrospected(d, dialect), d.name);
      }
    } finally {
      await conn.close();
      await db.drop();
    }
  });
}
