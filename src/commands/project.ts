import { existsSync } from "node:fs";
import { loadConfig, type LoadConfigOptions, type ResolvedConfig } from "../config/load.js";
import { RevisionGraph } from "../graph/index.js";
import { DEFAULT_BACKFILL_TABLE } from "../config/defaults.js";
import type { RevisionHeader } from "../graph/types.js";
import { readRevisionHeaders } from "../script/versions.js";
import { createStreamLogger, type Logger } from "../util/log.js";

export class ProjectError extends Error {
  override name = "ProjectError";
}

export interface OpenProjectOptions extends LoadConfigOptions {
  log?: Logger;
  quiet?: boolean;
}

/** A migration project: its resolved config, its revision headers and graph (read lazily, once). */
export class Project {
  #headers: RevisionHeader[] | undefined;
  #graph: RevisionGraph | undefined;

  constructor(
    readonly config: ResolvedConfig,
    readonly log: Logger,
  ) {}

  static async open(options: OpenProjectOptions = {}): Promise<Project> {
    const config = await loadConfig(options);
    const log =
      options.log ??
      createStreamLogger({ quiet: options.quiet, secrets: config.url.password ? [config.url.password] : [] });
    return new Project(config, log);
  }

  /** Fail clearly when the project has not been initialised. */
  requireScriptLocation(): void {
    if (!existsSync(this.config.scriptLocation)) {
      throw new ProjectError(
        `Path doesn't exist: ${this.config.scriptLocation}. Please use the 'init' command to create a new scripts folder.`,
      );
    }
  }

  headers(): RevisionHeader[] {
    if (!this.#headers) {
      this.requireScriptLocation();
      const existing = this.config.versionLocations.filter((dir) => existsSync(dir));
      this.#headers = readRevisionHeaders(existing, { recursive: this.config.recursiveVersionLocations });
    }
    return this.#headers;
  }

  graph(): RevisionGraph {
    this.#graph ??= RevisionGraph.build(this.headers());
    return this.#graph;
  }

  /** Tables athanor itself keeps in the database: never part of a schema diff. */
  ownedTables(): string[] {
    return [this.config.versionTable, this.config.historyTable, DEFAULT_BACKFILL_TABLE];
  }

  /** Forget cached headers and graph (after a new revision file is written). */
  refresh(): void {
    this.#headers = undefined;
    this.#graph = undefined;
  }
}
