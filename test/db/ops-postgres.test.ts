import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import * as b from "../../src/operations/build.js";
import { reverseOperationOrThrow } from "../../src/operations/index.js";
import { sa } from "../../src/schema/index.js";
import { columnsOf, postgresDb, roundTrip, snapshotTable, type TestDb } from "./ops-helpers.js";

let db: TestDb;
before(async () => {
  db = await postgresDb();
});
after(async () => {
  await db?.close();
});

type Row = Record<string, unknown>;
const constraintsOf = (s: Row | null) => Object.fromEntries(((s?.constraints ?? []) as Row[]).map((c) => [String(c.name), c]));
const indexesOf = (s: Row | null) => Object.fromEntries(((s?.indexes ?? []) as Row[]).map((c) => [String(c.name), String(c.def)]));
const enumValues = async (name: string) =>
  (await db.q("SELECT e.enumlabel AS v FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid WHERE t.typname = $1 ORDER BY e.enumsortorder", [name])).map((r) => r.v);

test("postgres: createTable (serial, enum, comments, FK deferrable, check, unique, partial index), data ops", async () => {
  const op = db.op();
  await op.createTable("orgs", sa.column("id", sa.integer(), { primaryKey: true }), sa.column("name", sa.string(50), { nullable: false }));
  const users = await op.createTable("users",
    sa.column("id", sa.integer(), { primaryKey: true, autoincrement: true }),
    sa.column("email", sa.string(255), { nullable: false, unique: true }),
    sa.column("is_active", sa.boolean(), { nullable: false, serverDefault: sa.sql("true") }),
    sa.column("created_at", sa.dateTime({ timezone: true }), { nullable: false, serverDefault: sa.sql("now()"), comment: "O'Brien's time" }),
    sa.column("mood", sa.enumType("mood", ["happy", "it's ok"])),
    sa.column("age", sa.string(10)),
    sa.column("org_id", sa.integer()),
    sa.column("meta", sa.json()),
    sa.column("total", sa.numeric(10, 2), { serverDefault: 0 }),
    sa.foreignKey(["org_id"], "orgs", ["id"], { name: "fk_users_org", onDelete: "SET NULL", deferrable: true, initiallyDeferred: true }),
    sa.check("length(email) > 3", { name: "ck_email" }),
    sa.index("ix_users_active_email", ["email"], { where: "is_active" }),
    { comment: "people" },
  );
  const s = await snapshotTable(db, "users");
  const cols = columnsOf(s);
  assert.equal(cols.id!.type, "integer");
  assert.equal(cols.id!.default, "nextval('users_id_seq'::regclass)");
  assert.equal(cols.created_at!.type, "timestamp with time zone");
  assert.equal(cols.created_at!.comment, "O'Brien's time");
  assert.equal(cols.mood!.type, "mood");
  assert.equal(cols.total!.type, "numeric(10,2)");
  assert.equal(s!.comment, "people");
  const cons = constraintsOf(s);
  assert.equal(cons.fk_users_org!.def, "FOREIGN KEY (org_id) REFERENCES orgs(id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED");
  assert.equal(cons.ck_email!.def, "CHECK ((length((email)::text) > 3))");
  assert.equal(cons.users_email_key!.type, "u");
  assert.equal(indexesOf(s).ix_users_active_email, "CREATE INDEX ix_users_active_email ON public.users USING btree (email) WHERE is_active");
  assert.deepEqual(await enumValues("mood"), ["happy", "it's ok"]);

  await op.bulkInsert("orgs", [{ id: 1, name: "a" }, { id: 2, name: "b" }]);
  await op.bulkInsert(users, Array.from({ length: 300 }, (_, i) => ({ email: `u${i}@x.org`, age: String(i), org_id: (i % 2) + 1, meta: { i, tags: ["x"] }, mood: "it's ok" })));
  await op.execute("UPDATE users SET age = :age WHERE id = :id AND email <> ':id' AND age::text = :old", { age: "42", id: 1, old: "0" });
  await op.execute(sa.sql("UPDATE users SET is_active = false WHERE id = ?"), [2]);
  const rows = await op.query<{ id: number; age: string; is_active: boolean; meta: unknown }>("SELECT id, age, is_active, meta FROM users WHERE id IN (:a, :b) ORDER BY id", { a: 1, b: 2 });
  assert.deepEqual(rows, [{ id: 1, age: "42", is_active: true, meta: { i: 0, tags: ["x"] } }, { id: 2, age: "1", is_active: false, meta: { i: 1, tags: ["x"] } }]);
});

test("postgres: addColumn / dropColumn round trip", async () => {
  await roundTrip(db, "users", b.addColumnOp("users", sa.column("phone", sa.string(20), { nullable: false, serverDefault: "n/a", comment: "tel", index: true })), (s) => {
    assert.deepEqual(columnsOf(s).phone, { name: "phone", type: "character varying(20)", notnull: true, default: "'n/a'::character varying", comment: "tel" });
    assert.equal(indexesOf(s).ix_users_phone, "CREATE INDEX ix_users_phone ON public.users USING btree (phone)");
  });
  await roundTrip(db, "users", b.addColumnOp("users", sa.column("level", sa.enumType("level", ["lo", "hi"]), { serverDefault: "lo" })), async (s) => {
    assert.equal(columnsOf(s).level!.type, "level");
    assert.deepEqual(await enumValues("level"), ["lo", "hi"]);
  });
});

test("postgres: alterColumn (type USING, nullable, default, comment, rename) round trip", async () => {
  const op = b.alterColumnOp("users", "age", {
    type: sa.integer(), using: "age::integer", nullable: false, serverDefault: 18, comment: "years", newName: "age_years",
    existingType: sa.string(10), existingNullable: true, existingServerDefault: null, existingComment: null,
  });
  const reverse = reverseOperationOrThrow(op);
  await db.op().invoke(op);
  const s = await snapshotTable(db, "users");
  assert.deepEqual(columnsOf(s).age_years, { name: "age_years", type: "integer", notnull: true, default: "18", comment: "years" });
  assert.equal((await db.q("SELECT age_years FROM users WHERE id = 1"))[0]!.age_years, 42);
  await db.op().invoke(reverse);
  assert.deepEqual(columnsOf(await snapshotTable(db, "users")).age, { name: "age", type: "character varying(10)", notnull: false, default: null, comment: null });
  assert.equal((await db.q("SELECT age FROM users WHERE id = 1"))[0]!.age, "42");
});

test("postgres: renameTable, table comments round trip", async () => {
  await roundTrip(db, "orgs", b.renameTableOp("orgs", "organisations"), (s) => assert.ok(s));
  await roundTrip(db, "users", b.createTableCommentOp("users", "it's new", { existingComment: "people" }), (s) => assert.equal(s!.comment, "it's new"));
  await roundTrip(db, "users", b.dropTableCommentOp("users", { existingComment: "people" }), (s) => assert.equal(s!.comment, null));
});

test("postgres: indexes round trip, CONCURRENTLY in an autocommit block", async () => {
  await roundTrip(db, "users", b.createIndexOp("ix_users_lower", "users", [sa.sql("lower(email)"), "org_id"], { unique: true, where: "org_id IS NOT NULL" }), (s) => {
    assert.equal(indexesOf(s).ix_users_lower, "CREATE UNIQUE INDEX ix_users_lower ON public.users USING btree (lower((email)::text), org_id) WHERE (org_id IS NOT NULL)");
  });
  await db.executor.begin();
  const op = db.op();
  await op.createTable("events", sa.column("id", sa.integer(), { primaryKey: true }), sa.column("kind", sa.string(10)));
  await op.autocommitBlock(async () => {
    await op.createIndex("ix_events_kind", "events", ["kind"], { concurrently: true, ifNotExists: true });
  });
  await op.dropIndex("ix_events_kind", { ifExists: true });
  await op.dropIndex("ix_events_kind", { ifExists: true });
  await db.executor.commit();
  assert.equal(indexesOf(await snapshotTable(db, "events")).ix_events_kind, undefined);
});

test("postgres: constraints round trip", async () => {
  await roundTrip(db, "users", b.createUniqueConstraintOp("uq_users_email_org", "users", ["email", "org_id"]), (s) => {
    assert.equal(constraintsOf(s).uq_users_email_org!.def, "UNIQUE (email, org_id)");
  });
  await roundTrip(db, "users", b.createCheckConstraintOp("ck_total", "users", sa.sql("total >= 0")), (s) => {
    assert.equal(constraintsOf(s).ck_total!.def, "CHECK ((total >= (0)::numeric))");
  });
  await db.op().createTable("tags", sa.column("code", sa.string(10), { nullable: false }), sa.column("user_id", sa.integer()));
  await roundTrip(db, "tags", b.createForeignKeyOp("fk_tags_user", "tags", "users", ["user_id"], ["id"], { onDelete: "CASCADE", onUpdate: "RESTRICT" }), (s) => {
    assert.equal(constraintsOf(s).fk_tags_user!.def, "FOREIGN KEY (user_id) REFERENCES users(id) ON UPDATE RESTRICT ON DELETE CASCADE");
  });
  await roundTrip(db, "tags", b.createPrimaryKeyOp("pk_tags", "tags", ["code"]), (s) => {
    assert.equal(constraintsOf(s).pk_tags!.def, "PRIMARY KEY (code)");
  });
});

test("postgres: explicit enums, batchAlterTable as plain ALTERs, dropTable round trip", async () => {
  await db.op().createEnum("color", ["red", "it's blue"]);
  assert.deepEqual(await enumValues("color"), ["red", "it's blue"]);
  await db.op().createEnum("color", ["red"], { ifNotExists: true });
  await db.op().invoke(reverseOperationOrThrow(b.createEnumOp("color", ["red"])));
  assert.deepEqual(await enumValues("color"), []);

  await db.op().batchAlterTable("tags", async (batch) => {
    await batch.addColumn(sa.column("weight", sa.float()));
    await batch.alterColumn("code", { type: sa.string(20) });
    await batch.createIndex("ix_tags_weight", ["weight"]);
  });
  const s = await snapshotTable(db, "tags");
  assert.equal(columnsOf(s).weight!.type, "double precision");
  assert.equal(columnsOf(s).code!.type, "character varying(20)");
  assert.ok(indexesOf(s).ix_tags_weight);

  const t = sa.table("scratch", sa.column("id", sa.bigInteger(), { primaryKey: true }), sa.column("u", sa.uuid()), sa.column("raw", sa.binary()),
    sa.column("d", sa.date()), sa.column("t", sa.time()), sa.column("ts", sa.dateTime()), sa.column("txt", sa.text()), sa.column("n", sa.smallInteger()));
  await db.op().invoke(b.createTableFrom(t));
  assert.deepEqual(Object.values(columnsOf(await snapshotTable(db, "scratch"))).map((c) => c.type),
    ["bigint", "uuid", "bytea", "date", "time without time zone", "timestamp without time zone", "text", "smallint"]);
  await roundTrip(db, "scratch", b.dropTableOp("scratch", { existing: t }), (s2) => assert.equal(s2, null));
});

test("postgres: odd identifiers are quoted", async () => {
  const op = db.op();
  await op.createTable('we"ird', sa.column("order", sa.integer(), { primaryKey: true }), sa.column("select", sa.string(5)));
  await op.createIndex("ix odd", 'we"ird', ["select"]);
  await op.bulkInsert('we"ird', [{ order: 1, select: "a'b" }]);
  assert.deepEqual(await db.q(`SELECT "select" FROM "we""ird"`), [{ select: "a'b" }]);
  await op.dropTable('we"ird');
});
