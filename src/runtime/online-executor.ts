import type { Connection, DialectName, Statement } from "../dialects/types.js";
import type { OpExecutor } from "../operations/executor.js";
import type { Logger } from "../util/log.js";

/**
 * Runs a revision's statements on a live connection and remembers what ran and what failed, so a
 * failure can name its statement. The runner decides how autocommit blocks leave the transaction.
 */
export class OnlineExecutor implements OpExecutor {
  readonly offline = false;
  readonly dialect: DialectName;
  /** Statements of the current revision that completed. */
  ran: Statement[] = [];
  /** The statement that failed. */
  failed: Statement | undefined;

  constructor(
    private readonly conn: Connection,
    /** Progress lines of long operations (op.backfill). */
    readonly log: Logger,
    private readonly runAutocommit: <T>(fn: () => Promise<T>) => Promise<T>,
  ) {
    this.dialect = conn.dialect;
  }

  reset(): void {
    this.ran = [];
    this.failed = undefined;
  }

  private async exec(statement: Statement) {
    try {
      const result = await this.conn.execute(statement);
      this.ran.push(statement);
      return result;
    } catch (error) {
      this.failed = statement;
      throw error;
    }
  }

  async run(statements: Statement[]): Promise<void> {
    for (const statement of statements) await this.exec(statement);
  }

  async query(statement: Statement): Promise<Record<string, unknown>[]> {
    return (await this.exec(statement)).rows;
  }

  autocommit<T>(fn: () => Promise<T>): Promise<T> {
    return this.runAutocommit(fn);
  }
}
