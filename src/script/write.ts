/**
 * Writing new revision files from a script folder's `script.ts.tmpl`.
 */
import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, resolve, sep } from "node:path";
import { ScriptError } from "./errors.js";
import { readRevisionHeader } from "./header.js";
import { renderTemplate } from "./templates.js";

export interface WriteRevisionOptions {
  /** Folder the file is written to. Created when missing. */
  versionsDir: string;
  /** The script folder's `script.ts.tmpl`. */
  scriptTemplatePath: string;
  revision: string;
  message: string;
  /** Parents: none for a base revision, several for a merge. */
  downRevisions: string[];
  branchLabels: string[];
  dependsOn: string[];
  createDate: Date;
  /** File name without extension; tokens rev, slug, epoch, year, month, day, hour, minute, second. Default `${rev}_${slug}`. */
  fileTemplate?: string;
  /** Longest slug before it is cut at a `_`. Default 40. */
  truncateSlugLength?: number;
  /** Extra import statements, one per entry. */
  imports?: string[];
  /** Body of `upgrade` (any indentation; re-indented). Default a `// no operations` line. */
  upgrades?: string;
  /** Body of `downgrade`. */
  downgrades?: string;
}

export const DEFAULT_FILE_TEMPLATE = "${rev}_${slug}";
export const DEFAULT_TRUNCATE_SLUG_LENGTH = 40;
const NO_OPERATIONS = "// no operations";

/** A new revision id: the last 12 hex characters of a random UUID. */
export function generateRevisionId(): string {
  return randomUUID().replaceAll("-", "").slice(-12);
}

/** Characters never allowed in a revision id: Alembic's, plus what would break a file name or a TS string. */
const ILLEGAL_ID_CHARS = /[@\-+:"'`\\/\s]/gu;

/** Throw ScriptError when `id` cannot be a revision identifier. */
export function validateRevisionId(id: string): void {
  if (id.length === 0) throw new ScriptError("Revision identifier must not be empty");
  const found = [...new Set(id.match(ILLEGAL_ID_CHARS) ?? [])];
  if (found.length > 0) {
    const shown = found
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
      .map((c) => (/\s/.test(c) ? JSON.stringify(c).slice(1, -1).replace(/^ $/, "<space>") : c));
    throw new ScriptError(
      `Character(s) '${shown.join(", ")}' not allowed in revision identifier '${id}'`,
    );
  }
}

/**
 * The file-name slug of a message, as Alembic makes it: the runs of word characters joined by
 * `_`, lowercased; when longer than `truncateSlugLength`, cut to that length and back to the
 * last `_`, keeping the `_`.
 */
export function slugify(message: string, truncateSlugLength = DEFAULT_TRUNCATE_SLUG_LENGTH): string {
  const words = message.match(/[\p{L}\p{N}_]+/gu) ?? [];
  const slug = words.join("_").toLowerCase();
  const chars = Array.from(slug);
  if (chars.length <= truncateSlugLength) return slug;
  const cut = chars.slice(0, Math.max(0, truncateSlugLength)).join("");
  const last = cut.lastIndexOf("_");
  return `${last === -1 ? cut : cut.slice(0, last)}_`;
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** `YYYY-MM-DD HH:MM:SS.ffffff` in local time (Alembic's `Create Date`). */
export function formatCreateDate(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ` +
    `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.` +
    `${pad(date.getMilliseconds() * 1000, 6)}`;
}

/** The file name (without extension) for a new revision. */
export function revisionFileName(opts: {
  revision: string;
  message: string;
  createDate: Date;
  fileTemplate?: string;
  truncateSlugLength?: number;
}): string {
  const d = opts.createDate;
  const tokens: Record<string, string> = {
    rev: opts.revision,
    slug: slugify(opts.message, opts.truncateSlugLength ?? DEFAULT_TRUNCATE_SLUG_LENGTH),
    epoch: String(Math.floor(d.getTime() / 1000)),
    year: String(d.getFullYear()),
    month: pad(d.getMonth() + 1),
    day: pad(d.getDate()),
    hour: pad(d.getHours()),
    minute: pad(d.getMinutes()),
    second: pad(d.getSeconds()),
  };
  return renderTemplate(opts.fileTemplate ?? DEFAULT_FILE_TEMPLATE, tokens, "fileTemplate");
}

/** A TypeScript literal: `null`, `"a"`, or `["a", "b"]` (with `single: "list"`, one id is `["a"]`). */
function literal(ids: string[], single: "string" | "list"): string {
  if (ids.length === 0) return "null";
  if (ids.length === 1 && single === "string") return JSON.stringify(ids[0]);
  return `[${ids.map((id) => JSON.stringify(id)).join(", ")}]`;
}

/** Remove outer blank lines and the common indentation. */
function dedent(text: string): string {
  const lines = text.replace(/\r\n?/g, "\n").split("\n").map((l) => l.trimEnd());
  while (lines.length > 0 && lines[0] === "") lines.shift();
  while (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  let indent = Infinity;
  for (const line of lines) {
    if (line === "") continue;
    indent = Math.min(indent, line.length - line.trimStart().length);
  }
  if (!Number.isFinite(indent)) return "";
  return lines.map((l) => l.slice(indent)).join("\n");
}

/** The template variables of a script template, for {@link renderTemplate}. */
export function scriptTemplateVars(opts: WriteRevisionOptions): Record<string, string> {
  const imports = [...new Set((opts.imports ?? []).map((i) => i.trim()).filter((i) => i !== ""))];
  return {
    message: opts.message.replace(/\r\n?/g, "\n").replaceAll("*/", "*\\/"),
    revision: opts.revision,
    downRevision: literal(opts.downRevisions, "string"),
    revises: opts.downRevisions.join(", "),
    branchLabels: literal(opts.branchLabels, "list"),
    dependsOn: literal(opts.dependsOn, "list"),
    createDate: formatCreateDate(opts.createDate),
    imports: imports.map((i) => `${i}\n`).join(""),
    upgrades: dedent(opts.upgrades ?? "") || NO_OPERATIONS,
    downgrades: dedent(opts.downgrades ?? "") || NO_OPERATIONS,
  };
}

/** Render the revision file text (without writing it). */
export function renderRevisionFile(opts: WriteRevisionOptions): string {
  let template: string;
  try {
    template = readFileSync(opts.scriptTemplatePath, "utf8");
  } catch {
    throw new ScriptError(
      `No script template at ${opts.scriptTemplatePath}; create it with 'athanor init' or copy one from a template set`,
    );
  }
  return renderTemplate(template, scriptTemplateVars(opts), opts.scriptTemplatePath);
}

function sameList(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * Render `script.ts.tmpl` into a new revision file in `versionsDir` and return its absolute
 * path. Refuses to overwrite a file, and checks that the rendered header declares what was
 * asked (a custom template may have lost a placeholder).
 */
export function writeRevisionFile(opts: WriteRevisionOptions): string {
  validateRevisionId(opts.revision);
  const text = renderRevisionFile(opts);
  const versionsDir = resolve(opts.versionsDir);
  const name = revisionFileName(opts);
  const path = resolve(versionsDir, `${name}.ts`);
  if (!path.startsWith(versionsDir + sep)) {
    throw new ScriptError(`fileTemplate gives a path outside ${versionsDir}: ${name}.ts`);
  }

  const header = readRevisionHeader(path, text);
  const problems: string[] = [];
  if (header.revision !== opts.revision) problems.push(`revision '${header.revision}' instead of '${opts.revision}'`);
  if (!sameList(header.downRevisions, opts.downRevisions)) {
    problems.push(`downRevision [${header.downRevisions.join(", ")}] instead of [${opts.downRevisions.join(", ")}]`);
  }
  if (!sameList(header.branchLabels, opts.branchLabels)) {
    problems.push(`branchLabels [${header.branchLabels.join(", ")}] instead of [${opts.branchLabels.join(", ")}]`);
  }
  if (!sameList(header.dependsOn, opts.dependsOn)) {
    problems.push(`dependsOn [${header.dependsOn.join(", ")}] instead of [${opts.dependsOn.join(", ")}]`);
  }
  if (problems.length > 0) {
    throw new ScriptError(
      `Revision ${opts.revision}: the file rendered from ${opts.scriptTemplatePath} declares ${problems.join("; ")}; ` +
        "check the template's placeholders",
    );
  }

  if (existsSync(path)) throw new ScriptError(`File ${path} already exists; not overwriting it`);
  mkdirSync(dirname(path), { recursive: true });
  try {
    writeFileSync(path, text, { flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") {
      throw new ScriptError(`File ${path} already exists; not overwriting it`);
    }
    throw error;
  }
  return path;
}
