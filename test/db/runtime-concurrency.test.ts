/**
 * Eight runners `upgrade head` started at once against one database: all succeed and every
 * revision runs exactly once; the ones that had to wait say so.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createTestDatabase, DIALECTS } from "../helpers/databases.js";
import { makeProject } from "../helpers/revisions.js";
import { historyRows, startChild, versionRows } from "../helpers/runtime.js";

const RUNNERS = 8;
const REVS = ["c0000000000a", "c0000000000b", "c0000000000c"];

describe("concurrent runners", () => {
  for (const dialect of DIALECTS) {
    test(`${RUNNERS} runners on ${dialect}: each revision exactly once`, async () => {
      const db = await createTestDatabase(dialect);
      const p = makeProject();
      try {
        REVS.forEach((rev, i) =>
          p.write({
            rev,
            down: i === 0 ? null : REVS[i - 1]!,
            message: `step ${i}`,
            // Non-idempotent DDL: a second run of any revision would fail.
            upgrade:
              `await op.execute("CREATE TABLE t_${i} (id integer)");\n` +
              // Hold the lock long enough for the other runners to arrive and wait.
              (i === 0 ? `await new Promise((r) => setTimeout(r, 2500));` : ""),
          }),
        );
        const children = Array.from({ length: RUNNERS }, () =>
          startChild({ url: db.url, versions: p.versions, command: "upgrade", target: "head" }),
        );
        const results = await Promise.all(children.map((c) => c.done));
        for (const r of results) assert.equal(r.code, 0, r.stderr);
        for (const r of results) assert.deepEqual(JSON.parse(r.stdout).current, [REVS[2]]);
        const history = await historyRows(db.url);
        assert.deepEqual(
          history.map((h) => `${h.revision}:${h.direction}`),
          REVS.map((r) => `${r}:up`),
        );
        assert.deepEqual(await versionRows(db.url), [REVS[2]]);
        const ran = results.filter((r) => r.stderr.includes("Running upgrade"));
        assert.equal(ran.length >= 1, true);
        const waited = results.filter((r) => r.stderr.includes("INFO  Waiting for the migration lock held by another runner..."));
        assert.ok(waited.length >= 1, results.map((r) => r.stderr).join("\n---\n"));
      } finally {
        await db.drop();
        p.remove();
      }
    });
  }
});
