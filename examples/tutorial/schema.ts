/**
 * The tutorial's schema at head (after `9c3e5f8a1d2b add phone_number to users`), declared with the
 * `sa` DSL: what `athanor check` compares the database with, and what autogenerate aims at.
 */
import { sa } from "athanor";

export const users = sa.table(
  "users",
  sa.column("id", sa.integer(), { primaryKey: true, autoincrement: true }),
  sa.column("username", sa.string(50), { nullable: false, unique: true }),
  sa.column("email", sa.string(255), { nullable: false, unique: true }),
  sa.column("full_name", sa.string(100), { nullable: true }),
  sa.column("is_active", sa.boolean(), { nullable: false, serverDefault: sa.sql("true") }),
  sa.column("created_at", sa.dateTime({ timezone: true }), { nullable: false, serverDefault: sa.sql("CURRENT_TIMESTAMP") }),
  sa.column("phone_number", sa.string(20), { nullable: true, index: true }),
);

export const orders = sa.table(
  "orders",
  sa.column("id", sa.integer(), { primaryKey: true, autoincrement: true }),
  sa.column("user_id", sa.integer(), { nullable: false }),
  sa.column("total_amount", sa.numeric(10, 2), { nullable: false }),
  sa.column("status", sa.string(20), { nullable: false, serverDefault: "pending" }),
  sa.column("created_at", sa.dateTime({ timezone: true }), { nullable: false, serverDefault: sa.sql("CURRENT_TIMESTAMP") }),
  sa.foreignKey(["user_id"], "users", ["id"], { onDelete: "CASCADE" }),
  sa.index("ix_orders_user_id", ["user_id"]),
);
