/** Version-table bookkeeping: the rows diff and its statements (no database). */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  createVersionTableSql,
  diffVersionRows,
  versionChangeStatement,
  versionStatementsSql,
} from "../../src/runtime/version-table.js";
import { createHistoryTableSql } from "../../src/runtime/history-table.js";
import { shortSql } from "../../src/runtime/errors.js";
import { mysqlLockName } from "../../src/dialects/mysql/connection.js";

describe("diffVersionRows", () => {
  test("linear step: UPDATE", () => {
    assert.deepEqual(diffVersionRows(["a"], ["b"]), [{ kind: "update", from: "a", to: "b" }]);
  });
  test("from nothing / a new branch: INSERT", () => {
    assert.deepEqual(diffVersionRows([], ["a"]), [{ kind: "insert", to: "a" }]);
    assert.deepEqual(diffVersionRows(["a"], ["a", "x"]), [{ kind: "insert", to: "x" }]);
  });
  test("to nothing: DELETE", () => {
    assert.deepEqual(diffVersionRows(["a"], []), [{ kind: "delete", from: "a" }]);
  });
  test("merge: DELETE all but one, UPDATE the last", () => {
    assert.deepEqual(diffVersionRows(["a", "b", "c"], ["m"]), [
      { kind: "delete", from: "a" },
      { kind: "delete", from: "b" },
      { kind: "update", from: "c", to: "m" },
    ]);
  });
  test("unmerge: UPDATE one, INSERT the others", () => {
    assert.deepEqual(diffVersionRows(["m"], ["a", "b"]), [
      { kind: "update", from: "m", to: "a" },
      { kind: "insert", to: "b" },
    ]);
  });
  test("no change", () => {
    assert.deepEqual(diffVersionRows(["a", "b"], ["a", "b"]), []);
  });
});

describe("version statements", () => {
  test("offline statements carry literal ids", () => {
    assert.deepEqual(versionStatementsSql("postgresql", "athanor_version", ["a", "b"], ["m"]), [
      "DELETE FROM athanor_version WHERE athanor_version.version_num = 'a'",
      "UPDATE athanor_version SET version_num='m' WHERE athanor_version.version_num = 'b'",
    ]);
  });
  test("online statements bind the ids", () => {
    assert.deepEqual(versionChangeStatement("postgresql", "athanor_version", { kind: "update", from: "a", to: "b" }, false), {
      sql: "UPDATE athanor_version SET version_num=$1 WHERE athanor_version.version_num = $2",
      params: ["b", "a"],
    });
    assert.deepEqual(versionChangeStatement("mysql", "athanor_version", { kind: "insert", to: "b" }, false), {
      sql: "INSERT INTO athanor_version (version_num) VALUES (?)",
      params: ["b"],
    });
  });
  test("names that need quoting are quoted by the dialect", () => {
    assert.equal(
      versionStatementsSql("mysql", "Versions", [], ["a"])[0],
      "INSERT INTO `Versions` (version_num) VALUES ('a')",
    );
    assert.equal(
      versionStatementsSql("sqlite", "user", ["a"], [])[0],
      `DELETE FROM "user" WHERE "user".version_num = 'a'`,
    );
  });
  test("CREATE TABLE, offline and online", () => {
    assert.equal(
      createVersionTableSql("postgresql", "athanor_version", false),
      "CREATE TABLE athanor_version (\n    version_num VARCHAR(32) NOT NULL,\n    CONSTRAINT athanor_version_pkc PRIMARY KEY (version_num)\n)",
    );
    assert.match(createVersionTableSql("sqlite", "athanor_version", true), /^CREATE TABLE IF NOT EXISTS athanor_version \(/);
    for (const d of ["postgresql", "mysql", "sqlite"] as const) {
      assert.match(createHistoryTableSql(d, "athanor_history"), /^CREATE TABLE IF NOT EXISTS athanor_history \(\n {4}id /);
    }
  });
});

describe("small helpers", () => {
  test("shortSql collapses whitespace and cuts at 200 characters", () => {
    assert.equal(shortSql("SELECT\n   1"), "SELECT 1");
    assert.equal(shortSql("x".repeat(250)), "x".repeat(200) + "...");
  });
  test("MySQL lock names fit in 64 characters", () => {
    assert.equal(mysqlLockName("app"), "athanor_migrations_app");
    assert.ok(mysqlLockName("d".repeat(64)).length <= 64);
  });
});
