import * as runtime from "../runtime/migrate.js";
import type { MigrationStep } from "../graph/types.js";
import { createMemoryLogger, type Logger } from "../util/log.js";
import type { Project } from "./project.js";

export interface MigrateOptions {
  strict?: boolean;
  tag?: string;
  /** Lint the revisions `upgrade` is about to apply, printing the findings (and refusing on errors with `strict`). */
  lint?: boolean;
}

function runtimeOptions(project: Project, options: MigrateOptions = {}, log: Logger = project.log) {
  const c = project.config;
  return {
    url: c.url,
    graph: project.graph(),
    log,
    versionTable: c.versionTable,
    historyTable: c.historyTable,
    transactionPerMigration: c.transactionPerMigration,
    strict: options.strict,
    tag: options.tag,
    xArgs: c.x,
    name: c.name,
  };
}

function offlineOptions(project: Project, options: MigrateOptions = {}) {
  const { url, ...rest } = runtimeOptions(project, options);
  return { ...rest, dialect: url.dialect };
}

export function upgrade(project: Project, target: string, options: MigrateOptions = {}) {
  const beforeRun = options.lint
    ? async (steps: MigrationStep[]) => {
        const { lintBeforeSteps } = await import("./lint.js");
        await lintBeforeSteps(project, steps, { strict: options.strict });
      }
    : undefined;
  return runtime.upgrade({ ...runtimeOptions(project, options), beforeRun }, target);
}

export function downgrade(project: Project, target: string, options: MigrateOptions = {}) {
  return runtime.downgrade(runtimeOptions(project, options), target);
}

export function stamp(project: Project, targets: string[], options: MigrateOptions & { purge?: boolean } = {}) {
  return runtime.stamp(runtimeOptions(project, options), targets, { purge: options.purge });
}

/** The database's version rows and current heads. `quiet`: no "Context impl" lines (a look before another command). */
export function current(project: Project, options: { quiet?: boolean } = {}) {
  return runtime.current(runtimeOptions(project, {}, options.quiet ? createMemoryLogger() : project.log));
}

export function ensureVersion(project: Project) {
  return runtime.ensureVersion(runtimeOptions(project));
}

export function upgradeSql(project: Project, range: string, options: MigrateOptions = {}) {
  return runtime.upgradeSql(offlineOptions(project, options), range);
}

export function downgradeSql(project: Project, range: string, options: MigrateOptions = {}) {
  return runtime.downgradeSql(offlineOptions(project, options), range);
}

export function stampSql(project: Project, targets: string[], options: MigrateOptions = {}) {
  return runtime.stampSql(offlineOptions(project, options), targets);
}
