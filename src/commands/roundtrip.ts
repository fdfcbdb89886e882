/**
 * `athanor test`: round-trip checks of the whole revision graph on a throwaway database
 * (see src/testing/run.ts). Prints the report (text or JSON) on stdout, optionally writes a JUnit
 * XML file, and fails (exit 1) when a check failed.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { failureSummary, junitXml, textReport } from "../testing/report.js";
import { testMigrations } from "../testing/run.js";
import type { TestReport } from "../testing/types.js";
import { UsageError } from "../util/errors.js";
import type { Project } from "./project.js";

export interface TestCommandOptions {
  /** Comma-separated checks to run. */
  only?: string;
  /** Comma-separated checks to leave out. */
  skip?: string;
  /** Comma-separated expected heads (instead of exactly one). */
  heads?: string;
  format?: string;
  /** Path of a JUnit XML report to write. */
  junit?: string;
  keepDatabase?: boolean;
  verbose?: boolean;
}

export class MigrationTestFailed extends Error {
  override name = "MigrationTestFailed";
  constructor(
    message: string,
    readonly report: TestReport,
  ) {
    super(message);
  }
}

export async function runTestCommand(
  project: Project,
  opts: TestCommandOptions,
  write: (text: string) => void = (text) => void process.stdout.write(text),
): Promise<TestReport> {
  const format = opts.format ?? "text";
  if (format !== "text" && format !== "json") throw new UsageError(`--format must be text or json, not '${format}'`);
  if (opts.junit !== undefined && opts.junit.trim() === "") throw new UsageError("--junit needs a file path");
  const report = await testMigrations({
    project,
    only: opts.only,
    skip: opts.skip,
    heads: opts.heads,
    keepDatabase: opts.keepDatabase,
    verbose: opts.verbose,
    handleSignals: true,
  });
  if (opts.junit) {
    const path = resolve(project.config.cwd, opts.junit);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, junitXml(report));
  }
  write(format === "json" ? JSON.stringify(report, null, 2) + "\n" : textReport(report));
  if (!report.ok) throw new MigrationTestFailed(failureSummary(report), report);
  return report;
}
