/**
 * The shop's entrypoint refuses to serve a database it could not migrate: a broken revision after
 * the example's own -> non-zero exit, an `ERROR:` line saying why, and the port never opens. The
 * same for a database that never comes up (bounded retries).
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { cpSync, writeFileSync } from "node:fs";
import { createServer, connect } from "node:net";
import { join, resolve } from "node:path";
import { after, before, describe, test } from "node:test";
import { tempDir } from "../cli/cli-helpers.js";
import { createTestDatabase, type TestDatabase } from "../helpers/databases.js";
import { versionRows } from "../helpers/runtime.js";

const SHOP = resolve(import.meta.dirname, "../../examples/shop");
const ENTRYPOINT = join(SHOP, "src/entrypoint.ts");
const HEAD = "b8e4a2d6f1c3";

function runEntrypoint(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const full: NodeJS.ProcessEnv = { ...process.env, HOST: "127.0.0.1", APP_ENV: "test", ...env };
  delete full.NODE_OPTIONS;
  const child = spawn(process.execPath, ["--import", "tsx", ENTRYPOINT], { env: full, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stderr += d));
  const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
  return new Promise((r) =>
    child.once("close", (code) => {
      clearTimeout(timer);
      r({ code, stdout, stderr });
    }),
  );
}

/** A port nothing listens on (bound, then released). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((r) => {
    const socket = connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      r(true);
    });
    socket.once("error", () => r(false));
  });
}

describe("the shop's entrypoint when the deploy can't go ahead", () => {
  const project = tempDir("athanor-shop-broken-");
  let db: TestDatabase;

  before(async () => {
    db = await createTestDatabase("sqlite");
    // The example's revisions plus a broken one on top, through ATHANOR_CONFIG.
    cpSync(join(SHOP, "migrations"), join(project.dir, "migrations"), { recursive: true });
    writeFileSync(
      join(project.dir, "athanor.config.ts"),
      `import { defineConfig } from "athanor";\nexport default defineConfig({ scriptLocation: "migrations" });\n`,
    );
    writeFileSync(
      join(project.dir, "migrations/versions/0badc0ffee00_add_users_nickname.ts"),
      `/**
 * add users.nickname
 *
 * Revision ID: 0badc0ffee00
 * Revises: ${HEAD}
 * Create Date: 2026-05-01 09:00:00.000000
 */
import type { Op } from "athanor";

export const revision = "0badc0ffee00";
export const downRevision: string | string[] | null = "${HEAD}";
export const branchLabels: string[] | null = null;
export const dependsOn: string[] | null = null;

export async function upgrade(op: Op): Promise<void> {
  await op.execute("ALTER TABLE users ADD COLUMN nickname varchar(50)");
  await op.execute("ALTER TABLE no_such_table ADD COLUMN nickname varchar(50)");
}

export async function downgrade(op: Op): Promise<void> {
  await op.execute("ALTER TABLE users DROP COLUMN nickname");
}
`,
    );
  });
  after(async () => {
    await db.drop();
    project.cleanup();
  });

  test("a failing migration: exit 1, ERROR: lines naming the revision, the port never opens", async () => {
    const port = await freePort();
    const r = await runEntrypoint({
      DATABASE_URL: db.url,
      PORT: String(port),
      ATHANOR_CONFIG: join(project.dir, "athanor.config.ts"),
    });
    assert.equal(r.code, 1, r.stdout + r.stderr);
    // athanor's own line (which revision, which statement), then the entrypoint's.
    assert.match(r.stderr, /^ERROR: Revision 0badc0ffee00 \(add users\.nickname\) failed in upgrade: .*no_such_table/m);
    assert.match(r.stderr, /^ERROR: migrations failed \(athanor upgrade head exited with code 1, see above\); the server was not started$/m);
    assert.doesNotMatch(r.stdout, /listening/);
    assert.equal(await portOpen(port), false);
    // The revisions before the broken one were applied; the broken one left nothing behind.
    assert.deepEqual(await versionRows(db.url), [HEAD]);
  });

  test("a database that never comes up: bounded retries, exit 1, no migration, no server", async () => {
    const port = await freePort();
    const dead = await freePort();
    const started = Date.now();
    const r = await runEntrypoint({
      DATABASE_URL: `postgresql://shop:secret@127.0.0.1:${dead}/shop`,
      PORT: String(port),
      DB_WAIT_RETRIES: "3",
      DB_WAIT_INTERVAL_MS: "100",
    });
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.equal((r.stdout.match(/waiting for the database \(attempt \d\/3\)/g) ?? []).length, 3, r.stdout);
    assert.match(r.stderr, /^ERROR: database postgresql:\/\/shop:\*\*\*@127\.0\.0\.1:\d+\/shop not reachable after 3 attempt\(s\): .*; the server was not started$/m);
    assert.doesNotMatch(r.stdout + r.stderr, /secret/);
    assert.doesNotMatch(r.stdout, /running athanor|listening/);
    assert.equal(await portOpen(port), false);
    assert.ok(Date.now() - started < 15_000);
  });
});
