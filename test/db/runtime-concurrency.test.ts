/**
 * Eight runners `upgrade head` started at once against one database: all succeed and every
 * revision runs exactly once; the ones that had to wait say so.
 */
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
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
              // The runner that got the lock holds it until every other runner waits for it.
              (i === 0
                ? `const { existsSync } = await import("node:fs");
while (!existsSync(process.env.ATHANOR_GO_FILE!)) await new Promise((r) => setTimeout(r, 25));`
                : ""),
          }),
        );
        const goFile = join(p.dir, "go");
        const children = Array.from({ length: RUNNERS }, () =>
          startChild({ url: db.url, versions: p.versions, command: "upgrade", target: "head" }, { ATHANOR_GO_FILE: goFile }),
        );
        // One runner holds the lock inside the first revision; all the others must wait.
        const waiting = /INFO {2}Waiting for the migration lock held by another runner\.\.\./;
        const started = await Promise.allSettled(
          children.map((c) =>
            Promise.race([
              c.waitForStderr(waiting, 60_000).then(() => "waiting"),
              c.waitForStderr(/Running upgrade {2}-> c0000000000a/, 60_000).then(() => "holder"),
            ]),
          ),
        );
        writeFileSync(goFile, "");
        const results = await Promise.all(children.map((c) => c.done));
        assert.deepEqual(
          started.map((s) => (s.status === "fulfilled" ? s.value : String(s.reason))).sort(),
          ["holder", ...Array(RUNNERS - 1).fill("waiting")],
          results.map((r) => r.stderr).join("\n---\n"),
        );
        for (const r of results) assert.equal(r.code, 0, r.stderr);
        for (const r of results) assert.deepEqual(JSON.parse(r.stdout).current, [REVS[2]]);
        const history = await historyRows(db.url);
        assert.deepEqual(
          history.map((h) => `${h.revision}:${h.direction}`),
          REVS.map((r) => `${r}:up`),
        );
        assert.deepEqual(await versionRows(db.url), [REVS[2]]);
        // Each revision ran in exactly one runner.
        for (const rev of REVS) {
          assert.equal(results.filter((r) => r.stderr.includes(`-> ${rev}, `)).length, 1, rev);
        }
      } finally {
        await db.drop();
        p.remove();
      }
    });
  }
});
