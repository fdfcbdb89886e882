import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import * as b from "../../src/operations/build.js";
import { reverseOperationOrThrow } from "../../src/operations/index.js";
import { sa } from "../../src/schema/index.js";
import { columnsOf, mysqlDb, roundTrip, snapshotTable, type TestDb } from "./ops-helpers.js";

let db: TestDb;
before(async () => {
  db = await mysqlDb();
});
after(async () => {
  await db?.close();
});

type Row = Record<string, unknown>;
const names = (s: Row | null, key: string) => ((s?.[key] ?? []) as Row[]).map((r) => String(r.name));
const indexCols = (s: Row | null, name: string) => ((s?.indexes ?? []) as Row[]).filter((r) => r.name === name).map((r) => [r.col, Number(r.nonUnique)]);

test("mysql: createTable (auto_increment, inline comments, enum, FK, check, unique), data ops", async () => {
  const op = db.op();
  await op.createTable("orgs", sa.column("id", sa.integer(), { primaryKey: true }), sa.column("name", sa.string(50), { nullable: false }));
  const users = await op.createTable("users",
    sa.column("id", sa.integer(), { primaryKey: true, autoincrement: true }),
    sa.column("email", sa.string(255), { nullable: false, unique: true, comment: "O'Brien \\ mail" }),
    sa.column("is_active", sa.boolean(), { nullable: false, serverDefault: true }),
    sa.column("created_at", sa.dateTime(), { nullable: false, serverDefault: sa.sql("CURRENT_TIMESTAMP(6)") }),
    sa.column("mood", sa.enumType("mood", ["happy", "it's ok"])),
    sa.column("age", sa.string(10)),
    sa.column("org_id", sa.integer()),
    sa.column("meta", sa.json()),
    sa.column("total", sa.numeric(10, 2), { serverDefault: 0 }),
    sa.column("u", sa.uuid()),
    sa.foreignKey(["org_id"], "orgs", ["id"], { name: "fk_users_org", onDelete: "SET NULL" }),
    sa.check("char_length(email) > 3", { name: "ck_email" }),
    sa.index("ix_users_age", ["age"]),
    { comment: "people's" },
  );
  const s = await snapshotTable(db, "users");
  const cols = columnsOf(s);
  assert.equal(cols.id!.extra, "auto_increment");
  assert.equal(cols.email!.comment, "O'Brien \\ mail");
  assert.equal(cols.is_active!.type, "tinyint(1)");
  assert.equal(cols.is_active!.default, "1");
  assert.equal(cols.created_at!.type, "datetime(6)");
  assert.equal(cols.mood!.type, "enum('happy','it''s ok')");
  assert.equal(cols.total!.type, "decimal(10,2)");
  assert.equal(cols.u!.type, "char(36)");
  assert.equal(s!.comment, "people's");
  assert.ok(names(s, "checks").includes("ck_email"));
  assert.deepEqual(s!.fks, [{ name: "fk_users_org", col: "org_id", ref: "orgs", refcol: "id", onDelete: "SET NULL", onUpdate: "RESTRICT" }]);
  assert.deepEqual(indexCols(s, "ix_users_age"), [["age", 1]]);

  await op.bulkInsert("orgs", [{ id: 1, name: "a" }, { id: 2, name: "b" }]);
  await op.bulkInsert(users, Array.from({ length: 300 }, (_, i) => ({ email: `u${i}@x.org`, age: String(i), org_id: (i % 2) + 1, meta: { i }, mood: "it's ok", is_active: i !== 1 })));
  await op.execute("UPDATE users SET age = :age WHERE id = :id AND email <> ':id' AND age = :old", { age: "42", id: 1, old: "0" });
  await op.execute("UPDATE users SET total = ? WHERE id = ?", [9.5, 3]);
  const rows = await op.query("SELECT id, age, is_active, total FROM users WHERE id IN (:a, :b, :c) ORDER BY id", { a: 1, b: 2, c: 3 });
  assert.deepEqual(rows, [
    { id: 1, age: "42", is_active: 1, total: "0.00" },
    { id: 2, age: "1", is_active: 0, total: "0.00" },
    { id: 3, age: "2", is_active: 1, total: "9.50" },
  ]);
});

test("mysql: addColumn / dropColumn round trip", async () => {
  await roundTrip(db, "users", b.addColumnOp("users", sa.column("phone", sa.string(20), { nullable: false, serverDefault: "n/a", comment: "tel", index: true })), (s) => {
    assert.deepEqual(columnsOf(s).phone, { name: "phone", type: "varchar(20)", nullable: "NO", default: "'n/a'", comment: "tel", extra: "" });
    assert.deepEqual(indexCols(s, "ix_users_phone"), [["phone", 1]]);
  });
});

test("mysql: alterColumn restates the column; existing attributes are read from the catalog when not given", async () => {
  // fully specified: reversible
  const op = b.alterColumnOp("users", "age", {
    type: sa.string(20), nullable: false, serverDefault: "0", comment: "years", newName: "age_text",
    existingType: sa.string(10), existingNullable: true, existingServerDefault: null, existingComment: null,
  });
  await roundTrip(db, "users", op, (s) => {
    assert.deepEqual(columnsOf(s).age_text, { name: "age_text", type: "varchar(20)", nullable: "NO", default: "'0'", comment: "years", extra: "" });
  });
  // only the change given: comment, NOT NULL, default and auto_increment are kept (read from information_schema)
  await db.op().alterColumn("users", "email", { type: sa.string(300) });
  const email = columnsOf(await snapshotTable(db, "users")).email!;
  assert.deepEqual(email, { name: "email", type: "varchar(300)", nullable: "NO", default: null, comment: "O'Brien \\ mail", extra: "" });
  await db.op().alterColumn("users", "id", { type: sa.bigInteger() });
  assert.deepEqual(columnsOf(await snapshotTable(db, "users")).id, { name: "id", type: "bigint(20)", nullable: "NO", default: null, comment: "", extra: "auto_increment" });
  await db.op().alterColumn("users", "created_at", { comment: "when" });
  assert.deepEqual(columnsOf(await snapshotTable(db, "users")).created_at, {
    name: "created_at", type: "datetime(6)", nullable: "NO", default: "current_timestamp(6)", comment: "when", extra: "",
  });
  await db.op().alterColumn("users", "total", { newName: "amount" });
  assert.deepEqual(columnsOf(await snapshotTable(db, "users")).amount, { name: "amount", type: "decimal(10,2)", nullable: "YES", default: "0.00", comment: "", extra: "" });
  await db.op().alterColumn("users", "amount", { newName: "total" });
  // default-only changes use ALTER COLUMN SET/DROP DEFAULT
  await roundTrip(db, "users", b.alterColumnOp("users", "org_id", { serverDefault: 1, existingServerDefault: null }), (s) => {
    assert.equal(columnsOf(s).org_id!.default, "1");
  });
  await assert.rejects(db.op().alterColumn("users", "nope", { type: sa.integer() }), /column "nope" does not exist/);
});

test("mysql: renameTable and table comment round trips", async () => {
  await roundTrip(db, "orgs", b.renameTableOp("orgs", "organisations"), (s) => assert.ok(s));
  await roundTrip(db, "users", b.createTableCommentOp("users", "new 'one'", { existingComment: "people's" }), (s) => assert.equal(s!.comment, "new 'one'"));
  await roundTrip(db, "users", b.dropTableCommentOp("users", { existingComment: "people's" }), (s) => assert.equal(s!.comment, ""));
});

test("mysql: indexes round trip", async () => {
  await roundTrip(db, "users", b.createIndexOp("ix_users_email_age", "users", ["email", "age"], { unique: true }), (s) => {
    assert.deepEqual(indexCols(s, "ix_users_email_age"), [["email", 0], ["age", 0]]);
  });
  await db.op().createIndex("ix_users_mood", "users", ["mood"], { concurrently: true, ifNotExists: true });
  await db.op().createIndex("ix_users_mood", "users", ["mood"], { ifNotExists: true });
  await db.op().dropIndex("ix_users_mood", { table: "users" });
  await assert.rejects(db.op().dropIndex("ix_users_mood"), /needs the table/);
});

test("mysql: constraints round trip (dropConstraint by type)", async () => {
  await roundTrip(db, "users", b.createUniqueConstraintOp("uq_users_email_org", "users", ["email", "org_id"]), (s) => {
    assert.deepEqual(indexCols(s, "uq_users_email_org"), [["email", 0], ["org_id", 0]]);
  });
  await roundTrip(db, "users", b.createCheckConstraintOp("ck_total", "users", "total >= 0"), (s) => {
    assert.ok(names(s, "checks").includes("ck_total"));
  });
  // with an index on the FK column MySQL doesn't add an implicit one (which would outlive the FK)
  await db.op().createTable("tags", sa.column("code", sa.string(10), { nullable: false }), sa.column("user_id", sa.bigInteger(), { index: true }));
  await roundTrip(db, "tags", b.createForeignKeyOp("fk_tags_user", "tags", "users", ["user_id"], ["id"], { onDelete: "CASCADE", onUpdate: "RESTRICT" }), (s) => {
    assert.deepEqual(s!.fks, [{ name: "fk_tags_user", col: "user_id", ref: "users", refcol: "id", onDelete: "CASCADE", onUpdate: "RESTRICT" }]);
  });
  await roundTrip(db, "tags", b.createPrimaryKeyOp("pk_tags", "tags", ["code"]), (s) => {
    assert.deepEqual(indexCols(s, "PRIMARY"), [["code", 0]]);
  });
  await assert.rejects(db.op().dropConstraint("ck_x", "tags"), /needs the constraint type/);
});

test("mysql: batchAlterTable as plain ALTERs, dropTable round trip, odd identifiers, enums no-op", async () => {
  await db.op().batchAlterTable("tags", async (batch) => {
    await batch.addColumn(sa.column("weight", sa.float()));
    await batch.alterColumn("code", { type: sa.string(20) });
    await batch.createIndex("ix_tags_weight", ["weight"]);
  });
  const s = await snapshotTable(db, "tags");
  assert.equal(columnsOf(s).weight!.type, "double");
  assert.deepEqual(columnsOf(s).code, { name: "code", type: "varchar(20)", nullable: "NO", default: null, comment: "", extra: "" });

  const t = sa.table("scratch", sa.column("id", sa.bigInteger(), { primaryKey: true }), sa.column("raw", sa.binary()), sa.column("d", sa.date()),
    sa.column("t", sa.time()), sa.column("txt", sa.text()), sa.column("n", sa.smallInteger()), sa.column("j", sa.json()));
  await db.op().invoke(b.createTableFrom(t));
  assert.deepEqual(Object.values(columnsOf(await snapshotTable(db, "scratch"))).map((c) => c.type),
    ["bigint(20)", "longblob", "date", "time(6)", "text", "smallint(6)", "longtext"]);
  await roundTrip(db, "scratch", b.dropTableOp("scratch", { existing: t }), (s2) => assert.equal(s2, null));

  const op = db.op();
  await op.createTable("we`ird", sa.column("order", sa.integer(), { primaryKey: true }), sa.column("select", sa.string(5)));
  await op.bulkInsert("we`ird", [{ order: 1, select: "a'b\\" }]);
  assert.deepEqual(await db.q("SELECT `select` FROM `we``ird`"), [{ select: "a'b\\" }]);
  await op.createEnum("mood", ["x"]);
  await op.dropTable("we`ird");
  assert.equal(op.log.length, 4);
});
