/**
 * `athanor init`: lay out a script folder from a template set.
 */
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { isAbsolute, join, relative, resolve, sep } from "node:path";
import { ScriptError } from "./errors.js";
import { readTemplate, renderTemplate, SCRIPT_TEMPLATE_FILE } from "./templates.js";

export interface InitOptions {
  /** Folder the config file is written to and relative paths are taken from. Default: process.cwd(). */
  cwd?: string;
  /** The script folder to create. Default `migrations`. */
  directory?: string;
  /** Template set name. Default `generic`. */
  template?: string;
}

export interface InitResult {
  /** Absolute paths of the files and folders created, in creation order. */
  created: string[];
  /** Absolute paths of the files left as they were (an existing athanor.config.ts). */
  skipped: string[];
}

export const CONFIG_FILE = "athanor.config.ts";

/**
 * Create `<directory>/script.ts.tmpl`, `<directory>/README`, `<directory>/versions/.gitkeep`
 * and, when absent, `athanor.config.ts` in `cwd`. The directory must not exist or be empty.
 */
export function initProject(options: InitOptions = {}): InitResult {
  const cwd = resolve(options.cwd ?? process.cwd());
  const directory = options.directory ?? "migrations";
  const set = readTemplate(options.template ?? "generic");
  const dir = resolve(cwd, directory);

  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory()) {
      throw new ScriptError(`${directory} already exists and is not a directory`);
    }
    if (readdirSync(dir).length > 0) {
      throw new ScriptError(`Directory ${directory} already exists and is not empty`);
    }
  }

  // Render the config before creating anything, so a broken template leaves no half-made folder.
  const configPath = join(cwd, CONFIG_FILE);
  const configExists = existsSync(configPath);
  const configText = configExists ? "" : renderTemplate(
    set.configTemplate,
    { scriptLocation: configRelativePath(cwd, dir) },
    join(set.dir, "athanor.config.ts.tmpl"),
  );

  const created: string[] = [];
  const skipped: string[] = [];
  if (!existsSync(dir)) {
    mkdirSync(dir, { recursive: true });
    created.push(dir);
  }
  const versions = join(dir, "versions");
  mkdirSync(versions);
  created.push(versions);
  const gitkeep = join(versions, ".gitkeep");
  writeFileSync(gitkeep, "");
  created.push(gitkeep);
  const script = join(dir, SCRIPT_TEMPLATE_FILE);
  writeFileSync(script, set.scriptTemplate);
  created.push(script);
  if (set.readme) {
    const readme = join(dir, "README");
    writeFileSync(readme, set.readme);
    created.push(readme);
  }
  if (configExists) {
    skipped.push(configPath);
  } else {
    writeFileSync(configPath, configText, { flag: "wx" });
    created.push(configPath);
  }
  return { created, skipped };
}

/** `dir` as written in the config: relative to `cwd` with `/` separators, or absolute when outside. */
function configRelativePath(cwd: string, dir: string): string {
  const rel = relative(cwd, dir);
  const path = rel === "" ? "." : rel.startsWith("..") || isAbsolute(rel) ? dir : rel;
  return path.split(sep).join("/").replaceAll("\\", "\\\\").replaceAll('"', '\\"');
}
