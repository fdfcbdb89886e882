/**
 * MySQL/MariaDB introspection of hand-written DDL (unsigned, tinyint(4), datetime without fraction,
 * `current_timestamp()`/`now(6)` defaults, enums with quotes, unnamed FKs and their automatic indexes,
 * prefix indexes, generated columns, MariaDB json): the exact `Table` objects read back. Plus the default
 * and expression normalisation as pure functions.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { parseDatabaseUrl } from "../../src/config/url.js";
import { connect } from "../../src/dialects/connect.js";
import { canonicalTable, introspect } from "../../src/dialects/introspect.js";
import { mysqlDefault, mysqlType, normalizeMysqlExpression } from "../../src/dialects/mysql/introspect.js";
import { sa, type Column, type Constraint, type Index, type SqlType, type Table } from "../../src/schema/index.js";
import { createTestDatabase } from "../helpers/databases.js";

const col = (name: string, type: SqlType, o: Partial<Column> = {}): Column => ({
  kind: "column", name, type, nullable: true, primaryKey: false, autoincrement: false, unique: false, index: false,
  serverDefault: null, comment: null, ...o,
});
const tbl = (name: string, columns: Column[], constraints: Constraint[], indexes: Index[], comment: string | null = null): Table =>
  canonicalTable({ kind: "table", name, columns, constraints, indexes, comment });

const STATEMENTS = [
  "CREATE TABLE parents (id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY, code CHAR(3) NOT NULL) COMMENT='Parents'",
  `CREATE TABLE kids (
    id BIGINT NOT NULL AUTO_INCREMENT,
    parent_id INT UNSIGNED,
    name VARCHAR(40) NOT NULL DEFAULT 'n/a' COMMENT 'kid name',
    flag TINYINT(1) NOT NULL DEFAULT 0,
    level TINYINT DEFAULT 3,
    kind ENUM('a','b''c', 'd\\\\e') NOT NULL DEFAULT 'b''c',
    born DATETIME DEFAULT CURRENT_TIMESTAMP,
    seen DATETIME(6) DEFAULT NOW(6),
    seen3 DATETIME(6) DEFAULT NOW(3),
    day DATE DEFAULT (CURRENT_DATE),
    changed TIMESTAMP NULL DEFAULT NULL ON UPDATE CURRENT_TIMESTAMP,
    price DECIMAL(8,3) DEFAULT '2.500',
    ratio FLOAT,
    doc JSON,
    note MEDIUMTEXT,
    \`select\` INT CHECK (\`select\` > 0),
    PRIMARY KEY (id),
    UNIQUE KEY uq_kids_name (name, parent_id),
    KEY ix_kids_note (note(20)),
    FOREIGN KEY (parent_id) REFERENCES parents (id) ON DELETE SET NULL ON UPDATE NO ACTION,
    CONSTRAINT ck_level CHECK (level BETWEEN 0 AND 9)
  )`,
  // an explicit index covering the FK column: no automatic index, and this one is listed
  `CREATE TABLE toys (
    id INT NOT NULL PRIMARY KEY,
    kid_id BIGINT NOT NULL,
    label VARCHAR(10) DEFAULT 'it''s',
    KEY ix_toys_kid (kid_id, label),
    CONSTRAINT fk_toys_kid FOREIGN KEY (kid_id) REFERENCES kids (id) ON DELETE CASCADE ON UPDATE RESTRICT
  )`,
];

test("mysql: hand-written DDL reads back exactly", async () => {
  const db = await createTestDatabase("mysql");
  const conn = await connect(parseDatabaseUrl(db.url));
  try {
    for (const sql of STATEMENTS) await conn.execute({ sql });
    const mariadb = /mariadb/i.test(String((await conn.execute({ sql: "SELECT VERSION() AS v" })).rows[0]!.v));
    const live = await introspect(conn);
    assert.deepStrictEqual(live.enums, []);
    assert.deepStrictEqual(live.tables.map((t) => t.name), ["kids", "parents", "toys"]);
    // MySQL 8 drops display widths (int unsigned, tinyint)
    const unsignedInt = mariadb ? "int(10) unsigned" : "int unsigned";

    assert.deepStrictEqual(live.tables[0], tbl("kids", [
      col("id", sa.bigInteger(), { nullable: false, primaryKey: true, autoincrement: true }),
      col("parent_id", sa.customType(unsignedInt)),
      col("name", sa.string(40), { nullable: false, serverDefault: "n/a", comment: "kid name" }),
      col("flag", sa.boolean(), { nullable: false, serverDefault: false }),
      col("level", sa.customType(mariadb ? "tinyint(4)" : "tinyint"), { serverDefault: 3 }),
      col("kind", sa.enumType("kind", ["a", "b'c", "d\\e"]), { nullable: false, serverDefault: "b'c" }),
      col("born", sa.customType("datetime"), { serverDefault: sa.sql("CURRENT_TIMESTAMP") }),
      col("seen", sa.dateTime(), { serverDefault: sa.sql("CURRENT_TIMESTAMP") }),
      col("seen3", sa.dateTime(), { serverDefault: sa.sql("CURRENT_TIMESTAMP(3)") }),
      col("day", sa.date(), { serverDefault: sa.sql("CURRENT_DATE") }),
      col("changed", sa.customType("timestamp")),
      col("price", sa.numeric(8, 3), { serverDefault: 2.5 }),
      col("ratio", sa.customType("float")),
      col("doc", sa.json()),
      col("note", sa.customType("mediumtext")),
      col("select", sa.integer()),
    ], [
      sa.primaryKey(["id"]),
      sa.unique(["name", "parent_id"], { name: "uq_kids_name" }),
      // unnamed: kids_ibfk_1; its automatic index (named parent_id) is not listed; NO ACTION -> null
      sa.foreignKey(["parent_id"], "parents", ["id"], { name: "kids_ibfk_1", onDelete: "SET NULL" }),
      sa.check("level between 0 and 9", { name: "ck_level" }),
      // a column-level check is named after its column on MariaDB; `select` stays quoted (reserved)
      sa.check("`select` > 0", { name: mariadb ? "select" : "kids_chk_1" }),
    ], [
      // the prefix length (note(20)) is not represented
      sa.index("ix_kids_note", ["note"]),
    ]));

    assert.deepStrictEqual(live.tables[1], tbl("parents", [
      col("id", sa.customType(unsignedInt), { nullable: false, primaryKey: true, autoincrement: true }),
      col("code", sa.customType("char(3)"), { nullable: false }),
    ], [sa.primaryKey(["id"])], [], "Parents"));

    assert.deepStrictEqual(live.tables[2], tbl("toys", [
      col("id", sa.integer(), { nullable: false, primaryKey: true }),
      col("kid_id", sa.bigInteger(), { nullable: false }),
      col("label", sa.string(10), { serverDefault: "it's" }),
    ], [
      sa.primaryKey(["id"]),
      sa.foreignKey(["kid_id"], "kids", ["id"], { name: "fk_toys_kid", onDelete: "CASCADE" }),
    ], [
      sa.index("ix_toys_kid", ["kid_id", "label"]),
    ]));
  } finally {
    await conn.close();
    await db.drop();
  }
});

test("mysql: column types and defaults in the sa model", () => {
  assert.deepStrictEqual(mysqlType("int(11)", "c"), sa.integer());
  assert.deepStrictEqual(mysqlType("int", "c"), sa.integer());
  assert.deepStrictEqual(mysqlType("bigint(20)", "c"), sa.bigInteger());
  assert.deepStrictEqual(mysqlType("tinyint(1)", "c"), sa.boolean());
  assert.deepStrictEqual(mysqlType("decimal(10,0)", "c"), sa.numeric());
  assert.deepStrictEqual(mysqlType("decimal(12,0)", "c"), sa.numeric(12));
  assert.deepStrictEqual(mysqlType("decimal(12,4)", "c"), sa.numeric(12, 4));
  assert.deepStrictEqual(mysqlType("char(36)", "c"), sa.uuid());
  assert.deepStrictEqual(mysqlType("uuid", "c"), sa.uuid());
  assert.deepStrictEqual(mysqlType("enum('x','y''z')", "c"), sa.enumType("c", ["x", "y'z"]));
  assert.deepStrictEqual(mysqlType("int(10) unsigned zerofill", "c"), sa.customType("int(10) unsigned zerofill"));

  const maria = (raw: unknown, type: SqlType, extra = "", precision: number | null = null) => mysqlDefault(raw, type, extra, precision, true);
  const mysql8 = (raw: unknown, type: SqlType, extra = "", precision: number | null = null) => mysqlDefault(raw, type, extra, precision, false);
  assert.equal(maria(null, sa.string(5)), null);
  assert.equal(maria("NULL", sa.string(5)), null);
  assert.equal(maria("'NULL'", sa.string(5)), "NULL");
  assert.equal(maria("'x''y\\\\z'", sa.string(5)), "x'y\\z");
  assert.equal(maria("1", sa.boolean()), true);
  assert.equal(maria("2", sa.boolean()), 2);
  assert.equal(maria("'7'", sa.integer()), 7);
  assert.equal(maria("1.50", sa.numeric(10, 2)), 1.5);
  assert.deepStrictEqual(maria("current_timestamp()", sa.customType("datetime")), sa.sql("CURRENT_TIMESTAMP"));
  assert.deepStrictEqual(maria("current_timestamp(6)", sa.dateTime(), "", 6), sa.sql("CURRENT_TIMESTAMP"));
  assert.deepStrictEqual(maria("current_timestamp(3)", sa.dateTime(), "", 6), sa.sql("CURRENT_TIMESTAMP(3)"));
  assert.deepStrictEqual(maria("curdate()", sa.date()), sa.sql("CURRENT_DATE"));
  assert.deepStrictEqual(maria("(1 + 2)", sa.integer()), sa.sql("1 + 2"));
  assert.deepStrictEqual(maria("concat(`a`,'x')", sa.text()), sa.sql("concat(a,'x')"));

  assert.equal(mysql8(null, sa.string(5)), null);
  assert.equal(mysql8("pending", sa.string(10)), "pending");
  assert.equal(mysql8("5", sa.string(10)), "5");
  assert.equal(mysql8("5", sa.integer()), 5);
  assert.equal(mysql8("0", sa.boolean()), false);
  assert.deepStrictEqual(mysql8("CURRENT_TIMESTAMP(6)", sa.dateTime(), "DEFAULT_GENERATED", 6), sa.sql("CURRENT_TIMESTAMP"));
  assert.deepStrictEqual(mysql8("(1 + 2)", sa.integer(), "DEFAULT_GENERATED"), sa.sql("1 + 2"));

  assert.equal(normalizeMysqlExpression("(`a` > 0 and `order` < 3)"), "a > 0 and `order` < 3");
  assert.equal(normalizeMysqlExpression("`Weird Name` <> '`a`'"), "`Weird Name` <> '`a`'");
});
