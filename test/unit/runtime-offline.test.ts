/**
 * Offline (`--sql`) output: the exact text for a two-revision project on each dialect, and
 * that it never connects (the URL given points nowhere).
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import * as runtime from "../../src/runtime/migrate.js";
import { MigrationError } from "../../src/runtime/errors.js";
import { createMemoryLogger } from "../../src/util/log.js";
import { makeProject, type TestProject } from "../helpers/revisions.js";
import { graphOf } from "../helpers/runtime.js";
import type { DialectName } from "../../src/dialects/types.js";
import { getCompiler } from "../../src/dialects/compilers.js";

const A = "3a8f1c2d4b7e";
const B = "9c3e5f8a1d2b";

let project: TestProject;
before(() => {
  project = makeProject();
  project.write({
    rev: A,
    down: null,
    message: "add users table",
    upgrade: `await op.execute("CREATE TABLE users (id integer PRIMARY KEY,\\n\\tname varchar(50))");`,
    downgrade: `await op.execute("DROP TABLE users");`,
  });
  project.write({
    rev: B,
    down: A,
    message: "seed users",
    upgrade: `await op.execute("INSERT INTO users (id, name) VALUES (?, ?)", [1, "O'Brien"]);`,
    downgrade: `await op.execute("DELETE FROM users WHERE id = ?", [1]);`,
  });
});
after(() => project.remove());

function opts(dialect: DialectName, extra: Partial<Omit<runtime.OfflineOptions, "log">> = {}) {
  return { dialect, graph: graphOf(project.versions), ...extra, log: createMemoryLogger() };
}

const CREATE_VERSION = `CREATE TABLE athanor_version (
    version_num VARCHAR(32) NOT NULL,
    CONSTRAINT athanor_version_pkc PRIMARY KEY (version_num)
);

`;

const STEP1 = `-- Running upgrade  -> ${A}

CREATE TABLE users (id integer PRIMARY KEY,
    name varchar(50));

INSERT INTO athanor_version (version_num) VALUES ('${A}');

`;

const step2 = (literal: string) => `-- Running upgrade ${A} -> ${B}

INSERT INTO users (id, name) VALUES (1, ${literal});

UPDATE athanor_version SET version_num='${B}' WHERE athanor_version.version_num = '${A}';

`;

describe("upgrade --sql", () => {
  test("postgresql: BEGIN/COMMIT per revision", async () => {
    const o = opts("postgresql");
    const sql = await runtime.upgradeSql(o, "head");
    assert.equal(sql, `BEGIN;\n\n${CREATE_VERSION}${STEP1}COMMIT;\n\nBEGIN;\n\n${step2("'O''Brien'")}COMMIT;\n\n`);
    assert.deepEqual(o.log.lines, [
      "INFO  Context impl PostgresqlImpl.",
      "INFO  Generating static SQL",
      "INFO  Will assume transactional DDL.",
      `INFO  Running upgrade  -> ${A}, add users table`,
      `INFO  Running upgrade ${A} -> ${B}, seed users`,
    ]);
  });

  test("sqlite: transactional too", async () => {
    const sql = await runtime.upgradeSql(opts("sqlite"), "head");
    assert.equal(sql, `BEGIN;\n\n${CREATE_VERSION}${STEP1}COMMIT;\n\nBEGIN;\n\n${step2("'O''Brien'")}COMMIT;\n\n`);
  });

  test("mysql: no BEGIN/COMMIT (DDL is not transactional)", async () => {
    const sql = await runtime.upgradeSql(opts("mysql"), "head");
    assert.equal(sql, `${CREATE_VERSION}${STEP1}${step2(getCompiler("mysql").renderLiteral("O'Brien"))}`);
  });

  test("one transaction for the run (transactionPerMigration: false)", async () => {
    const sql = await runtime.upgradeSql(opts("postgresql", { transactionPerMigration: false }), "head");
    assert.equal(sql, `BEGIN;\n\n${CREATE_VERSION}${STEP1}${step2("'O''Brien'")}COMMIT;\n\n`);
  });

  test("start:end ranges start from the given revision (no CREATE TABLE)", async () => {
    const sql = await runtime.upgradeSql(opts("postgresql"), `${A}:head`);
    assert.equal(sql, `BEGIN;\n\n${step2("'O''Brien'")}COMMIT;\n\n`);
    const first = await runtime.upgradeSql(opts("postgresql"), `base:${A.slice(0, 6)}`);
    assert.equal(first, `BEGIN;\n\n${CREATE_VERSION}${STEP1}COMMIT;\n\n`);
  });
});

describe("downgrade --sql", () => {
  test("requires <fromrev>:<torev>", async () => {
    await assert.rejects(
      runtime.downgradeSql(opts("postgresql"), "base"),
      (e: unknown) => e instanceof MigrationError && e.message === "downgrade with --sql requires <fromrev>:<torev>",
    );
  });

  test("postgresql: head to base", async () => {
    const o = opts("postgresql");
    const sql = await runtime.downgradeSql(o, `${B}:base`);
    assert.equal(
      sql,
      `BEGIN;

-- Running downgrade ${B} -> ${A}

DELETE FROM users WHERE id = 1;

UPDATE athanor_version SET version_num='${A}' WHERE athanor_version.version_num = '${B}';

COMMIT;

BEGIN;

-- Running downgrade ${A} -> 

DROP TABLE users;

DELETE FROM athanor_version WHERE athanor_version.version_num = '${A}';

COMMIT;

`,
    );
    assert.ok(o.log.lines.includes(`INFO  Running downgrade ${A} -> , add users table`));
  });
});

describe("stamp --sql", () => {
  test("from base, and from a revision", async () => {
    assert.equal(
      await runtime.stampSql(opts("sqlite"), [B]),
      `BEGIN;\n\n${CREATE_VERSION}-- Running stamp_revision  -> ${B}\n\nINSERT INTO athanor_version (version_num) VALUES ('${B}');\n\nCOMMIT;\n\n`,
    );
    assert.equal(
      await runtime.stampSql(opts("mysql"), [`${A}:${B}`]),
      `-- Running stamp_revision ${A} -> ${B}\n\nUPDATE athanor_version SET version_num='${B}' WHERE athanor_version.version_num = '${A}';\n\n`,
    );
  });
});

describe("offline limits", () => {
  test("op.query fails clearly; op.autocommitBlock emits COMMIT/BEGIN", async () => {
    const p = makeProject();
    try {
      p.write({
        rev: A,
        down: null,
        message: "data",
        upgrade: `await op.autocommitBlock(async () => { await op.execute("VACUUM"); });
await op.query("SELECT 1");`,
      });
      const o = { dialect: "postgresql" as const, graph: graphOf(p.versions), log: createMemoryLogger() };
      await assert.rejects(
        runtime.upgradeSql(o, "head"),
        (e: unknown) => e instanceof MigrationError && /op\.query\(\) cannot run in offline \(--sql\) mode/.test(e.message),
      );
      const p2 = makeProject();
      p2.write({
        rev: A,
        down: null,
        message: "data",
        upgrade: `await op.execute("CREATE TABLE x (id integer)");
await op.autocommitBlock(async () => { await op.execute("CREATE INDEX CONCURRENTLY ix ON x (id)"); });`,
      });
      const sql = await runtime.upgradeSql({ ...o, graph: graphOf(p2.versions) }, "head");
      p2.remove();
      assert.equal(
        sql,
        `BEGIN;\n\n${CREATE_VERSION}-- Running upgrade  -> ${A}\n\nCREATE TABLE x (id integer);\n\nCOMMIT;\n\nCREATE INDEX CONCURRENTLY ix ON x (id);\n\nBEGIN;\n\nINSERT INTO athanor_version (version_num) VALUES ('${A}');\n\nCOMMIT;\n\n`,
      );
    } finally {
      p.remove();
    }
  });
});
