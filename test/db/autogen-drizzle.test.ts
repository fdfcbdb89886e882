/**
 * Drizzle ORM tables as the `schema`: autogenerate from an empty database creates them, `check` then
 * passes, and an edit of the Drizzle schema is detected and applied; on each database.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { DialectName } from "../../src/dialects/types.js";
import { DIALECTS } from "../helpers/databases.js";
import { Harness } from "./autogen-harness.test.js";

function schema(d: DialectName, edited: boolean): string {
  if (d === "postgresql") {
    return `import { sql } from "drizzle-orm";
import { pgTable, pgEnum, serial, integer, varchar, boolean, timestamp, numeric, text, index, check } from "drizzle-orm/pg-core";
export const status = pgEnum("order_status", ${edited ? `["pending", "paid", "shipped"]` : `["pending", "paid"]`});
export const users = pgTable("users", {
  id: serial("id").primaryKey(),
  username: varchar("username", { length: ${edited ? 80 : 50} }).notNull().unique(),
  isActive: boolean("is_active").notNull().default(true),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  ${edited ? `bio: text("bio"),` : ""}
});
export const orders = pgTable("orders", {
  id: serial("id").primaryKey(),
  userId: integer("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
  total: numeric("total", { precision: 10, scale: 2 }).notNull().default("0"),
  status: status("status").notNull().default("pending"),
}, (t) => [index("ix_orders_user_id").on(t.userId), check("ck_orders_total", sql\`\${t.total} >= 0\`)]);
`;
  }
  if (d === "mysql") {
    return `import { sql } from "drizzle-orm";
import { mysqlTable, int, varchar, boolean, datetime, decimal, mysqlEnum, text, index } from "drizzle-orm/mysql-core";
export const users = mysqlTable("users", {
  id: int("id").primaryKey().autoincrement(),
  username: varchar("username", { length: ${edited ? 80 : 50} }).notNull().unique(),
  isActive: boolean("is_active").notNull().default(true),
  createdAt: datetime("created_at", { fsp: 6 }).notNull().default(sql\`CURRENT_TIMESTAMP(6)\`),
  ${edited ? `bio: text("bio"),` : ""}
});
export const orders = mysqlTable("orders", {
  id: int("id").primaryKey().autoincrement(),
  userId: int("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
  total: decimal("total", { precision: 10, scale: 2 }).notNull().default("0"),
  status: mysqlEnum("status", ${edited ? `["pending", "paid", "shipped"]` : `["pending", "paid"]`}).notNull().default("pending"),
}, (t) => [index("ix_orders_user_id").on(t.userId)]);
`;
  }
  return `import { sql } from "drizzle-orm";
import { sqliteTable, integer, text, real, index } from "drizzle-orm/sqlite-core";
export const users = sqliteTable("users", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  username: text("username", { length: ${edited ? 80 : 50} }).notNull().unique(),
  isActive: integer("is_active", { mode: "boolean" }).notNull().default(true),
  createdAt: integer("created_at", { mode: "timestamp" }).notNull().default(sql\`(unixepoch())\`),
  ${edited ? `bio: text("bio"),` : ""}
});
export const orders = sqliteTable("orders", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  userId: integer("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
  total: real("total").notNull().default(0),
}, (t) => [index("ix_orders_user_id").on(t.userId)]);
`;
}

for (const dialect of DIALECTS) {
  describe(`Drizzle tables as the target schema on ${dialect}`, () => {
    let h: Harness;
    before(async () => {
      h = await Harness.create(dialect, {}, { linkNodeModules: true });
    });
    after(async () => {
      await h.close();
    });

    test("from an empty database", async () => {
      const r = await h.step(schema(dialect, false), ["addTable", "addIndex"]);
      assert.match(r.text, /await op\.createTable\(\n {4}"users",/);
    });

    test("an edited Drizzle schema", async () => {
      await h.step(schema(dialect, true), dialect === "postgresql" ? ["addColumn", "modifyType", "modifyEnum"] : ["addColumn", "modifyType"]);
    });
  });
}
