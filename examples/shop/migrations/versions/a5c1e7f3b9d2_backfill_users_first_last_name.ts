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

// Step 2 of 3: the rows written before the expand step's trigger existed. The same split as the
// trigger (at the first underscore; no underscore: no last name):
//   alice_smith -> alice / smith   mary_jane_watson -> mary / jane_watson   bob -> bob / NULL
//
// op.backfill updates in primary-key batches of 1,000 rows, each its own short transaction, so no
// statement holds row locks on the whole table while the application keeps writing; an interrupted
// run resumes where it stopped. Rows inserted meanwhile are already filled by the trigger.

type Dialect = Op["dialect"];

function underscoreIn(dialect: Dialect, s: string): string {
  if (dialect === "postgresql") return `strpos(${s}, '_')`;
  if (dialect === "mysql") return `LOCATE('_', ${s})`;
  return `instr(${s}, '_')`;
}

export async function upgrade(op: Op): Promise<void> {
  const at = underscoreIn(op.dialect, "username");
  await op.backfill("users", {
    set: {
      first_name: `CASE WHEN ${at} = 0 THEN username ELSE substr(username, 1, ${at} - 1) END`,
      last_name: `CASE WHEN ${at} = 0 THEN NULL ELSE substr(username, ${at} + 1) END`,
    },
    where: "first_name IS NULL AND username IS NOT NULL",
    batchSize: 1000,
  });
}

export async function downgrade(_op: Op): Promise<void> {
  // Nothing to undo: the step only derived first_name/last_name from username, which is still
  // there and unchanged; the expand step's schema accepts the filled columns, and running this
  // step again finds nothing left to do.
}
