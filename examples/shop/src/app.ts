/**
 * The shop's HTTP API (Hono). Every response is JSON; errors are `{ "error": "..." }`.
 *
 *   GET   /health                  {"status":"ok","database":"postgresql","revision":"b8e4a2d6f1c3"}
 *   GET   /users/:id               a user, or 404 {"error":"user 42 not found"}
 *   GET   /users/:id/orders        the user's orders, newest first (404 when the user doesn't exist)
 *   POST  /users                   {"email","first_name","last_name"?,...} -> 201 the user (409: email taken)
 *   POST  /users/:id/orders        {"total_amount":"19.99"} -> 201 the order (status pending, recorded in its history)
 *   GET   /orders/:id              an order with its status history
 *   PATCH /orders/:id              {"status":"shipped"} -> the order; the change is recorded in order_status_history
 */
import { Hono, type Context } from "hono";
import { sql, type InsertQueryBuilder, type InsertResult, type Selectable } from "kysely";
import { appliedRevisions, describe, ping, type Dialect, type OrdersTable, type ShopDatabase, type ShopTables, type UsersTable } from "./db.js";

const STATUSES = ["pending", "paid", "shipped", "delivered", "cancelled"] as const;

// The drivers return the same columns differently: PostgreSQL booleans and Dates, MySQL 0/1 and
// Dates, SQLite 0/1 and "YYYY-MM-DD HH:MM:SS" (UTC) strings; NUMERIC as a string or a number.
// The API answers the same JSON whatever the database.
function bool(v: boolean | number): boolean {
  return v === true || v === 1;
}

function timestamp(v: Date | string): string {
  if (v instanceof Date) return v.toISOString();
  const utc = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d+)?$/.test(v) ? `${v.replace(" ", "T")}Z` : v;
  const d = new Date(utc);
  return Number.isNaN(d.getTime()) ? v : d.toISOString();
}

function money(v: string | number): string {
  return typeof v === "number" ? v.toFixed(2) : v;
}

function userJson(u: Selectable<UsersTable>) {
  return {
    id: u.id,
    email: u.email,
    first_name: u.first_name,
    last_name: u.last_name,
    full_name: u.full_name,
    phone_number: u.phone_number,
    profile_picture_url: u.profile_picture_url,
    is_active: bool(u.is_active),
    created_at: timestamp(u.created_at),
  };
}

function orderJson(o: Selectable<OrdersTable>) {
  return {
    id: o.id,
    user_id: o.user_id,
    total_amount: money(o.total_amount),
    status: o.status,
    created_at: timestamp(o.created_at),
  };
}

/** A positive integer id from the path, or null. */
function idParam(c: Context, name: string): number | null {
  const raw = c.req.param(name) ?? "";
  if (!/^\d{1,9}$/.test(raw)) return null;
  const n = Number(raw);
  return n > 0 ? n : null;
}

async function jsonBody(c: Context): Promise<Record<string, unknown> | null> {
  try {
    const body: unknown = await c.req.json();
    return body !== null && typeof body === "object" && !Array.isArray(body) ? (body as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function optionalString(body: Record<string, unknown>, key: string, max: number): string | null | undefined | Error {
  const v = body[key];
  if (v === undefined || v === null) return v as null | undefined;
  if (typeof v !== "string" || v.length > max) return new Error(`${key} must be a string of at most ${max} characters`);
  return v;
}

function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: unknown; errno?: unknown };
  return e?.code === "23505" || e?.errno === 1062 || e?.code === "SQLITE_CONSTRAINT_UNIQUE";
}

/** The id of a row just inserted: RETURNING on PostgreSQL, the driver's insert id elsewhere. */
async function insertedId<T extends keyof ShopTables>(
  dialect: Dialect,
  query: InsertQueryBuilder<ShopTables, T, InsertResult>,
): Promise<number> {
  if (dialect === "postgresql") {
    const row = await query.returning(sql<number>`id`.as("id")).executeTakeFirstOrThrow();
    return Number(row.id);
  }
  return Number((await query.executeTakeFirstOrThrow()).insertId);
}

export function createApp(database: ShopDatabase): Hono {
  const { db, dialect } = database;
  const app = new Hono();

  app.get("/health", async (c) => {
    try {
      await ping(database);
    } catch (error) {
      return c.json({ status: "error", database: dialect, error: `database unavailable: ${describe(error)}` }, 503);
    }
    const revisions = await appliedRevisions(database);
    return c.json({ status: "ok", database: dialect, revision: revisions.length === 1 ? revisions[0] : revisions });
  });

  app.get("/users/:id", async (c) => {
    const id = idParam(c, "id");
    if (id === null) return c.json({ error: `invalid user id '${c.req.param("id")}'` }, 400);
    const user = await db.selectFrom("users").selectAll().where("id", "=", id).executeTakeFirst();
    if (!user) return c.json({ error: `user ${id} not found` }, 404);
    return c.json(userJson(user));
  });

  app.get("/users/:id/orders", async (c) => {
    const id = idParam(c, "id");
    if (id === null) return c.json({ error: `invalid user id '${c.req.param("id")}'` }, 400);
    const user = await db.selectFrom("users").select("id").where("id", "=", id).executeTakeFirst();
    if (!user) return c.json({ error: `user ${id} not found` }, 404);
    const orders = await db.selectFrom("orders").selectAll().where("user_id", "=", id).orderBy("id", "desc").execute();
    return c.json(orders.map(orderJson));
  });

  app.post("/users", async (c) => {
    const body = await jsonBody(c);
    if (!body) return c.json({ error: "expected a JSON object" }, 400);
    const email = body.email;
    const firstName = body.first_name;
    if (typeof email !== "string" || !/^[^@\s]+@[^@\s]+$/.test(email) || email.length > 255) {
      return c.json({ error: "email is required (an address of at most 255 characters)" }, 400);
    }
    if (typeof firstName !== "string" || firstName === "" || firstName.length > 50) {
      return c.json({ error: "first_name is required (at most 50 characters)" }, 400);
    }
    const optional = {
      last_name: optionalString(body, "last_name", 50),
      full_name: optionalString(body, "full_name", 100),
      phone_number: optionalString(body, "phone_number", 20),
      profile_picture_url: optionalString(body, "profile_picture_url", 500),
    };
    for (const v of Object.values(optional)) if (v instanceof Error) return c.json({ error: v.message }, 400);
    const values = Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined)) as Record<string, string | null>;
    let id: number;
    try {
      id = await insertedId(dialect, db.insertInto("users").values({ email, first_name: firstName, ...values }));
    } catch (error) {
      if (isUniqueViolation(error)) return c.json({ error: `email ${email} is already registered` }, 409);
      throw error;
    }
    const user = await db.selectFrom("users").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    return c.json(userJson(user), 201);
  });

  app.post("/users/:id/orders", async (c) => {
    const userId = idParam(c, "id");
    if (userId === null) return c.json({ error: `invalid user id '${c.req.param("id")}'` }, 400);
    const body = await jsonBody(c);
    const amount = body?.total_amount;
    const text = typeof amount === "number" ? String(amount) : amount;
    if (typeof text !== "string" || !/^\d{1,8}(\.\d{1,2})?$/.test(text)) {
      return c.json({ error: "total_amount is required (a non-negative amount with at most 2 decimals, below 100000000)" }, 400);
    }
    const user = await db.selectFrom("users").select("id").where("id", "=", userId).executeTakeFirst();
    if (!user) return c.json({ error: `user ${userId} not found` }, 404);
    const orderId = await db.transaction().execute(async (tx) => {
      const id = await insertedId(dialect, tx.insertInto("orders").values({ user_id: userId, total_amount: text }));
      await tx.insertInto("order_status_history").values({ order_id: id, old_status: null, new_status: "pending" }).execute();
      return id;
    });
    const order = await db.selectFrom("orders").selectAll().where("id", "=", orderId).executeTakeFirstOrThrow();
    return c.json(orderJson(order), 201);
  });

  const orderWithHistory = async (id: number) => {
    const order = await db.selectFrom("orders").selectAll().where("id", "=", id).executeTakeFirst();
    if (!order) return null;
    const history = await db.selectFrom("order_status_history").selectAll().where("order_id", "=", id).orderBy("id").execute();
    return {
      ...orderJson(order),
      history: history.map((h) => ({ old_status: h.old_status, new_status: h.new_status, changed_at: timestamp(h.changed_at) })),
    };
  };

  app.get("/orders/:id", async (c) => {
    const id = idParam(c, "id");
    if (id === null) return c.json({ error: `invalid order id '${c.req.param("id")}'` }, 400);
    const order = await orderWithHistory(id);
    return order ? c.json(order) : c.json({ error: `order ${id} not found` }, 404);
  });

  app.patch("/orders/:id", async (c) => {
    const id = idParam(c, "id");
    if (id === null) return c.json({ error: `invalid order id '${c.req.param("id")}'` }, 400);
    const status = (await jsonBody(c))?.status;
    if (typeof status !== "string" || !(STATUSES as readonly string[]).includes(status)) {
      return c.json({ error: `status must be one of ${STATUSES.join(", ")}` }, 400);
    }
    const found = await db.transaction().execute(async (tx) => {
      // Lock the row (PostgreSQL, MySQL; SQLite transactions are serialized anyway) so that
      // concurrent changes record a consistent history.
      let query = tx.selectFrom("orders").select("status").where("id", "=", id);
      if (dialect !== "sqlite") query = query.forUpdate();
      const current = await query.executeTakeFirst();
      if (!current) return false;
      if (current.status !== status) {
        await tx.updateTable("orders").set({ status }).where("id", "=", id).execute();
        await tx.insertInto("order_status_history").values({ order_id: id, old_status: current.status, new_status: status }).execute();
      }
      return true;
    });
    if (!found) return c.json({ error: `order ${id} not found` }, 404);
    return c.json(await orderWithHistory(id));
  });

  app.notFound((c) => c.json({ error: `no route for ${c.req.method} ${c.req.path}` }, 404));
  app.onError((error, c) => {
    console.error(`ERROR: ${c.req.method} ${c.req.path}: ${describe(error)}`);
    return c.json({ error: "internal server error" }, 500);
  });
  return app;
}
