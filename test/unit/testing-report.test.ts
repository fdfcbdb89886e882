/**
 * `athanor test` without a database: the structural schema differ, check selection, the text /
 * JUnit renderings, throwaway database names, and the single-head check.
 */
import assert from "node:assert/strict";
import { AssertionError } from "node:assert";
import { describe, test } from "node:test";
import { parseDatabaseUrl } from "../../src/config/url.js";
import { sa } from "../../src/schema/index.js";
import type { DatabaseSchema } from "../../src/schema/database-schema.js";
import type { Table } from "../../src/schema/types.js";
import { diffSchemas } from "../../src/testing/schema-diff.js";
import {
  assertMigrations, failureSummary, junitXml, MigrationTestError, testMigrations, testSingleHead, textReport,
  type TestReport,
} from "../../src/testing/index.js";
import { selectChecks } from "../../src/testing/run.js";
import { throwawayName, withDatabase } from "../../src/testing/throwaway.js";
import { UsageError } from "../../src/util/errors.js";
import { makeProject } from "../helpers/revisions.js";

function schema(...tables: Table[]): DatabaseSchema {
  return { tables: [...tables].sort((a, b) => (a.name < b.name ? -1 : 1)), enums: [] };
}

const users = (...extra: Parameters<typeof sa.table>[1][]) =>
  sa.table("users",
    sa.column("id", sa.integer(), { primaryKey: true }),
    sa.column("email", sa.string(255), { nullable: false }),
    ...extra,
  );

describe("diffSchemas", () => {
  test("identical schemas: no difference; column order is not compared", () => {
    const a = schema(users(sa.column("a", sa.integer()), sa.column("b", sa.text())));
    const b = schema(users(sa.column("b", sa.text()), sa.column("a", sa.integer())));
    assert.deepEqual(diffSchemas(a, a).entries, []);
    assert.deepEqual(diffSchemas(a, b).lines, []);
  });

  test("an index left behind", () => {
    const before = schema(users(sa.column("phone_number", sa.string(20))));
    const after = schema(users(sa.column("phone_number", sa.string(20)), sa.index("ix_users_phone_number", ["phone_number"])));
    const d = diffSchemas(before, after);
    assert.deepEqual(d.lines, ["+ table users: index ix_users_phone_number (phone_number)"]);
    assert.deepEqual(d.summary, ["index ix_users_phone_number of users left behind"]);
  });

  test("a column left behind, a column not restored, a changed column", () => {
    const before = schema(users(sa.column("full_name", sa.string(100)), sa.column("status", sa.string(20), { nullable: false, serverDefault: "new" })));
    const after = schema(users(sa.column("nickname", sa.text()), sa.column("status", sa.string(30), { nullable: false, serverDefault: "new" })));
    const d = diffSchemas(before, after);
    assert.deepEqual(d.lines, [
      "- table users: column full_name string(100) NULL",
      "- table users: column status string(20) NOT NULL DEFAULT 'new'",
      "+ table users: column status string(30) NOT NULL DEFAULT 'new'",
      "+ table users: column nickname text NULL",
    ]);
    assert.deepEqual(d.summary, [
      "column full_name of users not restored",
      "column status of users changed",
      "column nickname of users left behind",
    ]);
  });

  test("tables, constraints, enums", () => {
    const orders = sa.table("orders",
      sa.column("id", sa.integer(), { primaryKey: true }),
      sa.column("user_id", sa.integer()),
      sa.foreignKey(["user_id"], "users", ["id"], { name: "fk_orders_user", onDelete: "CASCADE" }),
      sa.check("user_id > 0", { name: "ck_orders_user" }),
    );
    const before: DatabaseSchema = { tables: [orders, users()], enums: [{ kind: "enum", name: "mood", values: ["ok", "sad"] }] };
    const after: DatabaseSchema = { tables: [users(), sa.table("zombies", sa.column("id", sa.integer()))], enums: [] };
    const d = diffSchemas(before, after);
    assert.deepEqual(d.lines, [
      "- table orders (id, user_id)",
      "+ table zombies (id)",
      "- enum mood ('ok', 'sad')",
    ]);
    const fkOnly = diffSchemas(schema(orders, users()), schema(
      sa.table("orders", sa.column("id", sa.integer(), { primaryKey: true }), sa.column("user_id", sa.integer()),
        sa.check("user_id > 0", { name: "ck_orders_user" })),
      users(),
    ));
    assert.deepEqual(fkOnly.lines, ["- table orders: foreign key fk_orders_user (user_id) -> users (id) ON DELETE CASCADE"]);
  });

  test("a constraint recreated under another name is summarised as renamed", () => {
    const before = schema(users(sa.unique(["email"])));
    const after = schema(users(sa.unique(["email"], { name: "users_email_key" })));
    const d = diffSchemas(before, after);
    assert.deepEqual(d.lines, ["- table users: unique (email)", "+ table users: unique users_email_key (email)"]);
    assert.deepEqual(d.summary, ["unique (email) of users renamed from no name to users_email_key"]);
  });
});

describe("check selection", () => {
  test("only / skip, comma-separated or arrays, in report order", () => {
    assert.deepEqual(selectChecks(), ["single-head", "upgrade", "schema-matches", "up-down", "downgrade-no-trace", "data"]);
    assert.deepEqual(selectChecks("up-down,upgrade"), ["upgrade", "up-down"]);
    assert.deepEqual(selectChecks(undefined, ["data", "schema-matches"]), ["single-head", "upgrade", "up-down", "downgrade-no-trace"]);
    assert.deepEqual(selectChecks(["upgrade", "data"], "data"), ["upgrade"]);
  });

  test("unknown names and empty selections are usage errors", () => {
    assert.throws(() => selectChecks("upgrade,roundtrip"), (e: unknown) => e instanceof UsageError && /--only: unknown check 'roundtrip'/.test(e.message));
    assert.throws(() => selectChecks(undefined, "nope"), UsageError);
    assert.throws(() => selectChecks("data", "data"), /no check left/);
  });
});

const REPORT: TestReport = {
  ok: false,
  dialect: "postgresql",
  database: "postgresql://app:***@db/app_athanor_test_0badf00d",
  kept: false,
  revisions: 2,
  durationMs: 1234,
  checks: [
    { name: "single-head", status: "pass", message: "head 9c3e5f8a1d2b", durationMs: 1 },
    { name: "schema-matches", status: "skip", message: "no schema configured", durationMs: 0 },
    {
      name: "downgrade-no-trace",
      status: "fail",
      message: "revision 9c3e5f8a1d2b (add phone_number to users): downgrade left 1 difference: index ix_users_phone_number of users left behind",
      revision: { revision: "9c3e5f8a1d2b", message: "add phone_number to users", path: "/p/9c3e5f8a1d2b_add.ts" },
      diff: ["+ table users: index ix_users_phone_number (phone_number) WHERE a < 'b' & \"c\""],
      durationMs: 200,
    },
  ],
};

describe("reports", () => {
  test("text: one line per check, the diff under the failure, a summary line", () => {
    assert.equal(textReport(REPORT), [
      "PASS single-head: head 9c3e5f8a1d2b",
      "SKIP schema-matches: no schema configured",
      "FAIL downgrade-no-trace: revision 9c3e5f8a1d2b (add phone_number to users): downgrade left 1 difference: index ix_users_phone_number of users left behind",
      "    (- before the upgrade, + after the downgrade)",
      "    + table users: index ix_users_phone_number (phone_number) WHERE a < 'b' & \"c\"",
      "1 failed, 1 passed, 1 skipped in 1.23 s (2 revisions, throwaway database postgresql://app:***@db/app_athanor_test_0badf00d)",
      "",
    ].join("\n"));
    assert.equal(failureSummary(REPORT), "1 check failed: downgrade-no-trace (revision 9c3e5f8a1d2b)");
  });

  test("JUnit XML: a testcase per check, failure with the diff, skipped, escaped", () => {
    const xml = junitXml(REPORT, { timestamp: new Date("2026-01-02T03:04:05.678Z") });
    assert.match(xml, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="athanor test" tests="3" failures="1" errors="0" skipped="1" time="1.234">/);
    assert.match(xml, /<testsuite name="athanor test" tests="3" failures="1" errors="0" skipped="1" time="1.234" timestamp="2026-01-02T03:04:05">/);
    assert.match(xml, /<testcase name="single-head" classname="athanor.migrations" time="0.001"\/>/);
    assert.match(xml, /<testcase name="schema-matches" classname="athanor.migrations" time="0.000">\n {6}<skipped message="no schema configured"\/>/);
    assert.match(xml, /<failure message="revision 9c3e5f8a1d2b \(add phone_number to users\): downgrade left 1 difference: [^"]*" type="downgrade-no-trace">FAIL downgrade-no-trace/);
    assert.ok(xml.includes("WHERE a &lt; &apos;b&apos; &amp; &quot;c&quot;"), xml);
    assert.ok(!/WHERE a < 'b'/.test(xml));
    assert.equal((xml.match(/<testcase /g) ?? []).length, 3);
    assert.match(xml, /<\/testsuite>\n<\/testsuites>\n$/);
  });
});

describe("throwaway database names", () => {
  test("<db>_athanor_test_<random>, sanitised, at most 63 characters", () => {
    assert.equal(throwawayName("shop", "0123abcd"), "shop_athanor_test_0123abcd");
    assert.equal(throwawayName(undefined, "0123abcd"), "athanor_athanor_test_0123abcd");
    assert.equal(throwawayName("My-App DB", "0123abcd"), "my_app_db_athanor_test_0123abcd");
    const long = throwawayName("x".repeat(100));
    assert.ok(long.length <= 63, long);
    assert.match(long, /^x+_athanor_test_[0-9a-f]{8}$/);
    assert.notEqual(throwawayName("a"), throwawayName("a"));
  });

  test("the URL keeps credentials and options, only the database changes", () => {
    const url = withDatabase(parseDatabaseUrl("postgresql://app:s3cret@db.example:6543/shop?sslmode=require"), "shop_athanor_test_1");
    assert.equal(url.database, "shop_athanor_test_1");
    assert.equal(url.password, "s3cret");
    assert.equal(url.port, 6543);
    assert.equal(url.options.sslmode, "require");
    assert.equal(url.redacted, "postgresql://app:***@db.example:6543/shop_athanor_test_1?sslmode=require");
  });
});

describe("single-head (no database needed)", () => {
  const headsProject = () => {
    const p = makeProject();
    p.write({ rev: "aaaaaaaaaaa1", down: null, message: "root" });
    p.write({ rev: "bbbbbbbbbbb2", down: "aaaaaaaaaaa1", message: "left" });
    p.write({ rev: "ccccccccccc3", down: "aaaaaaaaaaa1", message: "right" });
    return { p, input: { cwd: p.dir, config: { scriptLocation: p.dir, versionLocations: [p.versions] } } };
  };

  test("two heads fail, naming both", async () => {
    const { p, input } = headsProject();
    try {
      const r = await testSingleHead(input);
      assert.equal(r.status, "fail");
      assert.equal(r.message, "expected 1 head revision, found 2: revision bbbbbbbbbbb2 (left), revision ccccccccccc3 (right) (merge them: athanor merge heads)");
      const report = await testMigrations({ ...input, only: "single-head" });
      assert.equal(report.ok, false);
      assert.equal(report.database, "", "no database is created for single-head alone");
      await assert.rejects(assertMigrations({ ...input, only: ["single-head"] }), (e: unknown) => {
        assert.ok(e instanceof MigrationTestError);
        assert.ok(e instanceof AssertionError);
        assert.match(e.message, /^athanor test: 1 check failed: single-head\nFAIL single-head: expected 1 head revision, found 2/);
        return true;
      });
      await assert.rejects(testSingleHead({ ...input, assert: true }), MigrationTestError);
    } finally {
      p.remove();
    }
  });

  test("expected heads (--heads), by id or prefix", async () => {
    const { p, input } = headsProject();
    try {
      assert.equal((await testSingleHead({ ...input, heads: "bbbb,ccccccccccc3" })).status, "pass");
      const wrong = await testSingleHead({ ...input, heads: ["bbbb"] });
      assert.equal(wrong.status, "fail");
      assert.match(wrong.message, /unexpected head revision ccccccccccc3 \(right\)/);
      const unknown = await testSingleHead({ ...input, heads: ["ffff"] });
      assert.match(unknown.message, /^expected head 'ffff': Can't locate revision/);
    } finally {
      p.remove();
    }
  });
});
