/** The lint engine around the rules: lines, suppressions, output formats, docs, timeouts, expand/contract text. */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, describe, test } from "node:test";
import { expandContractPhases, parseExpandContractArgs } from "../../src/commands/expand-contract.js";
import { lintRevisionFile, lintPlannedSteps } from "../../src/commands/lint.js";
import { Project } from "../../src/commands/project.js";
import { createMemoryLogger } from "../../src/util/log.js";
import { renderRuleDocs } from "../../src/lint/docs.js";
import { lintRecorded, parseDisables } from "../../src/lint/engine.js";
import { formatFindings } from "../../src/lint/format.js";
import { recordRevision } from "../../src/lint/record.js";
import { typeChangeRisk } from "../../src/lint/rules.js";
import { actionsOfSql, loadSqlParser } from "../../src/lint/sql.js";
import { parseDuration, readRevisionTimeouts } from "../../src/lint/timeouts.js";

const dir = mkdtempSync(join(tmpdir(), "athanor-lint-engine-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const FILE = `import { type Op, sa } from "athanor";

export const revision = "0000000000e1";
export const downRevision: string | string[] | null = null;
export const branchLabels: string[] | null = null;
export const dependsOn: string[] | null = null;

export async function upgrade(op: Op): Promise<void> {
  await op.addColumn("users", sa.column("a", sa.integer(), { nullable: true }));
  await op.addColumn(
    "users",
    sa.column("last_login", sa.dateTime(), { nullable: false }),
  );
  // athanor-lint-disable-next-line drop-column, rename-column -- contract: unused since v42
  await op
    .dropColumn("users", "full_name");
  await op.alterColumn("users", "username", { newName: "login" });
}

export async function downgrade(op: Op): Promise<void> {}
`;

describe("lint engine", () => {
  test("findings carry the line of the op call; comments suppress the next statement", async () => {
    const path = join(dir, "0000000000e1_t.ts");
    writeFileSync(path, FILE);
    const rec = await recordRevision({ revision: "0000000000e1", message: "t", path }, "postgresql");
    assert.deepEqual(rec.entries.map((e) => e.line), [9, 10, 16, 17]);
    const findings = lintRecorded([rec], { dialect: "postgresql" });
    const req = findings.find((f) => f.rule === "adding-required-column")!;
    assert.equal(req.line, 10);
    assert.equal(req.file, resolve(path));
    const drop = findings.find((f) => f.rule === "drop-column")!;
    assert.deepEqual(drop.suppressed, { reason: "contract: unused since v42", by: "comment" });
    const rename = findings.find((f) => f.rule === "rename-column")!;
    assert.equal(rename.suppressed, null, "the comment covers only the next statement");
    assert.equal(rename.line, 17);
    const lock = findings.filter((f) => f.rule === "require-lock-timeout");
    assert.equal(lock.length, 1, "once per revision");
  });

  test("parseDisables: rule lists, reasons, multi-line statements", () => {
    const d = parseDisables(["// athanor-lint-disable-next-line a,b -- why", "", "await op.x(", "  1,", ");", "next();"]);
    assert.deepEqual(d, [{ line: 1, rules: ["a", "b"], reason: "why", from: 3, to: 5 }]);
    assert.equal(parseDisables(["// athanor-lint-disable-next-line a", "x();"])[0]!.reason, "");
  });

  test("output formats: text, json, github workflow commands", async () => {
    const path = join(dir, "0000000000e2_t.ts");
    writeFileSync(path, FILE.replace(/0000000000e1/g, "0000000000e2"));
    const rec = await recordRevision({ revision: "0000000000e2", message: "t", path }, "postgresql");
    const findings = lintRecorded([rec], { dialect: "postgresql" });
    const github = formatFindings("github", findings, 1, "postgresql", dir);
    assert.match(github, /^::error file=0000000000e2_t\.ts,line=10,title=athanor lint adding-required-column::users\.last_login is added NOT NULL without a server default\. Why: /m);
    assert.match(github, /^::warning file=0000000000e2_t\.ts,line=9,title=athanor lint require-lock-timeout::/m);
    assert.doesNotMatch(github, /drop-column/);
    const json = JSON.parse(formatFindings("json", findings, 1, "postgresql", dir));
    assert.equal(json.summary.errors, 2);
    assert.equal(json.summary.suppressed, 1);
    assert.equal(json.findings.find((f: { rule: string }) => f.rule === "adding-required-column").line, 10);
    const text = formatFindings("text", findings, 1, "postgresql", dir);
    assert.match(text, /0000000000e2_t\.ts:10: error \[adding-required-column\] users\.last_login is added NOT NULL without a server default/);
    assert.match(text, /why: old code fails, migration fails: /);
    assert.match(text, /safe alternative: Add the column nullable/);
    assert.match(text, /2 errors, 1 warning, 1 suppressed/);
  });

  test("docs/lint-rules.md is generated from the rules and up to date", () => {
    const onDisk = readFileSync(resolve(import.meta.dirname, "../../docs/lint-rules.md"), "utf8");
    assert.equal(onDisk, renderRuleDocs(), "regenerate docs/lint-rules.md with renderRuleDocs()");
  });

  test("raw SQL is parsed by the PostgreSQL parser, several statements and placeholders", async () => {
    await loadSqlParser();
    const actions = actionsOfSql(
      "SET lock_timeout = '1s'; CREATE INDEX CONCURRENTLY ix ON t (a); UPDATE t SET a = :v WHERE id = :id; ALTER TABLE t RENAME COLUMN a TO b",
      { v: 1, id: 2 }, "postgresql",
    );
    assert.deepEqual(actions.map((a) => a.kind), ["setTimeout", "createIndex", "dataChange", "renameColumn"]);
    assert.deepEqual(actions[2], { kind: "dataChange", verb: "update", table: "t", bounded: true });
  });

  test("type change classification", () => {
    const v = (n: number | null) => ({ name: n === null ? "text" : "varchar", length: n, text: `varchar(${n})` });
    assert.equal(typeChangeRisk("postgresql", v(50), v(100)), null);
    assert.equal(typeChangeRisk("postgresql", v(50), v(null)), null);
    assert.equal(typeChangeRisk("postgresql", v(50), v(20))?.narrowing, true);
    assert.equal(typeChangeRisk("mysql", v(20), v(40)), null);
    assert.equal(typeChangeRisk("mysql", v(50), v(100))?.rewrite, true, "crosses the length-byte boundary");
    assert.equal(typeChangeRisk("postgresql", { name: "int4", text: "integer" }, { name: "int8", text: "bigint" })?.rewrite, true);
    assert.equal(typeChangeRisk("postgresql", null, v(10))?.rewrite, true);
    assert.equal(typeChangeRisk("sqlite", v(10), v(20))?.rewrite, true);
  });

  test("timeouts: durations and revision exports", () => {
    assert.equal(parseDuration("5s"), 5000);
    assert.equal(parseDuration("250ms"), 250);
    assert.equal(parseDuration("2min"), 120_000);
    assert.equal(parseDuration(1500), 1500);
    assert.throws(() => parseDuration("soon"), /lockTimeout|duration/);
    assert.deepEqual(readRevisionTimeouts({ lockTimeout: "5s" }), { lockTimeoutMs: 5000, statementTimeoutMs: null });
  });

  test("expand/contract: argument parsing and generated phases", () => {
    assert.throws(() => parseExpandContractArgs(["rename-column", "users", "a"], {}), /usage/);
    assert.throws(() => parseExpandContractArgs(["drop-everything"], {}), /unknown change/);
    assert.throws(() => expandContractPhases({ kind: "rename-column", table: "users", from: "a", to: "b", type: "" }), /--type/);
    assert.throws(() => expandContractPhases({ kind: "rename-column", table: "users; drop", from: "a", to: "b", type: "sa.text()" }), /identifier/);
    assert.throws(
      () => expandContractPhases({ kind: "split-column", table: "t", from: "a", to: ["b", "c", "d"], type: "sa.text()" }),
      /--split-sql/,
    );
    const [expand, backfill, contract] = expandContractPhases({ kind: "rename-column", table: "users", from: "username", to: "login", type: "sa.string(50)", notNull: true });
    assert.match(expand!.upgrades, /op\.addColumn\("users", sa\.column\("login", sa\.string\(50\), \{ nullable: true \}\)\)/);
    assert.match(expand!.upgrades, /CREATE TRIGGER "athanor_sync_users_username_trg" BEFORE INSERT OR UPDATE ON "users"/);
    assert.match(expand!.downgrades, /DROP TRIGGER IF EXISTS/);
    assert.match(backfill!.upgrades, /op\.backfill\("users"/);
    assert.match(backfill!.upgrades, /VALIDATE CONSTRAINT/);
    assert.match(contract!.imports.join("\n"), /export const lintAllow = \{ "drop-column": /);
    assert.match(contract!.downgrades, /op\.addColumn\("users", sa\.column\("username"/);
    const custom = expandContractPhases({
      kind: "split-column", table: "people", from: "name", to: ["given", "family"], type: "sa.text()",
      splitSql: ["split_part({}, ' ', 1)", "nullif(split_part({}, ' ', 2), '')"], combineSql: "{given} || coalesce(' ' || {family}, '')",
    });
    assert.match(custom[0]!.upgrades, /NEW\."given" := split_part\(NEW\."name", ' ', 1\);/);
    assert.match(custom[2]!.downgrades, /name: "given \|\| coalesce\(' ' \|\| family, ''\)"/);
  });

  test("lintRevisionFile and lintPlannedSteps (for revision --autogenerate and upgrade)", async () => {
    const root = join(dir, "project");
    const versions = join(root, "migrations/versions");
    const { mkdirSync } = await import("node:fs");
    mkdirSync(versions, { recursive: true });
    writeFileSync(join(root, "athanor.config.ts"), `export default { scriptLocation: "migrations", url: "sqlite:./x.db" };\n`);
    const path = join(versions, "0000000000e1_t.ts");
    writeFileSync(path, FILE);
    const project = await Project.open({ cwd: root, configPath: join(root, "athanor.config.ts"), log: createMemoryLogger() });
    const report = await lintRevisionFile(project, path, { dialect: "postgresql" });
    assert.equal(report.failed, true);
    assert.deepEqual(report.revisions, ["0000000000e1"]);
    assert.ok(report.findings.some((f) => f.rule === "adding-required-column" && f.line === 10));
    const planned = await lintPlannedSteps(project, project.graph().planUpgrade([], "head"));
    assert.equal(planned.dialect, "sqlite");
    assert.equal(planned.summary.errors, 2);
  });
});
