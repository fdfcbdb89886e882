/**
 * `athanor test`: the round-trip checks of a project's revision graph against a throwaway database,
 * as data. See ./run.ts for what each check does.
 */
import type { DialectName } from "../dialects/types.js";

/** The checks, in the order they are reported. */
export const CHECK_NAMES = ["single-head", "upgrade", "schema-matches", "up-down", "downgrade-no-trace", "data"] as const;
export type CheckName = (typeof CHECK_NAMES)[number];

export type CheckStatus = "pass" | "fail" | "skip";

/** The revision a failure is about. */
export interface RevisionRef {
  revision: string;
  message: string;
  /** Absolute path of the revision file. */
  path: string;
}

export interface CheckResult {
  name: CheckName;
  status: CheckStatus;
  /**
   * One line: what was checked (pass), why it was skipped (skip), or what went wrong (fail),
   * e.g. `revision 9c3e5f8a1d2b (add phone_number to users): downgrade left 1 difference: ...`.
   */
  message: string;
  /** The first failing revision (fail). */
  revision?: RevisionRef;
  /**
   * The readable difference (fail): for downgrade-no-trace `+ table users: index ix (c)` lines
   * (`-` present before the upgrade, missing after the downgrade; `+` the other way round);
   * for schema-matches autogenerate's `Detected ...` messages.
   */
  diff?: string[];
  /** Time spent on this check (steps shared by several checks count for the first of them). */
  durationMs: number;
}

export interface TestReport {
  /** No check failed. */
  ok: boolean;
  dialect: DialectName;
  /** The throwaway database (redacted URL; a file path on SQLite). */
  database: string;
  /** Whether the throwaway database is still there (`keepDatabase`). */
  kept: boolean;
  /** Number of revisions in the graph. */
  revisions: number;
  checks: CheckResult[];
  durationMs: number;
}
