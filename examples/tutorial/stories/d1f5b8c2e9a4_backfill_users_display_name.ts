/**
 * backfill users.display_name from full_name
 *
 * Revision ID: d1f5b8c2e9a4
 * Revises: c4e8a1b3d5f7
 * Create Date: 2026-03-20 09:05:00.000000
 */
import type { Op } from "athanor";

export const revision = "d1f5b8c2e9a4";
export const downRevision: string | string[] | null = "c4e8a1b3d5f7";
export const branchLabels: string[] | null = null;
export const dependsOn: string[] | null = null;

const BATCH = 1000;

// Step 2 of 3: copy the rows written before the trigger existed, in batches of 1,000 so that
// no statement holds row locks on the whole table (each batch is one short UPDATE).
// `upgrade --sql` can't loop on what the database answers: there it prints one UPDATE.
export async function upgrade(op: Op): Promise<void> {
  if (op.offline) {
    await op.execute("UPDATE users SET display_name = full_name WHERE display_name IS DISTINCT FROM full_name");
    return;
  }
  for (;;) {
    const rows = await op.query(
      `WITH batch AS (
         SELECT id FROM users WHERE display_name IS DISTINCT FROM full_name ORDER BY id LIMIT ?
       )
       UPDATE users SET display_name = users.full_name FROM batch WHERE users.id = batch.id RETURNING users.id`,
      [BATCH],
    );
    if (rows.length < BATCH) break;
  }
}

export async function downgrade(_op: Op): Promise<void> {
  // A pure data step: both columns still exist and agree, nothing to undo.
}
