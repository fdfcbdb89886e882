/**
 * `athanor check`: does the database at head match the schema? (Alembic's `check`: would
 * autogenerate write any upgrade operation?)
 */
import type { SchemaDifference } from "../autogenerate/types.js";
import { compareDatabase } from "./autogenerate.js";
import type { Project } from "./project.js";

export interface CheckResult {
  /** true: the database matches the schema; autogenerate would write no operation. */
  upToDate: boolean;
  /** What differs (the `Detected ...` lines of autogenerate, without the prefix). */
  differences: SchemaDifference[];
}

export class CheckFailedError extends Error {
  override name = "CheckFailedError";
}

/**
 * Compare the schema modules with the database. Throws "Target database is not up to date." when
 * the database is not at the scripts' head(s). Never asks questions (renames are drop+add here).
 */
export async function check(project: Project): Promise<CheckResult> {
  const { plan } = await compareDatabase(project, { interactive: false });
  return { upToDate: plan.upgradeOps.length === 0, differences: plan.differences };
}

/** The lines `check` prints on stdout, one per difference. */
export function checkLines(result: CheckResult): string[] {
  return result.differences.map((d) => `  - ${d.message}`);
}
