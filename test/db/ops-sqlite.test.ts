import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import * as b from "../../src/operations/build.js";
import { sa } from "../../src/schema/index.js";
import { columnsOf, roundTrip, snapshotTable, sqliteDb, type TestDb } from "./ops-helpers.js";

let db: TestDb;
before(async () => {
  db = await sqliteDb();
});
after(async () => {
  await db?.close();
});

const count = async (table: string) => Number((await db.q(`SELECT count(*) AS n FROM "${table}"`))[0]!.n);

test("sqlite: createTable, bulkInsert, execute with params, query", async () => {
  const op = db.op();
  await op.createTable("orgs", sa.column("id", sa.integer(), { primaryKey: true }), sa.column("name", sa.string(50), { nullable: false }));
  const users = await op.createTable("users",
    sa.column("id", sa.integer(), { primaryKey: true, autoincrement: true }),
    sa.column("email", sa.string(100), { nullable: false, unique: true }),
    sa.column("age", sa.string(10)),
    sa.column("score", sa.integer(), { nullable: false, serverDefault: 0 }),
    sa.column("active", sa.boolean(), { nullable: false, serverDefault: true }),
    sa.column("org_id", sa.integer()),
    sa.column("note", sa.text()),
    sa.column("meta", sa.json()),
    sa.foreignKey(["org_id"], "orgs", ["id"], { name: "fk_users_org", onDelete: "SET NULL" }),
    sa.check("score >= 0", { name: "ck_score" }),
    sa.index("ix_users_age", ["age"]),
    sa.index("ix_users_active_email", ["email"], { where: "active = 1" }),
  );
  await op.createTable("posts",
    sa.column("id", sa.integer(), { primaryKey: true }),
    sa.column("user_id", sa.integer(), { nullable: false }),
    sa.foreignKey(["user_id"], "users", ["id"], { name: "fk_posts_user", onDelete: "CASCADE" }),
  );
  const snap = await snapshotTable(db, "users");
  const cols = columnsOf(snap);
  assert.equal(cols.id!.type, "INTEGER");
  assert.equal(cols.id!.pk, 1);
  assert.equal(cols.email!.notnull, 1);
  assert.equal(cols.score!.dflt_value, "0");
  assert.equal(cols.active!.dflt_value, "1");
  assert.deepEqual(snap!.checks, [{ name: "ck_score", condition: "score >= 0" }]);
  assert.deepEqual(snap!.fks, [{ table: "orgs", from: "org_id", to: "id", on_update: "NO ACTION", on_delete: "SET NULL" }]);

  await op.bulkInsert("orgs", [{ id: 1, name: "a" }, { id: 2, name: "b" }]);
  await op.bulkInsert(users, Array.from({ length: 1000 }, (_, i) => ({
    email: `u${i}@x.org`, age: String(20 + (i % 50)), org_id: (i % 2) + 1, active: i % 3 !== 0, meta: { i },
  })));
  await op.bulkInsert("posts", Array.from({ length: 1000 }, (_, i) => ({ id: i + 1, user_id: i + 1 })));
  assert.equal(await count("users"), 1000);
  const row = (await db.q("SELECT * FROM users WHERE id = 1"))[0]!;
  assert.deepEqual([row.active, row.meta, row.score], [0, '{"i":0}', 0]);

  await op.execute("UPDATE users SET note = :note WHERE id = :id AND email <> ':id'", { note: "O'Brien", id: 2 });
  await op.execute("UPDATE users SET score = ? WHERE id = ?", [7, 3]);
  assert.deepEqual(await op.query("SELECT note, score FROM users WHERE id IN (:a, :b) ORDER BY id", { a: 2, b: 3 }), [
    { note: "O'Brien", score: 0 }, { note: null, score: 7 },
  ]);
  assert.deepEqual(op.log.map((o) => o.kind), ["createTable", "createTable", "createTable", "bulkInsert", "bulkInsert", "bulkInsert", "execute", "execute"]);
});

test("sqlite: native addColumn / dropColumn / rename column / renameTable round trips", async () => {
  await roundTrip(db, "users", b.addColumnOp("users", sa.column("phone", sa.string(20), { nullable: false, serverDefault: "none" })), (s) => {
    assert.deepEqual(columnsOf(s).phone, { name: "phone", type: "VARCHAR(20)", notnull: 1, dflt_value: "'none'", pk: 0 });
  });
  assert.equal(await count("users"), 1000);
  await roundTrip(db, "users", b.alterColumnOp("users", "note", { newName: "remark" }), (s) => {
    assert.ok(columnsOf(s).remark);
    assert.equal(columnsOf(s).note, undefined);
  });
  await roundTrip(db, "orgs", b.renameTableOp("orgs", "organisations"), (s) => assert.ok(s));
  assert.equal((await snapshotTable(db, "users"))!.fks instanceof Array, true);
  assert.deepEqual(((await snapshotTable(db, "users"))!.fks as Array<{ table: string }>)[0]!.table, "orgs");
});

test("sqlite: indexes round trip", async () => {
  await roundTrip(db, "users", b.createIndexOp("ix_users_score", "users", ["score", sa.sql("lower(email)")], { unique: true, where: "score > 0" }), (s) => {
    const ix = (s!.indexes as Array<{ name: string; unique: number; partial: number; sql: string }>).find((i) => i.name === "ix_users_score")!;
    assert.equal(ix.unique, 1);
    assert.equal(ix.partial, 1);
    assert.equal(ix.sql, 'CREATE UNIQUE INDEX "ix_users_score" ON "users" ("score", lower(email)) WHERE score > 0');
  });
});

test("sqlite: alterColumn type via recreate keeps rows and the referencing table intact (FK enforcement on)", async () => {
  const op = b.alterColumnOp("users", "age", { type: sa.integer(), nullable: true, existingType: sa.customType("VARCHAR(10)"), existingNullable: true });
  await roundTrip(db, "users", op, async (s) => {
    assert.equal(columnsOf(s).age!.type, "INTEGER");
    assert.equal(await count("users"), 1000);
    assert.equal(await count("posts"), 1000);
    assert.equal(typeof (await db.q("SELECT age FROM users WHERE id = 5"))[0]!.age, "number");
    assert.deepEqual(await db.q("PRAGMA foreign_key_check"), []);
    assert.deepEqual(await db.q("PRAGMA foreign_keys"), [{ foreign_keys: 1 }]);
    // the referencing table still points at "users"
    assert.match(String((await db.q("SELECT sql FROM sqlite_master WHERE name = 'posts'"))[0]!.sql), /REFERENCES "users"/);
  });
  assert.equal(await count("posts"), 1000);
  assert.equal(typeof (await db.q("SELECT age FROM users WHERE id = 5"))[0]!.age, "string");
  // serverDefault / nullable changes too
  await roundTrip(db, "users", b.alterColumnOp("users", "note", { nullable: true, serverDefault: "n/a", existingNullable: true, existingServerDefault: null }), (s) => {
    assert.equal(columnsOf(s).note!.dflt_value, "'n/a'");
  });
});

test("sqlite: constraints via recreate round trip", async () => {
  await roundTrip(db, "users", b.createUniqueConstraintOp("uq_users_age_org", "users", ["age", "org_id", "email"]), (s) => {
    assert.ok((s!.uniques as Array<string | null>).includes("uq_users_age_org"));
  });
  await roundTrip(db, "users", b.createCheckConstraintOp("ck_age", "users", "length(age) < 5"), (s) => {
    assert.ok((s!.checks as Array<{ name: string }>).some((c) => c.name === "ck_age"));
  });
  await db.op().createTable("tags", sa.column("code", sa.string(10), { nullable: false }), sa.column("user_id", sa.integer()));
  await db.op().bulkInsert("tags", [{ code: "a", user_id: 1 }, { code: "b", user_id: 2 }]);
  await roundTrip(db, "tags", b.createForeignKeyOp("fk_tags_user", "tags", "users", ["user_id"], ["id"], { onDelete: "CASCADE", deferrable: true, initiallyDeferred: true }), (s) => {
    assert.deepEqual(s!.fks, [{ table: "users", from: "user_id", to: "id", on_update: "NO ACTION", on_delete: "CASCADE" }]);
    assert.deepEqual(s!.fkNames, [["fk_tags_user", true, true]]);
  });
  await roundTrip(db, "tags", b.createPrimaryKeyOp("pk_tags", "tags", ["code"]), (s) => {
    assert.equal(columnsOf(s).code!.pk, 1);
    assert.equal(s!.primaryKeyName, "pk_tags");
  });
  assert.equal(await count("tags"), 2);
  // a violating constraint fails and leaves the table as it was
  await assert.rejects(db.op().createCheckConstraint("ck_bad", "tags", "code = 'zzz'"), /CHECK constraint failed/);
  assert.equal(await count("tags"), 2);
  assert.equal((await db.q("SELECT name FROM sqlite_master WHERE name LIKE '_athanor_tmp_%'")).length, 0);
});

test("sqlite: batchAlterTable (type change + drop column + add check) inside a transaction keeps every row", async () => {
  const before = await db.q("SELECT id, email, age, score FROM users ORDER BY id");
  await db.executor.begin();
  const op = db.op();
  await op.batchAlterTable("users", async (batch) => {
    await batch.alterColumn("age", { type: sa.integer() });
    await batch.dropColumn("note");
    await batch.createCheckConstraint("ck_age_positive", "age > 0");
  });
  await db.executor.commit();
  // other tables reference users: the recreate ran with foreign-key enforcement suspended, in its own transaction
  const ran = db.executor.statements.map((x) => x.sql);
  const off = ran.lastIndexOf("PRAGMA foreign_keys = OFF");
  assert.ok(off >= 0);
  assert.equal(ran[off + 1], "BEGIN IMMEDIATE");
  assert.ok(ran.indexOf("PRAGMA foreign_keys = ON", off) > off);
  const s = await snapshotTable(db, "users");
  const cols = columnsOf(s);
  assert.equal(cols.note, undefined);
  assert.equal(cols.age!.type, "INTEGER");
  assert.deepEqual((s!.checks as Array<{ name: string }>).map((c) => c.name).sort(), ["ck_age_positive", "ck_score"]);
  assert.deepEqual((s!.indexes as Array<{ name: string }>).map((i) => i.name).sort(), ["(u)", "ix_users_active_email", "ix_users_age"]);
  assert.deepEqual(s!.fks, [{ table: "orgs", from: "org_id", to: "id", on_update: "NO ACTION", on_delete: "SET NULL" }]);
  assert.deepEqual(s!.fkNames, [["fk_users_org", null, null]]);
  const rows = await db.q("SELECT id, email, age, score FROM users ORDER BY id");
  assert.equal(rows.length, 1000);
  assert.deepEqual(rows.map((r) => [r.id, r.email, String(r.age), r.score]), before.map((r) => [r.id, r.email, String(r.age), r.score]));
  assert.equal(await count("posts"), 1000);
  assert.equal(await count("tags"), 2);
  assert.deepEqual(await db.q("PRAGMA foreign_key_check"), []);
  await assert.rejects(db.q("INSERT INTO users (email, age) VALUES ('neg@x', -1)"), /CHECK constraint failed: ck_age_positive/);
  await assert.rejects(db.q("INSERT INTO users (email, age) VALUES ('u1@x.org', 1)"), /UNIQUE constraint failed/);
  // the autoincrementing key survives (AUTOINCREMENT kept)
  assert.match(String((await db.q("SELECT sql FROM sqlite_master WHERE name = 'users'"))[0]!.sql), /PRIMARY KEY AUTOINCREMENT/);
});

test("sqlite: self-referencing foreign key with ON DELETE CASCADE survives recreate", async () => {
  const op = db.op();
  await op.createTable("nodes",
    sa.column("id", sa.integer(), { primaryKey: true }),
    sa.column("parent_id", sa.integer()),
    sa.column("label", sa.string(20)),
    sa.foreignKey(["parent_id"], "nodes", ["id"], { name: "fk_parent", onDelete: "CASCADE" }),
  );
  await op.bulkInsert("nodes", [{ id: 1, parent_id: null, label: "root" }, { id: 2, parent_id: 1, label: "a" }, { id: 3, parent_id: 2, label: "b" }]);
  await op.alterColumn("nodes", "label", { nullable: false });
  assert.equal(await count("nodes"), 3);
  assert.match(String((await db.q("SELECT sql FROM sqlite_master WHERE name = 'nodes'"))[0]!.sql), /REFERENCES "nodes" \("id"\) ON DELETE CASCADE/);
  await db.q("DELETE FROM nodes WHERE id = 1");
  assert.equal(await count("nodes"), 0);
});

test("sqlite: dropTable / createTable round trip, dropColumn of an indexed column recreates", async () => {
  await db.op().createTable("tmp_x", sa.column("id", sa.integer(), { primaryKey: true }), sa.column("w", sa.integer()), sa.column("v", sa.string(5), { index: true }));
  await roundTrip(db, "tmp_x", b.dropColumnOp("tmp_x", "v", { existing: sa.column("v", sa.string(5), { index: true }) }), (s) => {
    assert.equal(columnsOf(s).v, undefined);
    assert.deepEqual(s!.indexes, []);
  });
  const t = sa.table("tmp_y", sa.column("id", sa.integer(), { primaryKey: true }));
  await db.op().invoke(b.createTableFrom(t));
  await roundTrip(db, "tmp_y", b.dropTableOp("tmp_y", { existing: t }), (s) => assert.equal(s, null));
});
