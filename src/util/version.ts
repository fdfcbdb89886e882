import { readFileSync } from "node:fs";

let cached: string | undefined;

/** This package's version, from its package.json (two levels above src/util or dist/util). */
export function athanorVersion(): string {
  if (cached === undefined) {
    try {
      const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version?: string };
      cached = pkg.version ?? "unknown";
    } catch {
      cached = "unknown";
    }
  }
  return cached;
}
