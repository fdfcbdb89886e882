/**
 * `athanor check`: does the database at head match the schema? (Alembic's `check`: would
 * autogenerate write any upgrade operation?)
 */
import { AutogenerateError, type SchemaDifference } from "../autogenerate/types.js";
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

/** `athanor check [--format json]`: print the result; throw when there are differences. */
export async function runCheckCommand(project: Project, format: string): Promise<void> {
  const write = (line: string) => process.stdout.write(line + "\n");
  let result: CheckResult;
  try {
    result = await check(project);
  } catch (error) {
    if (format === "json" && error instanceof AutogenerateError && error.message === "Target database is not up to date.") {
      write(JSON.stringify({ status: "outdated", message: error.message, differences: [] }, null, 2));
    }
    throw error;
  }
  if (format === "json") {
    write(
      JSON.stringify(
        {
          status: result.upToDate ? "ok" : "changes",
          message: result.upToDate ? "No new upgrade operations detected." : "New upgrade operations detected.",
          differences: result.differences,
        },
        null,
        2,
      ),
    );
  } else if (result.upToDate) {
    write("No new upgrade operations detected.");
  } else {
    for (const line of checkLines(result)) write(line);
  }
  if (!result.upToDate) {
    const n = result.differences.length;
    throw new CheckFailedError(
      `New upgrade operations detected: ${n} difference${n === 1 ? "" : "s"} (${result.differences.map((d) => d.message).join("; ")})`,
    );
  }
}
