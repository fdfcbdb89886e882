/**
 * Post-write formatting: a generated revision file is formatted with the project's own Prettier
 * (resolved from the project's folder, with the project's Prettier config), when it has one.
 * Without Prettier the file is left as rendered.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

interface PrettierApi {
  format(text: string, options: Record<string, unknown>): Promise<string> | string;
  resolveConfig?(path: string): Promise<Record<string, unknown> | null>;
}

/** The project's Prettier, or null when it has none. */
export async function resolveProjectPrettier(cwd: string): Promise<PrettierApi | null> {
  let resolved: string;
  try {
    resolved = createRequire(join(cwd, "package.json")).resolve("prettier");
  } catch {
    return null;
  }
  const mod = (await import(pathToFileURL(resolved).href)) as PrettierApi & { default?: PrettierApi };
  const api = typeof mod.format === "function" ? mod : mod.default;
  return api && typeof api.format === "function" ? api : null;
}

/**
 * Format `path` in place with the project's Prettier. Returns true when it was formatted, false when
 * the project has no Prettier; throws when Prettier fails (the file is then left unchanged).
 */
export async function formatWithProjectPrettier(path: string, cwd: string): Promise<boolean> {
  const prettier = await resolveProjectPrettier(cwd);
  if (!prettier) return false;
  const config = (await prettier.resolveConfig?.(path)) ?? {};
  const text = readFileSync(path, "utf8");
  const formatted = await prettier.format(text, { ...config, filepath: path });
  if (formatted !== text) writeFileSync(path, formatted);
  return true;
}
