/**
 * The lint engine: walks recorded revisions in upgrade order, keeps the facts the operations
 * establish (tables created, constraints added NOT VALID and validated), evaluates every rule on every
 * action of the revisions being reported, and applies suppressions.
 *
 * Suppressions (a reason is required):
 * - per operation: a comment on the line before the `op.*` call
 *     `// athanor-lint-disable-next-line rule-id[, other-id] -- why this is safe`
 * - per revision: `export const lintAllow = { "rule-id": "why this is safe" };`
 */
import type { DialectName } from "../dialects/types.js";
import type { RecordedEntry, RecordedRevision } from "./record.js";
import { META_RULES, RULES, ruleById, type Breakage, type LintRule, type RuleContext, type Severity } from "./rules.js";

export interface Finding {
  readonly rule: string;
  readonly severity: Severity;
  readonly dialect: DialectName;
  readonly revision: string;
  readonly message: string;
  readonly file: string;
  readonly line: number | null;
  readonly summary: string;
  readonly why: string;
  readonly breaks: readonly Breakage[];
  readonly safe: string;
  readonly docs: string;
  /** Set when a suppression with a reason covers the finding (it then does not count). */
  readonly suppressed: { readonly reason: string; readonly by: "comment" | "lintAllow" } | null;
}

export interface LintOptions {
  readonly dialect: DialectName;
  /** Revisions to report on (others only contribute facts); default: all given. */
  readonly report?: ReadonlySet<string>;
  /**
   * The reported revisions are applied together (pending revisions of one deploy): a table created by
   * an earlier one counts as new for the later ones. Default true.
   */
  readonly rangeIsOneDeploy?: boolean;
  /** Only these rule ids (default: all). */
  readonly rules?: readonly string[];
}

export const DOCS_PATH = "docs/lint-rules.md";

export function docsLink(ruleId: string): string {
  return `${DOCS_PATH}#${ruleId}`;
}

interface Disable {
  readonly line: number;
  readonly rules: readonly string[];
  readonly reason: string;
  /** Lines covered: the statement starting on the next code line. */
  readonly from: number;
  readonly to: number;
}

const DISABLE_RE = /\/\/\s*athanor-lint-disable-next-line\b(.*)$/;

/** Parse `// athanor-lint-disable-next-line a, b -- reason` comments of a file. */
export function parseDisables(source: readonly string[]): Disable[] {
  const out: Disable[] = [];
  source.forEach((text, i) => {
    const m = DISABLE_RE.exec(text);
    if (!m) return;
    const rest = m[1] ?? "";
    const sep = rest.indexOf("--");
    const list = (sep === -1 ? rest : rest.slice(0, sep)).split(/[\s,]+/).filter(Boolean);
    const reason = sep === -1 ? "" : rest.slice(sep + 2).trim();
    // The covered statement: from the next non-blank, non-comment line until its brackets close.
    let from = i + 1;
    while (from < source.length && /^\s*(\/\/.*)?$/.test(source[from]!)) from++;
    let depth = 0;
    let to = from;
    for (; to < source.length; to++) {
      const code = source[to]!.replace(/\/\/.*$/, "").replace(/(["'`])(?:\\.|(?!\1).)*\1/g, "");
      for (const ch of code) {
        if (ch === "(" || ch === "[" || ch === "{") depth++;
        else if (ch === ")" || ch === "]" || ch === "}") depth--;
      }
      if (depth <= 0 && (/[;)]\s*$/.test(code) || depth < 0)) break;
    }
    out.push({ line: i + 1, rules: list, reason, from: from + 1, to: Math.min(to, source.length - 1) + 1 });
  });
  return out;
}

function finding(
  rule: Omit<LintRule, "check">, rev: RecordedRevision, line: number | null, message: string,
  suppressed: Finding["suppressed"] = null,
): Finding {
  return {
    rule: rule.id, severity: rule.severity, dialect: rev.dialect, revision: rev.revision, message,
    file: rev.path, line, summary: rule.summary, why: rule.why, breaks: rule.breaks, safe: rule.safe,
    docs: docsLink(rule.id), suppressed,
  };
}

const META = (id: string) => META_RULES.find((r) => r.id === id)!;

/** Lint recorded revisions (in upgrade order). */
export function lintRecorded(revisions: readonly RecordedRevision[], options: LintOptions): Finding[] {
  const dialect = options.dialect;
  const report = options.report ?? new Set(revisions.map((r) => r.revision));
  const oneDeploy = options.rangeIsOneDeploy ?? true;
  const wanted = options.rules ? new Set(options.rules) : null;
  const rules = RULES.filter((r) => r.dialects.includes(dialect) && (!wanted || wanted.has(r.id)));
  const findings: Finding[] = [];

  const rangeNew = new Set<string>();
  const validatedNotNull = new Set<string>();
  /** NOT VALID constraints by name: table, checked column, and where they were added. */
  const notValid = new Map<string, { table: string; notNullColumn: string | null; revision: string; segment: number }>();

  for (const rev of revisions) {
    const reporting = report.has(rev.revision);
    const revNew = new Set<string>();
    let lockTimeout = rev.lockTimeout !== null;
    const once = new Set<string>();
    const raw: { rule: LintRule | Omit<LintRule, "check">; line: number | null; message: string }[] = [];

    const isNewTable = (t: string) => revNew.has(t) || (oneDeploy && reporting && rangeNew.has(t));
    for (const entry of rev.entries) {
      const a = entry.action;
      if (reporting) {
        const ctx: RuleContext = {
          dialect, action: a, isNewTable, inAutocommit: entry.autocommit, hasLockTimeout: lockTimeout, validatedNotNull,
          addedNotValidInSameTransaction: (name) => {
            const c = notValid.get(name);
            return !!c && c.revision === rev.revision && c.segment === entry.segment && !entry.autocommit;
          },
        };
        for (const rule of rules) {
          if (rule.oncePerRevision && once.has(rule.id)) continue;
          const message = rule.check(ctx);
          if (message === null) continue;
          if (rule.oncePerRevision) once.add(rule.id);
          raw.push({ rule, line: entry.line, message });
        }
      }
      applyFacts(entry, rev, { revNew, rangeNew: reporting && oneDeploy ? rangeNew : null, validatedNotNull, notValid });
      if (a.kind === "setTimeout" && a.which === "lock") lockTimeout = true;
    }
    if (!reporting) continue;
    if (rev.error) {
      raw.push({ rule: META("lint-incomplete"), line: rev.error.line, message: `upgrade() threw while being analysed: ${rev.error.message}` });
    }
    findings.push(...suppress(rev, raw));
  }
  return findings;
}

function applyFacts(
  entry: RecordedEntry, rev: RecordedRevision,
  f: {
    revNew: Set<string>; rangeNew: Set<string> | null; validatedNotNull: Set<string>;
    notValid: Map<string, { table: string; notNullColumn: string | null; revision: string; segment: number }>;
  },
): void {
  const a = entry.action;
  switch (a.kind) {
    case "createTable":
      f.revNew.add(a.table);
      f.rangeNew?.add(a.table);
      break;
    case "renameTable":
      if (f.revNew.has(a.table)) f.revNew.add(a.newName);
      if (f.rangeNew?.has(a.table)) f.rangeNew.add(a.newName);
      break;
    case "dropTable":
      f.revNew.delete(a.table);
      f.rangeNew?.delete(a.table);
      break;
    case "addConstraint":
      if (a.type === "check" && a.notNullColumn) {
        if (a.notValid) {
          if (a.name) f.notValid.set(a.name, { table: a.table, notNullColumn: a.notNullColumn, revision: rev.revision, segment: entry.segment });
        } else {
          f.validatedNotNull.add(`${a.table}.${a.notNullColumn}`);
        }
      } else if (a.notValid && a.name) {
        f.notValid.set(a.name, { table: a.table, notNullColumn: null, revision: rev.revision, segment: entry.segment });
      }
      break;
    case "validateConstraint": {
      const c = f.notValid.get(a.name);
      if (c?.notNullColumn) f.validatedNotNull.add(`${c.table}.${c.notNullColumn}`);
      break;
    }
    case "addColumn":
      // A column added NOT NULL is NOT NULL: later SET NOT NULL on it is a no-op.
      if (!a.nullable) f.validatedNotNull.add(`${a.table}.${a.column}`);
      break;
    default:
      break;
  }
}

function suppress(
  rev: RecordedRevision,
  raw: { rule: Omit<LintRule, "check">; line: number | null; message: string }[],
): Finding[] {
  const out: Finding[] = [];
  const disables = parseDisables(rev.source);
  for (const [ruleId, reason] of Object.entries(rev.lintAllow)) {
    if (!reason.trim()) {
      out.push(finding(META("suppression-without-reason"), rev, null, `lintAllow["${ruleId}"] has no reason`));
    } else if (!ruleById(ruleId)) {
      out.push(finding(META("suppression-without-reason"), rev, null, `lintAllow names an unknown rule "${ruleId}"`));
    }
  }
  for (const d of disables) {
    if (!d.reason) out.push(finding(META("suppression-without-reason"), rev, d.line, `athanor-lint-disable-next-line ${d.rules.join(", ")} has no reason (add "-- why")`));
    if (d.rules.length === 0) out.push(finding(META("suppression-without-reason"), rev, d.line, "athanor-lint-disable-next-line names no rule"));
  }
  for (const r of raw) {
    const allow = rev.lintAllow[r.rule.id];
    if (allow && allow.trim()) {
      out.push(finding(r.rule, rev, r.line, r.message, { reason: allow.trim(), by: "lintAllow" }));
      continue;
    }
    const d = r.line === null ? undefined : disables.find((x) => x.reason && r.line! >= x.from && r.line! <= x.to && (x.rules.includes(r.rule.id) || x.rules.includes("all")));
    out.push(finding(r.rule, rev, r.line, r.message, d ? { reason: d.reason, by: "comment" } : null));
  }
  return out;
}

/** Findings that count (not suppressed). */
export function activeFindings(findings: readonly Finding[]): Finding[] {
  return findings.filter((f) => f.suppressed === null);
}

export function hasErrors(findings: readonly Finding[]): boolean {
  return findings.some((f) => f.suppressed === null && f.severity === "error");
}
