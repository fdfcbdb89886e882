/**
 * The programmatic API: everything the CLI does, as functions returning data. Each function loads
 * its implementation on first use, so `import ... from "athanor"` (config and revision files do)
 * stays cheap.
 */
import type { LoadConfigOptions } from "./config/load.js";
import type { AutogenerateOptions } from "./commands/autogenerate.js";
import type { LintSelection } from "./commands/lint.js";
import type { MigrateOptions } from "./commands/migrate.js";
import type { OpenProjectOptions, Project } from "./commands/project.js";
import type { MergeOptions, RevisionOptions } from "./commands/revision.js";

/** Where the programmatic API finds the project: options to load its config, or an opened Project. */
export type ProjectInput = OpenProjectOptions | Project;

async function open(input: ProjectInput = {}): Promise<Project> {
  const { Project } = await import("./commands/project.js");
  if (input instanceof Project) return input;
  // Programmatic callers get no stderr noise unless they pass a logger.
  const { createMemoryLogger } = await import("./util/log.js");
  return Project.open({ log: createMemoryLogger(), ...input });
}

export async function openProject(input: OpenProjectOptions = {}): Promise<Project> {
  const { Project } = await import("./commands/project.js");
  return Project.open(input);
}

const migrate = () => import("./commands/migrate.js");
const inspect = () => import("./commands/inspect.js");
const revisions = () => import("./commands/revision.js");

export async function upgrade(input: ProjectInput, target = "head", options: MigrateOptions = {}) {
  return (await migrate()).upgrade(await open(input), target, options);
}

export async function downgrade(input: ProjectInput, target: string, options: MigrateOptions = {}) {
  return (await migrate()).downgrade(await open(input), target, options);
}

export async function stamp(input: ProjectInput, targets: string | string[], options: { purge?: boolean } = {}) {
  return (await migrate()).stamp(await open(input), Array.isArray(targets) ? targets : [targets], options);
}

export async function current(input: ProjectInput = {}) {
  return (await migrate()).current(await open(input));
}

export async function ensureVersion(input: ProjectInput = {}) {
  return (await migrate()).ensureVersion(await open(input));
}

export async function upgradeSql(input: ProjectInput, range = "head") {
  return (await migrate()).upgradeSql(await open(input), range);
}

export async function downgradeSql(input: ProjectInput, range: string) {
  return (await migrate()).downgradeSql(await open(input), range);
}

export async function revision(input: ProjectInput, options: RevisionOptions = {}) {
  return (await revisions()).revision(await open(input), options);
}

export async function merge(input: ProjectInput, revs: string[], options: MergeOptions = {}) {
  return (await revisions()).merge(await open(input), revs, options);
}

export async function heads(input: ProjectInput = {}, options: { resolveDependencies?: boolean } = {}) {
  return (await inspect()).heads(await open(input), options);
}

export async function history(input: ProjectInput = {}, range?: string) {
  return (await inspect()).history(await open(input), range);
}

/** `revision --autogenerate`: write the difference between the declared schema and the database as a revision. */
export async function autogenerate(input: ProjectInput, options: AutogenerateOptions = {}) {
  const { autogenerateRevision } = await import("./commands/autogenerate.js");
  return autogenerateRevision(await open(input), options);
}

/** `check`: does the database at head match the declared schema? */
export async function check(input: ProjectInput = {}) {
  const { check: run } = await import("./commands/check.js");
  return run(await open(input));
}

/** `lint`: zero-downtime findings for pending revisions, a range, or all. */
export async function lint(input: ProjectInput = {}, selection: LintSelection = {}) {
  const { lint: run } = await import("./commands/lint.js");
  return run(await open(input), selection);
}

export type { LoadConfigOptions, Project };
