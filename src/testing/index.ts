/**
 * The programmatic face of `athanor test`, for node:test, Vitest or Jest:
 *
 *   import { testMigrations, assertMigrations, testDowngradeNoTrace } from "athanor";
 *
 *   test("migrations round-trip", async () => {
 *     await assertMigrations({ cwd: projectDir, url: "postgresql://postgres@localhost/app" });
 *   });
 *   const report = await testMigrations({ cwd, url, only: ["up-down"] });   // report.ok, report.checks
 *   const result = await testDowngradeNoTrace({ cwd, url });                // one CheckResult
 *
 * The URL names the server (its database is only used to connect): each run creates a throwaway
 * database there (SQLite: a temporary file) and drops it afterwards.
 */
import { AssertionError } from "node:assert";
import { failureText } from "./report.js";
import type { TestMigrationsOptions } from "./run.js";
import type { CheckName, CheckResult, TestReport } from "./types.js";

// The runner (drivers, introspection, autogenerate) loads on first use: importing "athanor" stays cheap.
export type { TestMigrationsOptions } from "./run.js";
export { textReport, junitXml, failureSummary, failureText, checkLines } from "./report.js";
export type { SchemaDiff, SchemaDiffEntry } from "./schema-diff.js";
export type { TestDb, DataHookContext, VerifyPhase } from "./session.js";
export { CHECK_NAMES, type CheckName, type CheckResult, type CheckStatus, type RevisionRef, type TestReport } from "./types.js";

/** Run the round-trip checks on a throwaway database; see {@link TestMigrationsOptions}. */
export async function testMigrations(options: TestMigrationsOptions = {}): Promise<TestReport> {
  return (await import("./run.js")).testMigrations(options);
}

/** Thrown by `assertMigrations` (and the per-check functions with `assert: true`): the readable report. */
export class MigrationTestError extends AssertionError {
  readonly report: TestReport;
  constructor(report: TestReport) {
    super({ message: failureText(report) });
    this.name = "MigrationTestError";
    this.report = report;
  }
}

/** `testMigrations`, throwing a {@link MigrationTestError} when a check fails. Returns the report otherwise. */
export async function assertMigrations(options: TestMigrationsOptions = {}): Promise<TestReport> {
  const report = await testMigrations(options);
  if (!report.ok) throw new MigrationTestError(report);
  return report;
}

export type SingleCheckOptions = Omit<TestMigrationsOptions, "only" | "skip"> & {
  /** Throw a MigrationTestError when the check fails (default: return the failed result). */
  assert?: boolean;
};

async function runOne(name: CheckName, options: SingleCheckOptions): Promise<CheckResult> {
  const { assert, ...rest } = options;
  const report = await testMigrations({ ...rest, only: [name] });
  if (assert && !report.ok) throw new MigrationTestError(report);
  return report.checks[0]!;
}

/** The graph has one head (or exactly `heads`). */
export const testSingleHead = (options: SingleCheckOptions = {}) => runOne("single-head", options);
/** Base to head, one revision at a time. */
export const testUpgrade = (options: SingleCheckOptions = {}) => runOne("upgrade", options);
/** At head, the declared schema matches the database. */
export const testSchemaMatches = (options: SingleCheckOptions = {}) => runOne("schema-matches", options);
/** Each revision: upgrade, downgrade, upgrade again. */
export const testUpDown = (options: SingleCheckOptions = {}) => runOne("up-down", options);
/** Each downgrade restores the schema that was there before its upgrade. */
export const testDowngradeNoTrace = (options: SingleCheckOptions = {}) => runOne("downgrade-no-trace", options);
/** The revisions' `seed` / `verify` data hooks. */
export const testData = (options: SingleCheckOptions = {}) => runOne("data", options);
