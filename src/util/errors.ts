/** Bad usage of a command (wrong combination of arguments): the CLI exits with code 2. */
export class UsageError extends Error {
  override name = "UsageError";
}
