import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { RevisionGraph, type MigrationStep, type RevisionHeader } from "../../src/graph/index.js";
import { header } from "./graph-helpers.js";

/** r0 <- r1 <- ... <- r(n-1), labelled at the root. */
function chain(n: number): RevisionHeader[] {
  const out: RevisionHeader[] = [header("r0 @main")];
  for (let i = 1; i < n; i++) out.push(header(`r${i}:r${i - 1}`));
  return out;
}

/**
 * A trunk with `branches` side branches, each forking from the trunk, running 20 revisions
 * (the first labelled), merged back with a 5-revision stretch of trunk; padded with plain trunk
 * revisions up to `n`. One root, one head, `branches` branch points and merge points.
 */
function branched(n: number, branches: number): RevisionHeader[] {
  const out: RevisionHeader[] = [header("t0")];
  let trunk = "t0";
  const every = Math.floor((n - 1) / branches);
  for (let b = 0; b < branches; b++) {
    const fork = trunk;
    let side = fork;
    for (let j = 0; j < 20; j++) {
      out.push(header(`s${b}x${j}:${side}${j === 0 ? ` @lbl${b}` : ""}`));
      side = `s${b}x${j}`;
    }
    let main = fork;
    for (let j = 0; j < 5; j++) {
      out.push(header(`m${b}x${j}:${main}`));
      main = `m${b}x${j}`;
    }
    out.push(header(`mg${b}:${side},${main}`));
    trunk = `mg${b}`;
    for (let j = 26; j < every; j++) {
      out.push(header(`t${b}x${j}:${trunk}`));
      trunk = `t${b}x${j}`;
    }
  }
  while (out.length < n) {
    out.push(header(`tail${out.length}:${trunk}`));
    trunk = `tail${out.length - 1}`;
  }
  return out;
}

/** Every step's parents and dependencies ran before it, and rows chain from step to step. */
function assertConsistent(g: RevisionGraph, steps: MigrationStep[]): void {
  const seen = new Set<string>();
  let rows: string[] = steps[0]?.rowsBefore ?? [];
  for (const s of steps) {
    for (const p of [...s.revision.parents, ...s.revision.dependencies]) {
      if (!seen.has(p)) assert.fail(`${s.revision.revision} planned before its parent ${p}`);
    }
    seen.add(s.revision.revision);
    assert.equal(s.rowsBefore, rows);
    rows = s.rowsAfter;
  }
  assert.equal(seen.size, g.size);
}

describe("graph at scale (10,000 revisions)", () => {
  test("linear chain: build, heads, history, upgrade and downgrade all the way", () => {
    const g = RevisionGraph.build(chain(10_000));
    assert.deepStrictEqual([g.size, g.heads(), g.bases()], [10_000, ["r9999"], ["r0"]]);
    const history = g.history();
    assert.deepStrictEqual([history.length, history[0]!.revision, history.at(-1)!.revision], [10_000, "r9999", "r0"]);
    assert.deepStrictEqual(g.get("r9999").labels, ["main"]);
    assert.deepStrictEqual(g.resolve("main@head"), ["r9999"]);

    const up = g.planUpgrade([], "head");
    assertConsistent(g, up);
    assert.deepStrictEqual([up[0]!.rowsAfter, up.at(-1)!.rowsBefore, up.at(-1)!.rowsAfter], [["r0"], ["r9998"], ["r9999"]]);

    const down = g.planDowngrade(["r9999"], "base");
    assert.deepStrictEqual([down.length, down[0]!.revision.revision, down.at(-1)!.rowsAfter], [10_000, "r9999", []]);
    assert.deepStrictEqual(
      g.history("-3:").map((r) => r.revision),
      ["r9999", "r9998", "r9997", "r9996"],
    );
    assert.deepStrictEqual(g.planUpgrade(["r5000"], "+2").map((s) => s.revision.revision), ["r5001", "r5002"]);
    assert.equal(g.topologicalOrder()[9_999], "r9999");
  });

  test("200 branches and merges: build, heads, history, upgrade and downgrade all the way", () => {
    const g = RevisionGraph.build(branched(10_000, 200));
    assert.equal(g.size, 10_000);
    assert.equal(g.heads().length, 1);
    assert.equal(g.branchPoints().length, 200);
    assert.equal(g.history().length, 10_000);
    assert.equal(g.get(g.heads()[0]!).labels.length, 200);

    const up = g.planUpgrade([], "heads");
    assertConsistent(g, up);
    assert.deepStrictEqual(up.at(-1)!.rowsAfter, g.heads());
    assert.ok(Math.max(...up.map((s) => s.rowsAfter.length)) <= 2);

    const down = g.planDowngrade(g.heads(), "base");
    assert.deepStrictEqual([down.length, down.at(-1)!.rowsAfter], [10_000, []]);
    assert.deepStrictEqual(g.planDowngrade(g.heads(), "lbl7@base").length, 10_000);
    assert.equal(g.history("lbl100@base:").length > 0, true);
  });
});
