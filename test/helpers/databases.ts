/**
 * Throw-away databases for tests against real servers.
 *
 *   const db = await createTestDatabase("postgresql");
 *   try { ... db.url ... } finally { await db.drop(); }
 *
 * PostgreSQL: 127.0.0.1:5432, user postgres (trust), admin database `test`.
 * MySQL/MariaDB: 127.0.0.1:3306, user root, empty password, admin database `test`.
 * SQLite: a file in a fresh temporary directory (removed by drop()).
 * Override the admin URLs with ATHANOR_TEST_POSTGRES_URL / ATHANOR_TEST_MYSQL_URL.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DialectName } from "../../src/dialects/types.js";

export const DIALECTS: DialectName[] = ["postgresql", "mysql", "sqlite"];

export const POSTGRES_ADMIN_URL = process.env.ATHANOR_TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/test";
export const MYSQL_ADMIN_URL = process.env.ATHANOR_TEST_MYSQL_URL ?? "mysql://root@127.0.0.1:3306/test";

export interface TestDatabase {
  dialect: DialectName;
  /** URL of the new database, for athanor (`--url`, `parseDatabaseUrl`). */
  url: string;
  /** Database name (PostgreSQL, MySQL) or file path (SQLite). */
  name: string;
  /** Drop the database (or delete the SQLite file and its directory). Safe to call twice. */
  drop(): Promise<void>;
}

function uniqueName(): string {
  return `athanor_t_${Date.now().toString(36)}_${randomBytes(4).toString("hex")}`;
}

function withDatabase(adminUrl: string, database: string): string {
  const u = new URL(adminUrl);
  u.pathname = `/${database}`;
  return u.toString();
}

export async function createTestDatabase(dialect: DialectName): Promise<TestDatabase> {
  const name = uniqueName();
  if (dialect === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "athanor-sqlite-"));
    const file = join(dir, `${name}.db`);
    let dropped = false;
    return {
      dialect,
      url: `sqlite:${file}`,
      name: file,
      async drop() {
        if (dropped) return;
        dropped = true;
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  if (dialect === "postgresql") {
    await postgresAdmin(`CREATE DATABASE "${name}"`);
    let dropped = false;
    return {
      dialect,
      url: withDatabase(POSTGRES_ADMIN_URL, name),
      name,
      async drop() {
        if (dropped) return;
        dropped = true;
        await postgresAdmin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      },
    };
  }
  await mysqlAdmin(`CREATE DATABASE \`${name}\``);
  let dropped = false;
  return {
    dialect,
    url: withDatabase(MYSQL_ADMIN_URL, name),
    name,
    async drop() {
      if (dropped) return;
      dropped = true;
      await mysqlAdmin(`DROP DATABASE IF EXISTS \`${name}\``);
    },
  };
}

async function postgresAdmin(sql: string): Promise<void> {
  const pg = (await import("pg")).default;
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function mysqlAdmin(sql: string): Promise<void> {
  const mysql = (await import("mysql2/promise")).default;
  const u = new URL(MYSQL_ADMIN_URL);
  const conn = await mysql.createConnection({
    host: u.hostname,
    port: u.port ? Number(u.port) : 3306,
    user: decodeURIComponent(u.username || "root"),
    password: decodeURIComponent(u.password),
    database: decodeURIComponent(u.pathname.replace(/^\//, "")) || undefined,
  });
  try {
    await conn.query(sql);
  } finally {
    await conn.end();
  }
}

/** Run `fn` with a fresh database of each dialect (sequentially), dropping each after. */
export async function withTestDatabase<T>(dialect: DialectName, fn: (db: TestDatabase) => Promise<T>): Promise<T> {
  const db = await createTestDatabase(dialect);
  try {
    return await fn(db);
  } finally {
    await db.drop();
  }
}
