/**
 * Test helper for the revision-graph tests: build headers from a compact spec.
 *
 *   graph("a", "b:a", "c:b", "d:b", "m:c,d", "x ~m @xl")
 *
 * Each string is `id[:parent,parent] [@label,label] [~dependency,dependency]`; files are in the
 * order given and get the path `/v/<id>.ts`.
 */
import { RevisionGraph, type MigrationStep, type RevisionHeader } from "../../src/graph/index.js";

export function header(spec: string): RevisionHeader {
  const [head = "", ...rest] = spec.trim().split(/\s+/);
  const colon = head.indexOf(":");
  const revision = colon >= 0 ? head.slice(0, colon) : head;
  const downRevisions = colon >= 0 ? head.slice(colon + 1).split(",").filter(Boolean) : [];
  const branchLabels: string[] = [];
  const dependsOn: string[] = [];
  for (const tok of rest) {
    if (tok.startsWith("@")) branchLabels.push(...tok.slice(1).split(",").filter(Boolean));
    else if (tok.startsWith("~")) dependsOn.push(...tok.slice(1).split(",").filter(Boolean));
    else throw new Error(`bad spec token ${tok}`);
  }
  return {
    revision,
    downRevisions,
    branchLabels,
    dependsOn,
    message: `rev ${revision}`,
    docstring: `rev ${revision}`,
    createDate: null,
    path: `/v/${revision}.ts`,
  };
}

export function headers(...specs: string[]): RevisionHeader[] {
  return specs.map(header);
}

export function graph(...specs: string[]): RevisionGraph {
  return RevisionGraph.build(headers(...specs));
}

/** Compact view of a plan: [revision, rowsBefore, rowsAfter] per step. */
export function plan(steps: MigrationStep[]): [string, string[], string[]][] {
  return steps.map((s) => [s.revision.revision, s.rowsBefore, s.rowsAfter]);
}

/** Only the revision ids of a plan. */
export function ids(steps: MigrationStep[]): string[] {
  return steps.map((s) => s.revision.revision);
}
