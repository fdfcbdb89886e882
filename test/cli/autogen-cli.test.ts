/**
 * `athanor revision --autogenerate` and `athanor check` through the built CLI, in a temp project, as a
 * user runs them: on PostgreSQL, MariaDB and SQLite.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { createTestDatabase, DIALECTS, type TestDatabase } from "../helpers/databases.js";
import { CLI, tempDir, type RunResult } from "./cli-helpers.js";

/** ATHANOR_TEST_CLI runs another build of the CLI (default: dist/cli.js). */
const CLI_PATH = process.env.ATHANOR_TEST_CLI ?? CLI;

function athanor(cwd: string, args: string[], env: Record<string, string>): RunResult {
  const e: NodeJS.ProcessEnv = { ...process.env, ...env };
  delete e.NODE_OPTIONS;
  const r = spawnSync(process.execPath, [CLI_PATH, ...args], { cwd, env: e, encoding: "utf8" });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

const CONFIG = `import { defineConfig } from "athanor";
export default defineConfig({ scriptLocation: "migrations", schema: "./schema.ts" });
`;

const SCHEMA = (v2: boolean) => `import { sa } from "athanor";
export const users = sa.table(
  "users",
  sa.column("id", sa.integer(), { primaryKey: true, autoincrement: true }),
  sa.column("username", sa.string(50), { nullable: false, unique: true }),
  sa.column("email", sa.string(255), { nullable: false, unique: true }),
  sa.column(${v2 ? `"display_name"` : `"full_name"`}, sa.string(100), { nullable: true }),
  ${v2 ? `sa.column("phone_number", sa.string(20), { nullable: true, index: true }),` : ""}
  sa.column("is_active", sa.boolean(), { nullable: false, serverDefault: sa.sql("true") }),
  sa.column("created_at", sa.dateTime({ timezone: true }), { nullable: false, serverDefault: sa.sql("CURRENT_TIMESTAMP") }),
);
export const orders = sa.table(
  "orders",
  sa.column("id", sa.integer(), { primaryKey: true, autoincrement: true }),
  sa.column("user_id", sa.integer(), { nullable: false }),
  sa.column("total_amount", sa.numeric(10, 2), { nullable: false }),
  sa.column("status", sa.string(20), { nullable: false, serverDefault: "pending" }),
  sa.column("created_at", sa.dateTime({ timezone: true }), { nullable: false, serverDefault: sa.sql("CURRENT_TIMESTAMP") }),
  sa.foreignKey(["user_id"], "users", ["id"], { onDelete: "CASCADE" }),
  sa.index("ix_orders_user_id", ["user_id"]),
);
`;

for (const dialect of DIALECTS) {
  describe(`revision --autogenerate and check through the CLI on ${dialect}`, () => {
    const project = tempDir("athanor-autogen-cli-");
    let db: TestDatabase;
    const run = (...args: string[]) => athanor(project.dir, args, { DATABASE_URL: db.url });
    const versions = () => readdirSync(join(project.dir, "migrations/versions")).filter((f) => f.endsWith(".ts")).sort();

    before(async () => {
      db = await createTestDatabase(dialect);
      assert.equal(run("init", "migrations").status, 0);
      writeFileSync(join(project.dir, "athanor.config.ts"), CONFIG);
      writeFileSync(join(project.dir, "schema.ts"), SCHEMA(false));
    });
    after(async () => {
      await db.drop();
      project.cleanup();
    });

    test("check on an empty database lists what is missing and exits 1", () => {
      const r = run("check");
      assert.equal(r.status, 1, r.stderr);
      assert.match(r.stdout, /^ {2}- added table 'users'$/m);
      assert.match(r.stdout, /^ {2}- added index 'ix_orders_user_id' on 'orders' \(user_id\)$/m);
      assert.match(r.stderr, /^ERROR: New upgrade operations detected: 3 differences/m);
    });

    test("revision --autogenerate writes the revision and logs what it detected", () => {
      const r = run("revision", "--autogenerate", "-m", "add users and orders tables");
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /Generating .*migrations\/versions\/[0-9a-f]{12}_add_users_and_orders_tables\.ts \.\.\. {2}done/);
      assert.match(r.stderr, /^INFO {2}Detected added table 'users'$/m);
      assert.match(r.stderr, /^INFO {2}Detected added table 'orders'$/m);
      const text = readFileSync(join(project.dir, "migrations/versions", versions()[0]!), "utf8");
      assert.match(text, /await op\.createTable\(\n {4}"users",/);
      assert.match(text, /await op\.createIndex\("ix_orders_user_id", "orders", \["user_id"\]\);/);
    });

    test("check refuses a database that is not at head", () => {
      const r = run("check");
      assert.equal(r.status, 1);
      assert.match(r.stderr, /^ERROR: Target database is not up to date\.$/m);
      const json = run("check", "--format", "json");
      assert.equal(json.status, 1);
      assert.equal(JSON.parse(json.stdout).status, "outdated");
    });

    test("after upgrade head, check passes", () => {
      assert.equal(run("upgrade", "head").status, 0);
      const r = run("check");
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stdout, "No new upgrade operations detected.\n");
      const json = run("check", "--format", "json");
      assert.equal(json.status, 0);
      assert.deepEqual(JSON.parse(json.stdout), { status: "ok", message: "No new upgrade operations detected.", differences: [] });
    });

    test("a changed schema: check --format json lists the differences for CI", () => {
      writeFileSync(join(project.dir, "schema.ts"), SCHEMA(true));
      const r = run("check", "--format", "json");
      assert.equal(r.status, 1);
      const out = JSON.parse(r.stdout) as { status: string; differences: { kind: string; table?: string; column?: string }[] };
      assert.equal(out.status, "changes");
      assert.deepEqual(out.differences.map((d) => [d.kind, d.column ?? null]), [
        ["addColumn", "display_name"], ["addColumn", "phone_number"], ["removeColumn", "full_name"], ["addIndex", null],
      ]);
    });

    test("without --rename, drop+add is written with a loud warning (not interactive: no question)", () => {
      const r = run("revision", "--autogenerate", "-m", "display name");
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stderr, /^WARN {2}drops column users\.full_name and adds users\.display_name: DATA IN full_name WILL BE LOST\. If this is a rename, rerun with --rename users\.full_name:display_name$/m);
      const file = versions().find((f) => f.includes("display_name"))!;
      assert.match(readFileSync(join(project.dir, "migrations/versions", file), "utf8"),
        /\/\/ WARNING: drops column users\.full_name and adds users\.display_name: DATA IN full_name WILL BE LOST\. If this is a rename, rerun with --rename users\.full_name:display_name\n {2}await op\.addColumn\("users", sa\.column\("display_name"/);
      rmSync(join(project.dir, "migrations/versions", file));
    });

    test("with --rename the column is renamed; applying it makes check pass", () => {
      const r = run("revision", "--autogenerate", "-m", "display name", "--rename", "users.full_name:display_name");
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stderr, /Detected renamed column 'users\.full_name' to 'users\.display_name'/);
      const file = versions().find((f) => f.includes("display_name"))!;
      const text = readFileSync(join(project.dir, "migrations/versions", file), "utf8");
      assert.match(text, /newName: "display_name"/);
      assert.doesNotMatch(text, /WARNING/);
      assert.equal(run("upgrade", "head").status, 0);
      assert.equal(run("check").status, 0);
      // the downgrade renames it back
      assert.equal(run("downgrade", "-1").status, 0);
      writeFileSync(join(project.dir, "schema.ts"), SCHEMA(false));
      const back = run("upgrade", "head");
      assert.equal(back.status, 0);
    });

    test("--rename without --autogenerate is a usage error", () => {
      const r = run("revision", "-m", "x", "--rename", "a:b");
      assert.equal(r.status, 2);
    });
  });
}

describe("revision --autogenerate in an interactive terminal", () => {
  const hasScript = spawnSync("script", ["--version"], { encoding: "utf8" }).status === 0;

  test("asks whether a dropped and an added column are a rename (stdin and stderr are a terminal)", { skip: !hasScript && "needs script(1) for a pseudo-terminal" }, () => {
    const project = tempDir("athanor-autogen-tty-");
    try {
      const env = { DATABASE_URL: `sqlite:${join(project.dir, "db.sqlite")}` };
      assert.equal(athanor(project.dir, ["init", "migrations"], env).status, 0);
      writeFileSync(join(project.dir, "athanor.config.ts"), CONFIG);
      writeFileSync(join(project.dir, "schema.ts"), SCHEMA(false));
      assert.equal(athanor(project.dir, ["revision", "--autogenerate", "-m", "one"], env).status, 0);
      assert.equal(athanor(project.dir, ["upgrade", "head"], env).status, 0);
      writeFileSync(join(project.dir, "schema.ts"), SCHEMA(true));
      // script(1) runs the CLI on a pseudo-terminal and feeds it our stdin: the answer "y"
      const command = [process.execPath, CLI_PATH, "revision", "--autogenerate", "-m", "two"].map((a) => `'${a}'`).join(" ");
      const e: NodeJS.ProcessEnv = { ...process.env, ...env };
      delete e.NODE_OPTIONS;
      const r = spawnSync("script", ["-qec", command, "/dev/null"], { cwd: project.dir, env: e, input: "y\n", encoding: "utf8" });
      assert.equal(r.status, 0, r.stdout);
      assert.match(r.stdout, /Column 'users\.full_name' is dropped and 'users\.display_name' is added\. Is it a rename of 'full_name' to 'display_name'\? \[y\/N\]/);
      assert.match(r.stdout, /Detected renamed column 'users\.full_name' to 'users\.display_name'/);
      const versions = readdirSync(join(project.dir, "migrations/versions"));
      const text = readFileSync(join(project.dir, "migrations/versions", versions.find((f) => f.endsWith("_two.ts"))!), "utf8");
      assert.match(text, /newName: "display_name"/);
      assert.equal(athanor(project.dir, ["upgrade", "head"], env).status, 0);
      assert.equal(athanor(project.dir, ["check"], env).status, 0);
    } finally {
      project.cleanup();
    }
  });
});
