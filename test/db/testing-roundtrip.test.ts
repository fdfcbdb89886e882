/**
 * `athanor test` (testMigrations) on PostgreSQL, MariaDB and SQLite: the tutorial's and the shop's
 * revisions pass; planted faults are each caught and named (a downgrade that forgets an index, one
 * that forgets a column, an empty downgrade, a downgrade that fails, two heads, an upgrade that fails
 * on MariaDB only, a schema module declaring a column no revision creates, data hooks that catch a
 * downgrade losing rows); the throwaway database is dropped (or kept on request).
 */
import assert from "node:assert/strict";
import { appendFileSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, before, describe, test } from "node:test";
import { parseDatabaseUrl } from "../../src/config/url.js";
import type { DialectName } from "../../src/dialects/types.js";
import { testMigrations, testUpgrade, type CheckName, type TestReport } from "../../src/testing/index.js";
import { MYSQL_ADMIN_URL, POSTGRES_ADMIN_URL, DIALECTS } from "../helpers/databases.js";
import { makeProject, type RevisionSpec, type TestProject } from "../helpers/revisions.js";
import { inspect } from "../helpers/runtime.js";

const ROOT = resolve(import.meta.dirname, "../..");
const TUTORIAL = join(ROOT, "examples/tutorial");
const SHOP = join(ROOT, "examples/shop");

const sqliteDir = mkdtempSync(join(tmpdir(), "athanor-testing-"));
after(() => rmSync(sqliteDir, { recursive: true, force: true }));

/** The server URL the throwaway databases are made on. */
function serverUrl(dialect: DialectName): string {
  if (dialect === "postgresql") return POSTGRES_ADMIN_URL;
  if (dialect === "mysql") return MYSQL_ADMIN_URL;
  return `sqlite:${join(sqliteDir, "app.db")}`; // never created: SQLite runs on a temporary file
}

function statuses(report: TestReport): Record<string, string> {
  return Object.fromEntries(report.checks.map((c) => [c.name, c.status]));
}

function check(report: TestReport, name: CheckName) {
  const c = report.checks.find((x) => x.name === name);
  assert.ok(c, `no ${name} in the report`);
  return c;
}

/** Does the throwaway database still exist? */
async function databaseExists(dialect: DialectName, report: TestReport): Promise<boolean> {
  if (dialect === "sqlite") return existsSync(report.database);
  const name = parseDatabaseUrl(report.database.replace("***", "x")).database!;
  const admin = serverUrl(dialect);
  const sql = dialect === "postgresql" ? "SELECT 1 FROM pg_database WHERE datname = $1" : "SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?";
  return inspect(admin, async (c) => (await c.execute({ sql, params: [name] })).rows.length > 0);
}

async function dropDatabase(dialect: DialectName, report: TestReport): Promise<void> {
  if (dialect === "sqlite") return rmSync(report.database, { force: true });
  const name = parseDatabaseUrl(report.database).database!;
  const sql = dialect === "postgresql" ? `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)` : `DROP DATABASE IF EXISTS \`${name}\``;
  await inspect(serverUrl(dialect), (c) => c.execute({ sql }));
}

// ------------------------------------------------------------------------------ planted projects

const USERS = "aaaaaaaaaaa1";
const FAULT = "bbbbbbbbbbb2";
const LATER = "ccccccccccc3";

interface Planted {
  project: TestProject;
  input: { cwd: string; url: string; config: Record<string, unknown> };
}

/**
 * users (id, email) at USERS, then the revision under test at FAULT, then a harmless LATER one.
 * `extra` is appended to FAULT's file (data hooks).
 */
function planted(dialect: DialectName, fault: Omit<RevisionSpec, "rev" | "down">, options: { extra?: string; schema?: string; later?: boolean } = {}): Planted {
  const project = makeProject();
  const write = (spec: RevisionSpec, extra = "") => appendFileSync(project.write(spec), `\nimport { sa } from "athanor";\n${extra}`);
  write({
    rev: USERS, down: null, message: "create users",
    upgrade: `await op.createTable("users", sa.column("id", sa.integer(), { primaryKey: true }), sa.column("email", sa.string(255), { nullable: false }));`,
    downgrade: `await op.dropTable("users");`,
  });
  write({ rev: FAULT, down: USERS, ...fault }, options.extra);
  if (options.later !== false) {
    write({
      rev: LATER, down: FAULT, message: "create audit",
      upgrade: `await op.createTable("audit", sa.column("id", sa.integer(), { primaryKey: true }), sa.column("what", sa.text()));`,
      downgrade: `await op.dropTable("audit");`,
    });
  }
  const config: Record<string, unknown> = { scriptLocation: project.dir, versionLocations: [project.versions] };
  if (options.schema) {
    const path = join(project.dir, "schema.ts");
    writeFileSync(path, `import { sa } from "athanor";\n${options.schema}\n`);
    config.schema = path;
  }
  return { project, input: { cwd: project.dir, url: serverUrl(dialect), config } };
}

async function run(p: Planted, extra: Parameters<typeof testMigrations>[0] = {}): Promise<TestReport> {
  try {
    return await testMigrations({ ...p.input, ...extra });
  } finally {
    p.project.remove();
  }
}

const USERS_SCHEMA = (extra = "") => `export const users = sa.table("users",
  sa.column("id", sa.integer(), { primaryKey: true }),
  sa.column("email", sa.string(255), { nullable: false }),${extra}
);
export const audit = sa.table("audit", sa.column("id", sa.integer(), { primaryKey: true }), sa.column("what", sa.text()));`;

for (const dialect of DIALECTS) {
  describe(`athanor test on ${dialect}`, () => {
    test("the tutorial's revisions pass, and the throwaway database is dropped", async () => {
      const report = await testMigrations({
        cwd: TUTORIAL,
        url: serverUrl(dialect),
        config: { scriptLocation: TUTORIAL, versionLocations: [join(TUTORIAL, "versions")] },
      });
      assert.deepEqual(statuses(report), {
        "single-head": "pass", upgrade: "pass", "schema-matches": "skip", "up-down": "pass", "downgrade-no-trace": "pass", data: "skip",
      });
      assert.equal(report.ok, true);
      assert.equal(report.revisions, 2);
      assert.equal(report.dialect, dialect);
      assert.match(report.database, dialect === "sqlite" ? /athanor_test_[0-9a-f]{8}\.db$/ : /\/test_athanor_test_[0-9a-f]{8}$/);
      assert.equal(await databaseExists(dialect, report), false);
      assert.equal(check(report, "schema-matches").message, "no schema configured (set 'schema' in the config to the module(s) declaring the target schema)");
      if (dialect === "sqlite") assert.equal(existsSync(join(sqliteDir, "app.db")), false, "the URL's own SQLite file is never touched");
    });

    test("the shop's revisions pass, schema-matches included (with the contract downgrade recreating the unique constraint unnamed)", async () => {
      // The shop's contract downgrade names the recreated unique constraint users_username_key, the
      // name PostgreSQL invented; MariaDB named the original `username`, SQLite left it unnamed. With
      // `null` every database invents the original name again (see the report for the original's result).
      const dir = mkdtempSync(join(tmpdir(), "athanor-shop-"));
      try {
        cpSync(SHOP, dir, { recursive: true, filter: (src) => !src.includes("node_modules") && !src.endsWith(".db") });
        const contract = join(dir, "migrations/versions/b8e4a2d6f1c3_contract_drop_users_username.ts");
        writeFileSync(contract, readFileSync(contract, "utf8").replace(`createUniqueConstraint("users_username_key", ["username"])`, `createUniqueConstraint(null, ["username"])`));
        const report = await testMigrations({ cwd: dir, url: serverUrl(dialect), env: {} });
        assert.deepEqual(statuses(report), {
          "single-head": "pass", upgrade: "pass", "schema-matches": "pass", "up-down": "pass", "downgrade-no-trace": "pass", data: "skip",
        }, JSON.stringify(report.checks, null, 2));
        assert.equal(report.revisions, 7);
        assert.equal(check(report, "schema-matches").message, "the database at head matches src/schema.ts");
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    test("a downgrade that forgets to drop an index", async () => {
      const report = await run(planted(dialect, {
        message: "add name with indexes",
        upgrade: `await op.addColumn("users", sa.column("name", sa.string(50)));
await op.createIndex("ix_users_email", "users", ["email"]);
await op.createIndex("ix_users_name", "users", ["name"]);`,
        downgrade: `await op.dropIndex("ix_users_name", { table: "users" });
await op.dropColumn("users", "name");`,
      }));
      const c = check(report, "downgrade-no-trace");
      assert.equal(c.status, "fail");
      assert.equal(c.revision?.revision, FAULT);
      assert.equal(c.message, `revision ${FAULT} (add name with indexes): downgrade left 1 difference: index ix_users_email of users left behind`);
      assert.deepEqual(c.diff, ["+ table users: index ix_users_email (email)"]);
      assert.equal(report.ok, false);
      // The walk stopped there; upgrade was decided on a fresh database.
      assert.equal(check(report, "upgrade").status, "pass");
      assert.equal(check(report, "up-down").status, "skip");
      assert.match(check(report, "up-down").message, new RegExp(`^not completed: stopped at revision ${FAULT} \\(add name with indexes\\) \\(downgrade-no-trace failed\\)$`));
      assert.equal(await databaseExists(dialect, report), false);
    });

    test("a downgrade that forgets a column", async () => {
      const report = await run(planted(dialect, {
        message: "add a and b",
        upgrade: `await op.addColumn("users", sa.column("a", sa.integer()));
await op.addColumn("users", sa.column("b", sa.string(20), { nullable: false, serverDefault: "x" }));`,
        downgrade: `await op.dropColumn("users", "a");`,
      }));
      const c = check(report, "downgrade-no-trace");
      assert.equal(c.status, "fail");
      assert.equal(c.revision?.revision, FAULT);
      assert.match(c.message, /: downgrade left 1 difference: column b of users left behind$/);
      assert.deepEqual(c.diff, ["+ table users: column b string(20) NOT NULL DEFAULT 'x'"]);
    });

    test("an empty downgrade", async () => {
      const report = await run(planted(dialect, {
        message: "create tags",
        upgrade: `await op.createTable("tags", sa.column("id", sa.integer(), { primaryKey: true }), sa.column("label", sa.string(30)));`,
        downgrade: ``,
      }));
      const c = check(report, "downgrade-no-trace");
      assert.equal(c.status, "fail");
      assert.equal(c.message, `revision ${FAULT} (create tags): the downgrade ran no statement (empty downgrade?); it left 1 difference: table tags left behind`);
      assert.deepEqual(c.diff, ["+ table tags (id, label)"]);
      // up-down alone catches it too: the second upgrade finds the table there.
      const upDown = await run(planted(dialect, {
        message: "create tags",
        upgrade: `await op.createTable("tags", sa.column("id", sa.integer(), { primaryKey: true }))`,
        downgrade: ``,
      }), { only: "up-down" });
      const u = check(upDown, "up-down");
      assert.equal(u.status, "fail");
      assert.equal(u.revision?.revision, FAULT);
      assert.match(u.message, new RegExp(`^revision ${FAULT} \\(create tags\\): upgrade after downgrade failed: .*tags.* while executing: CREATE TABLE`, "i"));
      assert.deepEqual(upDown.checks.map((x) => x.name), ["up-down"]);
    });

    test("a downgrade that fails", async () => {
      const report = await run(planted(dialect, {
        message: "create notes",
        upgrade: `await op.createTable("notes", sa.column("id", sa.integer(), { primaryKey: true }))`,
        downgrade: `await op.dropTable("notez");`,
      }));
      const c = check(report, "up-down");
      assert.equal(c.status, "fail");
      assert.equal(c.revision?.revision, FAULT);
      assert.match(c.message, new RegExp(`^revision ${FAULT} \\(create notes\\): downgrade failed: .*notez.* while executing: DROP TABLE`, "i"));
      assert.equal(check(report, "upgrade").status, "pass");
      assert.equal(check(report, "downgrade-no-trace").status, "skip");
    });

    test("two heads: single-head fails naming both; the walk covers both branches", async () => {
      const p = planted(dialect, {
        message: "create tags",
        upgrade: `await op.createTable("tags", sa.column("id", sa.integer(), { primaryKey: true }))`,
        downgrade: `await op.dropTable("tags");`,
      }, { later: false });
      appendFileSync(p.project.write({
        rev: "ddddddddddd4", down: USERS, message: "create labels",
        upgrade: `await op.createTable("labels", sa.column("id", sa.integer(), { primaryKey: true }))`,
        downgrade: `await op.dropTable("labels");`,
      }), `\nimport { sa } from "athanor";\n`);
      const report = await run(p);
      assert.deepEqual(statuses(report), {
        "single-head": "fail", upgrade: "pass", "schema-matches": "skip", "up-down": "pass", "downgrade-no-trace": "pass", data: "skip",
      });
      assert.equal(check(report, "single-head").message,
        `expected 1 head revision, found 2: revision ${FAULT} (create tags), revision ddddddddddd4 (create labels) (merge them: athanor merge heads)`);
      assert.equal(check(report, "upgrade").message, "3 revisions, base to head one at a time");
    });

    test("branches and a merge: each revision round-trips alone (version rows included)", async () => {
      const p = planted(dialect, {
        message: "create tags",
        upgrade: `await op.createTable("tags", sa.column("id", sa.integer(), { primaryKey: true }))`,
        downgrade: `await op.dropTable("tags");`,
      }, { later: false });
      const add = (spec: RevisionSpec) => appendFileSync(p.project.write(spec), `\nimport { sa } from "athanor";\n`);
      add({
        rev: "ddddddddddd4", down: USERS, message: "create labels",
        upgrade: `await op.createTable("labels", sa.column("id", sa.integer(), { primaryKey: true }))`,
        downgrade: `await op.dropTable("labels");`,
      });
      add({ rev: "eeeeeeeeeee5", down: [FAULT, "ddddddddddd4"], message: "merge" });
      add({
        rev: "fffffffffff6", down: "eeeeeeeeeee5", message: "label tags",
        upgrade: `await op.addColumn("tags", sa.column("label_id", sa.integer()));`,
        downgrade: `await op.dropColumn("tags", "label_id");`,
      });
      const report = await run(p, { keepDatabase: true });
      try {
        assert.equal(report.ok, true, JSON.stringify(report.checks, null, 2));
        assert.equal(check(report, "up-down").message, "5 revisions: upgrade, downgrade, upgrade again");
        const url = dialect === "sqlite" ? `sqlite:${report.database}` : report.database;
        const rows = await inspect(url, async (c) => (await c.execute({ sql: "SELECT version_num FROM athanor_version" })).rows);
        assert.deepEqual(rows.map((r) => r.version_num), ["fffffffffff6"]);
      } finally {
        await dropDatabase(dialect, report);
      }
    });

    test("an upgrade that fails on MariaDB only (a partial index)", async () => {
      const report = await run(planted(dialect, {
        message: "partial index on email",
        upgrade: `await op.execute("CREATE INDEX ix_users_email_set ON users (email) WHERE email <> ''");`,
        downgrade: `await op.execute("DROP INDEX ix_users_email_set");`,
      }));
      if (dialect !== "mysql") {
        assert.equal(report.ok, true, JSON.stringify(report.checks, null, 2));
        return;
      }
      const c = check(report, "upgrade");
      assert.equal(c.status, "fail");
      assert.equal(c.revision?.revision, FAULT);
      assert.match(c.message, new RegExp(`^revision ${FAULT} \\(partial index on email\\): upgrade failed: .*SQL syntax.* while executing: CREATE INDEX ix_users_email_set ON users \\(email\\) WHERE email <> ''$`));
      for (const name of ["up-down", "downgrade-no-trace"] as const) {
        assert.equal(check(report, name).status, "skip");
        assert.match(check(report, name).message, /^not completed: stopped at revision bbbbbbbbbbb2 \(partial index on email\) \(upgrade failed\)$/);
      }
      // Alone, too.
      const alone = await run(planted(dialect, {
        message: "partial index on email",
        upgrade: `await op.execute("CREATE INDEX ix_users_email_set ON users (email) WHERE email <> ''");`,
      }));
      assert.equal(check(alone, "upgrade").revision?.revision, FAULT);
    });

    test("a schema module that declares a column no revision creates", async () => {
      const ok = await run(planted(dialect, {
        message: "noop", upgrade: "", downgrade: "",
      }, { schema: USERS_SCHEMA() }));
      assert.equal(check(ok, "schema-matches").status, "pass", JSON.stringify(ok.checks, null, 2));

      const report = await run(planted(dialect, {
        message: "noop", upgrade: "", downgrade: "",
      }, { schema: USERS_SCHEMA(`\n  sa.column("nickname", sa.string(40)),`) }));
      const c = check(report, "schema-matches");
      assert.equal(c.status, "fail");
      assert.match(c.message, /^the database at head differs from schema\.ts: 1 difference: .*nickname/);
      assert.equal(c.diff?.length, 1);
      assert.match(c.diff![0]!, /added column 'users\.nickname'/);
      assert.equal(report.ok, false);
      assert.deepEqual(report.checks.filter((x) => x.status === "fail").map((x) => x.name), ["schema-matches"]);
    });

    const HOOKED = {
      message: "add nickname filled from email",
      upgrade: `await op.addColumn("users", sa.column("nickname", sa.string(255)));
await op.execute("UPDATE users SET nickname = email");`,
      downgrade: `await op.dropColumn("users", "nickname");`,
    };
    const hooks = (log: string) => `
export async function seed(db: any, ctx: any) {
  (globalThis as any)["${log}"].push("seed " + ctx.revision);
  await db.execute("INSERT INTO users (id, email) VALUES (?, ?), (:id, :email)".replace("(:id, :email)", "(?, ?)"), [1, "ann@example.com", 2, "bob@example.com"]);
}
export async function verify(db: any, phase: string) {
  (globalThis as any)["${log}"].push(phase);
  const rows = await db.query("SELECT * FROM users ORDER BY id");
  if (rows.length !== 2) throw new Error(phase + ": expected the 2 seeded users, found " + rows.length);
  if (phase === "after-upgrade" && rows[0].nickname !== "ann@example.com") throw new Error("nickname not filled: " + rows[0].nickname);
  if (phase === "after-downgrade" && "nickname" in rows[0]) throw new Error("nickname still there");
}
`;

    test("data hooks: seed before the upgrade, verify after the upgrade and after the downgrade", async () => {
      const g = globalThis as Record<string, unknown>;
      g.__athanorDataLog = [];
      const report = await run(planted(dialect, HOOKED, { extra: hooks("__athanorDataLog") }));
      assert.equal(report.ok, true, JSON.stringify(report.checks, null, 2));
      assert.equal(check(report, "data").message, "1 revision with data hooks");
      assert.deepEqual(g.__athanorDataLog, [`seed ${FAULT}`, "after-upgrade", "after-downgrade"]);
    });

    test("data hooks catch a downgrade that loses rows", async () => {
      (globalThis as Record<string, unknown>).__athanorDataLog2 = [];
      const report = await run(planted(dialect, {
        ...HOOKED,
        downgrade: `await op.dropColumn("users", "nickname");\nawait op.execute("DELETE FROM users WHERE id = 2");`,
      }, { extra: hooks("__athanorDataLog2") }));
      const c = check(report, "data");
      assert.equal(c.status, "fail");
      assert.equal(c.revision?.revision, FAULT);
      assert.equal(c.message, `revision ${FAULT} (add nickname filled from email): verify(db, "after-downgrade") failed: after-downgrade: expected the 2 seeded users, found 1`);
      // The schema side of the same downgrade is fine; the walk stopped at the data failure.
      assert.equal(check(report, "upgrade").status, "pass");
      assert.equal(check(report, "up-down").status, "skip");
      // Without the data check, the same revisions pass.
      (globalThis as Record<string, unknown>).__athanorDataLog2 = [];
      const skipped = await run(planted(dialect, {
        ...HOOKED,
        downgrade: `await op.dropColumn("users", "nickname");\nawait op.execute("DELETE FROM users WHERE id = 2");`,
      }, { extra: hooks("__athanorDataLog2") }), { skip: ["data"] });
      assert.equal(skipped.ok, true);
      assert.deepEqual((globalThis as Record<string, unknown>).__athanorDataLog2, []);
    });

    test("a seed() that fails is reported by the data check", async () => {
      const report = await run(planted(dialect, HOOKED, {
        extra: `export async function seed(db: any) { await db.execute("INSERT INTO nowhere (id) VALUES (1)"); }`,
      }), { only: ["data"] });
      const c = check(report, "data");
      assert.equal(c.status, "fail");
      assert.match(c.message, new RegExp(`^revision ${FAULT} \\(add nickname filled from email\\): seed\\(db\\) failed: .*nowhere`));
    });

    test("--only upgrade runs one walk; keepDatabase keeps the database at head", async () => {
      const report = await run(planted(dialect, {
        message: "create tags",
        upgrade: `await op.createTable("tags", sa.column("id", sa.integer(), { primaryKey: true }))`,
        downgrade: `await op.dropTable("tags");`,
      }), { only: "upgrade", keepDatabase: true });
      try {
        assert.deepEqual(statuses(report), { upgrade: "pass" });
        assert.equal(report.kept, true);
        assert.equal(await databaseExists(dialect, report), true);
        const url = dialect === "sqlite" ? `sqlite:${report.database}` : report.database.replace(":***@", "@");
        const rows = await inspect(url, async (c) => (await c.execute({ sql: "SELECT version_num FROM athanor_version" })).rows);
        assert.deepEqual(rows.map((r) => r.version_num), [LATER]);
      } finally {
        await dropDatabase(dialect, report);
      }
    });

    if (dialect !== "sqlite") {
      test("a server URL whose database does not exist still works; an unreachable server is an error", async () => {
        const u = new URL(serverUrl(dialect));
        u.pathname = "/athanor_no_such_db";
        const report = await testUpgrade({
          cwd: TUTORIAL, url: u.toString(),
          config: { scriptLocation: TUTORIAL, versionLocations: [join(TUTORIAL, "versions")] },
        });
        assert.equal(report.status, "pass");
        u.port = "1";
        await assert.rejects(
          testMigrations({ cwd: TUTORIAL, url: u.toString(), config: { scriptLocation: TUTORIAL, versionLocations: [join(TUTORIAL, "versions")] } }),
          /could not create the throwaway database athanor_no_such_db_athanor_test_[0-9a-f]{8} on .*: could not connect to .*connection refused/,
        );
      });
    }
  });
}

describe("the shop as it is", () => {
  let results: Record<string, TestReport> = {};
  before(async () => {
    results = {};
    for (const dialect of DIALECTS) results[dialect] = await testMigrations({ cwd: SHOP, url: serverUrl(dialect), env: {} });
  });
  test("passes on PostgreSQL; on MariaDB and SQLite the contract downgrade renames the unique constraint on username", () => {
    assert.equal(results.postgresql!.ok, true, JSON.stringify(results.postgresql!.checks, null, 2));
    for (const dialect of ["mysql", "sqlite"]) {
      const r = results[dialect]!;
      if (r.ok) continue; // the revision was fixed (createUniqueConstraint(null, ...)): nothing to report
      const c = check(r, "downgrade-no-trace");
      assert.equal(c.revision?.revision, "b8e4a2d6f1c3");
      assert.match(c.message, /downgrade left 1 difference: unique \(username\) of users renamed from (username|no name) to users_username_key$/);
      assert.deepEqual(r.checks.filter((x) => x.status === "fail").map((x) => x.name), ["downgrade-no-trace"]);
    }
  });
});
