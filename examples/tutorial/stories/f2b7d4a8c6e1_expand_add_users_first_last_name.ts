/**
 * expand: add users.first_name and users.last_name
 *
 * Revision ID: f2b7d4a8c6e1
 * Revises: e6a3c9d7f2b8
 * Create Date: 2026-04-02 09:00:00.000000
 */
import { type Op, sa } from "athanor";

export const revision = "f2b7d4a8c6e1";
export const downRevision: string | string[] | null = "e6a3c9d7f2b8";
export const branchLabels: string[] | null = null;
export const dependsOn: string[] | null = null;
export const lockTimeout = "5s";

// Splitting username ("alice_smith") into first_name/last_name, step 1 of 3:
// the new columns, nullable, so existing writers keep working.
export async function upgrade(op: Op): Promise<void> {
  await op.addColumn("users", sa.column("first_name", sa.string(50), { nullable: true }));
  await op.addColumn("users", sa.column("last_name", sa.string(50), { nullable: true }));
}

export async function downgrade(op: Op): Promise<void> {
  await op.dropColumn("users", "last_name");
  await op.dropColumn("users", "first_name");
}
