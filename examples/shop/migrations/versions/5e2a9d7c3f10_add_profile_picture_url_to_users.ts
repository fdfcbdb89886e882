/**
 * add profile_picture_url to users
 *
 * Revision ID: 5e2a9d7c3f10
 * Revises: b7d2e9f4a6c1
 * Create Date: 2026-03-18 16:40:00.000000
 */
import { type Op, sa } from "athanor";

export const revision = "5e2a9d7c3f10";
export const downRevision: string | string[] | null = "b7d2e9f4a6c1";
export const branchLabels: string[] | null = null;
export const dependsOn: string[] | null = null;

/** How long a statement may wait for a lock on users before the migration gives up (retry the deploy). */
export const lockTimeout = "5s";

// Nullable and without a default: existing rows and the code still running are unaffected.
export async function upgrade(op: Op): Promise<void> {
  await op.addColumn("users", sa.column("profile_picture_url", sa.string(500), { nullable: true }));
}

export async function downgrade(op: Op): Promise<void> {
  await op.dropColumn("users", "profile_picture_url");
}
