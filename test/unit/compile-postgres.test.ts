import assert from "node:assert/strict";
import { test } from "node:test";
import { getCompiler } from "../../src/dialects/compilers.js";
import * as b from "../../src/operations/build.js";
import type { Operation } from "../../src/operations/ops.js";
import { sa } from "../../src/schema/index.js";

const pg = getCompiler("postgresql");
const sqls = (op: Operation) => pg.compile(op).map((s) => s.sql);

test("postgres: basics", () => {
  assert.equal(pg.dialect, "postgresql");
  assert.equal(pg.transactionalDdl, true);
  assert.equal(pg.quoteIdentifier('we"ird'), '"we""ird"');
  assert.equal(pg.quoteIdentifier("order"), '"order"');
});

test("postgres: createTable with SERIAL, defaults, constraints, comments, indexes, enum", () => {
  const op = b.createTableOp("users",
    sa.column("id", sa.integer(), { primaryKey: true, autoincrement: true }),
    sa.column("email", sa.string(255), { nullable: false, unique: true, index: true }),
    sa.column("is_active", sa.boolean(), { nullable: false, serverDefault: sa.sql("true") }),
    sa.column("created_at", sa.dateTime({ timezone: true }), { nullable: false, serverDefault: sa.sql("now()"), comment: "O'Brien" }),
    sa.column("nick", sa.string(), { unique: true, serverDefault: "it's" }),
    sa.column("mood", sa.enumType("mood", ["happy", "sad"])),
    sa.check("id > 0", { name: "ck_id" }),
    sa.index("ix_users_lower", [sa.sql("lower(email)")], { where: "is_active" }),
    { comment: "people" },
  );
  assert.deepEqual(sqls(op), [
    `DO $athanor$ BEGIN CREATE TYPE "mood" AS ENUM ('happy', 'sad'); EXCEPTION WHEN duplicate_object THEN NULL; END $athanor$`,
    `CREATE TABLE "users" (\n` +
      `    "id" SERIAL NOT NULL,\n` +
      `    "email" VARCHAR(255) NOT NULL,\n` +
      `    "is_active" BOOLEAN DEFAULT true NOT NULL,\n` +
      `    "created_at" TIMESTAMP WITH TIME ZONE DEFAULT now() NOT NULL,\n` +
      `    "nick" VARCHAR DEFAULT 'it''s',\n` +
      `    "mood" "mood",\n` +
      `    PRIMARY KEY ("id"),\n` +
      `    CONSTRAINT "ck_id" CHECK (id > 0),\n` +
      `    UNIQUE ("nick")\n` +
      `)`,
    `COMMENT ON TABLE "users" IS 'people'`,
    `COMMENT ON COLUMN "users"."created_at" IS 'O''Brien'`,
    `CREATE INDEX "ix_users_lower" ON "users" ((lower(email))) WHERE is_active`,
    `CREATE UNIQUE INDEX "ix_users_email" ON "users" ("email")`,
  ]);
});

test("postgres: types", () => {
  const cases: Array<[ReturnType<typeof sa.integer> | import("../../src/schema/types.js").SqlType, string]> = [
    [sa.integer(), "INTEGER"], [sa.bigInteger(), "BIGINT"], [sa.smallInteger(), "SMALLINT"],
    [sa.string(20), "VARCHAR(20)"], [sa.string(), "VARCHAR"], [sa.text(), "TEXT"], [sa.boolean(), "BOOLEAN"],
    [sa.dateTime(), "TIMESTAMP WITHOUT TIME ZONE"], [sa.dateTime({ timezone: true }), "TIMESTAMP WITH TIME ZONE"],
    [sa.date(), "DATE"], [sa.time(), "TIME WITHOUT TIME ZONE"], [sa.numeric(10, 2), "NUMERIC(10, 2)"],
    [sa.numeric(), "NUMERIC"], [sa.numeric(5), "NUMERIC(5)"], [sa.float(), "FLOAT"], [sa.json(), "JSON"],
    [sa.uuid(), "UUID"], [sa.binary(), "BYTEA"], [sa.enumType("My Enum", ["a"]), '"My Enum"'], [sa.customType("CITEXT"), "CITEXT"],
  ];
  for (const [t, s] of cases) assert.equal(pg.renderType(t), s);
});

test("postgres: BIGSERIAL / auto autoincrement / composite pk has no serial", () => {
  const t1 = b.createTableOp("a", sa.column("id", sa.bigInteger(), { primaryKey: true }));
  assert.match(sqls(t1)[0]!, /"id" BIGSERIAL NOT NULL/);
  const t2 = b.createTableOp("b", sa.column("x", sa.integer(), { primaryKey: true }), sa.column("y", sa.integer(), { primaryKey: true }));
  assert.match(sqls(t2)[0]!, /"x" INTEGER NOT NULL,\n {4}"y" INTEGER NOT NULL,\n {4}PRIMARY KEY \("x", "y"\)/);
  const t3 = b.createTableOp("c", sa.column("id", sa.integer(), { primaryKey: true, autoincrement: false }), sa.primaryKey(["id"], { name: "pk_c" }));
  assert.match(sqls(t3)[0]!, /"id" INTEGER NOT NULL,\n {4}CONSTRAINT "pk_c" PRIMARY KEY \("id"\)/);
});

test("postgres: foreign keys in createTable", () => {
  const op = b.createTableOp("orders",
    sa.column("id", sa.integer(), { primaryKey: true }),
    sa.column("user_id", sa.integer(), { nullable: false }),
    sa.foreignKey(["user_id"], "users", ["id"], { onDelete: "CASCADE", name: "fk_orders_user", deferrable: true, initiallyDeferred: true }),
  );
  assert.match(sqls(op)[0]!, /CONSTRAINT "fk_orders_user" FOREIGN KEY \("user_id"\) REFERENCES "users" \("id"\) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED\n\)/);
});

test("postgres: dropTable, renameTable", () => {
  assert.deepEqual(sqls(b.dropTableOp("users")), ['DROP TABLE "users"']);
  assert.deepEqual(sqls(b.dropTableOp("users", { ifExists: true })), ['DROP TABLE IF EXISTS "users"']);
  assert.deepEqual(sqls(b.renameTableOp("order", 'we"ird')), ['ALTER TABLE "order" RENAME TO "we""ird"']);
});

test("postgres: addColumn / dropColumn", () => {
  assert.deepEqual(sqls(b.addColumnOp("users", sa.column("phone", sa.string(20), { nullable: false, serverDefault: "n/a", comment: "tel", index: true }))), [
    `ALTER TABLE "users" ADD COLUMN "phone" VARCHAR(20) DEFAULT 'n/a' NOT NULL`,
    `COMMENT ON COLUMN "users"."phone" IS 'tel'`,
    `CREATE INDEX "ix_users_phone" ON "users" ("phone")`,
  ]);
  assert.deepEqual(sqls(b.addColumnOp("t", sa.column("m", sa.enumType("mood", ["a"])))), [
    `DO $athanor$ BEGIN CREATE TYPE "mood" AS ENUM ('a'); EXCEPTION WHEN duplicate_object THEN NULL; END $athanor$`,
    `ALTER TABLE "t" ADD COLUMN "m" "mood"`,
  ]);
  assert.deepEqual(sqls(b.addColumnOp("t", sa.column("u", sa.integer(), { unique: true }))), [`ALTER TABLE "t" ADD COLUMN "u" INTEGER UNIQUE`]);
  assert.deepEqual(sqls(b.dropColumnOp("users", "phone")), ['ALTER TABLE "users" DROP COLUMN "phone"']);
});

test("postgres: alterColumn emits TYPE/USING, NOT NULL, DEFAULT, COMMENT, RENAME in that order", () => {
  assert.deepEqual(sqls(b.alterColumnOp("users", "age", {
    type: sa.integer(), using: "age::integer", nullable: false, serverDefault: 0, comment: "years", newName: "age_years",
  })), [
    'ALTER TABLE "users" ALTER COLUMN "age" TYPE INTEGER USING age::integer',
    'ALTER TABLE "users" ALTER COLUMN "age" SET NOT NULL',
    'ALTER TABLE "users" ALTER COLUMN "age" SET DEFAULT 0',
    `COMMENT ON COLUMN "users"."age" IS 'years'`,
    'ALTER TABLE "users" RENAME COLUMN "age" TO "age_years"',
  ]);
  assert.deepEqual(sqls(b.alterColumnOp("users", "age", { nullable: true, serverDefault: null, comment: null })), [
    'ALTER TABLE "users" ALTER COLUMN "age" DROP NOT NULL',
    'ALTER TABLE "users" ALTER COLUMN "age" DROP DEFAULT',
    'COMMENT ON COLUMN "users"."age" IS NULL',
  ]);
  assert.deepEqual(sqls(b.alterColumnOp("t", "c", { serverDefault: sa.sql("now()") })), ['ALTER TABLE "t" ALTER COLUMN "c" SET DEFAULT now()']);
  assert.deepEqual(sqls(b.alterColumnOp("t", "c", { serverDefault: true })), ['ALTER TABLE "t" ALTER COLUMN "c" SET DEFAULT true']);
  assert.deepEqual(sqls(b.alterColumnOp("t", "c", {})), []);
  assert.throws(() => b.alterColumnOp("t", "c", { using: "x" }), /using must be given with type/);
});

test("postgres: indexes", () => {
  assert.deepEqual(sqls(b.createIndexOp("ix_a", "t", ["a", "b"])), ['CREATE INDEX "ix_a" ON "t" ("a", "b")']);
  assert.deepEqual(sqls(b.createIndexOp("ix_a", "t", "a", { unique: true, where: sa.sql("deleted_at IS NULL"), concurrently: true, ifNotExists: true })),
    ['CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS "ix_a" ON "t" ("a") WHERE deleted_at IS NULL']);
  assert.deepEqual(sqls(b.dropIndexOp("ix_a")), ['DROP INDEX "ix_a"']);
  assert.deepEqual(sqls(b.dropIndexOp("ix_a", { table: "t", concurrently: true, ifExists: true })), ['DROP INDEX CONCURRENTLY IF EXISTS "ix_a"']);
});

test("postgres: constraints", () => {
  assert.deepEqual(sqls(b.createUniqueConstraintOp("uq_a", "t", ["a", "b"])), ['ALTER TABLE "t" ADD CONSTRAINT "uq_a" UNIQUE ("a", "b")']);
  assert.deepEqual(sqls(b.createUniqueConstraintOp(null, "t", ["a"])), ['ALTER TABLE "t" ADD UNIQUE ("a")']);
  assert.deepEqual(sqls(b.createCheckConstraintOp("ck", "t", sa.sql("a > 0 AND b <> 'x'"))), [`ALTER TABLE "t" ADD CONSTRAINT "ck" CHECK (a > 0 AND b <> 'x')`]);
  assert.deepEqual(sqls(b.createForeignKeyOp("fk", "orders", "users", ["user_id"], ["id"], { onDelete: "set null", onUpdate: "CASCADE", deferrable: true, initiallyDeferred: true })),
    ['ALTER TABLE "orders" ADD CONSTRAINT "fk" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE SET NULL ON UPDATE CASCADE DEFERRABLE INITIALLY DEFERRED']);
  assert.deepEqual(sqls(b.createForeignKeyOp("fk", "a", "b", ["x"], ["y"], { deferrable: false })),
    ['ALTER TABLE "a" ADD CONSTRAINT "fk" FOREIGN KEY ("x") REFERENCES "b" ("y") NOT DEFERRABLE']);
  assert.deepEqual(sqls(b.createPrimaryKeyOp("pk_t", "t", ["a", "b"])), ['ALTER TABLE "t" ADD CONSTRAINT "pk_t" PRIMARY KEY ("a", "b")']);
  assert.deepEqual(sqls(b.dropConstraintOp("uq_a", "t")), ['ALTER TABLE "t" DROP CONSTRAINT "uq_a"']);
  assert.deepEqual(sqls(b.dropConstraintOp("fk", "t", { type: "foreignkey" })), ['ALTER TABLE "t" DROP CONSTRAINT "fk"']);
  assert.throws(() => b.createForeignKeyOp("fk", "a", "b", ["x"], ["y"], { onDelete: "DROP TABLE x; --" as never }), /onDelete must be one of/);
});

test("postgres: comments, enums", () => {
  assert.deepEqual(sqls(b.createTableCommentOp("t", "it's \\ here")), [`COMMENT ON TABLE "t" IS 'it''s \\ here'`]);
  assert.deepEqual(sqls(b.dropTableCommentOp("t")), ['COMMENT ON TABLE "t" IS NULL']);
  assert.deepEqual(sqls(b.createEnumOp("mood", ["a", "it's"])), [`CREATE TYPE "mood" AS ENUM ('a', 'it''s')`]);
  assert.deepEqual(sqls(b.createEnumOp("mood", ["a"], { ifNotExists: true })), [
    `DO $athanor$ BEGIN CREATE TYPE "mood" AS ENUM ('a'); EXCEPTION WHEN duplicate_object THEN NULL; END $athanor$`,
  ]);
  assert.deepEqual(sqls(b.dropEnumOp("mood")), ['DROP TYPE "mood"']);
  assert.deepEqual(sqls(b.dropEnumOp("mood", { ifExists: true })), ['DROP TYPE IF EXISTS "mood"']);
  assert.deepEqual(sqls(b.alterColumnOp("t", "m", { type: sa.enumType("mood", ["a"]), using: `m::text::"mood"` })), [
    `DO $athanor$ BEGIN CREATE TYPE "mood" AS ENUM ('a'); EXCEPTION WHEN duplicate_object THEN NULL; END $athanor$`,
    `ALTER TABLE "t" ALTER COLUMN "m" TYPE "mood" USING m::text::"mood"`,
  ]);
});

test("postgres: execute converts :name and ? placeholders to $n", () => {
  assert.deepEqual(pg.compile(b.executeOp("UPDATE users SET x = :v WHERE id = :id OR parent = :id", { v: 1, id: 2 })),
    [{ sql: "UPDATE users SET x = $1 WHERE id = $2 OR parent = $2", params: [1, 2] }]);
  assert.deepEqual(pg.compile(b.executeOp("SELECT ?, ?", ["a", null])), [{ sql: "SELECT $1, $2", params: ["a", null] }]);
  assert.deepEqual(pg.compile(b.executeOp("SELECT $1::int", [5])), [{ sql: "SELECT $1::int", params: [5] }]);
  assert.deepEqual(pg.compile(b.executeOp(sa.sql("DELETE FROM t"))), [{ sql: "DELETE FROM t" }]);
  assert.deepEqual(pg.compile(b.executeOp("SELECT '{\"a\":1}'::jsonb ? 'a'")), [{ sql: "SELECT '{\"a\":1}'::jsonb ? 'a'" }]);
});

test("postgres: bulkInsert uses $n placeholders, chunks by key set, JSON-encodes json columns", () => {
  const t = sa.table("t", sa.column("a", sa.integer()), sa.column("j", sa.json()));
  assert.deepEqual(pg.compile(b.bulkInsertOp(t, [{ a: 1, j: { x: 1 } }, { a: 2, j: [1, 2] }, { a: 3 }])), [
    { sql: 'INSERT INTO "t" ("a", "j") VALUES ($1, $2), ($3, $4)', params: [1, '{"x":1}', 2, "[1,2]"] },
    { sql: 'INSERT INTO "t" ("a") VALUES ($1)', params: [3] },
  ]);
  assert.deepEqual(pg.compile(b.bulkInsertOp("t", [])), []);
  const many = Array.from({ length: 2500 }, (_, i) => ({ a: i }));
  const st = pg.compile(b.bulkInsertOp("t", many));
  assert.equal(st.length, 3);
  assert.equal(st[2]!.params!.length, 500);
  assert.match(st[2]!.sql, /\(\$500\)$/);
});

test("postgres: inlineStatement renders literals for --sql", () => {
  assert.equal(pg.inlineStatement({ sql: "INSERT INTO t VALUES ($1, $2, $3, $4, $5, $6)", params: ["O'Brien", 1.5, true, null, Buffer.from([1, 255]), new Date("2024-01-02T03:04:05.678Z")] }),
    `INSERT INTO t VALUES ('O''Brien', 1.5, true, NULL, '\\x01ff'::bytea, '2024-01-02T03:04:05.678Z')`);
  assert.equal(pg.inlineStatement({ sql: "SELECT '$1', \"$1\", $1 -- $1\n", params: ["a\\b"] }), `SELECT '$1', "$1", 'a\\b' -- $1\n`);
  assert.equal(pg.inlineStatement({ sql: "SELECT $$ $1 $$, $1", params: [{ a: 1 }] }), `SELECT $$ $1 $$, '{"a":1}'`);
  assert.equal(pg.inlineStatement({ sql: "SELECT 1" }), "SELECT 1");
  assert.throws(() => pg.inlineStatement({ sql: "SELECT $2", params: [1] }), /placeholder \$2/);
});

test("postgres: batchAlterTable is plain ALTERs", () => {
  const op = {
    kind: "batchAlterTable" as const, table: "t", recreate: "auto" as const, copyFrom: null,
    ops: [b.addColumnOp("t", sa.column("x", sa.integer())), b.alterColumnOp("t", "y", { nullable: false }), b.dropColumnOp("t", "z")],
  };
  assert.deepEqual(sqls(op), [
    'ALTER TABLE "t" ADD COLUMN "x" INTEGER',
    'ALTER TABLE "t" ALTER COLUMN "y" SET NOT NULL',
    'ALTER TABLE "t" DROP COLUMN "z"',
  ]);
});
