/**
 * Template sets (`templates/<name>/` in this package) and the tiny `${name}` interpolation
 * used by script templates, config templates and file-name templates.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ScriptError } from "./errors.js";

/** Name of the revision-file template, in a template set and in a script location. */
export const SCRIPT_TEMPLATE_FILE = "script.ts.tmpl";
/** Name of the config template in a template set. */
export const CONFIG_TEMPLATE_FILE = "athanor.config.ts.tmpl";

export interface TemplateInfo {
  name: string;
  /** First line of the set's README. */
  description: string;
}

export interface TemplateSet extends TemplateInfo {
  /** Absolute path of the set's folder. */
  dir: string;
  /** The whole README. */
  readme: string;
  /** Text of `script.ts.tmpl`. */
  scriptTemplate: string;
  /** Text of `athanor.config.ts.tmpl`. */
  configTemplate: string;
}

/**
 * The package's `templates/` folder: two levels up from this module (`dist/script/` or
 * `src/script/`).
 */
export function templatesRoot(): string {
  return fileURLToPath(new URL("../../templates/", import.meta.url));
}

function isTemplateDir(dir: string): boolean {
  try {
    return statSync(dir).isDirectory() && existsSync(join(dir, SCRIPT_TEMPLATE_FILE));
  } catch {
    return false;
  }
}

function describe(dir: string): { readme: string; description: string } {
  let readme = "";
  try {
    readme = readFileSync(join(dir, "README"), "utf8");
  } catch {
    // A set without README is listed without description.
  }
  const description = (readme.split(/\r?\n/, 1)[0] ?? "").trim();
  return { readme, description };
}

/** The available template sets, sorted by name. */
export function listTemplates(): TemplateInfo[] {
  const root = templatesRoot();
  let names: string[];
  try {
    names = readdirSync(root);
  } catch {
    return [];
  }
  return names
    .filter((name) => !name.startsWith(".") && isTemplateDir(join(root, name)))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((name) => ({ name, description: describe(join(root, name)).description }));
}

/** Read a template set by name. Throws ScriptError for an unknown name. */
export function readTemplate(name: string): TemplateSet {
  const root = templatesRoot();
  const dir = join(root, name);
  if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(name) || !isTemplateDir(dir)) {
    throw new ScriptError(`No such template '${name}'; see 'athanor list-templates'`);
  }
  const { readme, description } = describe(dir);
  let configTemplate = "";
  try {
    configTemplate = readFileSync(join(dir, CONFIG_TEMPLATE_FILE), "utf8");
  } catch {
    throw new ScriptError(`Template '${name}' has no ${CONFIG_TEMPLATE_FILE}`);
  }
  return {
    name,
    description,
    dir,
    readme,
    scriptTemplate: readFileSync(join(dir, SCRIPT_TEMPLATE_FILE), "utf8"),
    configTemplate,
  };
}

const PLACEHOLDER = /\$(\$?)\{([^}\n]*)\}/g;
const NAME = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*$/;
/** A line prefix repeated on the continuation lines of a multi-line value. */
const REPEATABLE_PREFIX = /^[ \t]*(?:\*|\/\/|#)?[ \t]*$/;

/**
 * Replace `${name}` placeholders by `vars[name]`; `$${` writes a literal `${`.
 *
 * When the text before a placeholder on its line is only indentation (optionally with a
 * comment marker such as ` * ` or `// `), every further line of a multi-line value gets the
 * same prefix, so indented bodies and docstring paragraphs stay aligned.
 *
 * An unknown or malformed placeholder is a ScriptError naming `source` and the line.
 */
export function renderTemplate(text: string, vars: Record<string, string>, source = "template"): string {
  return text.replace(PLACEHOLDER, (match, escape: string, inner: string, offset: number) => {
    if (escape) return match.slice(1);
    const m = NAME.exec(inner);
    const line = () => text.slice(0, offset).split("\n").length;
    if (!m) {
      throw ScriptError.at(source, line(), `invalid placeholder '${match}' (write '$\${' for a literal '\${')`);
    }
    const name = m[1] ?? "";
    if (!Object.prototype.hasOwnProperty.call(vars, name)) {
      const known = Object.keys(vars).sort().join(", ");
      throw ScriptError.at(
        source,
        line(),
        `unknown placeholder '\${${name}}' (known: ${known}; write '$\${' for a literal '\${')`,
      );
    }
    const value = vars[name] ?? "";
    if (!value.includes("\n")) return value;
    const lineStart = text.lastIndexOf("\n", offset - 1) + 1;
    const prefix = text.slice(lineStart, offset);
    if (!REPEATABLE_PREFIX.test(prefix)) return value;
    const bare = prefix.trimEnd();
    return value
      .split("\n")
      .map((l, i) => (i === 0 ? l : l.trim() === "" ? bare : prefix + l))
      .join("\n");
  });
}
