import { redactSecrets } from "../config/url.js";

/** Progress and warning lines, Alembic-style (`INFO  ...`, `WARN  ...`), written to stderr. */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
}

export interface StreamLoggerOptions {
  /** Suppress INFO lines (`-q`). Warnings are always shown. */
  quiet?: boolean;
  /** Secrets that must never appear in a line (e.g. the database password). */
  secrets?: string[];
  write?: (line: string) => void;
}

export function createStreamLogger(options: StreamLoggerOptions = {}): Logger {
  const write = options.write ?? ((line: string) => process.stderr.write(line + "\n"));
  const clean = (m: string) => redactSecrets(m, options.secrets ?? []);
  return {
    info: (m) => {
      if (!options.quiet) write(`INFO  ${clean(m)}`);
    },
    warn: (m) => write(`WARN  ${clean(m)}`),
  };
}

/** A logger that keeps lines in memory (programmatic API default and tests). */
export function createMemoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    info: (m) => lines.push(`INFO  ${m}`),
    warn: (m) => lines.push(`WARN  ${m}`),
  };
}
