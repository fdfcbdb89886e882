import assert from "node:assert/strict";
import { test } from "node:test";
import { sa, tablePrimaryKey, isAutoincrement } from "../../src/schema/index.js";

test("sa.column: defaults and options", () => {
  assert.deepEqual(sa.column("x", sa.integer()), {
    kind: "column", name: "x", type: { kind: "integer" }, nullable: true, primaryKey: false, autoincrement: "auto",
    unique: false, index: false, serverDefault: null, comment: null,
  });
  const pk = sa.column("id", sa.integer(), { primaryKey: true });
  assert.equal(pk.nullable, false);
  const c = sa.column("c", sa.string(20), { nullable: false, unique: true, index: true, serverDefault: sa.sql("'x'"), comment: "hi" });
  assert.deepEqual(c.serverDefault, { kind: "sql", sql: "'x'" });
  assert.equal(c.comment, "hi");
  assert.throws(() => sa.column("id", sa.integer(), { primaryKey: true, nullable: true }), /cannot be nullable/);
  assert.throws(() => sa.column("", sa.integer()), /non-empty string/);
  assert.throws(() => sa.column("x", "int" as never), /must be an sa type/);
  assert.throws(() => sa.column("x", sa.integer(), { serverDefault: Infinity }), /finite/);
  assert.throws(() => sa.column("x", sa.integer(), { serverDefault: {} as never }), /serverDefault must be/);
});

test("sa types are plain data", () => {
  assert.deepEqual(sa.string(), { kind: "string", length: null });
  assert.deepEqual(sa.string(10), { kind: "string", length: 10 });
  assert.deepEqual(sa.dateTime(), { kind: "dateTime", timezone: false });
  assert.deepEqual(sa.dateTime({ timezone: true }), { kind: "dateTime", timezone: true });
  assert.deepEqual(sa.numeric(10, 2), { kind: "numeric", precision: 10, scale: 2 });
  assert.deepEqual(sa.enumType("mood", ["a", "b"]), { kind: "enum", name: "mood", values: ["a", "b"] });
  assert.deepEqual(JSON.parse(JSON.stringify(sa.enumType("mood", ["a"]))), sa.enumType("mood", ["a"]));
  for (const t of [sa.integer(), sa.bigInteger(), sa.smallInteger(), sa.text(), sa.boolean(), sa.date(), sa.time(), sa.float(), sa.json(), sa.uuid(), sa.binary()]) {
    assert.equal(Object.keys(t).length, 1);
    assert.ok(Object.isFrozen(t));
  }
  assert.throws(() => sa.string(0), /positive integer/);
  assert.throws(() => sa.numeric(undefined, 2), /needs a precision/);
  assert.throws(() => sa.enumType("e", []), /at least one value/);
  assert.throws(() => sa.enumType("e", ["a", "a"]), /duplicate/);
});

test("sa constraints and indexes", () => {
  assert.deepEqual(sa.primaryKey(["a", "b"], { name: "pk" }), { kind: "primaryKey", name: "pk", columns: ["a", "b"] });
  assert.deepEqual(sa.unique("a"), { kind: "unique", name: null, columns: ["a"] });
  assert.deepEqual(sa.check(sa.sql("a > 0"), { name: "ck" }), { kind: "check", name: "ck", condition: "a > 0" });
  assert.deepEqual(sa.foreignKey(["user_id"], "users", ["id"], { onDelete: "cascade", onUpdate: "set null", deferrable: true, initiallyDeferred: true }), {
    kind: "foreignKey", name: null, columns: ["user_id"], referentTable: "users", referentColumns: ["id"],
    onDelete: "CASCADE", onUpdate: "SET NULL", deferrable: true, initiallyDeferred: true,
  });
  assert.throws(() => sa.foreignKey(["a", "b"], "t", ["id"]), /2 local column\(s\) but 1 referent/);
  assert.throws(() => sa.foreignKey(["a"], "t", ["id"], { onDelete: "EXPLODE" as never }), /onDelete must be one of/);
  assert.deepEqual(sa.index("ix", ["a", sa.sql("lower(b)")], { unique: true, where: sa.sql("a > 0") }), {
    kind: "index", name: "ix", columns: ["a", { kind: "sql", sql: "lower(b)" }], unique: true, where: "a > 0",
  });
  assert.throws(() => sa.unique([]), /at least one column/);
});

test("sa.table normalizes primary key, unique and index shorthands", () => {
  const t = sa.table("users",
    sa.column("id", sa.integer(), { primaryKey: true, autoincrement: true }),
    sa.column("email", sa.string(255), { nullable: false, unique: true, index: true }),
    sa.column("nick", sa.string(20), { unique: true }),
    sa.column("org", sa.integer(), { index: true }),
    sa.foreignKey(["org"], "orgs", ["id"]),
    sa.index("ix_custom", ["nick", "org"]),
    { comment: "people" },
  );
  assert.equal(t.kind, "table");
  assert.equal(t.comment, "people");
  assert.deepEqual(t.constraints.map((c) => [c.kind, c.name, "columns" in c ? c.columns : null]), [
    ["primaryKey", null, ["id"]],
    ["foreignKey", null, ["org"]],
    ["unique", null, ["nick"]],
  ]);
  assert.deepEqual(t.indexes.map((i) => [i.name, i.columns, i.unique]), [
    ["ix_custom", ["nick", "org"], false],
    ["ix_users_email", ["email"], true],
    ["ix_users_org", ["org"], false],
  ]);
  assert.deepEqual(tablePrimaryKey(t)?.columns, ["id"]);
  assert.ok(Object.isFrozen(t) && Object.isFrozen(t.columns) && Object.isFrozen(t.columns[0]));
  assert.throws(() => { (t as { name: string }).name = "x"; }, TypeError);
});

test("sa.table: explicit primary key marks its columns", () => {
  const t = sa.table("m", sa.column("a", sa.integer()), sa.column("b", sa.integer()), sa.primaryKey(["a", "b"], { name: "pk_m" }));
  assert.deepEqual(t.columns.map((c) => [c.name, c.primaryKey, c.nullable]), [["a", true, false], ["b", true, false]]);
  assert.equal(isAutoincrement(t.columns[0]!, ["a", "b"]), false);
  assert.throws(() => sa.table("x", sa.column("a", sa.integer(), { primaryKey: true }), sa.column("b", sa.integer()), sa.primaryKey(["b"])), /not in the primary key/);
  assert.throws(() => sa.table("x", sa.column("a", sa.integer()), sa.column("a", sa.text())), /duplicate column/);
  assert.throws(() => sa.table("x", sa.column("a", sa.integer()), sa.unique(["b"])), /unknown column "b"/);
  assert.throws(() => sa.table("x", sa.column("a", sa.integer()), sa.index("i", ["a"]), sa.index("i", ["a"])), /duplicate index/);
  assert.throws(() => sa.table("x", sa.column("a", sa.integer()), sa.primaryKey(["a"]), sa.primaryKey(["a"])), /more than one primary key/);
});

test("isAutoincrement follows SQLAlchemy's auto rule", () => {
  const id = sa.column("id", sa.integer(), { primaryKey: true });
  assert.equal(isAutoincrement(id, ["id"]), true);
  assert.equal(isAutoincrement(id, ["id", "x"]), false);
  assert.equal(isAutoincrement(sa.column("id", sa.string(5), { primaryKey: true }), ["id"]), false);
  assert.equal(isAutoincrement(sa.column("id", sa.integer(), { primaryKey: true, autoincrement: false }), ["id"]), false);
  assert.equal(isAutoincrement(sa.column("n", sa.bigInteger(), { autoincrement: true }), []), true);
});
