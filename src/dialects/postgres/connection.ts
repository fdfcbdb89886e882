/**
 * PostgreSQL connection adapter over `pg` (one `Client`, no pool).
 *
 * Migration lock: a session-level advisory lock on a fixed key. `pg_try_advisory_lock` first;
 * when another session holds it, `onWait` is called and we block on `pg_advisory_lock`. The
 * server releases the lock when the session ends, so a killed runner never leaves it behind.
 */
import type { DatabaseUrl } from "../../config/url.js";
import { connectionError } from "../connect.js";
import type { Connection, QueryResult, Statement } from "../types.js";

/** Advisory lock key: the bytes of "athanor" as a 56-bit integer. Advisory locks are per database. */
export const POSTGRES_LOCK_KEY = "27431064400981874";

type PgClient = import("pg").Client;
type PgResult = import("pg").QueryResult<Record<string, unknown>>;

export async function connectPostgres(url: DatabaseUrl): Promise<Connection> {
  const pg = (await import("pg")).default;
  // pg-connection-string understands sslmode, host=/socket/dir, options=... in the query string.
  const connectionString = url.raw.replace(/^[a-zA-Z][a-zA-Z0-9+.-]*:/, "postgresql:");
  const client = new pg.Client({ connectionString, application_name: "athanor" } as import("pg").ClientConfig);
  // An idle client whose server goes away emits 'error'; without a listener that crashes the process.
  let lost: Error | undefined;
  client.on("error", (error) => {
    lost = error;
  });
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw connectionError(url, error);
  }
  return new PostgresConnection(client, () => lost);
}

class PostgresConnection implements Connection {
  readonly dialect = "postgresql" as const;
  private locked = false;

  constructor(
    private readonly client: PgClient,
    private readonly lostError: () => Error | undefined,
  ) {}

  async execute(statement: Statement): Promise<QueryResult> {
    const lost = this.lostError();
    if (lost) throw lost;
    const params = statement.params && statement.params.length > 0 ? statement.params : undefined;
    const result = (await this.client.query(statement.sql, params as unknown[] | undefined)) as PgResult | PgResult[];
    // A parameterless string holding several statements returns one result per statement.
    if (Array.isArray(result)) {
      const last = result[result.length - 1];
      const rowCount = result.reduce((n, r) => n + (r.rowCount ?? 0), 0);
      return { rows: last?.rows ?? [], rowCount };
    }
    return { rows: result.rows ?? [], rowCount: result.rowCount ?? 0 };
  }

  async begin(): Promise<void> {
    await this.client.query("BEGIN");
  }

  async commit(): Promise<void> {
    await this.client.query("COMMIT");
  }

  async rollback(): Promise<void> {
    await this.client.query("ROLLBACK");
  }

  async acquireMigrationLock(onWait: () => void): Promise<void> {
    if (this.locked) return;
    const tried = await this.client.query(`SELECT pg_try_advisory_lock(${POSTGRES_LOCK_KEY}) AS locked`);
    if (tried.rows[0]?.locked !== true) {
      onWait();
      await this.client.query(`SELECT pg_advisory_lock(${POSTGRES_LOCK_KEY})`);
    }
    this.locked = true;
  }

  async releaseMigrationLock(): Promise<void> {
    if (!this.locked) return;
    this.locked = false;
    await this.client.query(`SELECT pg_advisory_unlock(${POSTGRES_LOCK_KEY})`);
  }

  async close(): Promise<void> {
    await this.client.end().catch(() => undefined);
  }
}
