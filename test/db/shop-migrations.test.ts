/**
 * The shop example's revisions (examples/shop/migrations/versions) on PostgreSQL, MariaDB and
 * SQLite, through the programmatic API with the example's own athanor.config.ts:
 * - the username split step by step with data: old-code rows (username only) before and after the
 *   expand step, a new-code row (first/last only), the backfill, the contract, and back down;
 * - the schema at head matches examples/shop/src/schema.ts (columns, nullability, indexes);
 * - base -> head -> base -> head.
 */
import assert from "node:assert/strict";
import { resolve } from "node:path";
import { after, before, describe, test } from "node:test";
import * as api from "../../src/api.js";
import type { Connection } from "../../src/dialects/types.js";
import type { Table } from "../../src/schema/types.js";
import { createTestDatabase, DIALECTS, type TestDatabase } from "../helpers/databases.js";
import { inspect } from "../helpers/runtime.js";
import * as schema from "../../examples/shop/src/schema.js";

const SHOP = resolve(import.meta.dirname, "../../examples/shop");
const PROFILE = "5e2a9d7c3f10";
const EXPAND = "f2b7d4a8c6e1";
const BACKFILL = "a5c1e7f3b9d2";
const CONTRACT = "b8e4a2d6f1c3";

/** The split the revisions implement: at the first underscore; no underscore, no last name. */
function split(username: string): [string, string | null] {
  const at = username.indexOf("_");
  return at < 0 ? [username, null] : [username.slice(0, at), username.slice(at + 1)];
}

const OLD_BEFORE_EXPAND = ["alice_smith", "mary_jane_watson", "bob", "carol_", "_dave"];
const OLD_AFTER_EXPAND = ["erin_stone", "frank"];

for (const dialect of DIALECTS) {
  describe(`shop revisions on ${dialect}`, () => {
    let db: TestDatabase;
    const input = () => ({ cwd: SHOP, url: db.url });
    const upgrade = async (target: string) => (await api.upgrade(input(), target)).steps.map((s) => s.revision);
    const downgrade = async (target: string) => (await api.downgrade(input(), target)).steps.map((s) => s.revision);
    const current = async () => (await api.current(input())).rows;

    /** Run SQL with `?` placeholders (numbered for PostgreSQL). */
    const q = (sql: string, params: unknown[] = []) =>
      inspect(db.url, async (c: Connection) => {
        let n = 0;
        const text = dialect === "postgresql" ? sql.replace(/\?/g, () => `$${++n}`) : sql;
        return (await c.execute({ sql: text, params })).rows as Record<string, any>[];
      });
    const oldCodeInsert = (username: string) =>
      q("INSERT INTO users (username, email) VALUES (?, ?)", [username, `${username || "x"}@example.com`]);
    const newCodeInsert = (first: string, last: string | null, email: string) =>
      q("INSERT INTO users (first_name, last_name, email) VALUES (?, ?, ?)", [first, last, email]);
    const names = async () =>
      Object.fromEntries(
        (await q("SELECT email, first_name, last_name FROM users ORDER BY id")).map((r) => [r.email, [r.first_name, r.last_name]]),
      ) as Record<string, [string | null, string | null]>;

    before(async () => {
      db = await createTestDatabase(dialect);
    });
    after(async () => {
      await db.drop();
    });

    test("up to profile_picture_url, then the username split step by step, with data", async () => {
      assert.deepEqual(await upgrade(PROFILE), ["3a8f1c2d4b7e", "9c3e5f8a1d2b", "b7d2e9f4a6c1", PROFILE]);
      for (const u of OLD_BEFORE_EXPAND) await oldCodeInsert(u);

      // Expand: the old code's inserts still work and are completed by the trigger; the new code
      // writes first/last only (username may be NULL now).
      assert.deepEqual(await upgrade("+1"), [EXPAND]);
      for (const u of OLD_AFTER_EXPAND) await oldCodeInsert(u);
      await newCodeInsert("Zed", "Quux", "zed@example.com");
      let seen = await names();
      for (const u of OLD_BEFORE_EXPAND) assert.deepEqual(seen[`${u}@example.com`], [null, null], u);
      for (const u of OLD_AFTER_EXPAND) assert.deepEqual(seen[`${u}@example.com`], split(u), `trigger: ${u}`);
      assert.deepEqual(seen["zed@example.com"], ["Zed", "Quux"]);

      // Backfill: every row has its names; nothing else changed.
      assert.deepEqual(await upgrade("+1"), [BACKFILL]);
      seen = await names();
      for (const u of [...OLD_BEFORE_EXPAND, ...OLD_AFTER_EXPAND]) assert.deepEqual(seen[`${u}@example.com`], split(u), u);
      assert.deepEqual(seen["zed@example.com"], ["Zed", "Quux"]);

      // Contract: username is gone, first_name required, the trigger gone.
      assert.deepEqual(await upgrade("+1"), [CONTRACT]);
      assert.deepEqual(await current(), [CONTRACT]);
      await assert.rejects(q("SELECT username FROM users"));
      await assert.rejects(q("INSERT INTO users (email) VALUES (?)", ["nameless@example.com"]));
      // The final code: a user whose <first>_<last> is an existing username.
      await newCodeInsert("alice", "smith", "alice2@example.com");

      // Contract's downgrade: every original username exactly; a clash gets _<id>.
      assert.deepEqual(await downgrade("-1"), [CONTRACT]);
      const rows = await q("SELECT id, email, username FROM users ORDER BY id");
      const byEmail = Object.fromEntries(rows.map((r) => [r.email, r]));
      for (const u of [...OLD_BEFORE_EXPAND, ...OLD_AFTER_EXPAND]) assert.equal(byEmail[`${u}@example.com`].username, u);
      assert.equal(byEmail["zed@example.com"].username, "Zed_Quux");
      assert.equal(byEmail["alice2@example.com"].username, `alice_smith_${byEmail["alice2@example.com"].id}`);
      // ... and the expand step's state again: the trigger completes the old code's inserts.
      await oldCodeInsert("gina_hale");
      assert.deepEqual((await names())["gina_hale@example.com"], ["gina", "hale"]);

      // Down to before the split: username required again, first/last gone.
      assert.deepEqual(await downgrade(PROFILE), [BACKFILL, EXPAND]);
      await assert.rejects(q("SELECT first_name FROM users"));
      const usernames = (await q("SELECT username FROM users ORDER BY id")).map((r) => r.username);
      assert.equal(usernames.length, OLD_BEFORE_EXPAND.length + OLD_AFTER_EXPAND.length + 3);
      assert.ok(usernames.every((u) => typeof u === "string"), JSON.stringify(usernames));
      await assert.rejects(q("INSERT INTO users (email) VALUES (?)", ["nameless@example.com"]));

      // And up again.
      assert.deepEqual(await upgrade("head"), [EXPAND, BACKFILL, CONTRACT]);
      seen = await names();
      for (const u of [...OLD_BEFORE_EXPAND, ...OLD_AFTER_EXPAND, "gina_hale"]) assert.deepEqual(seen[`${u}@example.com`], split(u), u);
    });

    test("the schema at head is examples/shop/src/schema.ts", async () => {
      for (const table of Object.values(schema) as Table[]) {
        const expected = table.columns.map((c) => `${c.name}${c.nullable ? "" : " NOT NULL"}`);
        assert.deepEqual(await columnsOf(dialect, db.url, table.name), expected, `columns of ${table.name}`);
        const indexes = await indexesOf(dialect, db.url, table.name);
        for (const ix of table.indexes) assert.ok(indexes.includes(ix.name), `${table.name}: index ${ix.name} (found ${indexes.join(", ")})`);
      }
    });

    test("down to base and up to head again", async () => {
      await downgrade("base");
      assert.deepEqual(await current(), []);
      assert.equal((await upgrade("head")).length, 7);
      assert.deepEqual(await current(), [CONTRACT]);
    });
  });
}

/** `name [NOT NULL]` per column, in column order. */
async function columnsOf(dialect: string, url: string, table: string): Promise<string[]> {
  return inspect(url, async (c) => {
    let rows: Record<string, unknown>[];
    if (dialect === "sqlite") {
      rows = (await c.execute({ sql: `SELECT name, "notnull" AS nn, pk FROM pragma_table_info(?) ORDER BY cid`, params: [table] })).rows;
      // The INTEGER PRIMARY KEY is the rowid: NOT NULL whatever pragma_table_info says.
      return rows.map((r) => `${r.name}${Number(r.nn) === 1 || Number(r.pk) > 0 ? " NOT NULL" : ""}`);
    }
    const sql =
      dialect === "postgresql"
        ? `SELECT column_name AS name, is_nullable AS nullable FROM information_schema.columns
            WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position`
        : `SELECT COLUMN_NAME AS name, IS_NULLABLE AS nullable FROM information_schema.COLUMNS
            WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION`;
    rows = (await c.execute({ sql, params: [table] })).rows;
    return rows.map((r) => `${r.name}${r.nullable === "NO" ? " NOT NULL" : ""}`);
  });
}

async function indexesOf(dialect: string, url: string, table: string): Promise<string[]> {
  return inspect(url, async (c) => {
    const statement =
      dialect === "postgresql"
        ? { sql: "SELECT indexname AS name FROM pg_indexes WHERE schemaname = current_schema() AND tablename = $1", params: [table] }
        : dialect === "mysql"
          ? { sql: "SELECT DISTINCT INDEX_NAME AS name FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?", params: [table] }
          : { sql: "SELECT name FROM pragma_index_list(?)", params: [table] };
    return (await c.execute(statement)).rows.map((r) => String(r.name));
  });
}
