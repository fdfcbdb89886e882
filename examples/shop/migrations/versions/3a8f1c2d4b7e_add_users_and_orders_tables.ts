/**
 * add users and orders tables
 *
 * Revision ID: 3a8f1c2d4b7e
 * Revises:
 * Create Date: 2026-03-01 09:00:00.000000
 */
import { type Op, sa } from "athanor";

export const revision = "3a8f1c2d4b7e";
export const downRevision: string | string[] | null = null;
export const branchLabels: string[] | null = null;
export const dependsOn: string[] | null = null;

export async function upgrade(op: Op): Promise<void> {
  await op.createTable(
    "users",
    sa.column("id", sa.integer(), { primaryKey: true, autoincrement: true }),
    sa.column("username", sa.string(50), { nullable: false, unique: true }),
    sa.column("email", sa.string(255), { nullable: false, unique: true }),
    sa.column("full_name", sa.string(100), { nullable: true }),
    sa.column("is_active", sa.boolean(), { nullable: false, serverDefault: sa.sql("true") }),
    sa.column("created_at", sa.dateTime({ timezone: true }), { nullable: false, serverDefault: sa.sql("CURRENT_TIMESTAMP") }),
  );
  await op.createTable(
    "orders",
    sa.column("id", sa.integer(), { primaryKey: true, autoincrement: true }),
    sa.column("user_id", sa.integer(), { nullable: false }),
    sa.column("total_amount", sa.numeric(10, 2), { nullable: false }),
    sa.column("status", sa.string(20), { nullable: false, serverDefault: "pending" }),
    sa.column("created_at", sa.dateTime({ timezone: true }), { nullable: false, serverDefault: sa.sql("CURRENT_TIMESTAMP") }),
    sa.foreignKey(["user_id"], "users", ["id"], { onDelete: "CASCADE" }),
  );
  await op.createIndex("ix_orders_user_id", "orders", ["user_id"]);
}

export async function downgrade(op: Op): Promise<void> {
  // Dropping the table drops its indexes too (MySQL refuses to drop an index its FK still uses).
  await op.dropTable("orders");
  await op.dropTable("users");
}
