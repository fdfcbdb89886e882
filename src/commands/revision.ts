import { dirname, resolve } from "node:path";
import { GraphError } from "../graph/types.js";
import { generateRevisionId, validateRevisionId, writeRevisionFile } from "../script/write.js";
import type { Project } from "./project.js";

export interface RevisionOptions {
  message?: string;
  /** Parent to build on: a head, `base` for a new root, or any revision with `splice`. Default `head`. */
  head?: string;
  splice?: boolean;
  branchLabels?: string[];
  dependsOn?: string[];
  revId?: string;
  versionPath?: string;
  /** Generated body text (autogenerate). */
  upgrades?: string;
  downgrades?: string;
  imports?: string[];
}

export interface RevisionResult {
  revision: string;
  path: string;
  downRevisions: string[];
}

export async function revision(project: Project, options: RevisionOptions = {}): Promise<RevisionResult> {
  const graph = project.graph();
  const headSymbol = options.head ?? "head";
  let parents: string[];
  if (headSymbol === "base") {
    parents = [];
  } else if (graph.size === 0) {
    if (headSymbol !== "head" && headSymbol !== "heads") throw new GraphError(`Can't locate revision identified by '${headSymbol}'`);
    parents = [];
  } else {
    if (headSymbol === "head" && graph.heads().length > 1) {
      throw new GraphError(
        `Multiple heads are present (${graph.heads().join(", ")}); please specify the head revision on which the new revision should be based (--head), or perform a merge ('athanor merge heads').`,
      );
    }
    parents = graph.resolve(headSymbol);
    if (new Set(parents).size !== parents.length) throw new GraphError("Duplicate head revisions specified");
  }
  return writeNewRevision(project, parents, options);
}

export interface MergeOptions {
  message?: string;
  branchLabels?: string[];
  revId?: string;
  splice?: boolean;
}

/** Write a merge revision whose parents are the given revisions (typically `heads`). */
export async function merge(project: Project, revisions: string[], options: MergeOptions = {}): Promise<RevisionResult> {
  const graph = project.graph();
  const parents = [...new Set(revisions.flatMap((r) => graph.resolve(r)))];
  if (parents.length < 2) {
    throw new GraphError(`Merge needs at least two revisions; '${revisions.join(" ")}' resolves to ${parents.length === 0 ? "none" : parents.join(", ")}`);
  }
  return writeNewRevision(project, parents, { ...options, dependsOn: [] });
}

async function writeNewRevision(project: Project, parents: string[], options: RevisionOptions): Promise<RevisionResult> {
  const graph = project.graph();
  const config = project.config;
  for (const parent of parents) {
    if (!options.splice && !graph.get(parent).isHead) {
      throw new GraphError(`Revision ${parent} is not a head revision; please specify --splice to create a new branch from this revision`);
    }
  }
  const id = options.revId ?? generateRevisionId();
  validateRevisionId(id);
  if (graph.has(id)) throw new GraphError(`Revision ${id} already exists`);

  const labels = options.branchLabels ?? [];
  for (const label of labels) {
    const owner = graph.revisions().find((r) => r.branchLabels.includes(label));
    if (owner) throw new GraphError(`Branch name '${label}' is already used by revision ${owner.revision}`);
  }
  // Partial ids are expanded to full ids; branch labels stay as written (Alembic's behaviour).
  const dependsOn = (options.dependsOn ?? []).map((dep) => {
    const resolved = graph.resolve(dep);
    const isLabel = graph.revisions().some((r) => r.branchLabels.includes(dep));
    if (isLabel) return dep;
    if (resolved.length !== 1) throw new GraphError(`Can't locate revision identified by '${dep}'`);
    return resolved[0]!;
  });

  const versionsDir = chooseVersionsDir(project, parents, options.versionPath);
  const path = writeRevisionFile({
    versionsDir,
    scriptTemplatePath: resolve(config.scriptLocation, "script.ts.tmpl"),
    revision: id,
    message: options.message ?? "empty message",
    downRevisions: parents,
    branchLabels: labels,
    dependsOn,
    createDate: new Date(),
    fileTemplate: config.fileTemplate,
    truncateSlugLength: config.truncateSlugLength,
    imports: options.imports,
    upgrades: options.upgrades,
    downgrades: options.downgrades,
  });
  project.refresh();
  return { revision: id, path, downRevisions: parents };
}

/** A child goes next to its parent; a new root goes to the only version location or to --version-path. */
function chooseVersionsDir(project: Project, parents: string[], versionPath: string | undefined): string {
  const locations = project.config.versionLocations;
  if (versionPath) {
    const wanted = resolve(project.config.cwd, versionPath);
    if (!locations.includes(wanted)) {
      throw new GraphError(`Path ${wanted} is not represented in current version locations (${locations.join(", ")})`);
    }
    return wanted;
  }
  if (parents.length > 0) {
    const parentDir = dirname(project.graph().get(parents[0]!).path);
    return locations.find((loc) => parentDir === loc || parentDir.startsWith(loc + "/")) ?? parentDir;
  }
  if (locations.length > 1) throw new GraphError("Multiple version locations present, please specify --version-path");
  return locations[0]!;
}
