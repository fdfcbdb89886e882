/** `docs/lint-rules.md`, generated from the rule data (a unit test keeps the file in sync). */
import { META_RULES, RULES, type LintRule } from "./rules.js";

const DIALECT_NAMES: Record<string, string> = { postgresql: "PostgreSQL", mysql: "MySQL/MariaDB", sqlite: "SQLite" };

function section(rule: Omit<LintRule, "check">): string {
  return [
    `## ${rule.id}`,
    "",
    `**Severity:** ${rule.severity} · **Dialects:** ${rule.dialects.map((d) => DIALECT_NAMES[d] ?? d).join(", ")}` +
      (rule.breaks.length ? ` · **Breaks:** ${rule.breaks.join(", ")}` : ""),
    "",
    rule.summary,
    "",
    `**Why it breaks a zero-downtime deploy.** ${rule.why}`,
    "",
    `**Safe alternative.** ${rule.safe}`,
    "",
    "Flagged:",
    "",
    "```ts",
    rule.bad,
    "```",
    "",
    "Safe:",
    "",
    "```ts",
    rule.good,
    "```",
    "",
  ].join("\n");
}

export function renderRuleDocs(): string {
  const all = [...RULES, ...META_RULES];
  return [
    "# athanor lint rules",
    "",
    "<!-- Generated from src/lint/rules.ts by renderRuleDocs(); do not edit by hand. -->",
    "",
    "`athanor lint` runs each revision's `upgrade(op)` offline against a recording `op`, turns every operation and every",
    "statement of raw SQL (`op.execute`, parsed with the real PostgreSQL parser) into actions, and checks them against",
    "the rules below for the target dialect. Findings name the revision file and the line of the `op.*` call.",
    "",
    "Exit status: 1 when an error-severity finding is not suppressed; warnings and infos are reported only.",
    "",
    "Suppress a finding, with a reason (required):",
    "",
    "```ts",
    "// athanor-lint-disable-next-line drop-column -- contract phase: no code reads users.username since v42",
    'await op.dropColumn("users", "username");',
    "",
    "// or for the whole revision:",
    'export const lintAllow = { "drop-column": "contract phase: no code reads users.username since v42" };',
    "```",
    "",
    "Per-revision timeouts (applied by `upgrade` around the revision's statements):",
    "",
    "```ts",
    'export const lockTimeout = "5s";       // PostgreSQL lock_timeout, MySQL lock_wait_timeout, SQLite busy_timeout',
    'export const statementTimeout = "60s"; // PostgreSQL statement_timeout, MariaDB max_statement_time',
    "```",
    "",
    "| rule | severity | dialects | summary |",
    "|---|---|---|---|",
    ...all.map((r) => `| [${r.id}](#${r.id}) | ${r.severity} | ${r.dialects.map((d) => DIALECT_NAMES[d] ?? d).join(", ")} | ${r.summary} |`),
    "",
    ...all.map(section),
  ].join("\n");
}
