import assert from "node:assert/strict";
import { test } from "node:test";
import { getCompiler } from "../../src/dialects/compilers.js";
import * as b from "../../src/operations/build.js";
import type { Operation } from "../../src/operations/ops.js";
import { sa } from "../../src/schema/index.js";
import type { SqlType } from "../../src/schema/types.js";

const my = getCompiler("mysql");
const sqls = (op: Operation) => my.compile(op).map((s) => s.sql);

test("mysql: basics and quoting", () => {
  assert.equal(my.dialect, "mysql");
  assert.equal(my.transactionalDdl, false);
  assert.equal(my.quoteIdentifier("we`ird"), "`we``ird`");
  assert.equal(my.quoteIdentifier('we"ird'), '`we"ird`');
  assert.equal(my.quoteIdentifier("order"), "`order`");
});

test("mysql: types", () => {
  const cases: Array<[SqlType, string]> = [
    [sa.integer(), "INTEGER"], [sa.bigInteger(), "BIGINT"], [sa.smallInteger(), "SMALLINT"], [sa.string(20), "VARCHAR(20)"],
    [sa.text(), "TEXT"], [sa.boolean(), "BOOL"], [sa.dateTime(), "DATETIME(6)"], [sa.dateTime({ timezone: true }), "DATETIME(6)"],
    [sa.date(), "DATE"], [sa.time(), "TIME(6)"], [sa.numeric(10, 2), "NUMERIC(10, 2)"], [sa.float(), "DOUBLE"], [sa.json(), "JSON"],
    [sa.uuid(), "CHAR(36)"], [sa.binary(), "LONGBLOB"], [sa.enumType("mood", ["happy", "it's"]), "ENUM('happy', 'it''s')"],
  ];
  for (const [t, s] of cases) assert.equal(my.renderType(t), s);
  assert.throws(() => my.renderType(sa.string()), /sa\.string\(\) needs a length on MySQL/);
});

test("mysql: createTable with AUTO_INCREMENT, inline comments, table comment", () => {
  const op = b.createTableOp("users",
    sa.column("id", sa.integer(), { primaryKey: true, autoincrement: true }),
    sa.column("email", sa.string(255), { nullable: false, unique: true, comment: "O'Brien \\ path" }),
    sa.column("is_active", sa.boolean(), { nullable: false, serverDefault: true }),
    sa.column("created_at", sa.dateTime(), { serverDefault: sa.sql("CURRENT_TIMESTAMP(6)") }),
    sa.column("mood", sa.enumType("mood", ["a", "b"])),
    sa.foreignKey(["id"], "other", ["id"], { name: "fk_x", onDelete: "CASCADE", deferrable: true, initiallyDeferred: true }),
    sa.check("id > 0", { name: "ck_id" }),
    sa.index("ix_email", ["email"]),
    { comment: "people's" },
  );
  assert.deepEqual(sqls(op), [
    "CREATE TABLE `users` (\n" +
      "    `id` INTEGER NOT NULL AUTO_INCREMENT,\n" +
      "    `email` VARCHAR(255) NOT NULL COMMENT 'O''Brien \\\\ path',\n" +
      "    `is_active` BOOL NOT NULL DEFAULT 1,\n" +
      "    `created_at` DATETIME(6) DEFAULT CURRENT_TIMESTAMP(6),\n" +
      "    `mood` ENUM('a', 'b'),\n" +
      "    PRIMARY KEY (`id`),\n" +
      "    CONSTRAINT `fk_x` FOREIGN KEY (`id`) REFERENCES `other` (`id`) ON DELETE CASCADE,\n" +
      "    CONSTRAINT `ck_id` CHECK (id > 0),\n" +
      "    UNIQUE (`email`)\n" +
      ") COMMENT='people''s'",
    "CREATE INDEX `ix_email` ON `users` (`email`)",
  ]);
});

test("mysql: table-level ops", () => {
  assert.deepEqual(sqls(b.dropTableOp("t")), ["DROP TABLE `t`"]);
  assert.deepEqual(sqls(b.renameTableOp("a", "b")), ["ALTER TABLE `a` RENAME `b`"]);
  assert.deepEqual(sqls(b.createTableCommentOp("t", "x'y\\z")), ["ALTER TABLE `t` COMMENT = 'x''y\\\\z'"]);
  assert.deepEqual(sqls(b.dropTableCommentOp("t")), ["ALTER TABLE `t` COMMENT = ''"]);
});

test("mysql: addColumn / dropColumn", () => {
  assert.deepEqual(sqls(b.addColumnOp("users", sa.column("phone", sa.string(20), { nullable: false, serverDefault: "n/a", comment: "tel", index: true }))), [
    "ALTER TABLE `users` ADD COLUMN `phone` VARCHAR(20) NOT NULL DEFAULT 'n/a' COMMENT 'tel'",
    "CREATE INDEX `ix_users_phone` ON `users` (`phone`)",
  ]);
  assert.deepEqual(sqls(b.dropColumnOp("users", "phone")), ["ALTER TABLE `users` DROP COLUMN `phone`"]);
});

test("mysql: alterColumn restates the full definition with MODIFY / CHANGE", () => {
  assert.deepEqual(sqls(b.alterColumnOp("users", "name", { type: sa.string(100), existingNullable: false, existingServerDefault: "x", existingComment: "the name" })),
    ["ALTER TABLE `users` MODIFY `name` VARCHAR(100) NOT NULL DEFAULT 'x' COMMENT 'the name'"]);
  assert.deepEqual(sqls(b.alterColumnOp("users", "name", { nullable: true, existingType: sa.string(50) })),
    ["ALTER TABLE `users` MODIFY `name` VARCHAR(50) NULL"]);
  assert.deepEqual(sqls(b.alterColumnOp("users", "name", { newName: "full_name", existingType: sa.string(50), existingNullable: false, existingComment: "c" })),
    ["ALTER TABLE `users` CHANGE `name` `full_name` VARCHAR(50) NOT NULL COMMENT 'c'"]);
  assert.deepEqual(sqls(b.alterColumnOp("users", "id", { type: sa.bigInteger(), existingNullable: false, existingAutoincrement: true })),
    ["ALTER TABLE `users` MODIFY `id` BIGINT NOT NULL AUTO_INCREMENT"]);
  assert.deepEqual(sqls(b.alterColumnOp("users", "n", { comment: null, serverDefault: null, existingType: sa.integer(), existingNullable: true, existingServerDefault: 1, existingComment: "x" })),
    ["ALTER TABLE `users` MODIFY `n` INTEGER NULL"]);
  // default-only changes don't restate
  assert.deepEqual(sqls(b.alterColumnOp("users", "n", { serverDefault: 5 })), ["ALTER TABLE `users` ALTER COLUMN `n` SET DEFAULT 5"]);
  assert.deepEqual(sqls(b.alterColumnOp("users", "n", { serverDefault: null })), ["ALTER TABLE `users` ALTER COLUMN `n` DROP DEFAULT"]);
  assert.throws(() => my.compile(b.alterColumnOp("users", "name", { nullable: false })), /pass existingType/);
  assert.throws(() => my.compile(b.alterColumnOp("users", "name", { type: sa.text() })), /pass existingNullable/);
  assert.throws(() => my.compile(b.alterColumnOp("users", "name", { type: sa.text(), using: "x", existingNullable: true })), /PostgreSQL-only/);
});

test("mysql: indexes", () => {
  assert.deepEqual(sqls(b.createIndexOp("ix", "t", ["a", sa.sql("lower(b)")], { unique: true, concurrently: true })), ["CREATE UNIQUE INDEX `ix` ON `t` (`a`, (lower(b)))"]);
  assert.throws(() => my.compile(b.createIndexOp("ix", "t", ["a"], { where: "a > 0" })), /partial indexes are not supported on MySQL/);
  assert.deepEqual(sqls(b.dropIndexOp("ix", { table: "t" })), ["DROP INDEX `ix` ON `t`"]);
  assert.deepEqual(sqls(b.dropIndexOp("ix", { table: "t", ifExists: true })), ["DROP INDEX IF EXISTS `ix` ON `t`"]);
  assert.throws(() => my.compile(b.dropIndexOp("ix")), /needs the table/);
});

test("mysql: constraints and dropConstraint by type", () => {
  assert.deepEqual(sqls(b.createUniqueConstraintOp("uq", "t", ["a"])), ["ALTER TABLE `t` ADD CONSTRAINT `uq` UNIQUE (`a`)"]);
  assert.deepEqual(sqls(b.createCheckConstraintOp("ck", "t", "a > 0")), ["ALTER TABLE `t` ADD CONSTRAINT `ck` CHECK (a > 0)"]);
  assert.deepEqual(sqls(b.createForeignKeyOp("fk", "t", "p", ["pid"], ["id"], { onDelete: "SET NULL", deferrable: true })),
    ["ALTER TABLE `t` ADD CONSTRAINT `fk` FOREIGN KEY (`pid`) REFERENCES `p` (`id`) ON DELETE SET NULL"]);
  assert.deepEqual(sqls(b.createPrimaryKeyOp("pk", "t", ["a", "b"])), ["ALTER TABLE `t` ADD PRIMARY KEY (`a`, `b`)"]);
  assert.deepEqual(sqls(b.dropConstraintOp("fk", "t", { type: "foreignkey" })), ["ALTER TABLE `t` DROP FOREIGN KEY `fk`"]);
  assert.deepEqual(sqls(b.dropConstraintOp("uq", "t", { type: "unique" })), ["ALTER TABLE `t` DROP INDEX `uq`"]);
  assert.deepEqual(sqls(b.dropConstraintOp("ck", "t", { type: "check" })), ["ALTER TABLE `t` DROP CONSTRAINT `ck`"]);
  assert.deepEqual(sqls(b.dropConstraintOp("pk", "t", { type: "primary" })), ["ALTER TABLE `t` DROP PRIMARY KEY"]);
  assert.throws(() => my.compile(b.dropConstraintOp("x", "t")), /needs the constraint type/);
});

test("mysql: enums are inline: createEnum / dropEnum compile to nothing", () => {
  assert.deepEqual(sqls(b.createEnumOp("mood", ["a"])), []);
  assert.deepEqual(sqls(b.dropEnumOp("mood")), []);
});

test("mysql: execute and bulkInsert use ? placeholders", () => {
  assert.deepEqual(my.compile(b.executeOp("UPDATE t SET x = :v WHERE id = :id OR p = :id AND s = ':no' AND `:c` = 1", { v: "a", id: 2 })),
    [{ sql: "UPDATE t SET x = ? WHERE id = ? OR p = ? AND s = ':no' AND `:c` = 1", params: ["a", 2, 2] }]);
  assert.deepEqual(my.compile(b.executeOp("SELECT 'it\\'s ?', ?", [1])), [{ sql: "SELECT 'it\\'s ?', ?", params: [1] }]);
  assert.deepEqual(my.compile(b.bulkInsertOp("t", [{ a: 1, b: "x" }, { a: 2, b: "y" }])),
    [{ sql: "INSERT INTO `t` (`a`, `b`) VALUES (?, ?), (?, ?)", params: [1, "x", 2, "y"] }]);
});

test("mysql: inlineStatement escapes quotes, backslashes and NUL", () => {
  assert.equal(my.inlineStatement({ sql: "INSERT INTO t VALUES (?, ?, ?, ?, ?)", params: ["O'Brien", "a\\b", "nul\0", false, Buffer.from("hi")] }),
    "INSERT INTO t VALUES ('O''Brien', 'a\\\\b', 'nul\\0', 0, X'6869')");
  assert.equal(my.inlineStatement({ sql: "SELECT '?', `?`, \"?\", ? # ?\n", params: [new Date("2024-01-02T03:04:05.678Z")] }),
    "SELECT '?', `?`, \"?\", '2024-01-02 03:04:05.678' # ?\n");
  assert.throws(() => my.inlineStatement({ sql: "SELECT ?, ?", params: [1] }), /more \? placeholders/);
});
