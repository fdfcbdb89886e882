/**
 * The target schema: `loadTargetSchema` over the config's `schema` modules, with `sa` tables and with
 * Drizzle ORM tables (pgTable, mysqlTable, sqliteTable) converted to the `sa` model.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, before, describe, test } from "node:test";
import { compareSchemas } from "../../src/autogenerate/compare.js";
import { drizzleFamily, isDrizzleTable } from "../../src/schema/drizzle.js";
import { sa } from "../../src/schema/index.js";
import { loadTargetSchema } from "../../src/schema/load-schema.js";

let dir: string;
let n = 0;
function module(source: string): string {
  const path = join(dir, `schema_${++n}.ts`);
  writeFileSync(path, source);
  return path;
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), "athanor-schema-"));
  // the project's node_modules (drizzle-orm is resolved from the schema module's folder)
  symlinkSync(resolve(import.meta.dirname, "../../node_modules"), join(dir, "node_modules"), "dir");
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe("loadTargetSchema with sa tables", () => {
  test("every exported sa.table (also in arrays and a default-exported object) and sa.enumType", async () => {
    const a = module(`import { sa } from "athanor";
export const users = sa.table("users", sa.column("id", sa.integer(), { primaryKey: true }), sa.column("mood", sa.enumType("mood", ["ok", "meh"])));
export const more = [sa.table("b", sa.column("id", sa.integer(), { primaryKey: true }))];
export default { c: sa.table("c", sa.column("id", sa.integer(), { primaryKey: true })), users };
export const standalone = sa.enumType("unused", ["x"]);
export const notATable = 42;
`);
    const s = await loadTargetSchema([a]);
    assert.deepEqual(s.tables.map((t) => t.name), ["b", "c", "users"]);
    assert.deepEqual(s.enums.map((e) => e.name), ["mood", "unused"]);
  });

  test("several modules; the same table twice must be the same definition", async () => {
    const a = module(`import { sa } from "athanor";\nexport const t = sa.table("t", sa.column("id", sa.integer(), { primaryKey: true }));`);
    const b = module(`import { sa } from "athanor";\nexport const t = sa.table("t", sa.column("id", sa.integer(), { primaryKey: true }));\nexport const u = sa.table("u", sa.column("id", sa.integer(), { primaryKey: true }));`);
    assert.deepEqual((await loadTargetSchema([a, b])).tables.map((t) => t.name), ["t", "u"]);
    const c = module(`import { sa } from "athanor";\nexport const t = sa.table("t", sa.column("id", sa.bigInteger(), { primaryKey: true }));`);
    await assert.rejects(loadTargetSchema([a, c]), /two different tables named 't'/);
  });

  test("a module that declares no table is an error (a wrong path would otherwise drop everything)", async () => {
    const a = module(`export const x = 1;`);
    await assert.rejects(loadTargetSchema([a]), /exports no tables/);
  });
});

describe("Drizzle ORM tables as the target", () => {
  test("pgTable: types, keys, defaults, indexes, checks, enums", async () => {
    const path = module(`
import { sql } from "drizzle-orm";
import { pgTable, pgEnum, serial, integer, varchar, boolean, timestamp, numeric, text, jsonb, uuid, doublePrecision, index, uniqueIndex, check, primaryKey } from "drizzle-orm/pg-core";
export const status = pgEnum("status", ["pending", "paid"]);
export const users = pgTable("users", {
  id: serial("id").primaryKey(),
  username: varchar("username", { length: 50 }).notNull().unique(),
  isActive: boolean("is_active").notNull().default(true),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  bio: text("bio"),
  meta: jsonb("meta").default(sql\`'{}'::jsonb\`),
  token: uuid("token").defaultRandom(),
  score: doublePrecision("score"),
}, (t) => [uniqueIndex("ux_users_lower").on(sql\`lower(\${t.username})\`).where(sql\`\${t.isActive} = true\`)]);
export const orders = pgTable("orders", {
  id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
  userId: integer("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
  total: numeric("total", { precision: 10, scale: 2 }).notNull().default("0"),
  status: status("status").notNull().default("pending"),
}, (t) => [index("ix_orders_user_id").on(t.userId), check("ck_orders_total", sql\`\${t.total} >= 0\`)]);
export const pairs = pgTable("pairs", { a: integer("a").notNull(), b: integer("b").notNull() }, (t) => [primaryKey({ columns: [t.a, t.b] })]);
`);
    const s = await loadTargetSchema([path]);
    assert.deepEqual(s.tables.map((t) => t.name), ["orders", "pairs", "users"]);
    assert.deepEqual(s.enums, [sa.enumType("status", ["pending", "paid"])]);
    const users = s.tables.find((t) => t.name === "users")!;
    assert.deepEqual(users, sa.table(
      "users",
      sa.column("id", sa.integer(), { primaryKey: true, autoincrement: true }),
      sa.column("username", sa.string(50), { nullable: false }),
      sa.unique(["username"], { name: "users_username_unique" }),
      sa.column("is_active", sa.boolean(), { nullable: false, serverDefault: true }),
      sa.column("created_at", sa.dateTime({ timezone: true }), { nullable: false, serverDefault: sa.sql("now()") }),
      sa.column("bio", sa.text(), { nullable: true }),
      sa.column("meta", sa.customType("jsonb"), { nullable: true, serverDefault: sa.sql("'{}'::jsonb") }),
      sa.column("token", sa.uuid(), { nullable: true, serverDefault: sa.sql("gen_random_uuid()") }),
      sa.column("score", sa.float(), { nullable: true }),
      sa.index("ux_users_lower", [sa.sql('lower("username")')], { unique: true, where: '"is_active" = true' }),
    ));
    const orders = s.tables.find((t) => t.name === "orders")!;
    assert.deepEqual(orders, sa.table(
      "orders",
      sa.column("id", sa.integer(), { primaryKey: true, autoincrement: true }),
      sa.column("user_id", sa.integer(), { nullable: false }),
      sa.column("total", sa.numeric(10, 2), { nullable: false, serverDefault: "0" }),
      sa.column("status", sa.enumType("status", ["pending", "paid"]), { nullable: false, serverDefault: "pending" }),
      sa.check('"total" >= 0', { name: "ck_orders_total" }),
      sa.foreignKey(["user_id"], "users", ["id"], { name: "orders_user_id_users_id_fk", onDelete: "CASCADE" }),
      sa.index("ix_orders_user_id", ["user_id"]),
    ));
    assert.deepEqual(s.tables.find((t) => t.name === "pairs")!.constraints, [sa.primaryKey(["a", "b"])]);
  });

  test("a Drizzle schema and the equivalent sa schema compare equal", async () => {
    const drizzle = await loadTargetSchema([module(`
import { pgTable, serial, varchar, integer, timestamp, index } from "drizzle-orm/pg-core";
export const users = pgTable("users", { id: serial("id").primaryKey(), email: varchar("email", { length: 255 }).notNull() });
export const posts = pgTable("posts", {
  id: serial("id").primaryKey(),
  authorId: integer("author_id").notNull().references(() => users.id),
  createdAt: timestamp("created_at").notNull().defaultNow(),
}, (t) => [index("ix_posts_author").on(t.authorId)]);
`)]);
    const declared = await loadTargetSchema([module(`import { sa } from "athanor";
export const users = sa.table("users", sa.column("id", sa.integer(), { primaryKey: true }), sa.column("email", sa.string(255), { nullable: false }));
export const posts = sa.table("posts",
  sa.column("id", sa.integer(), { primaryKey: true }),
  sa.column("author_id", sa.integer(), { nullable: false }),
  sa.column("created_at", sa.dateTime(), { nullable: false, serverDefault: sa.sql("CURRENT_TIMESTAMP") }),
  sa.foreignKey(["author_id"], "users", ["id"], { name: "posts_author_id_users_id_fk" }),
  sa.index("ix_posts_author", ["author_id"]));
`)]);
    assert.deepEqual(compareSchemas(drizzle, declared, { dialect: "postgresql" }).differences, []);
  });

  test("mysqlTable and sqliteTable", async () => {
    const s = await loadTargetSchema([module(`
import { sql } from "drizzle-orm";
import { mysqlTable, int, varchar, boolean, datetime, mysqlEnum, json, decimal } from "drizzle-orm/mysql-core";
import { sqliteTable, integer, text, real } from "drizzle-orm/sqlite-core";
export const m = mysqlTable("m", {
  id: int("id").primaryKey().autoincrement(),
  name: varchar("name", { length: 20 }).notNull().default("x"),
  flag: boolean("flag").default(false),
  at: datetime("at", { fsp: 6 }).default(sql\`CURRENT_TIMESTAMP(6)\`),
  kind: mysqlEnum("kind", ["a", "b"]).notNull(),
  data: json("data"),
  price: decimal("price", { precision: 8, scale: 2 }),
});
export const s = sqliteTable("s", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  done: integer("done", { mode: "boolean" }).notNull().default(false),
  title: text("title").notNull(),
  ratio: real("ratio"),
});
`)]);
    const m = s.tables.find((t) => t.name === "m")!;
    assert.deepEqual(m.columns.map((c) => [c.name, c.type, c.nullable, c.autoincrement, c.serverDefault]), [
      ["id", sa.integer(), false, true, null],
      ["name", sa.string(20), false, "auto", "x"],
      ["flag", sa.boolean(), true, "auto", false],
      ["at", sa.dateTime(), true, "auto", sa.sql("CURRENT_TIMESTAMP(6)")],
      ["kind", sa.enumType("kind", ["a", "b"]), false, "auto", null],
      ["data", sa.json(), true, "auto", null],
      ["price", sa.numeric(8, 2), true, "auto", null],
    ]);
    const lite = s.tables.find((t) => t.name === "s")!;
    assert.deepEqual(lite.columns.map((c) => [c.name, c.type, c.nullable, c.autoincrement, c.serverDefault]), [
      ["id", sa.integer(), false, true, null],
      ["done", sa.integer(), false, "auto", false],
      ["title", sa.text(), false, "auto", null],
      ["ratio", sa.customType("real"), true, "auto", null],
    ]);
  });

  test("recognised without loading drizzle-orm", async () => {
    const { pgTable, integer } = await import("drizzle-orm/pg-core");
    const t = pgTable("x", { id: integer("id") });
    assert.equal(isDrizzleTable(t), true);
    assert.equal(drizzleFamily(t), "pg");
    assert.equal(isDrizzleTable(sa.table("y", sa.column("id", sa.integer()))), false);
  });
});
