import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { athanor, tempDir } from "./cli-helpers.js";

describe("graph commands through the built CLI", () => {
  const { dir, cleanup } = tempDir();
  after(cleanup);
  const run = (...args: string[]) => athanor(dir, args);
  const versions = join(dir, "migrations/versions");

  before(() => {
    const init = run("init", "migrations");
    assert.equal(init.status, 0, init.stderr);
  });

  test("init creates the config, the template and versions/", () => {
    assert.ok(existsSync(join(dir, "athanor.config.ts")));
    assert.ok(existsSync(join(dir, "migrations/script.ts.tmpl")));
    assert.ok(existsSync(versions));
    const again = run("init", "migrations");
    assert.equal(again.status, 1);
    assert.match(again.stderr, /^ERROR: .*already exists and is not empty/m);
  });

  test("list-templates names generic and multidb", () => {
    const r = run("list-templates");
    assert.equal(r.status, 0);
    assert.match(r.stdout, /^generic - /m);
    assert.match(r.stdout, /^multidb - /m);
  });

  test("revision writes <rev>_<slug>.ts and prints Generating", () => {
    const r = run("revision", "-m", "create users", "--rev-id", "aaa111");
    assert.equal(r.status, 0, r.stderr);
    const path = join(versions, "aaa111_create_users.ts");
    assert.equal(r.stdout, `  Generating ${path} ...  done\n`);
    const text = readFileSync(path, "utf8");
    assert.match(text, /export const revision = "aaa111";/);
    assert.match(text, /export const downRevision: string \| string\[\] \| null = null;/);
    assert.match(text, /Revision ID: aaa111/);
    assert.equal(run("revision", "-m", "add email", "--rev-id", "bbb222").status, 0);
  });

  test("heads and history on a linear chain", () => {
    assert.equal(run("heads").stdout, "bbb222 (head)\n");
    assert.equal(run("history").stdout, "aaa111 -> bbb222 (head), add email\n<base> -> aaa111, create users\n");
    assert.equal(run("history", "-r", "aaa111:aaa111").stdout, "<base> -> aaa111, create users\n");
  });

  test("a second head needs --splice, then revision refuses to guess a parent", () => {
    const refused = run("revision", "-m", "branch", "--head", "aaa111");
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /^ERROR: Revision aaa111 is not a head revision; please specify --splice/m);
    assert.equal(run("revision", "-m", "branch", "--head", "aaa111", "--splice", "--rev-id", "ccc333").status, 0);
    assert.equal(run("heads").stdout, "bbb222 (head)\nccc333 (head)\n");
    const ambiguous = run("revision", "-m", "which one");
    assert.equal(ambiguous.status, 1);
    assert.match(ambiguous.stderr, /^ERROR: Multiple heads are present/m);
    assert.match(ambiguous.stderr, /merge/);
    assert.equal(ambiguous.stderr.trim().split("\n").length, 1, "one ERROR line");
  });

  test("branches lists the branch point and its children", () => {
    const r = run("branches");
    assert.equal(r.status, 0, r.stderr);
    assert.equal(
      r.stdout,
      "aaa111 (branchpoint), create users\n       -> bbb222 (head), add email\n       -> ccc333 (head), branch\n",
    );
  });

  test("merge heads writes a merge revision", () => {
    const r = run("merge", "heads", "-m", "merge branches", "--rev-id", "ddd444");
    assert.equal(r.status, 0, r.stderr);
    assert.match(readFileSync(join(versions, "ddd444_merge_branches.ts"), "utf8"), /downRevision: string \| string\[\] \| null = \["bbb222", "ccc333"\];/);
    assert.equal(run("heads").stdout, "ddd444 (head) (mergepoint)\n");
    const history = run("history").stdout.split("\n");
    assert.equal(history[0], "bbb222, ccc333 -> ddd444 (head) (mergepoint), merge branches");
    assert.equal(history.at(-2), "<base> -> aaa111 (branchpoint), create users");
  });

  test("show prints the verbose block", () => {
    const r = run("show", "ddd");
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^Rev: ddd444 \(head\) \(mergepoint\)\nMerges: bbb222, ccc333\nPath: .*ddd444_merge_branches\.ts\n\n    merge branches\n/);
  });

  test("--format json on read-only commands", () => {
    const heads = JSON.parse(run("heads", "--format", "json").stdout);
    assert.deepEqual(heads.map((h: { revision: string }) => h.revision), ["ddd444"]);
    const history = JSON.parse(run("history", "--format", "json").stdout);
    assert.equal(history.length, 4);
    assert.deepEqual(history[0].downRevisions, ["bbb222", "ccc333"]);
  });

  test("history --graph draws the branch and the merge", () => {
    const r = run("history", "--graph");
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.trimEnd().split("\n");
    assert.match(lines[0]!, /^\* +ddd444 \(head\) \(mergepoint\), merge branches$/);
    assert.ok(lines.some((l) => /^\|\\/.test(l)), "merge opens a second lane");
    assert.ok(lines.some((l) => /^\| \* /.test(l) || /^\* \| /.test(l)), "two lanes side by side");
    assert.match(lines.at(-1)!, /^\* +aaa111 \(branchpoint\), create users$/);
  });

  test("errors: unknown revision, bad usage, broken header", () => {
    const unknown = run("show", "zzz");
    assert.equal(unknown.status, 1);
    assert.equal(unknown.stderr, "ERROR: Can't locate revision identified by 'zzz'\n");
    const usage = run("history", "--bogus");
    assert.equal(usage.status, 2);
    assert.match(usage.stderr, /^ERROR: unknown option '--bogus'/m);
    writeFileSync(join(versions, "eee555_broken.ts"), `/** broken */\nexport const revision = "eee555";\nexport const downRevision = ["ddd444";\n`);
    const broken = run("heads");
    assert.equal(broken.status, 1);
    assert.match(broken.stderr, /^ERROR: .*eee555_broken\.ts:3: /m);
    assert.doesNotMatch(broken.stderr, /\n\s+at /, "no stack trace without --debug");
  });
});

describe("configuration", () => {
  test("passwords never appear in errors", () => {
    const { dir, cleanup } = tempDir();
    try {
      const r = athanor(dir, ["--url", "postgresql://app:s3cr3t-pw@127.0.0.1:1/nowhere", "current"]);
      assert.equal(r.status, 1);
      assert.match(r.stderr, /^ERROR: /);
      assert.doesNotMatch(r.stderr + r.stdout, /s3cr3t-pw/);
    } finally {
      cleanup();
    }
  });

  test("global options may follow the command name; -c selects another config", () => {
    const { dir, cleanup } = tempDir();
    try {
      assert.equal(athanor(dir, ["init", "db"]).status, 0);
      writeFileSync(join(dir, "other.config.ts"), `import { defineConfig } from "athanor";\nexport default defineConfig({ scriptLocation: "db" });\n`);
      assert.equal(athanor(dir, ["revision", "-m", "one", "--rev-id", "abc123", "-c", "other.config.ts"]).status, 0);
      assert.equal(athanor(dir, ["heads", "-c", "other.config.ts"]).stdout, "abc123 (head)\n");
      assert.equal(athanor(dir, ["-c", "other.config.ts", "heads"]).stdout, "abc123 (head)\n");
    } finally {
      cleanup();
    }
  });

  test("a project that was never initialised gets a hint", () => {
    const { dir, cleanup } = tempDir();
    try {
      const r = athanor(dir, ["heads"]);
      assert.equal(r.status, 1);
      assert.match(r.stderr, /^ERROR: Path doesn't exist: .*migrations\. Please use the 'init' command/);
    } finally {
      cleanup();
    }
  });
});
