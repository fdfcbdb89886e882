/**
 * Errors of the script folder: revision files that cannot be read, templates that cannot be
 * found, files that would be overwritten. The message is what users see after `ERROR: `.
 */
export class ScriptError extends Error {
  override name = "ScriptError";
  /** The file concerned, when there is one. */
  readonly file: string | undefined;
  /** 1-based line in `file`, when known. */
  readonly line: number | undefined;

  constructor(message: string, options?: { file?: string; line?: number; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.file = options?.file;
    this.line = options?.line;
  }

  /** A `<file>:<line>: <why>` error. */
  static at(file: string, line: number, why: string, cause?: unknown): ScriptError {
    return new ScriptError(`${file}:${line}: ${why}`, { file, line, cause });
  }
}
