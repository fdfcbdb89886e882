/**
 * `athanor test` through the built CLI (`node dist/cli.js test`): text report and exit codes, the
 * diff under a failure, `--format json`, `--junit`, `--only`/`--skip`/`--heads`, bad usage (exit 2),
 * passwords redacted, and Ctrl-C dropping the throwaway database.
 *
 * Skips itself while the command is not wired into src/cli.ts (`athanor test --help` does not show
 * the command's usage).
 * ATHANOR_TEST_CLI may point at another build of the CLI.
 */
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { appendFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, test } from "node:test";
import type { DialectName } from "../../src/dialects/types.js";
import { DIALECTS, MYSQL_ADMIN_URL, POSTGRES_ADMIN_URL } from "../helpers/databases.js";
import { makeProject, type RevisionSpec, type TestProject } from "../helpers/revisions.js";
import { inspect } from "../helpers/runtime.js";
import { CLI as DEFAULT_CLI, tempDir, type RunResult } from "./cli-helpers.js";

const CLI = process.env.ATHANOR_TEST_CLI ?? DEFAULT_CLI;
const TUTORIAL = resolve(import.meta.dirname, "../../examples/tutorial");

function env(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = { ...process.env, ...extra };
  if (!("DATABASE_URL" in extra)) delete e.DATABASE_URL;
  delete e.NODE_OPTIONS;
  return e;
}

function athanor(cwd: string, args: string[]): RunResult {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, env: env(), encoding: "utf8" });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

const wired = (() => {
  if (!existsSync(CLI)) return false;
  // An unknown command with --help prints the program's help and exits 0: look for the command's own usage.
  const r = spawnSync(process.execPath, [CLI, "test", "--help"], { env: env(), encoding: "utf8" });
  return r.status === 0 && /Usage: athanor test\b/.test(r.stdout);
})();
const skip = wired ? false : "`athanor test` is not wired into the CLI yet (node dist/cli.js test --help does not show its usage)";

function serverUrl(dialect: DialectName): string {
  return dialect === "postgresql" ? POSTGRES_ADMIN_URL : dialect === "mysql" ? MYSQL_ADMIN_URL : "sqlite:./app.db";
}

/** A project folder with an athanor.config.ts over the given revisions. */
function project(revisions: RevisionSpec[], extra: Record<string, string> = {}): TestProject {
  const p = makeProject();
  for (const spec of revisions) appendFileSync(p.write(spec), `\nimport { sa } from "athanor";\n${extra[spec.rev] ?? ""}`);
  writeFileSync(join(p.dir, "athanor.config.ts"), `export default { scriptLocation: ".", versionLocations: ["versions"] };\n`);
  return p;
}

const USERS: RevisionSpec = {
  rev: "aaaaaaaaaaa1", down: null, message: "create users",
  upgrade: `await op.createTable("users", sa.column("id", sa.integer(), { primaryKey: true }), sa.column("email", sa.string(255), { nullable: false }));`,
  downgrade: `await op.dropTable("users");`,
};
const FORGOT_INDEX: RevisionSpec = {
  rev: "bbbbbbbbbbb2", down: "aaaaaaaaaaa1", message: "index users email",
  upgrade: `await op.createIndex("ix_users_email", "users", ["email"]);`,
  downgrade: ``,
};

function tutorialProject(): { dir: string; cleanup(): void } {
  const t = tempDir("athanor-cli-test-");
  writeFileSync(join(t.dir, "athanor.config.ts"),
    `export default { scriptLocation: ${JSON.stringify(TUTORIAL)}, versionLocations: [${JSON.stringify(join(TUTORIAL, "versions"))}] };\n`);
  return t;
}

describe("athanor test (CLI)", { skip }, () => {
  test("--help lists the options", () => {
    const r = athanor(process.cwd(), ["test", "--help"]);
    assert.equal(r.status, 0);
    for (const opt of ["--only", "--skip", "--heads", "--format", "--junit", "--keep-database"]) assert.ok(r.stdout.includes(opt), `${opt} in\n${r.stdout}`);
  });

  for (const dialect of DIALECTS) {
    test(`the tutorial passes on ${dialect}: one line per check, exit 0`, () => {
      const t = tutorialProject();
      try {
        const r = athanor(t.dir, ["test", "--url", serverUrl(dialect)]);
        assert.equal(r.status, 0, r.stderr);
        const lines = r.stdout.trimEnd().split("\n");
        assert.deepEqual(lines.slice(0, 6), [
          "PASS single-head: head 9c3e5f8a1d2b",
          "PASS upgrade: 2 revisions, base to head one at a time",
          "SKIP schema-matches: no schema configured (set 'schema' in the config to the module(s) declaring the target schema)",
          "PASS up-down: 2 revisions: upgrade, downgrade, upgrade again",
          "PASS downgrade-no-trace: 2 downgrades restored the schema exactly",
          "SKIP data: no revision exports seed() or verify()",
        ]);
        assert.match(lines[6]!, /^0 failed, 4 passed, 2 skipped in \d+\.\d+ s \(2 revisions, throwaway database .*athanor_test_[0-9a-f]{8}(\.db)?\)$/);
        assert.match(r.stderr, /INFO {2}Testing 2 revisions on the throwaway database /);
        if (dialect === "sqlite") assert.equal(existsSync(join(t.dir, "app.db")), false);
      } finally {
        t.cleanup();
      }
    });
  }

  test("a failure: FAIL line naming the revision, the diff, ERROR line, exit 1; JSON and JUnit", () => {
    const p = project([USERS, FORGOT_INDEX]);
    try {
      const r = athanor(p.dir, ["test", "--url", POSTGRES_ADMIN_URL, "--junit", "reports/athanor.xml"]);
      assert.equal(r.status, 1, r.stderr);
      const lines = r.stdout.split("\n");
      const i = lines.findIndex((l) => l.startsWith("FAIL downgrade-no-trace"));
      assert.equal(lines[i], "FAIL downgrade-no-trace: revision bbbbbbbbbbb2 (index users email): the downgrade ran no statement (empty downgrade?); it left 1 difference: index ix_users_email of users left behind");
      assert.equal(lines[i + 1], "    (- before the upgrade, + after the downgrade)");
      assert.equal(lines[i + 2], "    + table users: index ix_users_email (email)");
      assert.ok(lines.includes("PASS upgrade: 2 revisions, base to head one at a time"), r.stdout);
      assert.match(r.stderr.trimEnd().split("\n").at(-1)!, /^ERROR: 1 check failed: downgrade-no-trace \(revision bbbbbbbbbbb2\)$/);
      const xml = readFileSync(join(p.dir, "reports/athanor.xml"), "utf8");
      assert.match(xml, /<testsuite name="athanor test" tests="6" failures="1" errors="0" skipped="3"/);
      assert.match(xml, /<testcase name="downgrade-no-trace" classname="athanor.migrations" time="[\d.]+">\n {6}<failure message="revision bbbbbbbbbbb2 \(index users email\): /);
      assert.ok(xml.includes("+ table users: index ix_users_email (email)</failure>"));

      const j = athanor(p.dir, ["test", "--url", "sqlite:./x.db", "--format", "json"]);
      assert.equal(j.status, 1);
      const report = JSON.parse(j.stdout);
      assert.equal(report.ok, false);
      assert.equal(report.dialect, "sqlite");
      const c = report.checks.find((x: { name: string }) => x.name === "downgrade-no-trace");
      assert.equal(c.status, "fail");
      assert.equal(c.revision.revision, "bbbbbbbbbbb2");
      assert.deepEqual(c.diff, ["+ table users: index ix_users_email (email)"]);
    } finally {
      p.remove();
    }
  });

  test("--only / --skip / --heads; bad usage exits 2", () => {
    const p = project([USERS, FORGOT_INDEX]);
    try {
      const only = athanor(p.dir, ["test", "--url", "sqlite:./x.db", "--only", "single-head,upgrade"]);
      assert.equal(only.status, 0, only.stderr);
      assert.deepEqual(only.stdout.split("\n").slice(0, 2), ["PASS single-head: head bbbbbbbbbbb2", "PASS upgrade: 2 revisions, base to head one at a time"]);
      assert.match(only.stdout.split("\n")[2]!, /^0 failed, 2 passed in /);

      const skipped = athanor(p.dir, ["test", "--url", "sqlite:./x.db", "--skip", "downgrade-no-trace,up-down"]);
      assert.equal(skipped.status, 0, skipped.stdout);

      const heads = athanor(p.dir, ["test", "--url", "sqlite:./x.db", "--only", "single-head", "--heads", "aaaaaaaaaaa1"]);
      assert.equal(heads.status, 1);
      assert.match(heads.stdout, /^FAIL single-head: expected heads aaaaaaaaaaa1, found bbbbbbbbbbb2: unexpected head revision bbbbbbbbbbb2 \(index users email\); not a head: aaaaaaaaaaa1\n/);

      const bad = athanor(p.dir, ["test", "--only", "upgrade,round-trip"]);
      assert.equal(bad.status, 2);
      assert.match(bad.stderr, /^ERROR: --only: unknown check 'round-trip' \(checks: single-head, upgrade, schema-matches, up-down, downgrade-no-trace, data\)$/m);
      const badFormat = athanor(p.dir, ["test", "--format", "xml"]);
      assert.equal(badFormat.status, 2);
    } finally {
      p.remove();
    }
  });

  test("the password never appears; an unreachable server is one ERROR line, exit 1", () => {
    const t = tutorialProject();
    try {
      const u = new URL(POSTGRES_ADMIN_URL);
      u.password = "s3cret-pw";
      const r = athanor(t.dir, ["test", "--url", u.toString(), "--only", "upgrade"]);
      assert.equal(r.status, 0, r.stderr);
      assert.ok(!(r.stdout + r.stderr).includes("s3cret-pw"));
      assert.ok(r.stdout.includes(":***@"), r.stdout);
      u.port = "1";
      const down = athanor(t.dir, ["test", "--url", u.toString()]);
      assert.equal(down.status, 1);
      assert.ok(!(down.stdout + down.stderr).includes("s3cret-pw"));
      assert.match(down.stderr, /^ERROR: could not create the throwaway database test_athanor_test_[0-9a-f]{8} on postgresql:\/\/postgres:\*\*\*@127\.0\.0\.1:1\/test: could not connect/m);
    } finally {
      t.cleanup();
    }
  });

  for (const dialect of DIALECTS) {
    test(`Ctrl-C drops the throwaway database (${dialect})`, async () => {
      const p = makeProject();
      const marker = join(p.dir, "started");
      const slow: RevisionSpec = {
        rev: "ccccccccccc3", down: "aaaaaaaaaaa1", message: "slow",
        upgrade: `(await import("node:fs")).writeFileSync(${JSON.stringify(marker)}, "");\nawait new Promise((r) => setTimeout(r, 20000));`,
      };
      for (const spec of [USERS, slow]) appendFileSync(p.write(spec), `\nimport { sa } from "athanor";\n`);
      writeFileSync(join(p.dir, "athanor.config.ts"), `export default { scriptLocation: ".", versionLocations: ["versions"] };\n`);
      try {
        const child = spawn(process.execPath, [CLI, "test", "--url", serverUrl(dialect)], { cwd: p.dir, env: env() });
        let stderr = "";
        child.stderr.on("data", (d) => (stderr += d));
        const exited = new Promise<number | null>((res) => child.on("close", (code) => res(code)));
        const deadline = Date.now() + 20000;
        while (!existsSync(marker) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
        assert.ok(existsSync(marker), `the slow revision never started: ${stderr}`);
        child.kill("SIGINT");
        const code = await exited;
        assert.equal(code, 130, stderr);
        assert.match(stderr, /WARN {2}Interrupted \(SIGINT\): dropping the throwaway database/);
        const m = /on the throwaway database (\S+)/.exec(stderr);
        assert.ok(m, stderr);
        const where = m[1]!;
        if (dialect === "sqlite") {
          assert.equal(existsSync(where), false, `${where} still exists`);
        } else {
          const name = where.slice(where.lastIndexOf("/") + 1);
          const sql = dialect === "postgresql" ? "SELECT 1 FROM pg_database WHERE datname = $1" : "SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?";
          const rows = await inspect(serverUrl(dialect), async (c) => (await c.execute({ sql, params: [name] })).rows);
          assert.equal(rows.length, 0, `${name} still exists`);
        }
      } finally {
        p.remove();
      }
    });
  }
});
