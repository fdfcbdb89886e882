/**
 * backfill users.display_name from full_name
 *
 * Revision ID: d1f5b8c2e9a4
 * Revises: c4e8a1b3d5f7
 * Create Date: 2026-03-20 09:05:00.000000
 */
import { type Op, sa } from "athanor";

export const revision = "d1f5b8c2e9a4";
export const downRevision: string | string[] | null = "c4e8a1b3d5f7";
export const branchLabels: string[] | null = null;
export const dependsOn: string[] | null = null;

// Step 2 of 3: copy the rows written before the trigger existed, in primary-key batches of
// 1,000 rows, each its own short transaction, so no statement holds row locks on the whole table
// (resumable after a failure; `upgrade --sql` prints it as one UPDATE).
export async function upgrade(op: Op): Promise<void> {
  await op.backfill("users", {
    set: { display_name: sa.sql("full_name") },
    where: "display_name IS DISTINCT FROM full_name",
    batchSize: 1000,
  });
}

export async function downgrade(_op: Op): Promise<void> {
  // A pure data step: both columns still exist and agree, nothing to undo.
}
