/**
 * A persistent cache of recorded revisions, for the revisions lint only reads as context (what
 * earlier revisions created or validated). Without it, linting the one pending revision of a
 * 1,000-revision project would load and run all 1,000 files. Keyed by the file's bytes, the dialect
 * and the recording code itself; revisions being reported are always recorded afresh.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { DialectName } from "../dialects/types.js";
import { athanorVersion } from "../util/version.js";
import { recordRevision, type RecordedRevision } from "./record.js";

/** `<cwd>/node_modules/.cache/athanor/lint` when the project has node_modules, else the temp dir. */
export function lintCacheDir(cwd: string): string {
  const modules = resolve(cwd, "node_modules");
  return existsSync(modules) ? join(modules, ".cache", "athanor", "lint") : join(tmpdir(), "athanor-cache", "lint");
}

let codeId: string | undefined;
/** Identifies the recording code itself, so a changed linter never reads entries an older one wrote. */
function recorderCodeId(): string {
  if (codeId === undefined) {
    const hash = createHash("sha256").update(athanorVersion());
    for (const name of ["record", "actions", "sql"]) {
      for (const ext of [".js", ".ts"]) {
        try {
          hash.update(readFileSync(new URL(`./${name}${ext}`, import.meta.url)));
        } catch {
          // only one of .js (built) and .ts (sources under tsx) exists
        }
      }
    }
    codeId = hash.digest("hex").slice(0, 16);
  }
  return codeId;
}

export async function recordRevisionCached(
  rev: { revision: string; message: string; path: string },
  dialect: DialectName,
  cacheDir: string,
): Promise<RecordedRevision> {
  let key: string;
  try {
    key = createHash("sha256").update(readFileSync(rev.path)).update(`\0${dialect}\0${recorderCodeId()}\0${rev.revision}`).digest("hex");
  } catch {
    return recordRevision(rev, dialect);
  }
  const file = join(cacheDir, `${key}.json`);
  try {
    const cached = JSON.parse(readFileSync(file, "utf8")) as RecordedRevision;
    return { ...cached, path: resolve(rev.path), message: rev.message };
  } catch {
    // not cached yet (or unreadable): record it
  }
  const recorded = await recordRevision(rev, dialect);
  if (recorded.error === null) {
    try {
      mkdirSync(cacheDir, { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify(recorded));
      renameSync(tmp, file); // atomic: concurrent runners never read half a file
    } catch {
      // a cache that cannot be written only costs time
    }
  }
  return recorded;
}
