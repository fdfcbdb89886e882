/** Options of one database's migration environment (the `athanor.config.ts` object). */
export interface DatabaseConfig {
  /** Folder holding script.ts.tmpl and versions/ (relative to the config file). Default "migrations". */
  scriptLocation?: string;
  /** Folders holding revision files; default `<scriptLocation>/versions`. */
  versionLocations?: string[];
  /** Search version locations recursively. */
  recursiveVersionLocations?: boolean;
  /** Database URL; `--url` and `DATABASE_URL` take precedence. */
  url?: string;
  /** Module(s) whose exports declare the target schema (autogenerate). */
  schema?: string | string[];
  /** Version table name. Default "athanor_version". */
  versionTable?: string;
  /** Applied-revision log table. Default "athanor_history". */
  historyTable?: string;
  /** One transaction per revision (default) or one for the whole run. */
  transactionPerMigration?: boolean;
  /** New revision file names, tokens ${rev} ${slug} ${epoch} ${year} ${month} ${day} ${hour} ${minute} ${second}. */
  fileTemplate?: string;
  /** Longest slug in file names. Default 40. */
  truncateSlugLength?: number;
  /** Hooks and options used by later features (autogenerate, lint); kept opaque here. */
  [option: string]: unknown;
}

export interface AthanorConfig extends DatabaseConfig {
  /** Multi-database configs: one entry per database, selected with `--name`. */
  databases?: Record<string, DatabaseConfig>;
}

/** What the config function receives when the config exports a function. */
export interface ConfigContext {
  /** `-x key=value` arguments. */
  x: Record<string, string>;
  /** `--name` if given. */
  name?: string;
}

export type ConfigInput = AthanorConfig | ((context: ConfigContext) => AthanorConfig | Promise<AthanorConfig>);

/** Identity function that gives `athanor.config.ts` its types. */
export function defineConfig<T extends ConfigInput>(config: T): T {
  return config;
}
