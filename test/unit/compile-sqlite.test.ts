import assert from "node:assert/strict";
import { test } from "node:test";
import { getCompiler } from "../../src/dialects/compilers.js";
import { parseCreateIndex, parseCreateTable, renameIdentifierInSql, sqlReferencesIdentifier } from "../../src/dialects/sqlite/batch-parse.js";
import * as b from "../../src/operations/build.js";
import type { BatchAlterTableOp, BatchChildOp, Operation } from "../../src/operations/ops.js";
import { sa } from "../../src/schema/index.js";
import type { SqlType, Table } from "../../src/schema/types.js";

const lite = getCompiler("sqlite");
const sqls = (op: Operation, tables?: Record<string, Table>) => lite.compile(op, tables ? { tables } : {}).map((s) => s.sql);
const batch = (table: string, ops: BatchChildOp[], extra: Partial<BatchAlterTableOp> = {}): BatchAlterTableOp =>
  ({ kind: "batchAlterTable", table, recreate: "auto", ops, copyFrom: null, ...extra });

const users = sa.table("users",
  sa.column("id", sa.integer(), { primaryKey: true }),
  sa.column("name", sa.string(50), { nullable: false }),
  sa.column("age", sa.string(10)),
  sa.column("parent_id", sa.integer()),
  sa.column("note", sa.text()),
  sa.foreignKey(["parent_id"], "users", ["id"], { name: "fk_parent", onDelete: "CASCADE" }),
  sa.unique(["name"], { name: "uq_name" }),
  sa.check("age <> 'x'", { name: "ck_age" }),
  sa.index("ix_age", ["age"]),
);

test("sqlite: basics and types", () => {
  assert.equal(lite.transactionalDdl, true);
  assert.equal(lite.quoteIdentifier('we"ird'), '"we""ird"');
  const cases: Array<[SqlType, string]> = [
    [sa.integer(), "INTEGER"], [sa.bigInteger(), "BIGINT"], [sa.string(), "VARCHAR"], [sa.string(5), "VARCHAR(5)"],
    [sa.boolean(), "BOOLEAN"], [sa.dateTime({ timezone: true }), "DATETIME"], [sa.numeric(10, 2), "NUMERIC(10, 2)"],
    [sa.float(), "FLOAT"], [sa.json(), "JSON"], [sa.uuid(), "CHAR(36)"], [sa.binary(), "BLOB"], [sa.enumType("m", ["ab", "abcd"]), "VARCHAR(4)"],
  ];
  for (const [t, s] of cases) assert.equal(lite.renderType(t), s);
});

test("sqlite: createTable (rowid alias, AUTOINCREMENT, parenthesized expression defaults)", () => {
  assert.deepEqual(sqls(b.createTableOp("a",
    sa.column("id", sa.bigInteger(), { primaryKey: true }),
    sa.column("at", sa.dateTime(), { serverDefault: sa.sql("datetime('now')") }),
    sa.column("ts", sa.dateTime(), { serverDefault: sa.sql("CURRENT_TIMESTAMP") }),
    sa.column("n", sa.integer(), { serverDefault: -1 }),
    sa.column("s", sa.text(), { serverDefault: "it's", comment: "ignored" }),
    { comment: "ignored" },
  )), [
    `CREATE TABLE "a" (\n    "id" INTEGER NOT NULL,\n    "at" DATETIME DEFAULT (datetime('now')),\n    "ts" DATETIME DEFAULT CURRENT_TIMESTAMP,\n` +
      `    "n" INTEGER DEFAULT -1,\n    "s" TEXT DEFAULT 'it''s',\n    PRIMARY KEY ("id")\n)`,
  ]);
  assert.deepEqual(sqls(b.createTableOp("b", sa.column("id", sa.integer(), { primaryKey: true, autoincrement: true }), sa.primaryKey(["id"], { name: "pk_b" }))), [
    `CREATE TABLE "b" (\n    "id" INTEGER NOT NULL CONSTRAINT "pk_b" PRIMARY KEY AUTOINCREMENT\n)`,
  ]);
});

test("sqlite: native ALTERs", () => {
  assert.deepEqual(sqls(b.addColumnOp("t", sa.column("x", sa.integer(), { nullable: false, serverDefault: 0, index: true }))), [
    'ALTER TABLE "t" ADD COLUMN "x" INTEGER NOT NULL DEFAULT 0',
    'CREATE INDEX "ix_t_x" ON "t" ("x")',
  ]);
  assert.deepEqual(sqls(b.dropColumnOp("t", "x")), ['ALTER TABLE "t" DROP COLUMN "x"']);
  assert.deepEqual(sqls(b.alterColumnOp("t", "x", { newName: "y" })), ['ALTER TABLE "t" RENAME COLUMN "x" TO "y"']);
  assert.deepEqual(sqls(b.alterColumnOp("t", "x", { comment: "c" })), []);
  assert.deepEqual(sqls(b.renameTableOp("t", "u")), ['ALTER TABLE "t" RENAME TO "u"']);
  assert.deepEqual(sqls(b.createIndexOp("ix", "t", ["a", sa.sql("lower(b)")], { unique: true, where: "a > 0", ifNotExists: true, concurrently: true })),
    ['CREATE UNIQUE INDEX IF NOT EXISTS "ix" ON "t" ("a", lower(b)) WHERE a > 0']);
  assert.deepEqual(sqls(b.dropIndexOp("ix", { ifExists: true })), ['DROP INDEX IF EXISTS "ix"']);
  assert.deepEqual(sqls(b.createTableCommentOp("t", "c")), []);
  assert.deepEqual(sqls(b.dropTableCommentOp("t")), []);
  assert.deepEqual(sqls(b.createEnumOp("m", ["a"])), []);
  assert.deepEqual(sqls(b.dropEnumOp("m")), []);
});

test("sqlite: what ALTER can't do needs the table definition (clear error offline)", () => {
  for (const op of [
    b.alterColumnOp("users", "age", { type: sa.integer() }),
    b.createUniqueConstraintOp("uq", "users", ["age"]),
    b.createCheckConstraintOp("ck", "users", "age > 0"),
    b.createForeignKeyOp("fk", "users", "p", ["parent_id"], ["id"]),
    b.createPrimaryKeyOp("pk", "users", ["id"]),
    b.dropConstraintOp("uq_name", "users"),
    b.addColumnOp("users", sa.column("at", sa.dateTime(), { serverDefault: sa.sql("CURRENT_TIMESTAMP") })),
    b.addColumnOp("users", sa.column("u", sa.integer(), { unique: true })),
  ]) {
    assert.throws(() => lite.compile(op), /needs to recreate the table on SQLite \("move and copy"\).*cannot proceed in --sql mode.*copyFrom/, op.kind);
    assert.deepEqual(lite.tablesNeeded(op), [{ table: "users", required: true }]);
  }
  assert.deepEqual(lite.tablesNeeded(b.dropColumnOp("users", "x")), [{ table: "users", required: false }]);
  assert.deepEqual(lite.tablesNeeded(b.addColumnOp("users", sa.column("x", sa.integer()))), []);
  assert.deepEqual(lite.tablesNeeded(batch("users", [b.dropColumnOp("users", "x")], { copyFrom: users })), []);
});

test("sqlite: batch recreate (move and copy) with copyFrom", () => {
  const op = batch("users", [
    b.alterColumnOp("users", "age", { type: sa.integer(), newName: "years" }),
    b.dropColumnOp("users", "note"),
    b.createCheckConstraintOp("ck_years", "users", "years >= 0"),
    b.addColumnOp("users", sa.column("created", sa.dateTime(), { serverDefault: sa.sql("CURRENT_TIMESTAMP") })),
  ], { copyFrom: users });
  const plan = lite.plan(op);
  assert.deepEqual(plan.recreatedTables, ["users"]);
  assert.deepEqual(plan.statements.map((s) => s.sql), [
    `CREATE TABLE "_athanor_tmp_users" (\n` +
      `    "id" INTEGER NOT NULL,\n` +
      `    "name" VARCHAR(50) NOT NULL,\n` +
      `    "years" INTEGER,\n` +
      `    "parent_id" INTEGER,\n` +
      `    "created" DATETIME DEFAULT CURRENT_TIMESTAMP,\n` +
      `    PRIMARY KEY ("id"),\n` +
      `    CONSTRAINT "fk_parent" FOREIGN KEY ("parent_id") REFERENCES "_athanor_tmp_users" ("id") ON DELETE CASCADE,\n` +
      `    CONSTRAINT "uq_name" UNIQUE ("name"),\n` +
      `    CONSTRAINT "ck_age" CHECK ("years" <> 'x'),\n` +
      `    CONSTRAINT "ck_years" CHECK (years >= 0)\n` +
      `)`,
    `INSERT INTO "_athanor_tmp_users" ("id", "name", "years", "parent_id") SELECT "id", "name", CAST("age" AS INTEGER), "parent_id" FROM "users"`,
    `DROP TABLE "users"`,
    `ALTER TABLE "_athanor_tmp_users" RENAME TO "users"`,
    `CREATE INDEX "ix_age" ON "users" ("years")`,
  ]);
});

test("sqlite: dropping a column drops the indexes and constraints that use it", () => {
  const st = sqls(b.dropColumnOp("users", "age"), { users });
  assert.equal(st.length, 4);
  assert.doesNotMatch(st[0]!, /ck_age|"age"/);
  assert.match(st[1]!, /SELECT "id", "name", "parent_id", "note" FROM "users"/);
  // a column nothing depends on: native DROP COLUMN
  assert.deepEqual(sqls(b.dropColumnOp("users", "note"), { users }), ['ALTER TABLE "users" DROP COLUMN "note"']);
});

test("sqlite: constraint ops via recreate; dropConstraint by name and unnamed primary key", () => {
  const st = sqls(b.dropConstraintOp("uq_name", "users", { type: "unique" }), { users });
  assert.doesNotMatch(st[0]!, /uq_name/);
  const noPk = sa.table("p", sa.column("a", sa.integer(), { nullable: false }), sa.column("b", sa.integer()));
  const st2 = sqls(b.createPrimaryKeyOp("pk_p", "p", ["a"]), { p: noPk });
  assert.match(st2[0]!, /"a" INTEGER NOT NULL,\n {4}"b" INTEGER,\n {4}CONSTRAINT "pk_p" PRIMARY KEY \("a"\)/);
  const st3 = sqls(b.dropConstraintOp("whatever", "users", { type: "primary" }), { users });
  assert.doesNotMatch(st3[0]!, /PRIMARY KEY/);
  assert.throws(() => lite.compile(b.dropConstraintOp("nope", "users", { type: "check" }), { tables: { users } }), /no constraint named "nope"/);
  assert.throws(() => lite.compile(b.dropConstraintOp("uq_name", "users", { type: "check" }), { tables: { users } }), /is a unique constraint, not check/);
  assert.throws(() => lite.compile(b.createPrimaryKeyOp("pk2", "users", ["name"]), { tables: { users } }), /already has a primary key/);
  assert.throws(() => lite.compile(b.alterColumnOp("users", "zzz", { nullable: false }), { tables: { users } }), /has no column "zzz"/);
});

test("sqlite: recreate modes", () => {
  const native = [b.addColumnOp("users", sa.column("x", sa.integer())), b.createIndexOp("ix_x", "users", ["x"])];
  assert.deepEqual(sqls(batch("users", native)), ['ALTER TABLE "users" ADD COLUMN "x" INTEGER', 'CREATE INDEX "ix_x" ON "users" ("x")']);
  const always = sqls(batch("users", native, { recreate: "always", copyFrom: users }));
  assert.equal(always[0]!.startsWith('CREATE TABLE "_athanor_tmp_users"'), true);
  assert.match(always.at(-1)!, /CREATE INDEX "ix_x" ON "users" \("x"\)/);
  assert.throws(() => lite.compile(batch("users", [b.alterColumnOp("users", "age", { nullable: false })], { recreate: "never" })),
    /cannot be done with ALTER TABLE on SQLite; use recreate "auto" or "always"/);
  assert.throws(() => lite.compile(batch("users", [b.alterColumnOp("users", "age", { nullable: false })])), /batchAlterTable\("users"\) needs to recreate/);
});

test("sqlite: execute, bulkInsert (booleans and dates adapted), inlineStatement", () => {
  assert.deepEqual(lite.compile(b.executeOp("UPDATE t SET a = :a, b = ':a' WHERE c = :a", { a: 1 })), [{ sql: "UPDATE t SET a = ?, b = ':a' WHERE c = ?", params: [1, 1] }]);
  const t = sa.table("t", sa.column("f", sa.boolean()), sa.column("d", sa.date()), sa.column("ts", sa.dateTime()));
  assert.deepEqual(lite.compile(b.bulkInsertOp(t, [{ f: true, d: new Date("2024-05-06T00:00:00Z"), ts: new Date("2024-05-06T07:08:09.010Z") }])),
    [{ sql: 'INSERT INTO "t" ("f", "d", "ts") VALUES (?, ?, ?)', params: [1, "2024-05-06", "2024-05-06 07:08:09.010"] }]);
  assert.equal(lite.inlineStatement({ sql: "SELECT ?, ?, ?, '?', [?]", params: ["O'Brien", "a\\b", true] }), "SELECT 'O''Brien', 'a\\b', 1, '?', [?]");
});

test("sqlite: parse stored CREATE TABLE / CREATE INDEX", () => {
  const p = parseCreateTable(`CREATE TABLE "t" (
    id INTEGER CONSTRAINT pk_t PRIMARY KEY AUTOINCREMENT,
    "na,me" VARCHAR(20) NOT NULL COLLATE NOCASE UNIQUE,
    p INT REFERENCES parent(id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED,
    v NUMERIC(10, 2) DEFAULT (1 + 2) CHECK (v > 0),
    CONSTRAINT uq_pv UNIQUE (p, v),
    CONSTRAINT "ck,x" CHECK (v < 'a,b)'),
    FOREIGN KEY (v) REFERENCES other
  ) -- tail comment`);
  assert.deepEqual(p.columns, [
    { name: "id", type: "INTEGER", collate: null, autoincrement: true },
    { name: "na,me", type: "VARCHAR(20)", collate: "NOCASE", autoincrement: false },
    { name: "p", type: "INT", collate: null, autoincrement: false },
    { name: "v", type: "NUMERIC(10, 2)", collate: null, autoincrement: false },
  ]);
  assert.equal(p.primaryKeyName, "pk_t");
  assert.deepEqual(p.uniques, [{ name: null, columns: ["na,me"] }, { name: "uq_pv", columns: ["p", "v"] }]);
  assert.deepEqual(p.checks, [{ name: null, condition: "v > 0" }, { name: "ck,x", condition: "v < 'a,b)'" }]);
  assert.deepEqual(p.foreignKeys, [
    { name: null, columns: ["p"], referentTable: "parent", referentColumns: ["id"], deferrable: true, initiallyDeferred: true },
    { name: null, columns: ["v"], referentTable: "other", referentColumns: [], deferrable: null, initiallyDeferred: null },
  ]);
  assert.deepEqual(parseCreateIndex(`CREATE UNIQUE INDEX IF NOT EXISTS "ix" ON "t" ("a", lower(b), c DESC) WHERE a > 0`), {
    name: "ix", table: "t", unique: true, where: "a > 0",
    elements: [{ column: "a" }, { expression: "lower(b)" }, { expression: "c DESC" }],
  });
  assert.equal(sqlReferencesIdentifier("age > 'age'", "AGE"), true);
  assert.equal(sqlReferencesIdentifier("x > 'age'", "age"), false);
  assert.equal(renameIdentifierInSql(`age > 0 AND "age" <> 'age'`, "age", "years", (n) => `"${n}"`), `"years" > 0 AND "years" <> 'age'`);
});
