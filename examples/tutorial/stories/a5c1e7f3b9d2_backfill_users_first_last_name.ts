/**
 * backfill users.first_name and users.last_name from username
 *
 * Revision ID: a5c1e7f3b9d2
 * Revises: f2b7d4a8c6e1
 * Create Date: 2026-04-02 09:05:00.000000
 */
import type { Op } from "athanor";

export const revision = "a5c1e7f3b9d2";
export const downRevision: string | string[] | null = "f2b7d4a8c6e1";
export const branchLabels: string[] | null = null;
export const dependsOn: string[] | null = null;

// Step 2 of 3 (PostgreSQL), in primary-key batches of 5,000 rows, each its own short transaction
// (`upgrade --sql` prints it as one UPDATE). The split is at the FIRST underscore and is exactly
// reversible, so the downgrade of the contract step can rebuild every username:
//   alice_smith -> alice / smith        mary_jane_watson -> mary / jane_watson
//   bob         -> bob   / NULL  (no underscore: no last name)
//   bob_        -> bob   / ''    (trailing underscore: an empty last name)
//   _bob        -> ''    / bob
// and back: username = first_name || COALESCE('_' || last_name, '').
export async function upgrade(op: Op): Promise<void> {
  await op.backfill("users", {
    set: `first_name = split_part(username, '_', 1),
          last_name  = CASE WHEN strpos(username, '_') = 0 THEN NULL
                            ELSE substr(username, strpos(username, '_') + 1) END`,
    where: "first_name IS NULL",
    batchSize: 5000,
  });
}

export async function downgrade(op: Op): Promise<void> {
  // Back to the state right after the expand step (username is still there, nothing is lost).
  await op.backfill("users", { set: { first_name: null, last_name: null }, where: "first_name IS NOT NULL", batchSize: 5000 });
}
