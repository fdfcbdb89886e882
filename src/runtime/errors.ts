/**
 * Errors of the migration runtime. Each message is one line, free of secrets, and is what the
 * CLI prints after `ERROR: `.
 */

export class MigrationError extends Error {
  override name = "MigrationError";
  /** The revision that failed, when one did. */
  readonly revision: string | undefined;
  readonly direction: "up" | "down" | undefined;
  /** The statement that failed (SQL as sent), when the failure came from the database. */
  readonly statement: string | undefined;

  constructor(
    message: string,
    options: { revision?: string; direction?: "up" | "down"; statement?: string; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.revision = options.revision;
    this.direction = options.direction;
    this.statement = options.statement;
  }
}

/** SQL shortened for a one-line message: whitespace collapsed, at most `max` characters. */
export function shortSql(sql: string, max = 200): string {
  const flat = sql.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max)}...` : flat;
}

/** The first line of an error's message (driver messages can span several lines). */
export function errorText(error: unknown): string {
  if (error instanceof Error) {
    const text = error.message || error.name || String(error);
    return text.split("\n").filter((l) => l.trim() !== "")[0] ?? text;
  }
  return String(error);
}
