/**
 * The tutorial's stories, end to end on PostgreSQL: one project holding the tutorial's revisions
 * (examples/tutorial/versions) and the stories that follow them (examples/tutorial/stories), run
 * as a user would — the built CLI for the schema stories, the programmatic API for the data
 * stories — with catalog and data assertions after every upgrade and downgrade.
 *
 *   3a8f1c2d4b7e  users and orders              (CLI)  upgrade -> downgrade -> upgrade
 *   9c3e5f8a1d2b  users.phone_number + index    (CLI)
 *   b7d2e9f4a6c1  order_status_history          (CLI)
 *   c4e8a1b3d5f7 / d1f5b8c2e9a4 / e6a3c9d7f2b8   full_name -> display_name, expand (sync trigger) /
 *                                                 backfill (op.backfill) / contract (API)
 *   f2b7d4a8c6e1 / a5c1e7f3b9d2 / b8e4a2d6f1c3   username -> first_name/last_name on 10,000 rows,
 *                                                 expand / backfill (op.backfill) / contract (API)
 *
 * The tests share one database and run in order: each story starts where the previous one ends.
 */
import assert from "node:assert/strict";
import { cpSync } from "node:fs";
import { join, resolve } from "node:path";
import { after, before, describe, test } from "node:test";
import pg from "pg";
import * as api from "../../src/api.js";
import { createTestDatabase, type TestDatabase } from "../helpers/databases.js";
import { athanor, tempDir } from "../cli/cli-helpers.js";

const EXAMPLES = resolve(import.meta.dirname, "../../examples/tutorial");

const INITIAL = "3a8f1c2d4b7e";
const PHONE = "9c3e5f8a1d2b";
const AUDIT = "b7d2e9f4a6c1";
const RENAME_EXPAND = "c4e8a1b3d5f7";
const RENAME_BACKFILL = "d1f5b8c2e9a4";
const RENAME_CONTRACT = "e6a3c9d7f2b8";
const SPLIT_EXPAND = "f2b7d4a8c6e1";
const SPLIT_BACKFILL = "a5c1e7f3b9d2";
const SPLIT_CONTRACT = "b8e4a2d6f1c3";

describe("the tutorial's stories on PostgreSQL", () => {
  const project = tempDir("athanor-stories-");
  let db: TestDatabase;
  let client: pg.Client;

  const q = async <T extends Record<string, unknown> = Record<string, any>>(sql: string, params?: unknown[]): Promise<T[]> =>
    (await client.query(sql, params)).rows as T[];

  /** The built CLI in the project folder; must exit 0. */
  const cli = (...args: string[]) => {
    const r = athanor(project.dir, args, { DATABASE_URL: db.url });
    assert.equal(r.status, 0, `athanor ${args.join(" ")} failed:\n${r.stderr}`);
    return r;
  };
  const cliCurrent = () => cli("current").stdout;

  /** The programmatic API on the same project. */
  const projectInput = () => ({ cwd: project.dir, url: db.url });
  const apiUpgrade = async (target: string) => (await api.upgrade(projectInput(), target)).steps.map((s) => s.revision);
  const apiDowngrade = async (target: string) => (await api.downgrade(projectInput(), target)).steps.map((s) => s.revision);
  const apiCurrent = async () => (await api.current(projectInput())).rows;

  // ------------------------------------------------------------------ catalog helpers

  /** `name type [NOT NULL] [DEFAULT expr]` per column, in column order. */
  async function columns(table: string): Promise<string[]> {
    const rows = await q(
      `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS notnull,
              pg_get_expr(d.adbin, d.adrelid) AS dflt
         FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped
        ORDER BY a.attnum`,
      [table],
    );
    return rows.map((r) => `${r.name} ${r.type}${r.notnull ? " NOT NULL" : ""}${r.dflt === null ? "" : ` DEFAULT ${r.dflt}`}`);
  }

  /** `name: definition` of the table's constraints of the given kinds (p, u, f, c), sorted. */
  async function constraints(table: string, kinds = "puf"): Promise<string[]> {
    const rows = await q(
      `SELECT conname, pg_get_constraintdef(oid) AS def FROM pg_constraint
        WHERE conrelid = $1::regclass AND strpos($2, contype::text) > 0 ORDER BY conname`,
      [table, kinds],
    );
    return rows.map((r) => `${r.conname}: ${r.def}`);
  }

  /** Index definitions of the table, constraint-backing indexes excluded, sorted. */
  async function indexes(table: string): Promise<string[]> {
    const rows = await q(
      `SELECT pg_get_indexdef(i.indexrelid) AS def FROM pg_index i
        WHERE i.indrelid = $1::regclass
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
        ORDER BY 1`,
      [table],
    );
    return rows.map((r) => String(r.def));
  }

  async function tables(): Promise<string[]> {
    const rows = await q(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`);
    return rows.map((r) => String(r.tablename));
  }

  async function triggers(table: string): Promise<string[]> {
    const rows = await q(`SELECT tgname FROM pg_trigger WHERE tgrelid = $1::regclass AND NOT tgisinternal ORDER BY tgname`, [table]);
    return rows.map((r) => String(r.tgname));
  }

  /** Rows left in op.backfill's progress table (none once every backfill completed). */
  async function backfillProgressRows(): Promise<number> {
    return (await q(`SELECT count(*)::int AS n FROM athanor_backfill`))[0]!.n as number;
  }

  async function functionExists(name: string): Promise<boolean> {
    return (await q(`SELECT 1 FROM pg_proc WHERE proname = $1`, [name])).length > 0;
  }

  before(async () => {
    db = await createTestDatabase("postgresql");
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
    const init = athanor(project.dir, ["init", "migrations"]);
    assert.equal(init.status, 0, init.stderr);
    const versions = join(project.dir, "migrations/versions");
    cpSync(join(EXAMPLES, "versions"), versions, { recursive: true });
    cpSync(join(EXAMPLES, "stories"), versions, { recursive: true });
  });

  after(async () => {
    await client?.end();
    await db?.drop();
    project.cleanup();
  });

  // ------------------------------------------------------------------ 1. users and orders

  const USERS_INITIAL = [
    "id integer NOT NULL DEFAULT nextval('users_id_seq'::regclass)",
    "username character varying(50) NOT NULL",
    "email character varying(255) NOT NULL",
    "full_name character varying(100)",
    "is_active boolean NOT NULL DEFAULT true",
    "created_at timestamp with time zone NOT NULL DEFAULT CURRENT_TIMESTAMP",
  ];
  const ORDERS = [
    "id integer NOT NULL DEFAULT nextval('orders_id_seq'::regclass)",
    "user_id integer NOT NULL",
    "total_amount numeric(10,2) NOT NULL",
    "status character varying(20) NOT NULL DEFAULT 'pending'::character varying",
    "created_at timestamp with time zone NOT NULL DEFAULT CURRENT_TIMESTAMP",
  ];
  const ORDERS_CONSTRAINTS = [
    "orders_pkey: PRIMARY KEY (id)",
    "orders_user_id_fkey: FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE",
  ];
  const ORDERS_INDEXES = ["CREATE INDEX ix_orders_user_id ON public.orders USING btree (user_id)"];

  async function assertInitialSchema(): Promise<void> {
    assert.deepEqual(await tables(), ["athanor_history", "athanor_version", "orders", "users"]);
    assert.deepEqual(await columns("users"), USERS_INITIAL);
    assert.deepEqual(await constraints("users"), [
      "users_email_key: UNIQUE (email)",
      "users_pkey: PRIMARY KEY (id)",
      "users_username_key: UNIQUE (username)",
    ]);
    assert.deepEqual(await indexes("users"), []);
    assert.deepEqual(await columns("orders"), ORDERS);
    assert.deepEqual(await constraints("orders"), ORDERS_CONSTRAINTS);
    assert.deepEqual(await indexes("orders"), ORDERS_INDEXES);
  }

  test("users and orders: upgrade, downgrade to base, upgrade; defaults and ON DELETE CASCADE work", async () => {
    assert.equal(cliCurrent(), "");
    const up = cli("upgrade", INITIAL);
    assert.match(up.stderr, new RegExp(`Running upgrade  -> ${INITIAL}, add users and orders tables`));
    assert.equal(cliCurrent(), `${INITIAL}\n`);
    await assertInitialSchema();

    const down = cli("downgrade", "base");
    assert.match(down.stderr, new RegExp(`Running downgrade ${INITIAL} -> , add users and orders tables`));
    assert.equal(cliCurrent(), "");
    assert.deepEqual(await tables(), ["athanor_history", "athanor_version"]);
    assert.equal((await q(`SELECT count(*)::int AS n FROM pg_class WHERE relname LIKE 'users%' OR relname LIKE 'orders%' OR relname LIKE 'ix_%'`))[0]!.n, 0,
      "no leftover sequence or index");

    cli("upgrade", INITIAL);
    assert.equal(cliCurrent(), `${INITIAL}\n`);
    await assertInitialSchema();

    // Server defaults fill what the INSERT leaves out.
    const [user] = await q(`INSERT INTO users (username, email) VALUES ('alice_smith', 'alice@example.com')
                            RETURNING id, is_active, full_name, created_at > now() - interval '1 minute' AS recent`);
    const { id: _id, ...defaults } = user!;
    assert.deepEqual(defaults, { is_active: true, full_name: null, recent: true });
    await q(`INSERT INTO users (username, email) VALUES ('bob', 'bob@example.com')`);
    await q(`INSERT INTO orders (user_id, total_amount) SELECT id, 12.5 FROM users`);
    await q(`INSERT INTO orders (user_id, total_amount) SELECT id, 99999999.99 FROM users WHERE username = 'alice_smith'`);
    const orders = await q(`SELECT o.status, o.total_amount, u.username FROM orders o JOIN users u ON u.id = o.user_id ORDER BY o.id`);
    assert.deepEqual(orders, [
      { status: "pending", total_amount: "12.50", username: "alice_smith" },
      { status: "pending", total_amount: "12.50", username: "bob" },
      { status: "pending", total_amount: "99999999.99", username: "alice_smith" },
    ]);
    // numeric(10,2) refuses more than 8 digits before the point; NOT NULL and the FK hold.
    await assert.rejects(q(`INSERT INTO orders (user_id, total_amount) VALUES ($1, 100000000)`, [user!.id]), /numeric field overflow/);
    await assert.rejects(q(`INSERT INTO orders (user_id, total_amount) VALUES (NULL, 1)`), /null value in column "user_id"/);
    await assert.rejects(q(`INSERT INTO orders (user_id, total_amount) VALUES (-1, 1)`), /orders_user_id_fkey/);
    await assert.rejects(q(`INSERT INTO users (username, email) VALUES ('alice_smith', 'other@example.com')`), /users_username_key/);
    // Deleting a user deletes its orders, and only its orders.
    await q(`DELETE FROM users WHERE id = $1`, [user!.id]);
    assert.deepEqual(await q(`SELECT u.username, count(*)::int AS n FROM orders o JOIN users u ON u.id = o.user_id GROUP BY 1`), [
      { username: "bob", n: 1 },
    ]);
    assert.equal((await q(`SELECT count(*)::int AS n FROM orders`))[0]!.n, 1);
    await q(`DELETE FROM users`);
  });

  // ------------------------------------------------------------------ 2. phone_number

  test("phone_number: the column and its index come, go, and come back", async () => {
    await q(`INSERT INTO users (username, email) VALUES ('carol', 'carol@example.com')`);
    cli("upgrade", "+1");
    assert.equal(cliCurrent(), `${PHONE}\n`, "not a head: the stories follow");
    assert.deepEqual(await columns("users"), [...USERS_INITIAL, "phone_number character varying(20)"]);
    assert.deepEqual(await indexes("users"), ["CREATE INDEX ix_users_phone_number ON public.users USING btree (phone_number)"]);
    assert.deepEqual(await q(`SELECT username, phone_number FROM users`), [{ username: "carol", phone_number: null }]);
    await q(`UPDATE users SET phone_number = '+1 555 0100'`);
    await assert.rejects(q(`UPDATE users SET phone_number = repeat('9', 21)`), /too long for type character varying\(20\)/);

    const down = cli("downgrade", "-1");
    assert.match(down.stderr, new RegExp(`Running downgrade ${PHONE} -> ${INITIAL}, add phone_number to users`));
    assert.equal(cliCurrent(), `${INITIAL}\n`);
    assert.deepEqual(await columns("users"), USERS_INITIAL);
    assert.deepEqual(await indexes("users"), []);
    assert.deepEqual(await q(`SELECT username FROM users`), [{ username: "carol" }], "the row survives the dropped column");

    cli("upgrade", PHONE);
    assert.equal(cliCurrent(), `${PHONE}\n`);
    assert.deepEqual(await columns("users"), [...USERS_INITIAL, "phone_number character varying(20)"]);
    assert.deepEqual(await indexes("users"), ["CREATE INDEX ix_users_phone_number ON public.users USING btree (phone_number)"]);
    assert.deepEqual(await q(`SELECT username, phone_number FROM users`), [{ username: "carol", phone_number: null }]);
    await q(`DELETE FROM users`);
  });

  // ------------------------------------------------------------------ 3. order_status_history

  const USERS_WITH_PHONE = [...USERS_INITIAL, "phone_number character varying(20)"];
  const HISTORY = [
    "id integer NOT NULL DEFAULT nextval('order_status_history_id_seq'::regclass)",
    "order_id integer NOT NULL",
    "old_status character varying(20)",
    "new_status character varying(20) NOT NULL",
    "changed_at timestamp with time zone NOT NULL DEFAULT now()",
  ];

  async function assertHistoryTable(): Promise<void> {
    assert.deepEqual(await columns("order_status_history"), HISTORY);
    assert.deepEqual(await constraints("order_status_history"), [
      "order_status_history_order_id_fkey: FOREIGN KEY (order_id) REFERENCES orders(id) ON DELETE CASCADE",
      "order_status_history_pkey: PRIMARY KEY (id)",
    ]);
    assert.deepEqual(await indexes("order_status_history"), [
      "CREATE INDEX ix_order_status_history_order_id ON public.order_status_history USING btree (order_id)",
    ]);
  }

  test("order_status_history: the audit table, its FK cascade from orders, changed_at defaulting to now()", async () => {
    cli("upgrade", "head", "--sql"); // offline rendering of the whole chain works too (never connects)
    cli("upgrade", AUDIT);
    assert.equal(cliCurrent(), `${AUDIT}\n`);
    await assertHistoryTable();
    assert.deepEqual(await columns("users"), USERS_WITH_PHONE, "users untouched");

    const [{ id: userId }] = (await q(`INSERT INTO users (username, email) VALUES ('dave', 'dave@example.com') RETURNING id`)) as [{ id: number }];
    const [{ id: o1 }] = (await q(`INSERT INTO orders (user_id, total_amount) VALUES ($1, 10) RETURNING id`, [userId])) as [{ id: number }];
    const [{ id: o2 }] = (await q(`INSERT INTO orders (user_id, total_amount) VALUES ($1, 20) RETURNING id`, [userId])) as [{ id: number }];
    await q(
      `INSERT INTO order_status_history (order_id, old_status, new_status)
       VALUES ($1, NULL, 'pending'), ($1, 'pending', 'paid'), ($2, NULL, 'pending')`,
      [o1, o2],
    );
    const history = await q(`SELECT order_id, old_status, new_status, changed_at > now() - interval '1 minute' AS recent
                               FROM order_status_history ORDER BY id`);
    assert.deepEqual(history.map((h) => [h.order_id, h.old_status, h.new_status, h.recent]), [
      [o1, null, "pending", true],
      [o1, "pending", "paid", true],
      [o2, null, "pending", true],
    ]);
    await assert.rejects(q(`INSERT INTO order_status_history (order_id, new_status) VALUES (-1, 'x')`), /order_status_history_order_id_fkey/);
    await assert.rejects(q(`INSERT INTO order_status_history (order_id) VALUES ($1)`, [o1]), /null value in column "new_status"/);
    // Deleting an order deletes its history; deleting the user cascades through orders into history.
    await q(`DELETE FROM orders WHERE id = $1`, [o1]);
    assert.deepEqual(await q(`SELECT order_id FROM order_status_history`), [{ order_id: o2 }]);
    await q(`DELETE FROM users WHERE id = $1`, [userId]);
    assert.equal((await q(`SELECT count(*)::int AS n FROM order_status_history`))[0]!.n, 0);
    await q(`INSERT INTO users (username, email) VALUES ('erin', 'erin@example.com')`);

    cli("downgrade", "-1");
    assert.equal(cliCurrent(), `${PHONE}\n`);
    assert.ok(!(await tables()).includes("order_status_history"));
    assert.equal((await q(`SELECT count(*)::int AS n FROM pg_class WHERE relname LIKE '%order_status_history%'`))[0]!.n, 0,
      "table, sequence and index all gone");
    assert.deepEqual(await columns("orders"), ORDERS);

    cli("upgrade", "+1");
    assert.equal(cliCurrent(), `${AUDIT}\n`);
    await assertHistoryTable();
    assert.deepEqual(await q(`SELECT username FROM users`), [{ username: "erin" }]);
    await q(`DELETE FROM users`);
  });

  // ------------------------------------------------------------------ 4. full_name -> display_name

  test("expand/contract rename of full_name to display_name: every value survives up, down and up again", async () => {
    const names: (string | null)[] = [
      "Ada Lovelace", null, "Dónal O'Brien", "李小龙", "", "x".repeat(100), "  two  spaces  ", "Zoë \"Z\" Ångström", "🙂 emoji",
    ];
    const ids: number[] = [];
    for (const [i, name] of names.entries()) {
      const [row] = await q(`INSERT INTO users (username, email, full_name) VALUES ($1, $2, $3) RETURNING id`, [`u${i}`, `u${i}@example.com`, name]);
      ids.push(row!.id as number);
    }
    const expected = new Map(ids.map((id, i) => [id, names[i]!] as const));
    const readColumn = async (column: string) =>
      new Map((await q(`SELECT id, ${column} AS v FROM users ORDER BY id`)).map((r) => [r.id as number, r.v as string | null] as const));

    // expand: the new column, nullable; old rows not yet copied; writes through either name are mirrored.
    assert.deepEqual(await apiUpgrade("+1"), [RENAME_EXPAND]);
    assert.deepEqual(await apiCurrent(), [RENAME_EXPAND]);
    assert.deepEqual(await columns("users"), [...USERS_WITH_PHONE, "display_name character varying(100)"]);
    assert.deepEqual(await triggers("users"), ["users_sync_display_name"]);
    assert.deepEqual(await readColumn("full_name"), expected);
    assert.deepEqual([...(await readColumn("display_name")).values()], names.map(() => null), "not backfilled yet");
    const [oldWriter] = await q(`INSERT INTO users (username, email, full_name) VALUES ('old', 'old@example.com', 'Old Writer') RETURNING id, display_name`);
    const [newWriter] = await q(`INSERT INTO users (username, email, display_name) VALUES ('new', 'new@example.com', 'New Writer') RETURNING id, full_name`);
    assert.equal(oldWriter!.display_name, "Old Writer");
    assert.equal(newWriter!.full_name, "New Writer");
    await q(`UPDATE users SET full_name = 'Ada King' WHERE id = $1`, [ids[0]]);
    assert.deepEqual(await q(`SELECT full_name, display_name FROM users WHERE id = $1`, [ids[0]]), [{ full_name: "Ada King", display_name: "Ada King" }]);
    expected.set(ids[0]!, "Ada King");
    expected.set(oldWriter!.id as number, "Old Writer");
    expected.set(newWriter!.id as number, "New Writer");

    // backfill (op.backfill, batches of 1,000): every row now has display_name = full_name.
    assert.deepEqual(await apiUpgrade("+1"), [RENAME_BACKFILL]);
    assert.deepEqual(await readColumn("full_name"), expected);
    assert.deepEqual(await readColumn("display_name"), expected);
    assert.equal(await backfillProgressRows(), 0, "a completed backfill leaves no progress row");

    // contract: full_name, the trigger and its function are gone; display_name holds every value.
    assert.deepEqual(await apiUpgrade("+1"), [RENAME_CONTRACT]);
    assert.deepEqual(await apiCurrent(), [RENAME_CONTRACT]);
    const USERS_RENAMED = [...USERS_INITIAL.filter((c) => !c.startsWith("full_name")), "phone_number character varying(20)", "display_name character varying(100)"];
    assert.deepEqual(await columns("users"), USERS_RENAMED);
    assert.deepEqual(await triggers("users"), []);
    assert.equal(await functionExists("users_sync_display_name"), false);
    assert.deepEqual(await readColumn("display_name"), expected);

    // downgrade the contract step: full_name is back with every value, mirrored again.
    assert.deepEqual(await apiDowngrade("-1"), [RENAME_CONTRACT]);
    assert.deepEqual(await columns("users"), [...USERS_RENAMED, "full_name character varying(100)"]);
    assert.deepEqual(await readColumn("full_name"), expected);
    assert.deepEqual(await readColumn("display_name"), expected);
    assert.deepEqual(await triggers("users"), ["users_sync_display_name"]);

    // ... and all the way back to before the story: only full_name, with every value.
    assert.deepEqual(await apiDowngrade(AUDIT), [RENAME_BACKFILL, RENAME_EXPAND]);
    assert.deepEqual(await apiCurrent(), [AUDIT]);
    assert.deepEqual(await columns("users"), [...USERS_INITIAL.filter((c) => !c.startsWith("full_name")), "phone_number character varying(20)", "full_name character varying(100)"]);
    assert.deepEqual(await triggers("users"), []);
    assert.equal(await functionExists("users_sync_display_name"), false);
    assert.deepEqual(await readColumn("full_name"), expected);

    // upgrade again, in one run: the same end state, the same values.
    assert.deepEqual(await apiUpgrade(RENAME_CONTRACT), [RENAME_EXPAND, RENAME_BACKFILL, RENAME_CONTRACT]);
    assert.deepEqual(await columns("users"), [...USERS_INITIAL.filter((c) => !c.startsWith("full_name")), "phone_number character varying(20)", "display_name character varying(100)"]);
    assert.deepEqual(await readColumn("display_name"), expected);
    assert.deepEqual(await triggers("users"), []);
  });

  // ------------------------------------------------------------------ 5. username -> first_name / last_name

  test("username split into first_name/last_name on 10,000 rows, and rebuilt exactly on downgrade", async () => {
    const N = 10_000;
    // Split at the first underscore; no underscore means no last name (NULL), a trailing one an empty last name.
    const fixed = ["alice_smith", "bob", "bob_", "_bob", "mary_jane_watson", "_", "__", "a__b", "josé_núñez", "o'brien_x", "🙂_smile",
      `${"f".repeat(24)}_${"l".repeat(25)}`, "n".repeat(50)];
    const usernames = [...fixed];
    const shapes = [(i: number) => `first${i}_last${i}`, (i: number) => `solo${i}`, (i: number) => `a${i}_b_c`, (i: number) => `_lead${i}`,
      (i: number) => `trail${i}_`, (i: number) => `zoë${i}_ørsted`, (i: number) => `x${i}__y`, (i: number) => `${i}`];
    for (let i = 0; usernames.length < N; i++) usernames.push(shapes[i % shapes.length]!(i));
    const split = (u: string): [string, string | null] => {
      const k = u.indexOf("_");
      return k < 0 ? [u, null] : [u.slice(0, k), u.slice(k + 1)];
    };
    assert.deepEqual(split("alice_smith"), ["alice", "smith"]);
    assert.deepEqual(split("bob"), ["bob", null]);

    await q(`DELETE FROM users`);
    const inserted = await q(
      `INSERT INTO users (username, email) SELECT u, 'user' || n || '@example.com' FROM unnest($1::text[]) WITH ORDINALITY AS t(u, n) ORDER BY n RETURNING id, username`,
      [usernames],
    );
    assert.equal(inserted.length, N);
    const byId = new Map(inserted.map((r) => [r.id as number, r.username as string] as const));
    const ids = [...byId.keys()].sort((a, b) => a - b);

    const rows = () => q(`SELECT * FROM users ORDER BY id`);
    const withUsername = ids.map((id) => ({ id, username: byId.get(id)! }));
    const withNames = ids.map((id) => {
      const [first_name, last_name] = split(byId.get(id)!);
      return { id, first_name, last_name };
    });
    const pick = (all: Record<string, any>[], keys: string[]) => all.map((r) => Object.fromEntries(keys.map((k) => [k, r[k]])));
    const assertRows = async (expect: { username?: boolean; names?: "split" | "null" | "absent" }) => {
      const all = await rows();
      assert.equal(all.length, N);
      if (expect.username) assert.deepEqual(pick(all, ["id", "username"]), withUsername);
      else assert.ok(!("username" in all[0]!), "username column is gone");
      if (expect.names === "split") assert.deepEqual(pick(all, ["id", "first_name", "last_name"]), withNames);
      if (expect.names === "null") assert.deepEqual(pick(all, ["id", "first_name", "last_name"]), ids.map((id) => ({ id, first_name: null, last_name: null })));
      if (expect.names === "absent") assert.ok(!("first_name" in all[0]!) && !("last_name" in all[0]!));
    };
    const BASE = [...USERS_INITIAL.filter((c) => !c.startsWith("full_name")), "phone_number character varying(20)", "display_name character varying(100)"];
    const NAMES_NULLABLE = ["first_name character varying(50)", "last_name character varying(50)"];
    const usernameUnique = async () => (await constraints("users", "u")).includes("users_username_key: UNIQUE (username)");

    await assertRows({ username: true, names: "absent" });

    // expand: two nullable columns, nothing filled yet.
    assert.deepEqual(await apiUpgrade("+1"), [SPLIT_EXPAND]);
    assert.deepEqual(await columns("users"), [...BASE, ...NAMES_NULLABLE]);
    await assertRows({ username: true, names: "null" });

    // backfill: op.backfill in batches of 5,000 (split_part / strpos / substr).
    assert.deepEqual(await apiUpgrade("+1"), [SPLIT_BACKFILL]);
    await assertRows({ username: true, names: "split" });
    assert.equal(await backfillProgressRows(), 0);
    const sample = await q(`SELECT username, first_name, last_name FROM users WHERE username = ANY($1) ORDER BY username`,
      [["alice_smith", "bob", "bob_", "_bob", "mary_jane_watson", "_"]]);
    assert.deepEqual(sample, [
      { username: "_", first_name: "", last_name: "" },
      { username: "_bob", first_name: "", last_name: "bob" },
      { username: "alice_smith", first_name: "alice", last_name: "smith" },
      { username: "bob", first_name: "bob", last_name: null },
      { username: "bob_", first_name: "bob", last_name: "" },
      { username: "mary_jane_watson", first_name: "mary", last_name: "jane_watson" },
    ]);

    // contract: username and its unique constraint gone, first_name NOT NULL (via a validated
    // NOT VALID check, dropped afterwards).
    assert.deepEqual(await apiUpgrade("+1"), [SPLIT_CONTRACT]);
    assert.deepEqual(await apiCurrent(), [SPLIT_CONTRACT]);
    assert.deepEqual(await columns("users"), [
      ...BASE.filter((c) => !c.startsWith("username")),
      "first_name character varying(50) NOT NULL",
      "last_name character varying(50)",
    ]);
    assert.equal(await usernameUnique(), false);
    await assertRows({ username: false, names: "split" });

    // downgrade the contract: username rebuilt exactly for every row, NOT NULL and unique again.
    assert.deepEqual(await apiDowngrade("-1"), [SPLIT_CONTRACT]);
    assert.deepEqual(await columns("users"), [
      ...BASE.filter((c) => !c.startsWith("username")),
      ...NAMES_NULLABLE,
      "username character varying(50) NOT NULL",
    ]);
    assert.equal(await usernameUnique(), true);
    await assertRows({ username: true, names: "split" });
    await assert.rejects(q(`INSERT INTO users (username, email) VALUES ('alice_smith', 'dup@example.com')`), /users_username_key/);

    // downgrade the backfill, then the expand: back to the story's start, usernames intact.
    assert.deepEqual(await apiDowngrade("-1"), [SPLIT_BACKFILL]);
    await assertRows({ username: true, names: "null" });
    assert.deepEqual(await apiDowngrade("-1"), [SPLIT_EXPAND]);
    assert.deepEqual(await apiCurrent(), [RENAME_CONTRACT]);
    assert.deepEqual(await columns("users"), [...BASE.filter((c) => !c.startsWith("username")), "username character varying(50) NOT NULL"]);
    await assertRows({ username: true, names: "absent" });

    // upgrade again to head: the same split.
    assert.deepEqual(await apiUpgrade("head"), [SPLIT_EXPAND, SPLIT_BACKFILL, SPLIT_CONTRACT]);
    assert.deepEqual(await apiCurrent(), [SPLIT_CONTRACT]);
    await assertRows({ username: false, names: "split" });
    assert.equal((await constraints("users", "c")).length, 0);
  });

  // ------------------------------------------------------------------ the whole chain

  test("the whole chain: downgrade base drops everything, upgrade head rebuilds the same schema", async () => {
    const snapshot = async () => {
      const out: Record<string, unknown> = {};
      for (const t of await tables()) {
        if (t.startsWith("athanor_")) continue;
        out[t] = { columns: (await columns(t)).sort(), constraints: await constraints(t, "pufc"), indexes: await indexes(t) };
      }
      return out;
    };
    const atHead = await snapshot();
    assert.deepEqual(Object.keys(atHead), ["order_status_history", "orders", "users"]);
    const down = cli("downgrade", "base");
    assert.equal(down.stderr.split("\n").filter((l) => l.includes("Running downgrade")).length, 9);
    assert.equal(cliCurrent(), "");
    assert.deepEqual((await tables()).filter((t) => !t.startsWith("athanor_")), []);
    const up = cli("upgrade", "head");
    assert.equal(up.stderr.split("\n").filter((l) => l.includes("Running upgrade")).length, 9);
    assert.equal(cliCurrent(), `${SPLIT_CONTRACT} (head)\n`);
    assert.deepEqual(await snapshot(), atHead);
  });
});
