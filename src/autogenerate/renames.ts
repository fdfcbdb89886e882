/**
 * Renames: `--rename` flags and the interactive question asked when a dropped and an added object
 * of compatible shape may be one renamed object.
 */
import { createInterface } from "node:readline/promises";
import type { RenameCandidate, Renames } from "./types.js";

export class RenameError extends Error {
  override name = "RenameError";
}

/**
 * Parse `--rename` values: `table.old:new` renames a column of `table` (also `table.old:table.new`),
 * `old:new` renames a table.
 */
export function parseRenames(flags: readonly string[]): Renames {
  const tables: Record<string, string> = {};
  const columns: Record<string, Record<string, string>> = {};
  for (const flag of flags) {
    const i = flag.indexOf(":");
    if (i <= 0 || i === flag.length - 1 || flag.indexOf(":", i + 1) >= 0) {
      throw new RenameError(`--rename ${flag}: expected old:new (a table) or table.old:new (a column)`);
    }
    const from = flag.slice(0, i);
    let to = flag.slice(i + 1);
    const dot = from.indexOf(".");
    if (dot < 0) {
      if (to.includes(".")) throw new RenameError(`--rename ${flag}: a table rename is old:new, a column rename table.old:new`);
      tables[from] = to;
      continue;
    }
    const table = from.slice(0, dot);
    const col = from.slice(dot + 1);
    if (!table || !col) throw new RenameError(`--rename ${flag}: expected table.old:new`);
    if (to.startsWith(`${table}.`)) to = to.slice(table.length + 1);
    if (to.includes(".")) throw new RenameError(`--rename ${flag}: a column keeps its table (write ${table}.${col}:new)`);
    (columns[table] ??= {})[col] = to;
  }
  return { tables, columns };
}

/** Add a confirmed candidate to a set of renames (returns a new object). */
export function withRename(renames: Renames, c: RenameCandidate): Renames {
  if (c.kind === "table") return { ...renames, tables: { ...renames.tables, [c.from]: c.to } };
  return {
    ...renames,
    columns: { ...renames.columns, [c.table]: { ...renames.columns?.[c.table], [c.from]: c.to } },
  };
}

export function candidateKey(c: RenameCandidate): string {
  return c.kind === "table" ? `t:${c.from}:${c.to}` : `c:${c.table}.${c.from}:${c.to}`;
}

export function renameQuestion(c: RenameCandidate): string {
  return c.kind === "table"
    ? `Table '${c.from}' is dropped and table '${c.to}' is added. Is it a rename of '${c.from}' to '${c.to}'? [y/N] `
    : `Column '${c.table}.${c.from}' is dropped and '${c.table}.${c.to}' is added. Is it a rename of '${c.from}' to '${c.to}'? [y/N] `;
}

/** Asks one yes/no question per candidate; resolves to whether it is a rename. */
export type RenamePrompt = (candidate: RenameCandidate) => Promise<boolean>;

/** A prompt on a terminal (or any streams): `y`/`yes` confirm, anything else declines. */
export function terminalPrompt(
  input: NodeJS.ReadableStream = process.stdin,
  output: NodeJS.WritableStream = process.stderr,
): RenamePrompt & { close(): void } {
  let rl: ReturnType<typeof createInterface> | null = null;
  const prompt = async (c: RenameCandidate) => {
    rl ??= createInterface({ input, output, terminal: false });
    const answer = await rl.question(renameQuestion(c));
    return /^\s*y(es)?\s*$/i.test(answer);
  };
  return Object.assign(prompt, {
    close() {
      rl?.close();
      rl = null;
    },
  });
}

/** Whether rename questions can be asked: stdin and stderr are terminals. */
export function isInteractive(): boolean {
  return Boolean(process.stdin.isTTY && process.stderr.isTTY);
}
