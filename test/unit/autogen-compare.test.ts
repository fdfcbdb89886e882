/**
 * The comparator, pure: what it detects, what it ignores (dialect-aware normalisation), the order of
 * the operations, renames, hooks, and the downgrade.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { compareSchemas, reverseOperations, type CompareOptions } from "../../src/autogenerate/compare.js";
import { defaultKey, normalizeSqlExpression, normalizeTypeSql, typeKey } from "../../src/autogenerate/normalize.js";
import type { DialectName } from "../../src/dialects/types.js";
import { declaredAsIntrospected } from "../../src/dialects/introspect.js";
import type { Operation } from "../../src/operations/ops.js";
import { reverseOperation } from "../../src/operations/reverse.js";
import type { DatabaseSchema } from "../../src/schema/database-schema.js";
import { sa } from "../../src/schema/index.js";
import type { Table } from "../../src/schema/types.js";

const schema = (...tables: Table[]): DatabaseSchema => ({ tables, enums: [] });
const cmp = (target: Table[], reflected: Table[], options: Partial<CompareOptions> = {}) =>
  compareSchemas(schema(...target), schema(...reflected), { dialect: "postgresql", ...options });
const kinds = (ops: readonly Operation[]) => ops.map((o) => o.kind);
const messages = (p: { differences: { message: string }[] }) => p.differences.map((d) => d.message);

const users = sa.table(
  "users",
  sa.column("id", sa.integer(), { primaryKey: true }),
  sa.column("name", sa.string(50), { nullable: false }),
  sa.column("created_at", sa.dateTime({ timezone: true }), { nullable: false, serverDefault: sa.sql("now()") }),
);

describe("normalisation: no false positives", () => {
  test("PostgreSQL type spellings", () => {
    assert.equal(normalizeTypeSql("postgresql", "character varying(50)"), "VARCHAR(50)");
    assert.equal(normalizeTypeSql("postgresql", "int4"), "INTEGER");
    assert.equal(normalizeTypeSql("postgresql", "INT8"), "BIGINT");
    assert.equal(normalizeTypeSql("postgresql", "timestamptz"), "TIMESTAMP WITH TIME ZONE");
    assert.equal(normalizeTypeSql("postgresql", "double precision"), "FLOAT");
    assert.equal(normalizeTypeSql("postgresql", "numeric(10, 0)"), "NUMERIC(10)");
    assert.equal(typeKey("postgresql", sa.customType("character varying(50)")), typeKey("postgresql", sa.string(50)));
    assert.equal(typeKey("postgresql", sa.customType("int4")), typeKey("postgresql", sa.integer()));
    assert.equal(typeKey("postgresql", sa.customType("bool")), typeKey("postgresql", sa.boolean()));
    assert.notEqual(typeKey("postgresql", sa.string(50)), typeKey("postgresql", sa.string(60)));
    assert.notEqual(typeKey("postgresql", sa.text()), typeKey("postgresql", sa.string()));
  });

  test("MySQL type spellings", () => {
    assert.equal(typeKey("mysql", sa.customType("tinyint(1)")), typeKey("mysql", sa.boolean()));
    assert.equal(typeKey("mysql", sa.customType("int(11)")), typeKey("mysql", sa.integer()));
    assert.equal(typeKey("mysql", sa.customType("decimal(10,2)")), typeKey("mysql", sa.numeric(10, 2)));
    assert.equal(typeKey("mysql", sa.numeric()), typeKey("mysql", sa.numeric(10, 0)));
    assert.equal(typeKey("mysql", sa.dateTime({ timezone: true })), typeKey("mysql", sa.dateTime()));
    assert.equal(typeKey("mysql", sa.customType("varchar(20) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin")), typeKey("mysql", sa.string(20)));
    assert.equal(typeKey("mysql", sa.enumType("a", ["x", "y"])), typeKey("mysql", sa.enumType("b", ["x", "y"])));
    assert.notEqual(typeKey("mysql", sa.enumType("a", ["x", "y"])), typeKey("mysql", sa.enumType("a", ["x", "y", "z"])));
  });

  test("SQLite: what the compiler writes is what compares", () => {
    assert.equal(typeKey("sqlite", sa.uuid()), typeKey("sqlite", sa.customType("CHAR(36)")));
    assert.equal(typeKey("sqlite", sa.enumType("e", ["ab", "abc"])), typeKey("sqlite", sa.string(3)));
  });

  test("server defaults: now() vs CURRENT_TIMESTAMP, casts, quotes, numbers, booleans", () => {
    const k = (d: Parameters<typeof defaultKey>[1], t = sa.text() as Parameters<typeof defaultKey>[2], dialect: DialectName = "postgresql") => defaultKey(dialect, d, t);
    assert.equal(k(sa.sql("now()")), k(sa.sql("CURRENT_TIMESTAMP")));
    assert.equal(k(sa.sql("current_timestamp(6)"), undefined, "mysql"), k(sa.sql("CURRENT_TIMESTAMP"), undefined, "mysql"));
    assert.equal(k(sa.sql("'pending'::character varying")), k("pending"));
    assert.equal(k(sa.sql("('x'::text)")), k("x"));
    assert.equal(k(sa.sql("'0'::numeric"), sa.numeric(10, 2)), k(0, sa.numeric(10, 2)));
    assert.equal(k("1.50", sa.numeric(10, 2)), k(1.5, sa.numeric(10, 2)));
    assert.equal(k(sa.sql("true"), sa.boolean()), k(true, sa.boolean()));
    assert.equal(k(1, sa.boolean(), "mysql"), k(sa.sql("TRUE"), sa.boolean(), "mysql"));
    assert.equal(k(sa.sql("NULL")), null);
    assert.equal(k(sa.sql("1 + 2"), sa.integer()), k(sa.sql("(1+2)"), sa.integer()));
    assert.notEqual(k("a"), k("b"));
    assert.notEqual(k(sa.sql("now()")), null);
  });

  test("SQL expressions: casts, parentheses, quotes and spacing don't matter", () => {
    assert.equal(normalizeSqlExpression("(price > (0)::numeric)"), normalizeSqlExpression("price > 0"));
    assert.equal(normalizeSqlExpression('lower(("email")::text)'), normalizeSqlExpression("lower(email)"));
    assert.equal(normalizeSqlExpression("`a` >= 1"), normalizeSqlExpression("a>=1"));
  });

  test("a declared table compared with how introspection reads it back: no operations, on every dialect", () => {
    const t = sa.table(
      "t",
      sa.column("id", sa.integer(), { primaryKey: true, autoincrement: true }),
      sa.column("a", sa.string(20), { nullable: false, serverDefault: "x", unique: true }),
      sa.column("b", sa.numeric(10, 0), { nullable: true, serverDefault: sa.sql("0") }),
      sa.column("c", sa.boolean(), { nullable: false, serverDefault: sa.sql("true") }),
      sa.column("d", sa.dateTime({ timezone: true }), { nullable: false, serverDefault: sa.sql("CURRENT_TIMESTAMP") }),
      sa.column("e", sa.enumType("e_kind", ["p", "q"]), { nullable: true }),
      sa.index("ix_t_a_b", ["a", "b"], { unique: true }),
    );
    for (const dialect of ["postgresql", "mysql", "sqlite"] as const) {
      const reflected = declaredAsIntrospected(t, dialect);
      const plan = compareSchemas(schema(t), { tables: [reflected], enums: dialect === "postgresql" ? [sa.enumType("e_kind", ["p", "q"])] : [] }, { dialect });
      assert.deepEqual(messages(plan), [], dialect);
    }
  });
});

describe("detection", () => {
  test("added and removed tables and columns", () => {
    const v2 = sa.table("users", ...users.columns.filter((c) => c.name !== "name"), sa.column("email", sa.text(), { nullable: true }));
    const extra = sa.table("extra", sa.column("id", sa.integer(), { primaryKey: true }));
    const plan = cmp([v2, extra], [users, sa.table("gone", sa.column("id", sa.integer(), { primaryKey: true }))]);
    assert.deepEqual(messages(plan), [
      "added table 'extra'", "added column 'users.email'", "removed column 'users.name'", "removed table 'gone'",
    ]);
    assert.deepEqual(kinds(plan.upgradeOps), ["createTable", "addColumn", "dropColumn", "dropTable"]);
  });

  test("type, nullable, server default and comment changes make one alterColumn with the existing state", () => {
    const v2 = sa.table(
      "users",
      sa.column("id", sa.integer(), { primaryKey: true }),
      sa.column("name", sa.string(80), { nullable: true, serverDefault: "anon", comment: "shown" }),
      sa.column("created_at", sa.dateTime({ timezone: true }), { nullable: false }),
    );
    const plan = cmp([v2], [users]);
    assert.deepEqual(messages(plan), [
      "type change from VARCHAR(50) to VARCHAR(80) on 'users.name'",
      "NULL on column 'users.name'",
      "added server default on column 'users.name' ('anon')",
      "column comment on 'users.name'",
      "removed server default on column 'users.created_at'",
    ]);
    assert.deepEqual(plan.upgradeOps[0], {
      kind: "alterColumn", table: "users", column: "name", type: sa.string(80), nullable: true, serverDefault: "anon",
      comment: "shown", existingType: sa.string(50), existingNullable: false, existingServerDefault: null, existingComment: null,
    });
  });

  test("indexes, unique constraints, foreign keys and checks; unnamed ones match by content", () => {
    const base = sa.table(
      "t",
      sa.column("id", sa.integer(), { primaryKey: true }),
      sa.column("a", sa.integer(), { nullable: true }),
      sa.column("b", sa.integer(), { nullable: true }),
    );
    const reflected = sa.table(
      "t", ...base.columns,
      sa.unique(["a"], { name: "t_a_key" }),
      sa.check("(a > 0)", { name: "t_a_check" }),
      sa.foreignKey(["b"], "t", ["id"], { name: "t_b_fkey" }),
      sa.index("ix_old", ["a"]),
    );
    const same = sa.table("t", ...base.columns, sa.unique(["a"]), sa.check("a > 0"), sa.foreignKey(["b"], "t", ["id"]), sa.index("ix_old", ["a"]));
    assert.deepEqual(messages(cmp([same], [reflected])), []);
    const changed = sa.table(
      "t", ...base.columns,
      sa.unique(["b"]),
      sa.check("b < 10", { name: "ck_b" }),
      sa.foreignKey(["b"], "t", ["id"], { onDelete: "CASCADE" }),
      sa.index("ix_old", ["a", "b"]),
      sa.index("ix_new", ["b"], { where: "b > 0" }),
    );
    const plan = cmp([changed], [reflected]);
    assert.deepEqual(messages(plan).sort(), [
      "added check constraint 'ck_b' on 't'",
      "added foreign key (b)(id) on table t",
      "added index 'ix_new' on 't' (b)",
      "added unique constraint 'uq_t_b' on 't' (b)",
      "changed index 'ix_old' on 't' (a, b)",
      "removed check constraint 't_a_check' on 't'",
      "removed foreign key (b)(id) on table t",
      "removed unique constraint 't_a_key' on 't' (a)",
    ]);
    // FK drops first, FK creates last; index/constraint drops before creates
    assert.deepEqual(kinds(plan.upgradeOps), [
      "dropConstraint", "dropIndex", "dropConstraint", "dropConstraint", "createIndex", "createIndex",
      "createUniqueConstraint", "createCheckConstraint", "createForeignKey",
    ]);
  });

  test("table comments", () => {
    const withComment = sa.table("users", ...users.columns, { comment: "people" });
    assert.deepEqual(messages(cmp([withComment], [users])), ["added table comment on 'users'"]);
    assert.deepEqual(messages(cmp([users], [withComment])), ["removed table comment on 'users'"]);
    assert.deepEqual(messages(cmp([withComment], [users], { dialect: "sqlite" })), []);
  });

  test("PostgreSQL enums: created, values added in place (ALTER TYPE ... ADD VALUE), dropped", () => {
    const t = (values: string[]) => sa.table("t", sa.column("id", sa.integer(), { primaryKey: true }), sa.column("s", sa.enumType("status", values), { nullable: true }));
    const created = compareSchemas(schema(t(["a", "b"])), schema(), { dialect: "postgresql" });
    assert.deepEqual(kinds(created.upgradeOps), ["createEnum", "createTable"]);
    assert.deepEqual(kinds(created.downgradeOps), ["dropTable", "dropEnum"]);

    const altered = compareSchemas(schema(t(["a", "x", "b", "z"])), { tables: [t(["a", "b"])], enums: [sa.enumType("status", ["a", "b"])] }, { dialect: "postgresql" });
    assert.deepEqual(altered.upgradeOps.map((o) => (o.kind === "execute" ? o.sql : o.kind)), [
      `ALTER TYPE "status" ADD VALUE 'x' BEFORE 'b'`,
      `ALTER TYPE "status" ADD VALUE 'z'`,
    ]);
    assert.deepEqual(messages(altered), ["added values 'x', 'z' of enum 'status'"]);
    // the downgrade recreates the type with the old values
    assert.deepEqual(altered.downgradeOps.map((o) => (o.kind === "execute" ? o.sql : o.kind)), [
      `ALTER TYPE "status" RENAME TO "status_old"`,
      `CREATE TYPE "status" AS ENUM ('a', 'b')`,
      `ALTER TABLE "t" ALTER COLUMN "s" TYPE "status" USING "s"::text::"status"`,
      `DROP TYPE "status_old"`,
    ]);

    const dropped = compareSchemas(schema(sa.table("t", sa.column("id", sa.integer(), { primaryKey: true }))), { tables: [t(["a"])], enums: [sa.enumType("status", ["a"])] }, { dialect: "postgresql" });
    assert.deepEqual(kinds(dropped.upgradeOps), ["dropColumn", "dropEnum"]);
  });

  test("MySQL enums are column types", () => {
    const t = (values: string[]) => sa.table("t", sa.column("id", sa.integer(), { primaryKey: true }), sa.column("s", sa.enumType("s", values), { nullable: true }));
    const plan = compareSchemas(schema(t(["a", "b", "c"])), schema(t(["a", "b"])), { dialect: "mysql" });
    assert.deepEqual(kinds(plan.upgradeOps), ["alterColumn"]);
  });

  test("the version and history tables are never part of a diff", () => {
    const version = sa.table("athanor_version", sa.column("version_num", sa.string(32), { primaryKey: true }));
    const history = sa.table("athanor_history", sa.column("id", sa.integer(), { primaryKey: true }));
    const plan = cmp([], [version, history], { excludeTables: ["athanor_version", "athanor_history"] });
    assert.deepEqual(plan.upgradeOps, []);
  });
});

describe("order", () => {
  test("referenced tables are created first and dropped last", () => {
    const a = sa.table("a_orders", sa.column("id", sa.integer(), { primaryKey: true }), sa.column("u", sa.integer(), { nullable: true }), sa.foreignKey(["u"], "z_users", ["id"]));
    const z = sa.table("z_users", sa.column("id", sa.integer(), { primaryKey: true }));
    const plan = cmp([a, z], []);
    assert.deepEqual(plan.upgradeOps.map((o) => (o.kind === "createTable" ? o.table.name : o.kind)), ["z_users", "a_orders"]);
    const drop = cmp([], [a, z]);
    assert.deepEqual(drop.upgradeOps.map((o) => (o.kind === "dropTable" ? o.table : o.kind)), ["a_orders", "z_users"]);
  });

  test("a cycle of foreign keys: the closing key is added after both tables exist", () => {
    const a = sa.table("a", sa.column("id", sa.integer(), { primaryKey: true }), sa.column("b_id", sa.integer(), { nullable: true }), sa.foreignKey(["b_id"], "b", ["id"]));
    const b = sa.table("b", sa.column("id", sa.integer(), { primaryKey: true }), sa.column("a_id", sa.integer(), { nullable: true }), sa.foreignKey(["a_id"], "a", ["id"]));
    const plan = cmp([a, b], []);
    assert.deepEqual(kinds(plan.upgradeOps), ["createTable", "createTable", "createForeignKey"]);
    assert.deepEqual((plan.upgradeOps[0] as { table: Table }).table.constraints.map((c) => c.kind), ["primaryKey"]);
    assert.deepEqual(kinds(plan.downgradeOps), ["dropConstraint", "dropTable", "dropTable"]);
  });

  test("a new foreign key of an existing table to a new table comes after the new table", () => {
    const old = sa.table("posts", sa.column("id", sa.integer(), { primaryKey: true }), sa.column("tag_id", sa.integer(), { nullable: true }));
    const posts = sa.table("posts", ...old.columns, sa.foreignKey(["tag_id"], "tags", ["id"]));
    const tags = sa.table("tags", sa.column("id", sa.integer(), { primaryKey: true }));
    const plan = cmp([posts, tags], [old]);
    assert.deepEqual(kinds(plan.upgradeOps), ["createTable", "createForeignKey"]);
  });

  test("a new table's indexes are separate createIndex calls; its downgrade is just dropTable", () => {
    const t = sa.table("t", sa.column("id", sa.integer(), { primaryKey: true }), sa.column("a", sa.integer(), { nullable: true, index: true }));
    const plan = cmp([t], []);
    assert.deepEqual(kinds(plan.upgradeOps), ["createTable", "createIndex"]);
    assert.deepEqual(kinds(plan.downgradeOps), ["dropTable"]);
  });

  test("SQLite: changes to an existing table that ALTER TABLE can't do are one batch", () => {
    const v2 = sa.table("users", sa.column("id", sa.integer(), { primaryKey: true }), sa.column("name", sa.string(80), { nullable: true }), users.columns[2]!);
    const plan = cmp([v2], [users], { dialect: "sqlite" });
    assert.deepEqual(kinds(plan.upgradeOps), ["batchAlterTable"]);
    const add = cmp([sa.table("users", ...users.columns, sa.column("x", sa.integer(), { nullable: true }))], [users], { dialect: "sqlite" });
    assert.deepEqual(kinds(add.upgradeOps), ["addColumn"]);
  });
});

describe("renames", () => {
  const v2 = sa.table("users", users.columns[0]!, sa.column("full_name", sa.string(50), { nullable: false }), users.columns[2]!);

  test("a dropped and an added column of the same type are a rename candidate, with a loud warning", () => {
    const plan = cmp([v2], [users]);
    assert.deepEqual(plan.renameCandidates, [{ kind: "column", table: "users", from: "name", to: "full_name" }]);
    assert.equal(plan.warnings.length, 1);
    assert.equal(plan.warnings[0]!.message,
      "WARNING: drops column users.name and adds users.full_name: DATA IN name WILL BE LOST. If this is a rename, rerun with --rename users.name:full_name");
    assert.equal(plan.warnings[0]!.before, plan.upgradeOps[0]);
  });

  test("a confirmed column rename is an alterColumn with newName", () => {
    const plan = cmp([v2], [users], { renames: { columns: { users: { name: "full_name" } } } });
    assert.deepEqual(plan.renameCandidates, []);
    assert.deepEqual(plan.upgradeOps, [{
      kind: "alterColumn", table: "users", column: "name", newName: "full_name", existingType: sa.string(50),
      existingNullable: false, existingServerDefault: null, existingComment: null,
    }]);
    assert.deepEqual(messages(plan), ["renamed column 'users.name' to 'users.full_name'"]);
    assert.deepEqual(plan.downgradeOps[0], {
      kind: "alterColumn", table: "users", column: "full_name", newName: "name", existingType: sa.string(50),
      existingNullable: false, existingServerDefault: null, existingComment: null,
    });
  });

  test("tables: a candidate when the shapes match; renameTable then the table's own differences", () => {
    const people = sa.table("people", ...users.columns, sa.column("extra", sa.integer(), { nullable: true }));
    const plan = cmp([people], [users]);
    assert.deepEqual(plan.renameCandidates, [{ kind: "table", from: "users", to: "people" }]);
    assert.match(plan.warnings[0]!.message, /drops table users and creates table people: DATA IN users WILL BE LOST\. If this is a rename, rerun with --rename users:people/);
    const renamed = cmp([people], [users], { renames: { tables: { users: "people" } } });
    assert.deepEqual(kinds(renamed.upgradeOps), ["renameTable", "addColumn"]);
    assert.deepEqual(kinds(renamed.downgradeOps), ["dropColumn", "renameTable"]);
  });

  test("no candidate between columns of different types", () => {
    const v3 = sa.table("users", users.columns[0]!, sa.column("age", sa.integer(), { nullable: true }), users.columns[2]!);
    assert.deepEqual(cmp([v3], [users]).renameCandidates, []);
  });
});

describe("hooks", () => {
  const extra = sa.table("legacy", sa.column("id", sa.integer(), { primaryKey: true }));

  test("includeName leaves reflected objects out", () => {
    const seen: string[] = [];
    const plan = cmp([users], [users, extra], {
      hooks: {
        includeName: (name, type, parents) => {
          seen.push(`${type}:${parents.tableName ?? ""}.${name}`);
          return name !== "legacy";
        },
      },
    });
    assert.deepEqual(plan.upgradeOps, []);
    assert.ok(seen.includes("table:.legacy") && seen.includes("column:users.name"));
  });

  test("includeObject sees both sides with what they are compared to", () => {
    const calls: string[] = [];
    const v2 = sa.table("users", ...users.columns, sa.index("ix_users_name", ["name"]));
    const plan = cmp([v2], [users, extra], {
      hooks: {
        includeObject: (obj, name, type, reflected, compareTo) => {
          calls.push(`${type} ${name} ${reflected ? "reflected" : "target"} ${compareTo ? "paired" : "alone"}`);
          return type !== "index";
        },
      },
    });
    assert.deepEqual(messages(plan), ["removed table 'legacy'"]);
    assert.ok(calls.includes("table users target paired"));
    assert.ok(calls.includes("table legacy reflected alone"));
    assert.ok(calls.includes("index ix_users_name target alone"));
  });

  test("compareType and compareServerDefault decide, or fall through with undefined", () => {
    const v2 = sa.table("users", users.columns[0]!, sa.column("name", sa.string(99), { nullable: false }), sa.column("created_at", sa.dateTime({ timezone: true }), { nullable: false }));
    assert.equal(cmp([v2], [users], { hooks: { compareType: () => false, compareServerDefault: () => false } }).upgradeOps.length, 0);
    assert.equal(cmp([v2], [users], { hooks: { compareType: false, compareServerDefault: false } }).upgradeOps.length, 0);
    const args: unknown[] = [];
    const plan = cmp([v2], [users], {
      hooks: {
        compareServerDefault: (ctx, _r, _t, rendered, _d, renderedTarget) => {
          args.push([ctx.table, rendered, renderedTarget]);
          return undefined;
        },
      },
    });
    assert.deepEqual(args, [["users", null, null], ["users", null, null], ["users", "now()", null]]);
    assert.equal(plan.differences.length, 2);
  });
});

describe("downgrade", () => {
  test("every generated operation has an inverse, applied in reverse order", () => {
    const v2 = sa.table(
      "users",
      sa.column("id", sa.integer(), { primaryKey: true }),
      sa.column("name", sa.string(80), { nullable: true }),
      sa.column("email", sa.string(80), { nullable: true, unique: true }),
      sa.index("ix_users_name", ["name"]),
      { comment: "c" },
    );
    const plan = cmp([v2], [users]);
    assert.deepEqual(plan.downgradeOps, reverseOperations(plan.upgradeOps, { dialect: "postgresql" }));
    assert.deepEqual(plan.downgradeOps, [...plan.upgradeOps].reverse().map((op) => reverseOperation(op)));
  });

  test("PostgreSQL type changes that need a cast get USING, both ways", () => {
    const t = (type: ReturnType<typeof sa.text> | ReturnType<typeof sa.integer>) => sa.table("t", sa.column("id", sa.integer(), { primaryKey: true }), sa.column("n", type, { nullable: true }));
    const plan = cmp([t(sa.integer())], [t(sa.text())]);
    assert.equal((plan.upgradeOps[0] as { using?: string }).using, '"n"::INTEGER');
    assert.equal((plan.downgradeOps[0] as { using?: string }).using, undefined);
  });
});
