import { existsSync, readFileSync } from "node:fs";
import { dirname, isAbsolute, resolve } from "node:path";
import { parse as parseDotenv } from "dotenv";
import { DEFAULT_HISTORY_TABLE, DEFAULT_VERSION_TABLE } from "./defaults.js";
import type { AthanorConfig, ConfigInput, DatabaseConfig } from "./types.js";
import { DEFAULT_DATABASE_URL, parseDatabaseUrl, type DatabaseUrl } from "./url.js";

export const DEFAULT_CONFIG_FILE = "athanor.config.ts";
const CONFIG_CANDIDATES = [DEFAULT_CONFIG_FILE, "athanor.config.mts", "athanor.config.js", "athanor.config.mjs"];

export class ConfigError extends Error {
  override name = "ConfigError";
}

export interface LoadConfigOptions {
  cwd?: string;
  /** `-c/--config`. */
  configPath?: string;
  /** `--name`. */
  name?: string;
  /** `--url`. */
  url?: string;
  /** `-x key=value` pairs. */
  x?: Record<string, string>;
  /** Environment to read DATABASE_URL from (default process.env, after .env is loaded). */
  env?: NodeJS.ProcessEnv;
  /** A config object given directly (programmatic use): no file is read. */
  config?: AthanorConfig;
}

/** Everything a command needs to know about the project, with absolute paths and a parsed URL. */
export interface ResolvedConfig {
  cwd: string;
  /** The config file read, or null when running on defaults. */
  configPath: string | null;
  /** Folder that relative paths in the config are relative to. */
  root: string;
  name?: string;
  scriptLocation: string;
  versionLocations: string[];
  recursiveVersionLocations: boolean;
  /** The database URL after precedence (--url > DATABASE_URL > config > default). */
  url: DatabaseUrl;
  /** Where the URL came from, for messages. */
  urlSource: "--url" | "DATABASE_URL" | "config" | "default";
  versionTable: string;
  historyTable: string;
  transactionPerMigration: boolean;
  fileTemplate: string;
  truncateSlugLength: number;
  schema: string[];
  x: Record<string, string>;
  /** The raw (merged) config object, for hooks of later features. */
  raw: DatabaseConfig;
}

/** Load `.env` from cwd into `env` without overriding variables that are already set. */
export function loadDotenv(cwd: string, env: NodeJS.ProcessEnv = process.env): void {
  const path = resolve(cwd, ".env");
  if (!existsSync(path)) return;
  const parsed = parseDotenv(readFileSync(path));
  for (const [key, value] of Object.entries(parsed)) {
    if (env[key] === undefined) env[key] = value;
  }
}

export function findConfigFile(cwd: string, explicit?: string): string | null {
  if (explicit) {
    const path = resolve(cwd, explicit);
    if (!existsSync(path)) throw new ConfigError(`Config file not found: ${path}`);
    return path;
  }
  for (const candidate of CONFIG_CANDIDATES) {
    const path = resolve(cwd, candidate);
    if (existsSync(path)) return path;
  }
  return null;
}

/** Import the config module (TypeScript, no build step) and evaluate it if it is a function. */
async function readConfigModule(path: string, context: { x: Record<string, string>; name?: string }): Promise<AthanorConfig> {
  const { importTypeScript } = await import("../script/versions.js");
  let mod: { default?: ConfigInput } & Record<string, unknown>;
  try {
    mod = (await importTypeScript(path)) as typeof mod;
  } catch (error) {
    throw new ConfigError(`${path}: ${(error as Error).message}`);
  }
  const input = (mod.default ?? mod) as ConfigInput;
  const config = typeof input === "function" ? await input(context) : input;
  if (!config || typeof config !== "object") {
    throw new ConfigError(`${path}: the default export must be defineConfig({...})`);
  }
  return config;
}

function selectDatabase(config: AthanorConfig, name: string | undefined, path: string | null): DatabaseConfig {
  const { databases, ...top } = config;
  if (name === undefined) {
    if (databases && Object.keys(databases).length > 0 && top.scriptLocation === undefined) {
      throw new ConfigError(
        `${path ?? "config"} declares several databases (${Object.keys(databases).join(", ")}); choose one with --name`,
      );
    }
    return top;
  }
  const section = databases?.[name];
  if (!section) {
    const known = databases ? Object.keys(databases).join(", ") : "none";
    throw new ConfigError(`No database named '${name}' in ${path ?? "config"} (known: ${known})`);
  }
  return { ...top, ...section };
}

export async function loadConfig(options: LoadConfigOptions = {}): Promise<ResolvedConfig> {
  const cwd = resolve(options.cwd ?? process.cwd());
  const env = options.env ?? process.env;
  if (!options.env) loadDotenv(cwd, env);
  const x = options.x ?? {};
  const configPath = options.config ? null : findConfigFile(cwd, options.configPath);
  const config: AthanorConfig = options.config ?? (configPath ? await readConfigModule(configPath, { x, name: options.name }) : {});
  const selected = selectDatabase(config, options.name, configPath);
  const root = configPath ? dirname(configPath) : cwd;
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(root, p));

  const scriptLocation = abs(selected.scriptLocation ?? "migrations");
  const versionLocations = (selected.versionLocations ?? [resolve(scriptLocation, "versions")]).map(abs);

  const [rawUrl, urlSource] = pickUrl(options.url, env.DATABASE_URL, selected.url);
  const url = parseDatabaseUrl(rawUrl);
  if (url.dialect === "sqlite" && url.filename && url.filename !== ":memory:" && !isAbsolute(url.filename)) {
    // Relative SQLite paths are relative to the working directory, like any CLI path.
    url.filename = resolve(cwd, url.filename);
  }
  const schema = selected.schema === undefined ? [] : Array.isArray(selected.schema) ? selected.schema : [selected.schema];

  return {
    cwd,
    configPath,
    root,
    name: options.name,
    scriptLocation,
    versionLocations,
    recursiveVersionLocations: selected.recursiveVersionLocations ?? false,
    url,
    urlSource,
    versionTable: selected.versionTable ?? DEFAULT_VERSION_TABLE,
    historyTable: selected.historyTable ?? DEFAULT_HISTORY_TABLE,
    transactionPerMigration: selected.transactionPerMigration ?? true,
    fileTemplate: selected.fileTemplate ?? "${rev}_${slug}",
    truncateSlugLength: selected.truncateSlugLength ?? 40,
    schema: schema.map(abs),
    x,
    raw: selected,
  };
}

function pickUrl(
  flag: string | undefined,
  envUrl: string | undefined,
  configUrl: string | undefined,
): [string, ResolvedConfig["urlSource"]] {
  if (flag) return [flag, "--url"];
  if (envUrl) return [envUrl, "DATABASE_URL"];
  if (configUrl) return [configUrl, "config"];
  return [DEFAULT_DATABASE_URL, "default"];
}
