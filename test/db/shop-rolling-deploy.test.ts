/**
 * A rolling deploy of the shop's username split on PostgreSQL, as it happens in production: the
 * OLD version of the app (which inserts users with a username only) keeps writing in a loop while
 * each phase is applied with `athanor upgrade +1` (the built CLI, in examples/shop); the NEW version
 * (first_name/last_name only) starts once the expand phase is in. The old version is stopped before
 * the contract phase, as the deploy requires; the new one keeps writing through it.
 * No insert of either version may fail, and at the end every row has the right first/last name.
 */
import assert from "node:assert/strict";
import { resolve } from "node:path";
import { after, before, describe, test } from "node:test";
import pg from "pg";
import { athanorAsync } from "../cli/cli-helpers.js";
import { createTestDatabase, type TestDatabase } from "../helpers/databases.js";

const SHOP = resolve(import.meta.dirname, "../../examples/shop");
const PROFILE = "5e2a9d7c3f10";
const EXPAND = "f2b7d4a8c6e1";
const BACKFILL = "a5c1e7f3b9d2";
const CONTRACT = "b8e4a2d6f1c3";
/** Rows written before the deploy: more than one backfill batch (1,000 rows). */
const SEEDED = 2500;

function split(username: string): [string, string | null] {
  const at = username.indexOf("_");
  return at < 0 ? [username, null] : [username.slice(0, at), username.slice(at + 1)];
}

/** Writers of one app version: `workers` loops inserting until stopped (or `limit` inserts each). */
class Writers {
  inserted = 0;
  readonly failures: string[] = [];
  private stopped = false;
  private readonly loops: Promise<void>[] = [];

  constructor(
    private readonly pool: pg.Pool,
    private readonly insert: (worker: number, n: number) => { sql: string; params: unknown[] },
    workers: number,
    limit: number,
  ) {
    for (let w = 0; w < workers; w++) this.loops.push(this.loop(w, limit));
  }

  private async loop(worker: number, limit: number): Promise<void> {
    for (let n = 0; n < limit && !this.stopped; n++) {
      const { sql, params } = this.insert(worker, n);
      try {
        await this.pool.query(sql, params);
        this.inserted++;
      } catch (error) {
        this.failures.push(`${sql} ${JSON.stringify(params)}: ${(error as Error).message}`);
      }
    }
  }

  /** Resolves once `count` more inserts succeeded (the version is really running in this phase). */
  async progress(count: number): Promise<void> {
    const target = this.inserted + count;
    const deadline = Date.now() + 10_000;
    while (this.inserted < target) {
      if (this.stopped || Date.now() > deadline) throw new Error(`writers stalled at ${this.inserted}: ${this.failures.slice(0, 3).join("; ")}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.loops);
  }
}

describe("rolling deploy of the username split on PostgreSQL", () => {
  let db: TestDatabase;
  let pool: pg.Pool;
  let oldCode: Writers | undefined;
  let newCode: Writers | undefined;

  const cli = async (...args: string[]) => {
    const r = await athanorAsync(SHOP, args, { DATABASE_URL: db.url });
    assert.equal(r.status, 0, `athanor ${args.join(" ")} failed:\n${r.stderr}`);
    return r;
  };

  before(async () => {
    db = await createTestDatabase("postgresql");
    pool = new pg.Pool({ connectionString: db.url, max: 6 });
  });
  after(async () => {
    await oldCode?.stop();
    await newCode?.stop();
    await pool?.end();
    await db?.drop();
  });

  test("old-code inserts never fail while expand, backfill and contract are applied one by one", async (t) => {
    await cli("upgrade", PROFILE);
    // The old version's users so far: with and without an underscore.
    await pool.query(
      `INSERT INTO users (username, email)
       SELECT u, u || '@example.com' FROM (
         SELECT CASE WHEN i % 3 = 0 THEN 'solo' || i WHEN i % 3 = 1 THEN 'first' || i || '_last' ELSE 'mary' || i || '_jane_watson' END AS u
         FROM generate_series(1, ${SEEDED}) AS i) s`,
    );

    // The old version: username only, as the pre-split code does.
    oldCode = new Writers(
      pool,
      (w, n) => {
        const username = n % 2 === 0 ? `old${w}n${n}_smith` : `old${w}n${n}`;
        return { sql: "INSERT INTO users (username, email) VALUES ($1, $2)", params: [username, `${username}@example.com`] };
      },
      2,
      20_000,
    );
    await oldCode.progress(50);

    const expand = await cli("upgrade", "+1");
    assert.match(expand.stderr, new RegExp(`Running upgrade ${PROFILE} -> ${EXPAND}`));
    await oldCode.progress(50);

    // The new version rolls out next to the old one: first/last names only, no username.
    newCode = new Writers(
      pool,
      (w, n) => ({
        sql: "INSERT INTO users (first_name, last_name, email) VALUES ($1, $2, $3)",
        params: [`New${w}`, n % 2 === 0 ? `Coder${n}` : null, `new${w}n${n}@example.com`],
      }),
      2,
      20_000,
    );
    await newCode.progress(50);

    const backfill = await cli("upgrade", "+1");
    assert.match(backfill.stderr, new RegExp(`Running upgrade ${EXPAND} -> ${BACKFILL}`));
    assert.match(backfill.stderr, /backfill users: done/);
    await oldCode.progress(50);

    // The old version is gone before the contract phase: stop its writers.
    await oldCode.stop();
    assert.deepEqual(oldCode.failures, [], "old-code inserts failed");
    await newCode.progress(50);

    const contract = await cli("upgrade", "+1");
    assert.match(contract.stderr, new RegExp(`Running upgrade ${BACKFILL} -> ${CONTRACT}`));
    await newCode.progress(50);
    await newCode.stop();
    assert.deepEqual(newCode.failures, [], "new-code inserts failed");
    assert.equal((await cli("current")).stdout.trim(), `${CONTRACT} (head)`);

    // Every row has the right names: old-code rows (their email keeps the username) split at the
    // first underscore, new-code rows as written.
    const { rows } = await pool.query<{ email: string; first_name: string | null; last_name: string | null }>(
      "SELECT email, first_name, last_name FROM users ORDER BY id",
    );
    assert.equal(rows.length, SEEDED + oldCode.inserted + newCode.inserted);
    let fromUsername = 0;
    for (const r of rows) {
      const local = r.email.replace(/@example\.com$/, "");
      const m = /^new(\d)n(\d+)$/.exec(local);
      const expected = m ? [`New${m[1]}`, Number(m[2]) % 2 === 0 ? `Coder${m[2]}` : null] : split(local);
      if (!m) fromUsername++;
      assert.deepEqual([r.first_name, r.last_name], expected, r.email);
    }
    assert.equal(fromUsername, SEEDED + oldCode.inserted);
    const noFirst = await pool.query("SELECT count(*)::int AS n FROM users WHERE first_name IS NULL");
    assert.equal(noFirst.rows[0].n, 0);
    t.diagnostic(`${SEEDED} seeded rows, ${oldCode.inserted} old-version inserts, ${newCode.inserted} new-version inserts`);
    const trigger = await pool.query("SELECT count(*)::int AS n FROM pg_trigger WHERE tgname = 'users_split_username'");
    assert.equal(trigger.rows[0].n, 0, "the contract phase drops the trigger");
  });
});
