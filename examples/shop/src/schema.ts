/**
 * The shop's schema at head, declared with athanor's `sa` vocabulary: what the revisions in
 * migrations/versions build, and the target of `athanor revision --autogenerate` / `athanor check`
 * (athanor.config.ts points `schema` here). The row types the queries use are in src/db.ts.
 */
import { sa } from "athanor";

export const users = sa.table(
  "users",
  sa.column("id", sa.integer(), { primaryKey: true, autoincrement: true }),
  sa.column("email", sa.string(255), { nullable: false, unique: true }),
  sa.column("full_name", sa.string(100), { nullable: true }),
  sa.column("is_active", sa.boolean(), { nullable: false, serverDefault: sa.sql("true") }),
  sa.column("created_at", sa.dateTime({ timezone: true }), { nullable: false, serverDefault: sa.sql("CURRENT_TIMESTAMP") }),
  sa.column("phone_number", sa.string(20), { nullable: true }),
  sa.column("profile_picture_url", sa.string(500), { nullable: true }),
  sa.column("first_name", sa.string(50), { nullable: false }),
  sa.column("last_name", sa.string(50), { nullable: true }),
  sa.index("ix_users_phone_number", ["phone_number"]),
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

export const orderStatusHistory = sa.table(
  "order_status_history",
  sa.column("id", sa.integer(), { primaryKey: true, autoincrement: true }),
  sa.column("order_id", sa.integer(), { nullable: false }),
  sa.column("old_status", sa.string(20), { nullable: true }),
  sa.column("new_status", sa.string(20), { nullable: false }),
  sa.column("changed_at", sa.dateTime({ timezone: true }), { nullable: false, serverDefault: sa.sql("CURRENT_TIMESTAMP") }),
  sa.foreignKey(["order_id"], "orders", ["id"], { onDelete: "CASCADE" }),
  sa.index("ix_order_status_history_order_id", ["order_id"]),
);
