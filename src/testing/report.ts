/** Renderings of a {@link TestReport}: the text report, JUnit XML, and the one-line failure summary. */
import type { CheckResult, TestReport } from "./types.js";

const LEGEND = "(- before the upgrade, + after the downgrade)";

function seconds(ms: number): string {
  return (ms / 1000).toFixed(ms < 10_000 ? 2 : 1);
}

/** The lines of one check: `PASS name: message`, then (failures) the indented diff. */
export function checkLines(c: CheckResult): string[] {
  const lines = [`${c.status.toUpperCase()} ${c.name}${c.message ? `: ${c.message}` : ""}`];
  if (c.status === "fail" && c.diff && c.diff.length > 0) {
    if (c.name === "downgrade-no-trace") {
      lines.push(`    ${LEGEND}`);
      for (const l of c.diff) lines.push(`    ${l}`);
    } else {
      for (const l of c.diff) lines.push(`    - ${l}`);
    }
  }
  return lines;
}

/** The text report: one line per check (with its diff under a failure), then a summary line. */
export function textReport(report: TestReport): string {
  const lines = report.checks.flatMap(checkLines);
  const count = (s: CheckResult["status"]) => report.checks.filter((c) => c.status === s).length;
  const parts = [`${count("fail")} failed`, `${count("pass")} passed`];
  if (count("skip") > 0) parts.push(`${count("skip")} skipped`);
  let tail = `${parts.join(", ")} in ${seconds(report.durationMs)} s`;
  if (report.database) tail += ` (${report.revisions} revisions, ${report.kept ? "kept" : "throwaway"} database ${report.database})`;
  lines.push(tail);
  return lines.join("\n") + "\n";
}

/** `2 checks failed: downgrade-no-trace (revision 9c3e5f8a1d2b), up-down`: the CLI's ERROR line. */
export function failureSummary(report: TestReport): string {
  const failed = report.checks.filter((c) => c.status === "fail");
  const items = failed.map((c) => (c.revision ? `${c.name} (revision ${c.revision.revision})` : c.name));
  return `${failed.length} ${failed.length === 1 ? "check" : "checks"} failed: ${items.join(", ")}`;
}

/** The full readable failure text (what `assertMigrations` throws). */
export function failureText(report: TestReport): string {
  const failed = report.checks.filter((c) => c.status === "fail");
  return [`athanor test: ${failureSummary(report)}`, ...failed.flatMap(checkLines)].join("\n");
}

// ------------------------------------------------------------------------------ JUnit

function xmlEscape(s: string): string {
  return s
    // characters XML 1.0 cannot hold at all
    .replace(/[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, "\uFFFD")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

/** A JUnit XML report (one testsuite, one testcase per check) for CI systems. */
export function junitXml(report: TestReport, options: { timestamp?: Date } = {}): string {
  const count = (s: CheckResult["status"]) => report.checks.filter((c) => c.status === s).length;
  const attrs = `tests="${report.checks.length}" failures="${count("fail")}" errors="0" skipped="${count("skip")}" time="${(report.durationMs / 1000).toFixed(3)}"`;
  const out: string[] = [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites name="athanor test" ${attrs}>`,
    `  <testsuite name="athanor test" ${attrs} timestamp="${(options.timestamp ?? new Date()).toISOString().replace(/\.\d+Z$/, "")}">`,
    `    <properties>`,
    `      <property name="dialect" value="${xmlEscape(report.dialect)}"/>`,
    `      <property name="database" value="${xmlEscape(report.database)}"/>`,
    `      <property name="revisions" value="${report.revisions}"/>`,
    `    </properties>`,
  ];
  for (const c of report.checks) {
    const open = `    <testcase name="${xmlEscape(c.name)}" classname="athanor.migrations" time="${(c.durationMs / 1000).toFixed(3)}"`;
    if (c.status === "pass") {
      out.push(`${open}/>`);
    } else if (c.status === "skip") {
      out.push(`${open}>`, `      <skipped message="${xmlEscape(c.message)}"/>`, `    </testcase>`);
    } else {
      const body = checkLines(c).join("\n");
      out.push(
        `${open}>`,
        `      <failure message="${xmlEscape(c.message)}" type="${xmlEscape(c.name)}">${xmlEscape(body)}</failure>`,
        `    </testcase>`,
      );
    }
  }
  out.push(`  </testsuite>`, `</testsuites>`);
  return out.join("\n") + "\n";
}
