/**
 * The rename written by `revision --expand-contract rename-column` (writeExpandContract), run on
 * PostgreSQL phase by phase while old code (one process) keeps inserting through the old column and new
 * code (another process) through the new one: no insert fails and no row loses its value; then every downgrade restores the phase before.
 */
import assert from "node:assert/strict";
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, before, describe, test } from "node:test";
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import pg from "pg";
import { writeExpandContract } from "../../src/commands/expand-contract.js";
import { lintRevisions } from "../../src/commands/lint.js";
import { Project } from "../../src/commands/project.js";
import { downgrade, upgrade } from "../../src/commands/migrate.js";
import { createMemoryLogger } from "../../src/util/log.js";
import { createTestDatabase, type TestDatabase } from "../helpers/databases.js";

const INSERT_LOOP = resolve(import.meta.dirname, "../helpers/insert-loop.ts");

const BASE = `import { type Op, sa } from "athanor";

export const revision = "ec0000000001";
export const downRevision: string | string[] | null = null;
export const branchLabels: string[] | null = null;
export const dependsOn: string[] | null = null;

export async function upgrade(op: Op): Promise<void> {
  await op.createTable(
    "users",
    sa.column("id", sa.integer(), { primaryKey: true, autoincrement: true }),
    sa.column("username", sa.string(50), { nullable: false }),
  );
}

export async function downgrade(op: Op): Promise<void> {
  await op.dropTable("users");
}
`;

/** An application instance inserting rows in a loop: its own OS process (test/helpers/insert-loop.ts). */
class Writer {
  readonly inserted: string[] = [];
  readonly errors: string[] = [];
  private child: ChildProcessWithoutNullStreams | undefined;
  private exited: Promise<void> | undefined;

  constructor(private readonly url: string, private readonly column: "username" | "login", private readonly prefix: string) {}

  async start(): Promise<void> {
    const child = spawn(process.execPath, ["--import", "tsx", INSERT_LOOP, this.url, this.column, this.prefix], { stdio: "pipe" });
    this.child = child;
    this.exited = new Promise((resolveExit) => child.on("close", () => resolveExit()));
    let pending = "";
    child.stdout.on("data", (d: Buffer) => {
      pending += String(d);
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) {
        if (line.startsWith("ok ")) this.inserted.push(line.slice(3));
        else if (line.startsWith("err ")) this.errors.push(line.slice(4));
      }
    });
    child.stderr.on("data", (d: Buffer) => this.errors.push(`stderr: ${String(d).trim()}`));
    await this.atLeast(1);
  }

  /** Wait until at least `n` more rows were inserted. */
  async atLeast(n: number): Promise<void> {
    const target = this.inserted.length + n;
    while (this.inserted.length < target && this.errors.length === 0) await new Promise((r) => setTimeout(r, 5));
  }

  async stop(): Promise<void> {
    this.child?.stdin.end("stop\n");
    await this.exited;
  }
}

describe("expand/contract rename on PostgreSQL under concurrent writes", () => {
  let db: TestDatabase;
  let dir: string;
  let project: Project;
  const log = createMemoryLogger();
  const SEED = 5000;

  before(async () => {
    db = await createTestDatabase("postgresql");
    dir = mkdtempSync(join(tmpdir(), "athanor-ec-"));
    mkdirSync(join(dir, "migrations/versions"), { recursive: true });
    cpSync(resolve(import.meta.dirname, "../../templates/generic/script.ts.tmpl"), join(dir, "migrations/script.ts.tmpl"));
    writeFileSync(join(dir, "migrations/versions/ec0000000001_base.ts"), BASE);
    writeFileSync(join(dir, "athanor.config.ts"), `export default { scriptLocation: "migrations" };\n`);
    project = await Project.open({ cwd: dir, configPath: join(dir, "athanor.config.ts"), url: db.url, log });
  });
  after(async () => {
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  test("the generated revisions lint clean and keep every write through all three phases", async () => {
    const written = await writeExpandContract(
      project,
      { kind: "rename-column", table: "users", from: "username", to: "login", type: "sa.string(50)", notNull: true },
      { batchSize: 500 },
    );
    assert.equal(written.length, 3);
    const report = await lintRevisions(project, written.map((w) => w.revision), { dialect: "postgresql" });
    assert.deepEqual(report.findings.filter((f) => f.suppressed === null).map((f) => `${f.rule}: ${f.message}`), []);

    await upgrade(project, "ec0000000001");
    const seed = new pg.Client({ connectionString: db.url });
    await seed.connect();
    await seed.query(`INSERT INTO users (username) SELECT 'seed-' || g FROM generate_series(1, ${SEED}) g`);
    await seed.end();

    const oldApp = new Writer(db.url, "username", "old");
    const newApp = new Writer(db.url, "login", "new");
    await oldApp.start();
    await oldApp.atLeast(20);

    // Phase 1 (expand) while the old code writes.
    await upgrade(project, "+1");
    await oldApp.atLeast(20);
    // New code is deployed next to the old one.
    await newApp.start();
    await newApp.atLeast(20);

    // Phase 2 (backfill + NOT NULL) while both write.
    await upgrade(project, "+1");
    assert.ok(log.lines.some((l) => /^INFO {2}backfill users: \d+\/\d+ rows$/.test(l)), log.lines.join("\n"));
    await oldApp.atLeast(20);
    await newApp.atLeast(20);

    // The old code is retired; phase 3 (contract) while the new code writes.
    await oldApp.stop();
    await upgrade(project, "+1");
    await newApp.atLeast(20);
    await newApp.stop();

    assert.deepEqual(oldApp.errors, []);
    assert.deepEqual(newApp.errors, []);
    const check = new pg.Client({ connectionString: db.url });
    await check.connect();
    try {
      const cols = (await check.query(`SELECT column_name, is_nullable FROM information_schema.columns WHERE table_name = 'users' ORDER BY column_name`)).rows;
      assert.deepEqual(cols, [{ column_name: "id", is_nullable: "NO" }, { column_name: "login", is_nullable: "NO" }]);
      const logins = new Set((await check.query("SELECT login FROM users")).rows.map((r) => r.login as string));
      const expected = [...Array.from({ length: SEED }, (_, i) => `seed-${i + 1}`), ...oldApp.inserted, ...newApp.inserted];
      assert.equal(logins.size, expected.length, "one row per insert");
      for (const v of expected) assert.ok(logins.has(v), `row ${v} lost its value`);
      const triggers = (await check.query("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")).rows;
      assert.deepEqual(triggers, []);
    } finally {
      await check.end();
    }

    // Every downgrade restores the phase before it.
    await downgrade(project, "-1");
    const c2 = new pg.Client({ connectionString: db.url });
    await c2.connect();
    try {
      const mismatched = (await c2.query("SELECT count(*)::int AS n FROM users WHERE username IS DISTINCT FROM login")).rows[0].n;
      assert.equal(mismatched, 0, "the contract's downgrade refills the old column");
      await c2.query("INSERT INTO users (username) VALUES ('after-downgrade')");
      assert.equal((await c2.query("SELECT login FROM users WHERE username = 'after-downgrade'")).rows[0].login, "after-downgrade", "trigger is back");
      const nn = (await c2.query("SELECT is_nullable FROM information_schema.columns WHERE table_name = 'users' AND column_name = 'username'")).rows[0];
      assert.equal(nn.is_nullable, "NO", "NOT NULL restored on the old column");
    } finally {
      await c2.end();
    }
    await downgrade(project, "ec0000000001");
    const c3 = new pg.Client({ connectionString: db.url });
    await c3.connect();
    try {
      const cols = (await c3.query(`SELECT column_name FROM information_schema.columns WHERE table_name = 'users' ORDER BY column_name`)).rows.map((r) => r.column_name);
      assert.deepEqual(cols, ["id", "username"]);
      const n = (await c3.query("SELECT count(*)::int AS n FROM users WHERE username LIKE 'new-%'")).rows[0].n;
      assert.equal(n, newApp.inserted.length, "rows written by the new code keep their value in the old column");
    } finally {
      await c3.end();
    }
  });
});
