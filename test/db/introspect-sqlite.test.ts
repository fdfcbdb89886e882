/**
 * SQLite introspection of hand-written DDL (lowercase/odd types, quoted and bracketed names, COLLATE,
 * column-level constraints, FKs without referent columns, generated columns, WITHOUT ROWID, virtual
 * tables and their shadow tables, DESC/expression/partial indexes): the exact `Table` objects read back.
 * Plus types and defaults as pure functions.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { parseDatabaseUrl } from "../../src/config/url.js";
import { connect } from "../../src/dialects/connect.js";
import { canonicalTable, introspect } from "../../src/dialects/introspect.js";
import { sqliteDefault, sqliteType } from "../../src/dialects/sqlite/introspect.js";
import { sa, type Column, type Constraint, type Index, type SqlType, type Table } from "../../src/schema/index.js";
import { createTestDatabase } from "../helpers/databases.js";

const col = (name: string, type: SqlType, o: Partial<Column> = {}): Column => ({
  kind: "column", name, type, nullable: true, primaryKey: false, autoincrement: false, unique: false, index: false,
  serverDefault: null, comment: null, ...o,
});
const tbl = (name: string, columns: Column[], constraints: Constraint[], indexes: Index[]): Table =>
  canonicalTable({ kind: "table", name, columns, constraints, indexes, comment: null });

const DDL = `
CREATE TABLE "Parents" (
  id integer primary key autoincrement,
  code text NOT NULL COLLATE NOCASE UNIQUE,
  [weird name] varchar(10) DEFAULT 'x'
);
CREATE TABLE kids (
  id INTEGER NOT NULL,
  parent_id INTEGER REFERENCES "Parents" ON DELETE CASCADE,
  name VARCHAR(40) NOT NULL DEFAULT 'n/a' CHECK (length(name) > 0),
  born DATETIME DEFAULT (datetime('now')),
  flag BOOLEAN DEFAULT FALSE,
  score REAL DEFAULT -0.5,
  untyped,
  full TEXT GENERATED ALWAYS AS (name || '!') VIRTUAL,
  amount numeric( 10 , 0 ),
  CONSTRAINT pk_kids PRIMARY KEY (id),
  CONSTRAINT uq_kids UNIQUE (name, parent_id),
  CONSTRAINT fk_named FOREIGN KEY (id) REFERENCES "Parents" (id) DEFERRABLE INITIALLY DEFERRED,
  CONSTRAINT ck_score CHECK (score < 100)
);
CREATE INDEX ix_kids_lower ON kids (lower(name)) WHERE flag;
CREATE UNIQUE INDEX ux_kids_born ON kids (born DESC);
CREATE TABLE wr (a TEXT PRIMARY KEY, b INTEGER) WITHOUT ROWID;
CREATE TABLE big (id BIGINT PRIMARY KEY, n integer);
CREATE VIRTUAL TABLE ft USING fts5(body);
CREATE TABLE athanor_history (id INTEGER);
`;

test("sqlite: hand-written DDL reads back exactly", async () => {
  const db = await createTestDatabase("sqlite");
  const conn = await connect(parseDatabaseUrl(db.url));
  try {
    await conn.execute({ sql: DDL });
    const live = await introspect(conn);
    assert.deepStrictEqual(live.enums, []);
    // no sqlite_sequence, no virtual table, no FTS5 shadow tables, no history table
    assert.deepStrictEqual(live.tables.map((t) => t.name), ["Parents", "big", "kids", "wr"]);

    assert.deepStrictEqual(live.tables[0], tbl("Parents", [
      col("id", sa.integer(), { nullable: false, primaryKey: true, autoincrement: true }),
      col("code", sa.customType("TEXT COLLATE NOCASE"), { nullable: false }),
      col("weird name", sa.string(10), { serverDefault: "x" }),
    ], [sa.primaryKey(["id"]), sa.unique(["code"])], []));

    // BIGINT is not the rowid alias: no autoincrement
    assert.deepStrictEqual(live.tables[1], tbl("big", [
      col("id", sa.bigInteger(), { nullable: false, primaryKey: true }),
      col("n", sa.integer()),
    ], [sa.primaryKey(["id"])], []));

    assert.deepStrictEqual(live.tables[2], tbl("kids", [
      col("id", sa.integer(), { nullable: false, primaryKey: true, autoincrement: true }),
      col("parent_id", sa.integer()),
      col("name", sa.string(40), { nullable: false, serverDefault: "n/a" }),
      col("born", sa.dateTime(), { serverDefault: sa.sql("datetime('now')") }),
      col("flag", sa.boolean(), { serverDefault: false }),
      col("score", sa.customType("REAL"), { serverDefault: -0.5 }),
      col("untyped", { kind: "custom", sql: "" }),
      col("full", sa.text()),
      col("amount", sa.numeric(10, 0)),
    ], [
      sa.primaryKey(["id"], { name: "pk_kids" }),
      sa.unique(["name", "parent_id"], { name: "uq_kids" }),
      sa.foreignKey(["id"], "Parents", ["id"], { name: "fk_named", deferrable: true, initiallyDeferred: true }),
      // no referent columns in the DDL: the referent's primary key
      sa.foreignKey(["parent_id"], "Parents", ["id"], { onDelete: "CASCADE" }),
      sa.check("length(name) > 0"),
      sa.check("score < 100", { name: "ck_score" }),
    ], [
      sa.index("ix_kids_lower", [sa.sql("lower(name)")], { where: "flag" }),
      sa.index("ux_kids_born", [sa.sql("born DESC")], { unique: true }),
    ]));

    assert.deepStrictEqual(live.tables[3], tbl("wr", [
      col("a", sa.text(), { nullable: false, primaryKey: true }),
      col("b", sa.integer()),
    ], [sa.primaryKey(["a"])], []));
  } finally {
    await conn.close();
    await db.drop();
  }
});

test("sqlite: declared types and defaults in the sa model", () => {
  assert.deepStrictEqual(sqliteType("integer", null), sa.integer());
  assert.deepStrictEqual(sqliteType("VARCHAR", null), sa.string());
  assert.deepStrictEqual(sqliteType("varchar( 12 )", null), sa.string(12));
  assert.deepStrictEqual(sqliteType("NUMERIC(10, 2)", null), sa.numeric(10, 2));
  assert.deepStrictEqual(sqliteType("NUMERIC(10)", null), sa.numeric(10));
  assert.deepStrictEqual(sqliteType("CHAR(36)", null), sa.uuid());
  assert.deepStrictEqual(sqliteType("INT", null), sa.customType("INT"));
  assert.deepStrictEqual(sqliteType("VARCHAR(5)", "NOCASE"), sa.customType("VARCHAR(5) COLLATE NOCASE"));

  assert.equal(sqliteDefault(null, sa.text()), null);
  assert.equal(sqliteDefault("NULL", sa.text()), null);
  assert.equal(sqliteDefault("'it''s'", sa.text()), "it's");
  assert.equal(sqliteDefault("'7'", sa.integer()), "7");
  assert.equal(sqliteDefault("7", sa.text()), 7);
  assert.equal(sqliteDefault("1", sa.boolean()), true);
  assert.equal(sqliteDefault("TRUE", sa.integer()), 1);
  assert.equal(sqliteDefault("false", sa.boolean()), false);
  assert.deepStrictEqual(sqliteDefault("current_timestamp", sa.dateTime()), sa.sql("CURRENT_TIMESTAMP"));
  assert.deepStrictEqual(sqliteDefault("x'00ff'", sa.binary()), sa.sql("x'00ff'"));
  assert.deepStrictEqual(sqliteDefault("(1 + 2)", sa.integer()), sa.sql("1 + 2"));
});
