import type { LoadConfigOptions } from "./config/load.js";
import * as inspect from "./commands/inspect.js";
import * as migrate from "./commands/migrate.js";
import { Project, type OpenProjectOptions } from "./commands/project.js";
import * as revisions from "./commands/revision.js";
import { createMemoryLogger } from "./util/log.js";

/** Where the programmatic API finds the project: options to load its config, or an opened Project. */
export type ProjectInput = OpenProjectOptions | Project;

async function open(input: ProjectInput = {}): Promise<Project> {
  if (input instanceof Project) return input;
  // Programmatic callers get no stderr noise unless they pass a logger.
  return Project.open({ log: createMemoryLogger(), ...input });
}

export async function openProject(input: OpenProjectOptions = {}): Promise<Project> {
  return Project.open(input);
}

export async function upgrade(input: ProjectInput, target = "head", options: migrate.MigrateOptions = {}) {
  return migrate.upgrade(await open(input), target, options);
}

export async function downgrade(input: ProjectInput, target: string, options: migrate.MigrateOptions = {}) {
  return migrate.downgrade(await open(input), target, options);
}

export async function stamp(input: ProjectInput, targets: string | string[], options: { purge?: boolean } = {}) {
  return migrate.stamp(await open(input), Array.isArray(targets) ? targets : [targets], options);
}

export async function current(input: ProjectInput = {}) {
  return migrate.current(await open(input));
}

export async function ensureVersion(input: ProjectInput = {}) {
  return migrate.ensureVersion(await open(input));
}

export async function upgradeSql(input: ProjectInput, range = "head") {
  return migrate.upgradeSql(await open(input), range);
}

export async function downgradeSql(input: ProjectInput, range: string) {
  return migrate.downgradeSql(await open(input), range);
}

export async function revision(input: ProjectInput, options: revisions.RevisionOptions = {}) {
  return revisions.revision(await open(input), options);
}

export async function merge(input: ProjectInput, revs: string[], options: revisions.MergeOptions = {}) {
  return revisions.merge(await open(input), revs, options);
}

export async function heads(input: ProjectInput = {}, options: { resolveDependencies?: boolean } = {}) {
  return inspect.heads(await open(input), options);
}

export async function history(input: ProjectInput = {}, range?: string) {
  return inspect.history(await open(input), range);
}

/** `revision --autogenerate`: write the difference between the declared schema and the database as a revision. */
export async function autogenerate(input: ProjectInput, options: import("./commands/autogenerate.js").AutogenerateOptions = {}) {
  const { autogenerateRevision } = await import("./commands/autogenerate.js");
  return autogenerateRevision(await open(input), options);
}

/** `check`: does the database at head match the declared schema? */
export async function check(input: ProjectInput = {}) {
  const { check: run } = await import("./commands/check.js");
  return run(await open(input));
}

/** `lint`: zero-downtime findings for pending revisions, a range, or all. */
export async function lint(input: ProjectInput = {}, selection: import("./commands/lint.js").LintSelection = {}) {
  const { lint: run } = await import("./commands/lint.js");
  return run(await open(input), selection);
}

export type { LoadConfigOptions };
