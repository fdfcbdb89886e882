/**
 * add order_status_history
 *
 * Revision ID: b7d2e9f4a6c1
 * Revises: 9c3e5f8a1d2b
 * Create Date: 2026-03-12 10:15:00.000000
 */
import { type Op, sa } from "athanor";

export const revision = "b7d2e9f4a6c1";
export const downRevision: string | string[] | null = "9c3e5f8a1d2b";
export const branchLabels: string[] | null = null;
export const dependsOn: string[] | null = null;

// An audit table: one row per status change of an order; it goes when its order goes.
export async function upgrade(op: Op): Promise<void> {
  await op.createTable(
    "order_status_history",
    sa.column("id", sa.integer(), { primaryKey: true, autoincrement: true }),
    sa.column("order_id", sa.integer(), { nullable: false }),
    sa.column("old_status", sa.string(20), { nullable: true }),
    sa.column("new_status", sa.string(20), { nullable: false }),
    sa.column("changed_at", sa.dateTime({ timezone: true }), { nullable: false, serverDefault: sa.sql("now()") }),
    sa.foreignKey(["order_id"], "orders", ["id"], { onDelete: "CASCADE" }),
  );
  await op.createIndex("ix_order_status_history_order_id", "order_status_history", ["order_id"]);
}

export async function downgrade(op: Op): Promise<void> {
  await op.dropTable("order_status_history");
}
