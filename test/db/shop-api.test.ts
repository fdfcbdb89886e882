/**
 * The shop example as it is deployed: its entrypoint (examples/shop/src/entrypoint.ts) against a
 * fresh PostgreSQL database, MariaDB database and SQLite file runs `athanor upgrade head`, then
 * serves on 127.0.0.1 and an ephemeral port; the HTTP API answers the tutorial's requests; SIGTERM
 * stops it cleanly.
 */
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { resolve } from "node:path";
import { after, before, describe, test } from "node:test";
import type { Connection } from "../../src/dialects/types.js";
import { createTestDatabase, DIALECTS, type TestDatabase } from "../helpers/databases.js";
import { inspect } from "../helpers/runtime.js";

const ENTRYPOINT = resolve(import.meta.dirname, "../../examples/shop/src/entrypoint.ts");
const HEAD = "b8e4a2d6f1c3";

interface Running {
  child: ChildProcess;
  base: string;
  output: () => string;
  exited: Promise<number | null>;
}

/** Start the entrypoint; resolves once it prints its URL (fails if it exits or takes > 30 s). */
function startEntrypoint(databaseUrl: string): Promise<Running> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: databaseUrl, PORT: "0", HOST: "127.0.0.1", APP_ENV: "test" };
  delete env.NODE_OPTIONS;
  const child = spawn(process.execPath, ["--import", "tsx", ENTRYPOINT], { env, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  const exited = new Promise<number | null>((r) => child.once("close", (code) => r(code)));
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`the entrypoint did not start within 30 s:\n${out}`));
    }, 30_000);
    const onData = () => {
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        child.stdout!.off("data", onData);
        resolvePromise({ child, base: m[1]!, output: () => out, exited });
      }
    };
    child.stdout!.on("data", onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the entrypoint exited (${code}) before serving:\n${out}`));
    });
  });
}

async function http(method: string, url: string, body?: unknown): Promise<{ status: number; type: string; json: any }> {
  const res = await fetch(url, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, type: res.headers.get("content-type") ?? "", json: await res.json() };
}

for (const dialect of DIALECTS) {
  describe(`shop API on ${dialect}`, () => {
    let db: TestDatabase;
    let app: Running;
    let userId: number;

    const q = (sql: string, params: unknown[] = []) =>
      inspect(db.url, async (c: Connection) => {
        let n = 0;
        const text = dialect === "postgresql" ? sql.replace(/\?/g, () => `$${++n}`) : sql;
        return (await c.execute({ sql: text, params })).rows as Record<string, any>[];
      });

    before(async () => {
      db = await createTestDatabase(dialect);
      app = await startEntrypoint(db.url);
      // The tutorial's data, written directly (not through the API under test).
      await q("INSERT INTO users (email, first_name, last_name, phone_number) VALUES (?, ?, ?, ?)", [
        "alice@example.com", "alice", "smith", "+1-555-0100",
      ]);
      userId = Number((await q("SELECT id FROM users WHERE email = ?", ["alice@example.com"]))[0]!.id);
      await q("INSERT INTO orders (user_id, total_amount) VALUES (?, ?)", [userId, "19.99"]);
      await q("INSERT INTO orders (user_id, total_amount, status) VALUES (?, ?, ?)", [userId, "5.00", "shipped"]);
    });

    after(async () => {
      if (app && app.child.exitCode === null) {
        app.child.kill("SIGKILL");
        await app.exited;
      }
      await db?.drop();
    });

    test("migrations ran first: the entrypoint logged athanor's upgrade before serving", () => {
      const out = app.output();
      const ran = out.indexOf(`Running upgrade a5c1e7f3b9d2 -> ${HEAD}`);
      assert.ok(ran >= 0, out);
      assert.ok(ran < out.indexOf("listening on"), out);
    });

    test("GET /health", async () => {
      const r = await http("GET", `${app.base}/health`);
      assert.equal(r.status, 200);
      assert.match(r.type, /application\/json/);
      assert.deepEqual(r.json, { status: "ok", database: dialect, revision: HEAD });
    });

    test("GET /users/:id: the seeded user", async () => {
      const r = await http("GET", `${app.base}/users/${userId}`);
      assert.equal(r.status, 200);
      const { created_at, ...rest } = r.json;
      assert.deepEqual(rest, {
        id: userId,
        email: "alice@example.com",
        first_name: "alice",
        last_name: "smith",
        full_name: null,
        phone_number: "+1-555-0100",
        profile_picture_url: null,
        is_active: true,
      });
      assert.ok(!Number.isNaN(Date.parse(created_at)), created_at);
    });

    test("GET /users/:id: 404 with a JSON error for a missing user", async () => {
      const r = await http("GET", `${app.base}/users/999999`);
      assert.equal(r.status, 404);
      assert.match(r.type, /application\/json/);
      assert.deepEqual(r.json, { error: "user 999999 not found" });
      assert.equal((await http("GET", `${app.base}/users/abc`)).status, 400);
    });

    test("GET /users/:id/orders: the user's orders, newest first", async () => {
      const r = await http("GET", `${app.base}/users/${userId}/orders`);
      assert.equal(r.status, 200);
      assert.deepEqual(
        r.json.map((o: any) => [o.user_id, o.total_amount, o.status]),
        [
          [userId, "5.00", "shipped"],
          [userId, "19.99", "pending"],
        ],
      );
      assert.equal((await http("GET", `${app.base}/users/999999/orders`)).status, 404);
    });

    test("POST /users, POST /users/:id/orders, PATCH /orders/:id (with its status history)", async () => {
      const created = await http("POST", `${app.base}/users`, { email: "bob@example.com", first_name: "bob" });
      assert.equal(created.status, 201, JSON.stringify(created.json));
      assert.equal(created.json.first_name, "bob");
      assert.equal(created.json.last_name, null);
      assert.equal((await http("POST", `${app.base}/users`, { email: "bob@example.com", first_name: "bob" })).status, 409);
      assert.equal((await http("POST", `${app.base}/users`, { email: "carol@example.com" })).status, 400);

      const order = await http("POST", `${app.base}/users/${created.json.id}/orders`, { total_amount: "42.50" });
      assert.equal(order.status, 201, JSON.stringify(order.json));
      assert.deepEqual([order.json.total_amount, order.json.status], ["42.50", "pending"]);
      const paid = await http("PATCH", `${app.base}/orders/${order.json.id}`, { status: "paid" });
      assert.equal(paid.status, 200, JSON.stringify(paid.json));
      assert.deepEqual(
        paid.json.history.map((h: any) => [h.old_status, h.new_status]),
        [
          [null, "pending"],
          ["pending", "paid"],
        ],
      );
      // ON DELETE CASCADE: the user's orders and their history go with the user.
      // (SQLite enforces foreign keys per connection, when asked to, as the app's connection does.)
      if (dialect === "sqlite") {
        await inspect(db.url, async (c) => {
          await c.execute({ sql: "PRAGMA foreign_keys = ON" });
          await c.execute({ sql: "DELETE FROM users WHERE id = ?", params: [created.json.id] });
        });
      } else {
        await q("DELETE FROM users WHERE id = ?", [created.json.id]);
      }
      assert.equal((await http("GET", `${app.base}/orders/${order.json.id}`)).status, 404);
      const left = await q("SELECT COUNT(*) AS n FROM order_status_history WHERE order_id = ?", [order.json.id]);
      assert.equal(Number(left[0]!.n), 0);
    });

    test("SIGTERM stops the server cleanly", async () => {
      app.child.kill("SIGTERM");
      assert.equal(await app.exited, 0, app.output());
      assert.match(app.output(), /SIGTERM received, shutting down/);
    });
  });
}
