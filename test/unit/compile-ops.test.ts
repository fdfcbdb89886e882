import assert from "node:assert/strict";
import { test } from "node:test";
import { getCompiler, compileOperation, inlineStatement } from "../../src/dialects/compilers.js";
import type { DialectName, Statement } from "../../src/dialects/types.js";
import {
  Operations, reverseOperation, reverseOperationOrThrow, convertParams, OPERATION_KINDS, type OpExecutor, type Operation,
} from "../../src/operations/index.js";
import * as b from "../../src/operations/build.js";
import { sa } from "../../src/schema/index.js";

class RecordingExecutor implements OpExecutor {
  readonly statements: string[] = [];
  constructor(readonly dialect: DialectName, readonly offline = true) {}
  async run(statements: Statement[]): Promise<void> {
    for (const s of statements) this.statements.push(getCompiler(this.dialect).inlineStatement(s));
  }
  async query(): Promise<Record<string, unknown>[]> {
    throw new Error("op.query cannot run in --sql mode");
  }
  async autocommit<T>(fn: () => Promise<T>): Promise<T> {
    this.statements.push("COMMIT");
    const r = await fn();
    this.statements.push("BEGIN");
    return r;
  }
}

test("getCompiler / compileOperation / inlineStatement", () => {
  assert.equal(getCompiler("postgresql").dialect, "postgresql");
  assert.equal(getCompiler("mysql").dialect, "mysql");
  assert.equal(getCompiler("sqlite").dialect, "sqlite");
  assert.throws(() => getCompiler("oracle" as DialectName), /unknown dialect/);
  assert.deepEqual(compileOperation(b.dropTableOp("t"), "mysql"), [{ sql: "DROP TABLE `t`" }]);
  assert.equal(inlineStatement({ sql: "SELECT $1", params: ["x"] }, "postgresql"), "SELECT 'x'");
});

test("convertParams: named, positional, casts, literals, escapes", () => {
  assert.deepEqual(convertParams("UPDATE users SET x = :v WHERE id = :id", { v: 1, id: 2 }, "postgresql"), { sql: "UPDATE users SET x = $1 WHERE id = $2", params: [1, 2] });
  assert.deepEqual(convertParams("UPDATE users SET x = :v WHERE id = :id", { v: 1, id: 2 }, "mysql"), { sql: "UPDATE users SET x = ? WHERE id = ?", params: [1, 2] });
  assert.deepEqual(convertParams("SELECT :a::text, ':b', \":c\", x -- :d\n, /* :e */ :a", { a: "A" }, "postgresql"),
    { sql: "SELECT $1::text, ':b', \":c\", x -- :d\n, /* :e */ $1", params: ["A"] });
  assert.deepEqual(convertParams("SELECT E'\\':x', :y", { y: 1 }, "postgresql"), { sql: "SELECT E'\\':x', $1", params: [1] });
  assert.deepEqual(convertParams("SELECT $tag$ :x $tag$, :y", { y: 1 }, "postgresql"), { sql: "SELECT $tag$ :x $tag$, $1", params: [1] });
  assert.deepEqual(convertParams("SELECT a[1\\:2], :y", { y: 1 }, "postgresql"), { sql: "SELECT a[1:2], $1", params: [1] });
  assert.deepEqual(convertParams("SELECT ?, '?', ?", [1, 2], "postgresql"), { sql: "SELECT $1, '?', $2", params: [1, 2] });
  assert.deepEqual(convertParams("SELECT j \\? 'k', ?", [1], "postgresql"), { sql: "SELECT j ? 'k', $1", params: [1] });
  assert.deepEqual(convertParams("SELECT ?, ?", [1, 2], "sqlite"), { sql: "SELECT ?, ?", params: [1, 2] });
  assert.deepEqual(convertParams("SELECT 'a\\':b', :c", { c: 3 }, "mysql"), { sql: "SELECT 'a\\':b', ?", params: [3] });
  assert.deepEqual(convertParams("SELECT :x", undefined, "mysql"), { sql: "SELECT :x" });
  assert.throws(() => convertParams("SELECT :missing", { a: 1 }, "postgresql"), /no value given for parameter :missing/);
  assert.throws(() => convertParams("SELECT ?", [1, 2], "mysql"), /2 parameter\(s\) given but the SQL has 1/);
  assert.throws(() => convertParams("SELECT ?, ?", [1], "mysql"), /more \? placeholders/);
});

test("reverseOperation: inverse pairs", () => {
  const col = sa.column("phone", sa.string(20));
  const add = b.addColumnOp("users", col);
  assert.deepEqual(reverseOperation(add), { kind: "dropColumn", table: "users", column: "phone", existing: col });
  assert.deepEqual(reverseOperation(reverseOperation(add)!), add);
  assert.equal(reverseOperation(b.dropColumnOp("users", "phone")), null);

  const ct = b.createTableOp("t", sa.column("id", sa.integer(), { primaryKey: true }));
  assert.deepEqual(reverseOperation(reverseOperation(ct)!), ct);
  assert.equal(reverseOperation(b.dropTableOp("t")), null);

  assert.deepEqual(reverseOperation(b.renameTableOp("a", "b")), { kind: "renameTable", table: "b", newName: "a" });

  const ix = b.createIndexOp("ix", "t", ["a"], { unique: true, where: "a > 0" });
  const dix = reverseOperation(ix)!;
  assert.equal(dix.kind, "dropIndex");
  assert.deepEqual(reverseOperation(dix), ix);

  for (const c of [
    b.createUniqueConstraintOp("uq", "t", ["a"]),
    b.createCheckConstraintOp("ck", "t", "a > 0"),
    b.createForeignKeyOp("fk", "t", "p", ["a"], ["id"], { onDelete: "CASCADE" }),
    b.createPrimaryKeyOp("pk", "t", ["a"]),
  ]) {
    const r = reverseOperation(c)!;
    assert.equal(r.kind, "dropConstraint");
    assert.deepEqual(reverseOperation(r), c);
  }
  assert.equal((reverseOperation(b.createForeignKeyOp("fk", "t", "p", ["a"], ["id"])) as { type: string }).type, "foreignkey");
  assert.equal(reverseOperation(b.createUniqueConstraintOp(null, "t", ["a"])), null);

  assert.deepEqual(reverseOperation(b.createTableCommentOp("t", "new")), { kind: "dropTableComment", table: "t", existingComment: "new" });
  assert.deepEqual(reverseOperation(b.createTableCommentOp("t", "new", { existingComment: "old" })),
    { kind: "createTableComment", table: "t", comment: "old", existingComment: "new" });
  assert.equal(reverseOperation(b.dropTableCommentOp("t")), null);
  assert.deepEqual(reverseOperation(b.createEnumOp("m", ["a"])), { kind: "dropEnum", name: "m", ifExists: false, values: ["a"] });
  assert.equal(reverseOperation(b.executeOp("SELECT 1")), null);
  assert.equal(reverseOperation(b.bulkInsertOp("t", [{ a: 1 }])), null);
  assert.throws(() => reverseOperationOrThrow(b.executeOp("SELECT 1")), /not reversible/);
});

test("reverseOperation: alterColumn swaps new and existing values", () => {
  const op = b.alterColumnOp("users", "name", {
    newName: "full_name", type: sa.text(), nullable: false, serverDefault: "x", comment: "c",
    existingType: sa.string(50), existingNullable: true, existingServerDefault: null, existingComment: null,
  });
  assert.deepEqual(reverseOperation(op), {
    kind: "alterColumn", table: "users", column: "full_name", newName: "name",
    type: sa.string(50), nullable: true, serverDefault: null, comment: null,
    existingType: sa.text(), existingNullable: false, existingServerDefault: "x", existingComment: "c",
  });
  assert.deepEqual(reverseOperation(reverseOperation(op)!), { ...op });
  assert.equal(reverseOperation(b.alterColumnOp("t", "c", { type: sa.text() })), null);
  assert.equal(reverseOperation(b.alterColumnOp("t", "c", { nullable: true })), null);
  assert.deepEqual(reverseOperation(b.alterColumnOp("t", "c", { newName: "d", existingType: sa.integer(), existingNullable: false })),
    { kind: "alterColumn", table: "t", column: "d", newName: "c", existingType: sa.integer(), existingNullable: false });
});

test("reverseOperation: batch reverses its children in reverse order", () => {
  const op: Operation = {
    kind: "batchAlterTable", table: "t", recreate: "auto", copyFrom: null,
    ops: [b.addColumnOp("t", sa.column("x", sa.integer())), b.createIndexOp("ix", "t", ["x"])],
  };
  const r = reverseOperation(op);
  assert.deepEqual(r && r.kind === "batchAlterTable" ? r.ops.map((o) => o.kind) : null, ["dropIndex", "dropColumn"]);
  assert.equal(reverseOperation({ ...op, ops: [b.dropColumnOp("t", "x")] }), null);
});

test("operation objects are frozen data with known kinds", () => {
  const op = b.createIndexOp("ix", "t", ["a"]);
  assert.ok(Object.isFrozen(op) && Object.isFrozen(op.columns));
  assert.equal(OPERATION_KINDS.length, 20);
  assert.ok(OPERATION_KINDS.includes(op.kind));
  assert.deepEqual(JSON.parse(JSON.stringify(op)), op);
});

test("Operations facade: builds ops, logs them, compiles for the executor's dialect", async () => {
  const ex = new RecordingExecutor("postgresql");
  const op = new Operations(ex);
  assert.equal(op.dialect, "postgresql");
  assert.equal(op.f("ix_Name"), "ix_Name");
  const t = await op.createTable("users", sa.column("id", sa.integer(), { primaryKey: true }), sa.column("email", sa.string(100)));
  assert.equal(t.name, "users");
  await op.addColumn("users", sa.column("phone", sa.string(20), { nullable: true }));
  await op.createIndex("ix_users_phone", "users", ["phone"]);
  await op.execute("UPDATE users SET phone = :p WHERE id = :id", { p: "O'Brien", id: 1 });
  await op.bulkInsert(t, [{ id: 2, email: "a@b" }]);
  await op.autocommitBlock(async () => {
    await op.createIndex("ix_c", "users", ["email"], { concurrently: true });
  });
  await op.dropIndex("ix_users_phone", { table: "users" });
  await op.dropColumn("users", "phone");
  assert.deepEqual(ex.statements, [
    'CREATE TABLE "users" (\n    "id" SERIAL NOT NULL,\n    "email" VARCHAR(100),\n    PRIMARY KEY ("id")\n)',
    'ALTER TABLE "users" ADD COLUMN "phone" VARCHAR(20)',
    'CREATE INDEX "ix_users_phone" ON "users" ("phone")',
    "UPDATE users SET phone = 'O''Brien' WHERE id = 1",
    `INSERT INTO "users" ("id", "email") VALUES (2, 'a@b')`,
    "COMMIT",
    'CREATE INDEX CONCURRENTLY "ix_c" ON "users" ("email")',
    "BEGIN",
    'DROP INDEX "ix_users_phone"',
    'ALTER TABLE "users" DROP COLUMN "phone"',
  ]);
  assert.deepEqual(op.log.map((o) => o.kind), ["createTable", "addColumn", "createIndex", "execute", "bulkInsert", "createIndex", "dropIndex", "dropColumn"]);
  assert.deepEqual(op.log[3], { kind: "execute", sql: "UPDATE users SET phone = :p WHERE id = :id", params: { p: "O'Brien", id: 1 } });
  await assert.rejects(op.query("SELECT 1"), /cannot run in --sql mode/);
});

test("Operations facade: batchAlterTable records children and runs once", async () => {
  const ex = new RecordingExecutor("mysql");
  const op = new Operations(ex);
  await op.batchAlterTable("t", async (batch) => {
    assert.equal(batch.dialect, "mysql");
    await batch.addColumn(sa.column("x", sa.integer()));
    await batch.alterColumn("y", { nullable: false, existingType: sa.string(10) });
    await batch.dropIndex("ix_old");
    await batch.dropConstraint("fk_z", { type: "foreignkey" });
  });
  assert.deepEqual(ex.statements, [
    "ALTER TABLE `t` ADD COLUMN `x` INTEGER",
    "ALTER TABLE `t` MODIFY `y` VARCHAR(10) NOT NULL",
    "DROP INDEX `ix_old` ON `t`",
    "ALTER TABLE `t` DROP FOREIGN KEY `fk_z`",
  ]);
  assert.equal(op.log.length, 1);
  assert.equal(op.log[0]!.kind, "batchAlterTable");
  await op.batchAlterTable("t", () => undefined);
  assert.equal(op.log.length, 1);
  await assert.rejects(op.batchAlterTable("t", async () => undefined, { recreate: "sometimes" as never }), /recreate must be/);
});

test("Operations facade: SQLite batch recreate offline needs copyFrom", async () => {
  const ex = new RecordingExecutor("sqlite");
  const op = new Operations(ex);
  await assert.rejects(op.batchAlterTable("users", async (batch) => {
    await batch.alterColumn("age", { type: sa.integer() });
  }), /batchAlterTable\("users"\) needs to recreate the table on SQLite.*cannot proceed in --sql mode.*copyFrom/);
  await assert.rejects(op.alterColumn("users", "age", { nullable: false }), /cannot proceed in --sql mode/);
  const copyFrom = sa.table("users", sa.column("id", sa.integer(), { primaryKey: true }), sa.column("age", sa.string(5)));
  await op.batchAlterTable("users", async (batch) => {
    await batch.alterColumn("age", { type: sa.integer() });
  }, { copyFrom });
  assert.match(ex.statements.at(-4)!, /^CREATE TABLE "_athanor_tmp_users"/);
  assert.deepEqual(ex.statements.slice(-3), [
    'INSERT INTO "_athanor_tmp_users" ("id", "age") SELECT "id", CAST("age" AS INTEGER) FROM "users"',
    'DROP TABLE "users"',
    'ALTER TABLE "_athanor_tmp_users" RENAME TO "users"',
  ]);
});

test("Operations facade: argument validation", async () => {
  const op = new Operations(new RecordingExecutor("postgresql"));
  await assert.rejects(op.bulkInsert("t", {} as never), /List expected/);
  await assert.rejects(op.bulkInsert("t", [1] as never), /List of dictionaries expected/);
  await assert.rejects(op.addColumn("t", "x" as never), /must be sa.column/);
  await assert.rejects(op.dropConstraint("c", "t", { type: "index" as never }), /type must be/);
  await assert.rejects(op.createEnum("m", []), /non-empty list/);
  await assert.rejects(op.execute(42 as never), /SQL string/);
});

test("ops copy user data instead of freezing it", () => {
  const meta = { tags: ["a"] };
  const rows = [{ id: 1, meta, raw: Buffer.from("x"), at: new Date(0) }];
  const op = b.bulkInsertOp("t", rows);
  assert.ok(Object.isFrozen(op.rows[0]));
  assert.ok(!Object.isFrozen(meta) && !Object.isFrozen(meta.tags));
  meta.tags.push("b");
  assert.deepEqual((op.rows[0] as { meta: { tags: string[] } }).meta.tags, ["a"]);
  assert.ok(Buffer.isBuffer(op.rows[0]!.raw));
  const ids = [1, 2];
  const ex = b.executeOp("SELECT * FROM t WHERE id = ANY(?)", [ids]);
  ids.push(3);
  assert.deepEqual(ex.params, [[1, 2]]);
  assert.ok(!Object.isFrozen(ids));
});
