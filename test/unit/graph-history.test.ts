import { describe, test } from "node:test";
import assert from "node:assert/strict";
import type { RevisionGraph } from "../../src/graph/index.js";
import { graph } from "./graph-helpers.js";

const h = (g: RevisionGraph, range?: string, rows?: string[]) => g.history(range, rows).map((r) => r.revision);
const linear = () => graph("a", "b:a", "c:b", "d:c");
const branched = () => graph("a", "b:a", "c1:b", "c2:b", "d1:c1");

describe("history: whole graph", () => {
  test("newest first, depth-first per branch (Alembic's BranchTravellingTest map)", () => {
    const g = graph(
      "a1", "a2:a1", "a3:a2", "b1:a3", "b2:a3", "cb1:b1", "cb2:b2", "db1:cb1", "db2:cb2",
      "e1b1:db1", "fe1b1:e1b1", "e2b1:db1", "e2b2:db2", "merge:e2b1,e2b2",
    );
    assert.deepStrictEqual(h(g), [
      "fe1b1", "e1b1", "merge", "e2b1", "db1", "cb1", "b1", "e2b2", "db2", "cb2", "b2", "a3", "a2", "a1",
    ]);
    assert.deepStrictEqual(h(g, "b1:merge"), ["merge", "e2b1", "db1", "cb1", "b1"]);
  });

  test("branches finish at their branch point before continuing below it", () => {
    // Alembic's LongShortBranchTest
    const g = graph("a", "b1:a", "b2:a", "c1:b1", "d11:c1", "d12:c1");
    assert.deepStrictEqual(h(g), ["b2", "d11", "d12", "c1", "b1", "a"]);
  });

  test("dependencies: a dependency is listed after its dependents", () => {
    assert.deepStrictEqual(h(graph("a1", "a2:a1", "b1", "b2:b1 ~a2")), ["b2", "b1", "a2", "a1"]);
  });
});

describe("history: ranges", () => {
  test("a:b, :b, a: and : are inclusive", () => {
    const g = linear();
    assert.deepStrictEqual(h(g, "b:d"), ["d", "c", "b"]);
    assert.deepStrictEqual(h(g, ":c"), ["c", "b", "a"]);
    assert.deepStrictEqual(h(g, "c:"), ["d", "c"]);
    assert.deepStrictEqual(h(g, ":"), ["d", "c", "b", "a"]);
    assert.deepStrictEqual(h(g, "base:heads"), ["d", "c", "b", "a"]);
  });

  test("a: on a branched graph shows only what descends from a", () => {
    const g = branched();
    assert.deepStrictEqual(h(g, "c1:"), ["d1", "c1"]);
    assert.deepStrictEqual(h(g, ":c2"), ["c2", "b", "a"]);
    assert.deepStrictEqual(h(g, "b:"), ["c2", "d1", "c1", "b"]);
  });

  test("-N: walks down from the head; overshoot is clamped", () => {
    const g = linear();
    assert.deepStrictEqual(h(g, "-2:"), ["d", "c", "b"]);
    assert.deepStrictEqual(h(g, "-10:"), ["d", "c", "b", "a"]);
  });

  test("-N: with several heads is refused", () => {
    assert.throws(
      () => branched().history("-1:"),
      /^GraphError: Relative revision -1 is ambiguous with several heads \(c2, d1\); use <branchname>@-1 or a revision$/,
    );
  });

  test("a:+N and :REV+N / :REV-N, clamped", () => {
    const g = linear();
    assert.deepStrictEqual(h(g, "b:+1"), ["c", "b"]);
    assert.deepStrictEqual(h(g, "b:+10"), ["d", "c", "b"]);
    assert.deepStrictEqual(h(g, ":b+1"), ["c", "b", "a"]);
    assert.deepStrictEqual(h(g, ":c-1"), ["b", "a"]);
    assert.deepStrictEqual(h(g, ":a-1"), []);
  });

  test("current: and :current use the given rows", () => {
    const g = linear();
    assert.deepStrictEqual(h(g, "current:", ["b"]), ["d", "c", "b"]);
    assert.deepStrictEqual(h(g, ":current", ["b"]), ["b", "a"]);
    assert.deepStrictEqual(h(g, "current:", []), ["d", "c", "b", "a"]);
    assert.deepStrictEqual(h(g, ":current", []), []);
    assert.deepStrictEqual(h(branched(), "current:", ["c1", "c2"]), ["c2", "d1", "c1"]);
  });

  test("branch labels in ranges", () => {
    const g = graph(
      "a @abranch", "b:a", "somelongername:b", "c:somelongername",
      "d", "e:d @ebranch", "someothername:e", "f:someothername",
    );
    assert.deepStrictEqual(h(g, "ebranch@-2:"), ["f", "someothername", "e"]);
    assert.deepStrictEqual(h(g, "ebranch@base:"), ["f", "someothername", "e", "d"]);
    assert.deepStrictEqual(h(g, "abranch@base:"), ["c", "somelongername", "b", "a"]);
    assert.deepStrictEqual(h(g, "ebranch@d:"), ["f", "someothername", "e", "d"]);
    assert.deepStrictEqual(h(g, ":ebranch@head"), ["f", "someothername", "e", "d"]);
    assert.deepStrictEqual(h(g, ":ebranch@+2"), ["e", "d"]);
  });

  test("wrong direction or unrelated branches", () => {
    assert.throws(
      () => linear().history("d:b"),
      /^GraphError: Requested range d:b does not refer to ancestor\/descendant revisions along the same branch$/,
    );
    assert.throws(
      () => branched().history("c1:c2"),
      /^GraphError: Requested range c1:c2 does not refer to ancestor\/descendant revisions along the same branch$/,
    );
  });

  test("a range needs exactly one colon", () => {
    const msg = /^GraphError: History range requires \[start\]:\[end\], \[start\]:, or :\[end\]$/;
    assert.throws(() => linear().history("b"), msg);
    assert.throws(() => linear().history("a:b:c"), msg);
  });

  test("unknown revision in a range", () => {
    assert.throws(() => linear().history("zz:"), /^GraphError: Can't locate revision identified by 'zz'$/);
  });
});
