/**
 * Record what a revision does without a database: load the revision module and run `upgrade(op)`
 * against a recording `op` that compiles and executes nothing (`op.query` returns no rows), noting for
 * each operation the line of the `op.*` call in the revision file (from the call stack).
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { DialectName, Statement } from "../dialects/types.js";
import type { BackfillOptions, BackfillResult } from "../operations/backfill.js";
import type { OpExecutor } from "../operations/executor.js";
import { Operations } from "../operations/operations.js";
import type { Operation } from "../operations/ops.js";
import type { ExecuteParams } from "../operations/params.js";
import type { SqlExpression } from "../schema/types.js";
import { deepFreeze } from "../schema/builders.js";
import { loadRevisionModule } from "../script/versions.js";
import { actionsOfOperation, type Action } from "./actions.js";
import { actionsOfSql, loadSqlParser, notNullColumnOfCondition } from "./sql.js";

export interface RecordedEntry {
  readonly action: Action;
  /** `op.*` method that produced it (`execute`, `addColumn`, `batchAlterTable`, `backfill`, ...). */
  readonly via: string;
  /** Line of the call in the revision file; null when it could not be found in the stack. */
  readonly line: number | null;
  /** Inside `op.autocommitBlock`. */
  readonly autocommit: boolean;
  /** Transaction segment: changes at each autocommit block boundary. */
  readonly segment: number;
}

export interface RecordedRevision {
  readonly revision: string;
  readonly message: string;
  readonly path: string;
  readonly dialect: DialectName;
  readonly entries: RecordedEntry[];
  /** `export const lintAllow = { "rule-id": "reason" }`. */
  readonly lintAllow: Readonly<Record<string, string>>;
  readonly lockTimeout: string | null;
  readonly statementTimeout: string | null;
  /** upgrade() threw: the message and the line. */
  readonly error: { message: string; line: number | null } | null;
  /** The file's lines (for suppression comments). */
  readonly source: readonly string[];
}

const noRows = Promise.resolve([] as Record<string, unknown>[]);

/** Executes nothing: lint records operations, it never touches a database. */
class RecordingExecutor implements OpExecutor {
  readonly offline = true;
  constructor(readonly dialect: DialectName) {}
  async run(_statements: Statement[]): Promise<void> {}
  query(_statement: Statement): Promise<Record<string, unknown>[]> {
    return noRows;
  }
  autocommit<T>(fn: () => Promise<T>): Promise<T> {
    return fn();
  }
}

/** Line of the first stack frame inside `file`. */
export function lineInFile(stack: string | undefined, file: string): number | null {
  if (!stack) return null;
  const candidates = [file, pathToFileURL(file).href];
  for (const frame of stack.split("\n").slice(1)) {
    for (const f of candidates) {
      const i = frame.indexOf(`${f}:`);
      if (i === -1) continue;
      const m = /^:(\d+)(?::\d+)?/.exec(frame.slice(i + f.length));
      if (m) return Number(m[1]);
    }
  }
  return null;
}

/** Line of the innermost call from `file` on the current stack (structured call sites: no stack text is formatted). */
function callerLine(file: string): number | null {
  const limit = Error.stackTraceLimit;
  const prepare = Error.prepareStackTrace;
  Error.stackTraceLimit = 60;
  Error.prepareStackTrace = (_error, sites) => sites;
  try {
    const holder: { stack?: NodeJS.CallSite[] } = {};
    Error.captureStackTrace(holder, callerLine);
    const fileUrl = pathToFileURL(file).href;
    for (const site of holder.stack ?? []) {
      const name = site.getFileName();
      if (name === file || name === fileUrl) return site.getLineNumber();
    }
    return null;
  } finally {
    Error.stackTraceLimit = limit;
    Error.prepareStackTrace = prepare;
  }
}

/** The `op` a revision receives under lint: records actions, runs nothing. */
export class LintOperations extends Operations {
  readonly entries: RecordedEntry[] = [];
  private autocommitDepth = 0;
  private segment = 0;

  constructor(dialect: DialectName, private readonly file: string) {
    super(new RecordingExecutor(dialect));
  }

  private record(actions: Action[], via: string, line: number | null): void {
    for (const action of actions) {
      this.entries.push({ action, via, line, autocommit: this.autocommitDepth > 0, segment: this.segment });
    }
  }

  override async invoke(op: Operation): Promise<void> {
    deepFreeze(op);
    this.log.push(op);
    const line = callerLine(this.file);
    if (op.kind === "execute") {
      this.record(actionsOfSql(op.sql, op.params, this.dialect), "execute", line);
      return;
    }
    let actions = actionsOfOperation(op);
    if (op.kind === "createCheckConstraint") {
      actions = actions.map((a) =>
        a.kind === "addConstraint" && a.notNullColumn === null ? { ...a, notNullColumn: notNullColumnOfCondition(op.condition) } : a,
      );
    }
    this.record(actions, op.kind, line);
  }

  override async query<T extends Record<string, unknown> = Record<string, unknown>>(
    _sql: string | SqlExpression,
    _params?: ExecuteParams,
  ): Promise<T[]> {
    return [];
  }

  override async autocommitBlock<T>(fn: () => Promise<T>): Promise<T> {
    this.autocommitDepth++;
    this.segment++;
    try {
      return await fn();
    } finally {
      this.autocommitDepth--;
      this.segment++;
    }
  }

  override async backfill(table: string, _options: BackfillOptions): Promise<BackfillResult> {
    this.record([{ kind: "backfill", table }], "backfill", callerLine(this.file));
    return { rows: 0, batches: 0, resumed: false };
  }
}

function stringExport(mod: Record<string, unknown>, name: string): string | null {
  const v = mod[name];
  if (v === undefined || v === null) return null;
  return typeof v === "number" ? `${v}ms` : String(v);
}

/** Run a revision's `upgrade` offline for `dialect` and record what it does. */
export async function recordRevision(
  rev: { revision: string; message: string; path: string },
  dialect: DialectName,
): Promise<RecordedRevision> {
  await loadSqlParser();
  const path = resolve(rev.path);
  let source: string[] = [];
  try {
    source = readFileSync(path, "utf8").split(/\r?\n/);
  } catch {
    source = [];
  }
  const op = new LintOperations(dialect, path);
  let error: RecordedRevision["error"] = null;
  let mod: Record<string, unknown> = {};
  try {
    mod = (await loadRevisionModule(path)) as Record<string, unknown>;
    const context = { dialect, offline: true, direction: "up" as const, x: {}, tag: undefined, lint: true };
    await (mod.upgrade as (op: Operations, ctx: unknown) => Promise<void>)(op, context);
  } catch (e) {
    const err = e as Error;
    error = { message: (err?.message ?? String(e)).split("\n")[0] ?? "", line: lineInFile(err?.stack, path) };
  }
  const allow = mod.lintAllow;
  const lintAllow: Record<string, string> = {};
  if (allow && typeof allow === "object") {
    for (const [k, v] of Object.entries(allow as Record<string, unknown>)) lintAllow[k] = typeof v === "string" ? v : "";
  }
  return {
    revision: rev.revision,
    message: rev.message,
    path,
    dialect,
    entries: op.entries,
    lintAllow,
    lockTimeout: stringExport(mod, "lockTimeout"),
    statementTimeout: stringExport(mod, "statementTimeout"),
    error,
    source,
  };
}
