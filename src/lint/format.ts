/** Rendering lint findings: human text, JSON, and GitHub Actions workflow commands. */
import { isAbsolute, relative } from "node:path";
import type { Finding } from "./engine.js";

export type LintFormat = "text" | "json" | "github";

export function displayPath(path: string, cwd = process.cwd()): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel : path;
}

function where(f: Finding, cwd?: string): string {
  return `${displayPath(f.file, cwd)}${f.line === null ? "" : `:${f.line}`}`;
}

export interface LintSummary {
  revisions: number;
  errors: number;
  warnings: number;
  infos: number;
  suppressed: number;
}

export function summarize(findings: readonly Finding[], revisions: number): LintSummary {
  const active = findings.filter((f) => f.suppressed === null);
  return {
    revisions,
    errors: active.filter((f) => f.severity === "error").length,
    warnings: active.filter((f) => f.severity === "warning").length,
    infos: active.filter((f) => f.severity === "info").length,
    suppressed: findings.length - active.length,
  };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

export function summaryLine(s: LintSummary, dialect: string): string {
  return (
    `athanor lint (${dialect}): ${plural(s.revisions, "revision")} checked, ${plural(s.errors, "error")}, ${plural(s.warnings, "warning")}` +
    `${s.infos ? `, ${s.infos} info` : ""}${s.suppressed ? `, ${s.suppressed} suppressed` : ""}`
  );
}

/** One finding in text form (several lines). */
export function formatFindingText(f: Finding, cwd?: string): string {
  return [
    `${where(f, cwd)}: ${f.severity} [${f.rule}] ${f.message} (revision ${f.revision})`,
    `    why: ${f.breaks.length ? `${f.breaks.join(", ")}: ` : ""}${f.why}`,
    `    safe alternative: ${f.safe}`,
    `    docs: ${f.docs}`,
  ].join("\n");
}

export function formatText(findings: readonly Finding[], summary: LintSummary, dialect: string, cwd?: string): string {
  const lines: string[] = [];
  for (const f of findings) if (f.suppressed === null) lines.push(formatFindingText(f, cwd), "");
  lines.push(summaryLine(summary, dialect));
  return lines.join("\n") + "\n";
}

function escapeData(s: string): string {
  return s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

/** GitHub Actions workflow commands: `::error file=...,line=...,title=...::message`. */
export function formatGithub(findings: readonly Finding[], summary: LintSummary, dialect: string, cwd?: string): string {
  const lines: string[] = [];
  for (const f of findings) {
    if (f.suppressed !== null) continue;
    const level = f.severity === "error" ? "error" : f.severity === "warning" ? "warning" : "notice";
    const props = [`file=${escapeProperty(displayPath(f.file, cwd))}`];
    if (f.line !== null) props.push(`line=${f.line}`);
    props.push(`title=${escapeProperty(`athanor lint ${f.rule}`)}`);
    const body = `${f.message}. Why: ${f.why} Safe alternative: ${f.safe} (${f.docs})`;
    lines.push(`::${level} ${props.join(",")}::${escapeData(body)}`);
  }
  lines.push(summaryLine(summary, dialect));
  return lines.join("\n") + "\n";
}

export function formatJson(findings: readonly Finding[], summary: LintSummary, dialect: string, cwd?: string): string {
  return (
    JSON.stringify(
      { dialect, summary, findings: findings.map((f) => ({ ...f, file: displayPath(f.file, cwd) })) },
      null,
      2,
    ) + "\n"
  );
}

export function formatFindings(format: LintFormat, findings: readonly Finding[], revisions: number, dialect: string, cwd?: string): string {
  const summary = summarize(findings, revisions);
  if (format === "json") return formatJson(findings, summary, dialect, cwd);
  if (format === "github") return formatGithub(findings, summary, dialect, cwd);
  return formatText(findings, summary, dialect, cwd);
}
