/**
 * `athanor lint [RANGE]`: zero-downtime safety report.
 *
 * Which revisions: by default the ones not applied yet (reads the database's version table), `--all`
 * for every revision, `a:b` for a range (`a` excluded, like `upgrade a:b --sql`), or one `REV`.
 * Earlier revisions are recorded too (not reported): they establish facts such as "this CHECK
 * (x IS NOT NULL) was validated". Each revision's `upgrade(op)` runs offline against a recording
 * `op` for the dialect of the configured URL (or `--dialect`).
 */
import { resolve } from "node:path";
import type { DialectName } from "../dialects/types.js";
import type { MigrationStep, Revision } from "../graph/types.js";
import { lintRecorded, hasErrors, type Finding } from "../lint/engine.js";
import { formatFindings, summarize, displayPath, type LintFormat, type LintSummary } from "../lint/format.js";
import { lintCacheDir, recordRevisionCached } from "../lint/cache.js";
import { recordRevision, type RecordedRevision } from "../lint/record.js";
import { META_RULES, RULES } from "../lint/rules.js";
import { readRevisionHeader } from "../script/header.js";
import { UsageError } from "../util/errors.js";
import type { Logger } from "../util/log.js";
import { Project } from "./project.js";

export interface LintReport {
  dialect: DialectName;
  /** Revisions reported on, in upgrade order. */
  revisions: string[];
  findings: Finding[];
  summary: LintSummary;
  /** An error-severity finding is not suppressed. */
  failed: boolean;
}

export interface LintSelection {
  /** `a:b`, `:b`, `a:`, or one revision. */
  range?: string;
  /** Every revision. */
  all?: boolean;
  /** Default: the dialect of the configured URL. */
  dialect?: DialectName;
  /** Only these rules. */
  rules?: string[];
}

interface Rev {
  revision: string;
  message: string;
  path: string;
}

function dialectOf(project: Project, dialect?: DialectName): DialectName {
  return dialect ?? project.config.url.dialect;
}

/** Every revision in upgrade order (parents first). */
function allInOrder(project: Project): Revision[] {
  const graph = project.graph();
  if (graph.size === 0) return [];
  return graph.planUpgrade([], "heads").map((s) => s.revision);
}

async function run(project: Project, ordered: readonly Rev[], report: ReadonlySet<string>, options: {
  dialect?: DialectName; rangeIsOneDeploy?: boolean; rules?: string[];
}): Promise<LintReport> {
  const dialect = dialectOf(project, options.dialect);
  const recorded: RecordedRevision[] = [];
  const cacheDir = lintCacheDir(project.config.cwd);
  for (const rev of ordered) {
    // Revisions reported on are recorded afresh; the others only give context and may come from the cache.
    recorded.push(report.has(rev.revision) ? await recordRevision(rev, dialect) : await recordRevisionCached(rev, dialect, cacheDir));
  }
  const findings = lintRecorded(recorded, { dialect, report, rangeIsOneDeploy: options.rangeIsOneDeploy ?? true, rules: options.rules });
  const revisions = ordered.filter((r) => report.has(r.revision)).map((r) => r.revision);
  return { dialect, revisions, findings, summary: summarize(findings, revisions.length), failed: hasErrors(findings) };
}

/** Lint the given revisions (ids, Revision objects or plan steps), with every earlier revision as context. */
export async function lintRevisions(
  project: Project,
  revisions: readonly (string | Revision | MigrationStep)[],
  options: { dialect?: DialectName; rangeIsOneDeploy?: boolean; rules?: string[] } = {},
): Promise<LintReport> {
  const ids = new Set(revisions.map((r) => (typeof r === "string" ? r : "revision" in r && typeof r.revision === "string" ? r.revision : (r as MigrationStep).revision.revision)));
  const graph = project.graph();
  const wanted = new Set([...ids].flatMap((id) => graph.resolve(id)));
  const ordered = allInOrder(project);
  // Context: the reported revisions and their ancestors.
  const keep = new Set<string>();
  const stack = [...wanted];
  while (stack.length) {
    const id = stack.pop()!;
    if (keep.has(id)) continue;
    keep.add(id);
    const r = graph.get(id);
    stack.push(...r.parents, ...r.dependencies);
  }
  return run(project, ordered.filter((r) => keep.has(r.revision)), wanted, options);
}

/**
 * For `upgrade`: lint the steps it is about to apply (`graph.planUpgrade(rows, target)`), with the
 * applied revisions as context.
 */
export function lintPlannedSteps(
  project: Project,
  revisions: readonly (string | Revision | MigrationStep)[],
  options: { dialect?: DialectName; rules?: string[] } = {},
): Promise<LintReport> {
  return lintRevisions(project, revisions, { ...options, rangeIsOneDeploy: true });
}

/**
 * For `revision --autogenerate` (or any new file): lint one revision file, with its ancestors as context
 * when it is part of the project's graph.
 */
export async function lintRevisionFile(project: Project, path: string, options: { dialect?: DialectName } = {}): Promise<LintReport> {
  project.refresh();
  const absolute = resolve(path);
  const header = readRevisionHeader(absolute);
  const graph = project.graph();
  if (graph.has(header.revision) && resolve(graph.get(header.revision).path) === absolute) {
    return lintRevisions(project, [header.revision], options);
  }
  return run(project, [{ revision: header.revision, message: header.message, path: absolute }], new Set([header.revision]), options);
}

/** `athanor lint` selection -> report. Default selection (pending revisions) reads the database. */
export async function lint(project: Project, selection: LintSelection = {}): Promise<LintReport> {
  const graph = project.graph();
  const options = { dialect: selection.dialect, rules: selection.rules };
  const ordered = allInOrder(project);
  if (selection.all) {
    // Each revision was (or will be) deployed on its own: tables created earlier are not "new".
    return run(project, ordered, new Set(ordered.map((r) => r.revision)), { ...options, rangeIsOneDeploy: false });
  }
  if (selection.range !== undefined && selection.range !== "") {
    const range = selection.range;
    const i = range.indexOf(":");
    if (i < 0) return lintRevisions(project, graph.resolve(range), { ...options, rangeIsOneDeploy: false });
    const start = range.slice(0, i).trim() || "base";
    const end = range.slice(i + 1).trim() || "heads";
    const steps = graph.planOffline("up", start, end);
    return lintRevisions(project, steps, { ...options, rangeIsOneDeploy: true });
  }
  const { current } = await import("./migrate.js");
  const state = await current(project, { quiet: true });
  const steps = graph.size === 0 ? [] : graph.planUpgrade(state.rows, "heads");
  return lintRevisions(project, steps, { ...options, rangeIsOneDeploy: true });
}

/** Print a report's active findings as WARN lines: `WARN  lint error [rule] file:line: message (docs)`. */
export function warnFindings(report: LintReport, log: Logger): void {
  for (const f of report.findings) {
    if (f.suppressed !== null) continue;
    log.warn(`lint ${f.severity} [${f.rule}] ${displayPath(f.file)}${f.line === null ? "" : `:${f.line}`}: ${f.message} (${f.docs})`);
  }
}

/**
 * For `upgrade`: the runtime calls this with the steps it is about to apply (lock held, plan made).
 * Prints the findings as WARN lines and, with `strict`, refuses (throws) when an error-severity
 * finding remains. A failure of lint itself only warns, unless `strict`.
 */
export async function lintBeforeSteps(
  project: Project,
  steps: readonly MigrationStep[],
  options: { strict?: boolean } = {},
): Promise<LintReport | null> {
  let report: LintReport;
  try {
    report = await lintPlannedSteps(project, steps);
  } catch (error) {
    if (options.strict) throw error;
    project.log.warn(`lint skipped: ${(error as Error).message}`);
    return null;
  }
  warnFindings(report, project.log);
  if (report.failed && options.strict) {
    throw new Error(
      `upgrade refused (--strict): athanor lint found ${report.summary.errors} error(s) in the revisions to apply; ` +
        `fix them, or suppress each with a reason (see docs/lint-rules.md)`,
    );
  }
  return report;
}

// ------------------------------------------------------------------------------------------- CLI

export interface LintCommandOptions {
  all?: boolean;
  dialect?: DialectName;
  format: LintFormat;
  rule: string[];
}

/** The rule table printed by `athanor lint --list-rules`. */
export function ruleListText(): string {
  return [...RULES, ...META_RULES]
    .map((r) => `${r.id.padEnd(34)} ${r.severity.padEnd(8)} ${r.dialects.join(",").padEnd(24)} ${r.summary}\n`)
    .join("");
}

/** `athanor lint [RANGE]`: print the report; throw when error-severity findings remain. */
export async function runLintCommand(project: Project, range: string | undefined, opts: LintCommandOptions): Promise<void> {
  if (opts.all && range) throw new UsageError("give either a range or --all, not both");
  const known = new Set([...RULES, ...META_RULES].map((r) => r.id));
  for (const id of opts.rule) if (!known.has(id)) throw new UsageError(`unknown rule '${id}' (see athanor lint --list-rules)`);
  const report = await lint(project, { range, all: opts.all, dialect: opts.dialect, rules: opts.rule.length ? opts.rule : undefined });
  process.stdout.write(formatFindings(opts.format, report.findings, report.revisions.length, report.dialect));
  if (report.failed) {
    const n = report.summary.errors;
    throw new Error(`lint failed: ${n} error-severity finding${n === 1 ? "" : "s"} not suppressed (fix, or suppress with a reason)`);
  }
}
