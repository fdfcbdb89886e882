/**
 * Small revision projects written to temporary folders, for runtime tests.
 *
 *   const project = makeProject();
 *   project.write({ rev: "aaaaaaaaaaa1", down: null, message: "create t",
 *                   upgrade: `await op.execute("CREATE TABLE t (id integer)")`,
 *                   downgrade: `await op.execute("DROP TABLE t")` });
 *   const graph = project.graph();
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface RevisionSpec {
  rev: string;
  down: string | string[] | null;
  message: string;
  /** Body of `upgrade(op, context)`. */
  upgrade?: string;
  /** Body of `downgrade(op, context)`. */
  downgrade?: string;
  branchLabels?: string[];
  dependsOn?: string[];
  /** File name; default `<rev>_<slug>.ts`. */
  file?: string;
}

export function revisionSource(spec: RevisionSpec): string {
  const down = spec.down;
  const revises = down === null ? "" : Array.isArray(down) ? down.join(", ") : down;
  return `/**
 * ${spec.message}
 *
 * Revision ID: ${spec.rev}
 * Revises: ${revises}
 * Create Date: 2026-01-01 00:00:00.000000
 */

export const revision = "${spec.rev}";
export const downRevision: string | string[] | null = ${JSON.stringify(down)};
export const branchLabels: string[] | null = ${JSON.stringify(spec.branchLabels ?? null)};
export const dependsOn: string[] | null = ${JSON.stringify(spec.dependsOn ?? null)};

export async function upgrade(op: any, context: any): Promise<void> {
${indent(spec.upgrade ?? "")}
}

export async function downgrade(op: any, context: any): Promise<void> {
${indent(spec.downgrade ?? "")}
}
`;
}

function indent(body: string): string {
  return body
    .split("\n")
    .map((l) => (l.trim() ? `  ${l}` : ""))
    .join("\n");
}

function slug(message: string): string {
  return message.toLowerCase().replace(/[^a-z0-9]+/g, "_").replace(/^_|_$/g, "").slice(0, 40);
}

export interface TestProject {
  dir: string;
  versions: string;
  /** Write (or overwrite) a revision file; returns its path. */
  write(spec: RevisionSpec): string;
  remove(): void;
}

export function makeProject(): TestProject {
  const dir = mkdtempSync(join(tmpdir(), "athanor-project-"));
  const versions = join(dir, "versions");
  mkdirSync(versions, { recursive: true });
  return {
    dir,
    versions,
    write(spec) {
      const path = join(versions, spec.file ?? `${spec.rev}_${slug(spec.message)}.ts`);
      writeFileSync(path, revisionSource(spec));
      return path;
    },
    remove() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
