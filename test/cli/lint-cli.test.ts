/**
 * `athanor lint` through the CLI: the tutorial's puzzle (a NOT NULL column without a default breaks the
 * old pods during a rolling deploy), output formats, `upgrade --strict`, and `revision --expand-contract`.
 * ATHANOR_TEST_CLI may point at another build of the CLI.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, readdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { after, before, describe, test } from "node:test";
import { CLI, tempDir } from "./cli-helpers.js";

const cli = process.env.ATHANOR_TEST_CLI ?? CLI;
const TUTORIAL = resolve(import.meta.dirname, "../../examples/tutorial/versions");
const SECOND = "9c3e5f8a1d2b";

function athanor(cwd: string, args: string[]) {
  const env = { ...process.env };
  delete env.DATABASE_URL;
  delete env.NODE_OPTIONS;
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, env, encoding: "utf8" });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

const wired = /^\s+lint\b/m.test(athanor(process.cwd(), ["--help"]).stdout);
const skip = wired ? false : "the lint command is not registered in this build of the CLI (see registerLintCommand)";

function lastLogin(nullable: boolean): string {
  return `/**
 * add users.last_login
 *
 * Revision ID: aaaa00000001
 * Revises: ${SECOND}
 * Create Date: 2026-03-12 10:00:00.000000
 */
import { type Op, sa } from "athanor";

export const revision = "aaaa00000001";
export const downRevision: string | string[] | null = "${SECOND}";
export const branchLabels: string[] | null = null;
export const dependsOn: string[] | null = null;
export const lockTimeout = "5s";

export async function upgrade(op: Op): Promise<void> {
  await op.addColumn("users", sa.column("last_login", sa.dateTime({ timezone: true }), { nullable: ${nullable} }));
}

export async function downgrade(op: Op): Promise<void> {
  await op.dropColumn("users", "last_login");
}
`;
}

describe("athanor lint (CLI)", { skip }, () => {
  const project = tempDir("athanor-lint-cli-");
  const rev = () => join(project.dir, "migrations/versions/aaaa00000001_add_users_last_login.ts");
  const run = (...args: string[]) => athanor(project.dir, args);

  before(() => {
    assert.equal(run("init", "migrations").status, 0);
    cpSync(TUTORIAL, join(project.dir, "migrations/versions"), { recursive: true });
    const up = run("upgrade", "head");
    assert.equal(up.status, 0, up.stderr);
  });
  after(() => project.cleanup());

  test("the tutorial's puzzle: NOT NULL last_login without a default fails lint, with the explanation", () => {
    writeFileSync(rev(), lastLogin(false));
    for (const dialect of [[], ["--dialect", "postgresql"], ["--dialect", "mysql"]]) {
      const r = run("lint", ...dialect);
      assert.equal(r.status, 1, r.stdout + r.stderr);
      assert.match(r.stdout, /migrations\/versions\/aaaa00000001_add_users_last_login\.ts:17: error \[adding-required-column\] users\.last_login is added NOT NULL without a server default \(revision aaaa00000001\)/);
      assert.match(r.stdout, /why: old code fails, migration fails: The application version still running during the deploy does not know the column/);
      assert.match(r.stdout, /safe alternative: Add the column nullable/);
      assert.match(r.stdout, /docs: docs\/lint-rules\.md#adding-required-column/);
      assert.match(r.stdout, /1 revision checked, 1 error/, "only the pending revision is linted");
      assert.match(r.stderr, /^ERROR: lint failed: 1 error-severity finding not suppressed/m);
    }
  });

  test("--format github and json", () => {
    writeFileSync(rev(), lastLogin(false));
    const gh = run("lint", "--format", "github");
    assert.equal(gh.status, 1);
    assert.match(gh.stdout, /^::error file=migrations\/versions\/aaaa00000001_add_users_last_login\.ts,line=17,title=athanor lint adding-required-column::users\.last_login is added NOT NULL/m);
    const js = run("lint", "--format", "json");
    assert.equal(js.status, 1);
    const report = JSON.parse(js.stdout);
    assert.equal(report.summary.errors, 1);
    assert.equal(report.findings[0].rule, "adding-required-column");
    assert.equal(report.findings[0].line, 17);
  });

  test("upgrade --strict refuses what lint rejects; nothing is applied", () => {
    writeFileSync(rev(), lastLogin(false));
    const r = run("upgrade", "head", "--strict");
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /WARN {2}lint error \[adding-required-column\] migrations\/versions\/aaaa00000001_add_users_last_login\.ts:17/);
    assert.match(r.stderr, /ERROR: upgrade refused \(--strict\)/);
    assert.equal(run("current").stdout, `${SECOND}\n`);
  });

  test("the nullable version passes, and --all / ranges select revisions", () => {
    writeFileSync(rev(), lastLogin(true));
    const r = run("lint");
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /1 revision checked, 0 errors, 0 warnings/);
    const all = run("lint", "--all", "--dialect", "postgresql");
    assert.equal(all.status, 1, "the tutorial's second revision builds an index without CONCURRENTLY on PostgreSQL");
    assert.match(all.stdout, /\[require-concurrent-index\] index ix_users_phone_number/);
    assert.match(all.stdout, /3 revisions checked/);
    const range = run("lint", `${SECOND}:head`, "--dialect", "postgresql");
    assert.equal(range.status, 0, range.stdout);
    assert.equal(run("lint", "--all", "base:head").status, 2);
    assert.equal(run("lint", "--rule", "no-such-rule").status, 2);
    const up = run("upgrade", "head", "--strict");
    assert.equal(up.status, 0, up.stderr);
  });

  test("revision --expand-contract rename-column writes three revisions that lint clean and run", () => {
    const r = run("revision", "--expand-contract", "rename-column", "users", "full_name", "display_name", "--type", "sa.string(100)");
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.match(/Generating .* \.\.\. {2}done/g)?.length, 3, r.stdout);
    const files = readdirSync(join(project.dir, "migrations/versions")).filter((f) => /expand|backfill|contract/.test(f));
    assert.equal(files.length, 3, files.join(", "));
    for (const dialect of ["postgresql", "mysql", "sqlite"]) {
      const l = run("lint", "--dialect", dialect);
      assert.equal(l.status, 0, l.stdout);
      assert.match(l.stdout, /3 revisions checked, 0 errors, 0 warnings, 1 suppressed/);
    }
    const up = run("upgrade", "head", "--strict");
    assert.equal(up.status, 0, up.stderr);
    assert.match(up.stderr, /INFO {2}backfill users: done/);
    const bad = run("revision", "--expand-contract", "rename-column", "users", "email");
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /usage: --expand-contract rename-column TABLE OLD NEW/);
  });
});
