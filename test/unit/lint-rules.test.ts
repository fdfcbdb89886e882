/**
 * Every lint rule: a revision that triggers it, and its safe alternative that passes, on each dialect
 * the rule concerns (and, for dialect-specific rules, silence on the others).
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import type { DialectName } from "../../src/dialects/types.js";
import { lintRecorded, type Finding } from "../../src/lint/engine.js";
import { recordRevision } from "../../src/lint/record.js";
import { META_RULES, RULES } from "../../src/lint/rules.js";

const dir = mkdtempSync(join(tmpdir(), "athanor-lint-rules-"));
after(() => rmSync(dir, { recursive: true, force: true }));
let counter = 0;

interface Rev {
  body: string;
  /** Top-level lines (exports). */
  top?: string;
}

function source(rev: string, down: string | null, r: Rev): string {
  return `import { type Op, sa } from "athanor";
${r.top ?? ""}
export const revision = "${rev}";
export const downRevision: string | string[] | null = ${JSON.stringify(down)};
export const branchLabels: string[] | null = null;
export const dependsOn: string[] | null = null;

export async function upgrade(op: Op): Promise<void> {
${r.body.split("\n").map((l) => `  ${l}`).join("\n")}
}

export async function downgrade(op: Op): Promise<void> {}
`;
}

/** Lint a chain of revisions (the last one is reported; earlier ones are context). */
export async function lintBodies(dialect: DialectName, revs: Rev[]): Promise<Finding[]> {
  const recorded = [];
  let down: string | null = null;
  let last = "";
  for (const r of revs) {
    const id = (++counter).toString(16).padStart(12, "0");
    const path = join(dir, `${id}_t.ts`);
    writeFileSync(path, source(id, down, r));
    recorded.push(await recordRevision({ revision: id, message: "t", path }, dialect));
    down = id;
    last = id;
  }
  return lintRecorded(recorded, { dialect, report: new Set([last]) });
}

const active = (fs: Finding[], rule: string) => fs.filter((f) => f.rule === rule && f.suppressed === null);

const LOCK = `export const lockTimeout = "5s";`;

interface Case {
  rule: string;
  dialects: DialectName[];
  bad: Rev[];
  good: Rev[][];
  /** Dialects where `bad` must not trigger the rule. */
  silentOn?: DialectName[];
}

const ALL: DialectName[] = ["postgresql", "mysql", "sqlite"];

const CASES: Case[] = [
  {
    rule: "adding-required-column",
    dialects: ALL,
    bad: [{ top: LOCK, body: `await op.addColumn("users", sa.column("last_login", sa.dateTime(), { nullable: false }));` }],
    good: [
      [{ top: LOCK, body: `await op.addColumn("users", sa.column("last_login", sa.dateTime(), { nullable: true }));` }],
      [{ top: LOCK, body: `await op.addColumn("users", sa.column("plan", sa.string(20), { nullable: false, serverDefault: "free" }));` }],
      [{ body: `await op.createTable("t", sa.column("id", sa.integer(), { primaryKey: true }));\nawait op.addColumn("t", sa.column("x", sa.integer(), { nullable: false }));` }],
    ],
  },
  {
    rule: "drop-column",
    dialects: ALL,
    bad: [{ top: LOCK, body: `await op.dropColumn("users", "full_name");` }],
    good: [[{ top: `${LOCK}\nexport const lintAllow = { "drop-column": "contract phase: unused since v42" };`, body: `await op.dropColumn("users", "full_name");` }]],
  },
  {
    rule: "drop-table",
    dialects: ALL,
    bad: [{ top: LOCK, body: `await op.dropTable("legacy");` }],
    good: [[{ top: LOCK, body: `// athanor-lint-disable-next-line drop-table -- archived, unused since v40\nawait op.dropTable("legacy");` }]],
  },
  {
    rule: "rename-column",
    dialects: ALL,
    bad: [{ top: LOCK, body: `await op.alterColumn("users", "username", { newName: "login" });` }],
    good: [[{ top: LOCK, body: `await op.addColumn("users", sa.column("login", sa.string(50), { nullable: true }));` }]],
  },
  {
    rule: "rename-table",
    dialects: ALL,
    bad: [{ top: LOCK, body: `await op.renameTable("users", "accounts");` }],
    good: [[{ top: LOCK, body: `await op.execute("CREATE VIEW accounts AS SELECT * FROM users");` }]],
  },
  {
    rule: "change-column-type",
    dialects: ALL,
    bad: [{ top: LOCK, body: `await op.alterColumn("orders", "total_amount", { type: sa.float(), existingType: sa.numeric(10, 2) });` }],
    good: [[{ top: LOCK, body: `await op.addColumn("orders", sa.column("total_amount_f", sa.float(), { nullable: true }));` }]],
  },
  {
    rule: "change-column-type",
    dialects: ["postgresql", "mysql"],
    bad: [{ top: LOCK, body: `await op.alterColumn("users", "username", { type: sa.string(20), existingType: sa.string(50) });` }],
    good: [
      [{ top: LOCK, body: `await op.alterColumn("users", "email", { type: sa.string(320), existingType: sa.string(255) });` }],
    ],
  },
  {
    rule: "change-column-type",
    dialects: ["postgresql"],
    bad: [{ top: LOCK, body: `await op.execute("ALTER TABLE users ALTER COLUMN id TYPE bigint");` }],
    good: [
      [{ top: LOCK, body: `await op.alterColumn("users", "email", { type: sa.text(), existingType: sa.string(255) });` }],
      [{ top: LOCK, body: `await op.alterColumn("orders", "total_amount", { type: sa.numeric(12, 2), existingType: sa.numeric(10, 2) });` }],
    ],
  },
  {
    rule: "require-concurrent-index",
    dialects: ["postgresql"],
    silentOn: ["mysql", "sqlite"],
    bad: [{ top: LOCK, body: `await op.createIndex("ix_users_email", "users", ["email"]);` }],
    good: [
      [{ top: LOCK, body: `await op.autocommitBlock(async () => {\n  await op.createIndex("ix_users_email", "users", ["email"], { concurrently: true, ifNotExists: true });\n});` }],
      [{ body: `await op.createTable("t", sa.column("id", sa.integer(), { primaryKey: true }), sa.column("x", sa.integer()));\nawait op.createIndex("ix_t_x", "t", ["x"]);` }],
      [{ top: LOCK, body: `await op.autocommitBlock(() => op.execute("CREATE INDEX CONCURRENTLY ix_users_email ON users (email)"));` }],
    ],
  },
  {
    rule: "require-concurrent-index",
    dialects: ["postgresql"],
    bad: [{ top: LOCK, body: `await op.execute("CREATE INDEX ix_users_email ON users (email)");` }],
    good: [],
  },
  {
    rule: "concurrent-index-in-transaction",
    dialects: ["postgresql"],
    silentOn: ["mysql", "sqlite"],
    bad: [{ top: LOCK, body: `await op.createIndex("ix_users_email", "users", ["email"], { concurrently: true });` }],
    good: [[{ top: LOCK, body: `await op.autocommitBlock(() => op.createIndex("ix_users_email", "users", ["email"], { concurrently: true }));` }]],
  },
  {
    rule: "drop-index-non-concurrently",
    dialects: ["postgresql"],
    silentOn: ["mysql", "sqlite"],
    bad: [{ top: LOCK, body: `await op.dropIndex("ix_users_email", { table: "users" });` }],
    good: [[{ top: LOCK, body: `await op.autocommitBlock(() => op.dropIndex("ix_users_email", { table: "users", concurrently: true, ifExists: true }));` }]],
  },
  {
    rule: "unique-constraint-without-index",
    dialects: ["postgresql"],
    silentOn: ["mysql"],
    bad: [{ top: LOCK, body: `await op.createUniqueConstraint("uq_users_email", "users", ["email"]);` }],
    good: [[{
      top: LOCK,
      body:
        `await op.autocommitBlock(() => op.createIndex("uq_users_email", "users", ["email"], { unique: true, concurrently: true }));\n` +
        `await op.execute("ALTER TABLE users ADD CONSTRAINT uq_users_email UNIQUE USING INDEX uq_users_email");`,
    }]],
  },
  {
    rule: "constraint-missing-not-valid",
    dialects: ["postgresql"],
    silentOn: ["mysql", "sqlite"],
    bad: [{ top: LOCK, body: `await op.createForeignKey("fk_orders_user", "orders", "users", ["user_id"], ["id"]);` }],
    good: [
      [{ top: LOCK, body: `await op.execute("ALTER TABLE orders ADD CONSTRAINT fk_orders_user FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID");` }],
      [
        { top: LOCK, body: `await op.execute("ALTER TABLE orders ADD CONSTRAINT fk_orders_user FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID");` },
        { top: LOCK, body: `await op.execute("ALTER TABLE orders VALIDATE CONSTRAINT fk_orders_user");` },
      ],
    ],
  },
  {
    rule: "constraint-missing-not-valid",
    dialects: ["postgresql"],
    bad: [{ top: LOCK, body: `await op.createCheckConstraint("ck_amount", "orders", "total_amount >= 0");` }],
    good: [[{ top: LOCK, body: `await op.execute("ALTER TABLE orders ADD CONSTRAINT ck_amount CHECK (total_amount >= 0) NOT VALID");` }]],
  },
  {
    rule: "constraint-missing-not-valid",
    dialects: ["postgresql"],
    bad: [{ top: LOCK, body: `await op.execute("ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users (id)");` }],
    good: [],
  },
  {
    rule: "validate-in-same-transaction",
    dialects: ["postgresql"],
    bad: [{
      top: LOCK,
      body: `await op.execute("ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID");\nawait op.execute("ALTER TABLE orders VALIDATE CONSTRAINT fk");`,
    }],
    good: [[{
      top: LOCK,
      body: `await op.execute("ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID");\nawait op.autocommitBlock(() => op.execute("ALTER TABLE orders VALIDATE CONSTRAINT fk"));`,
    }]],
  },
  {
    rule: "set-not-null-without-check",
    dialects: ["postgresql"],
    silentOn: ["mysql", "sqlite"],
    bad: [{ top: LOCK, body: `await op.alterColumn("users", "last_login", { nullable: false });` }],
    good: [
      [{
        top: LOCK,
        body:
          `await op.execute("ALTER TABLE users ADD CONSTRAINT ck_ll CHECK (last_login IS NOT NULL) NOT VALID");\n` +
          `await op.autocommitBlock(() => op.execute("ALTER TABLE users VALIDATE CONSTRAINT ck_ll"));\n` +
          `await op.alterColumn("users", "last_login", { nullable: false });\n` +
          `await op.dropConstraint("ck_ll", "users", { type: "check" });`,
      }],
      [
        { top: LOCK, body: `await op.execute("ALTER TABLE users ADD CONSTRAINT ck_ll CHECK (last_login IS NOT NULL) NOT VALID");` },
        { top: LOCK, body: `await op.execute("ALTER TABLE users VALIDATE CONSTRAINT ck_ll");` },
        { top: LOCK, body: `await op.execute("ALTER TABLE users ALTER COLUMN last_login SET NOT NULL");` },
      ],
    ],
  },
  {
    rule: "set-not-null-without-check",
    dialects: ["postgresql"],
    bad: [{ top: LOCK, body: `await op.execute("ALTER TABLE users ALTER COLUMN last_login SET NOT NULL");` }],
    good: [],
  },
  {
    rule: "volatile-default",
    dialects: ["postgresql", "mysql"],
    silentOn: ["sqlite"],
    bad: [{ top: LOCK, body: `await op.addColumn("users", sa.column("token", sa.uuid(), { serverDefault: sa.sql("gen_random_uuid()") }));` }],
    good: [
      [{
        top: LOCK,
        body:
          `await op.addColumn("users", sa.column("token", sa.uuid()));\n` +
          `await op.alterColumn("users", "token", { serverDefault: sa.sql("gen_random_uuid()") });\n` +
          `await op.backfill("users", { set: { token: "gen_random_uuid()" }, where: "token IS NULL" });`,
      }],
      [{ top: LOCK, body: `await op.addColumn("users", sa.column("seen_at", sa.dateTime(), { serverDefault: sa.sql("CURRENT_TIMESTAMP") }));` }],
    ],
  },
  {
    rule: "volatile-default",
    dialects: ["postgresql"],
    bad: [{ top: LOCK, body: `await op.execute("ALTER TABLE users ADD COLUMN r float8 DEFAULT random()");` }],
    good: [[{ top: LOCK, body: `await op.execute("ALTER TABLE users ADD COLUMN r float8 DEFAULT 0.5");` }]],
  },
  {
    rule: "volatile-default",
    dialects: ["mysql"],
    bad: [{ top: LOCK, body: `await op.addColumn("users", sa.column("token", sa.string(36), { serverDefault: sa.sql("(uuid())") }));` }],
    good: [],
  },
  {
    rule: "whole-table-dml",
    dialects: ALL,
    bad: [{ top: LOCK, body: `await op.execute("UPDATE users SET last_login = created_at WHERE last_login IS NULL");` }],
    good: [
      [{ top: LOCK, body: `await op.backfill("users", { set: { last_login: "created_at" }, where: "last_login IS NULL", batchSize: 5000 });` }],
      [{ top: LOCK, body: `await op.execute("UPDATE users SET is_active = false WHERE id = :id", { id: 7 });` }],
    ],
  },
  {
    rule: "whole-table-dml",
    dialects: ALL,
    bad: [{ top: LOCK, body: `await op.execute("DELETE FROM sessions");` }],
    good: [[{ top: LOCK, body: `await op.execute("DELETE FROM sessions WHERE id BETWEEN 1 AND 1000");` }]],
  },
  {
    rule: "whole-table-dml",
    dialects: ["mysql", "sqlite"],
    bad: [{ top: LOCK, body: "await op.execute(\"UPDATE `users` SET `is_active` = 0\");" }],
    good: [[{ top: LOCK, body: "await op.execute(\"UPDATE `users` SET `is_active` = 0 WHERE `id` IN (1, 2, 3)\");" }]],
  },
  {
    rule: "require-lock-timeout",
    dialects: ["postgresql", "mysql"],
    silentOn: ["sqlite"],
    bad: [{ body: `await op.addColumn("users", sa.column("nickname", sa.text()));` }],
    good: [
      [{ top: LOCK, body: `await op.addColumn("users", sa.column("nickname", sa.text()));` }],
      [{ body: `await op.execute("SET lock_timeout = '2s'");\nawait op.addColumn("users", sa.column("nickname", sa.text()));` }],
      [{ body: `await op.createTable("t", sa.column("id", sa.integer(), { primaryKey: true }));` }],
    ],
  },
  {
    rule: "unparsed-sql",
    dialects: ALL,
    bad: [{ top: LOCK, body: `await op.execute("ALTER TABLE users FROBNICATE everything");` }],
    good: [[{ top: LOCK, body: `await op.execute("SELECT 1");` }]],
  },
  {
    rule: "suppression-without-reason",
    dialects: ALL,
    bad: [{ top: LOCK, body: `// athanor-lint-disable-next-line drop-column\nawait op.dropColumn("users", "full_name");` }],
    good: [[{ top: LOCK, body: `// athanor-lint-disable-next-line drop-column -- contract: unused since v42\nawait op.dropColumn("users", "full_name");` }]],
  },
  {
    rule: "suppression-without-reason",
    dialects: ["postgresql"],
    bad: [{ top: `${LOCK}\nexport const lintAllow = { "drop-column": "" };`, body: `await op.dropColumn("users", "full_name");` }],
    good: [],
  },
  {
    rule: "lint-incomplete",
    dialects: ALL,
    bad: [{ top: LOCK, body: `const [row] = await op.query("SELECT count(*) AS n FROM users");\nif ((row as any).n > 0) await op.execute("SELECT 1");` }],
    good: [[{ top: LOCK, body: `const [row] = await op.query("SELECT count(*) AS n FROM users");\nif (row && (row as any).n > 0) await op.execute("SELECT 1");` }]],
  },
];

describe("lint rules: each triggers, and its safe alternative passes", () => {
  test("every rule (and meta rule) has a case", () => {
    const covered = new Set(CASES.map((c) => c.rule));
    for (const r of [...RULES, ...META_RULES]) assert.ok(covered.has(r.id), `no test case for rule ${r.id}`);
  });

  for (const [i, c] of CASES.entries()) {
    for (const dialect of c.dialects) {
      test(`${c.rule} #${i} on ${dialect}: flagged`, async () => {
        const findings = await lintBodies(dialect, c.bad);
        const hits = active(findings, c.rule);
        assert.ok(hits.length > 0, `expected ${c.rule}; got ${JSON.stringify(findings.map((f) => [f.rule, f.message]))}`);
        const rule = [...RULES, ...META_RULES].find((r) => r.id === c.rule)!;
        assert.equal(hits[0]!.severity, rule.severity);
        assert.ok(hits[0]!.why.length > 0 && hits[0]!.safe.length > 0);
        assert.equal(hits[0]!.docs, `docs/lint-rules.md#${c.rule}`);
      });
      for (const [j, good] of c.good.entries()) {
        test(`${c.rule} #${i} on ${dialect}: safe alternative ${j + 1} passes`, async () => {
          const findings = await lintBodies(dialect, good);
          assert.deepEqual(active(findings, c.rule).map((f) => f.message), []);
          if (c.rule !== "require-lock-timeout" && c.rule !== "unparsed-sql") {
            assert.deepEqual(findings.filter((f) => f.suppressed === null && f.severity === "error").map((f) => `${f.rule}: ${f.message}`), []);
          }
        });
      }
    }
    for (const dialect of c.silentOn ?? []) {
      test(`${c.rule} #${i} does not apply on ${dialect}`, async () => {
        const findings = await lintBodies(dialect, c.bad);
        assert.deepEqual(active(findings, c.rule), []);
      });
    }
  }
});
