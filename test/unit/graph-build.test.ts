import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { GraphError, RevisionGraph } from "../../src/graph/index.js";
import { graph, header, headers } from "./graph-helpers.js";

function labels(g: RevisionGraph): Record<string, string[]> {
  return Object.fromEntries(g.revisions().map((r) => [r.revision, r.labels]));
}

describe("graph build: structure", () => {
  test("linear chain: heads, bases, order and derived fields", () => {
    const g = graph("a", "b:a", "c:b");
    assert.equal(g.size, 3);
    assert.deepStrictEqual(g.heads(), ["c"]);
    assert.deepStrictEqual(g.realHeads(), ["c"]);
    assert.deepStrictEqual(g.bases(), ["a"]);
    assert.deepStrictEqual(g.branchPoints(), []);
    assert.deepStrictEqual(g.topologicalOrder(), ["a", "b", "c"]);
    const b = g.get("b");
    assert.deepStrictEqual(
      [b.parents, b.children, b.dependencies, b.dependents, b.labels],
      [["a"], ["c"], [], [], []],
    );
    assert.deepStrictEqual(
      [b.isHead, b.isBase, b.isBranchPoint, b.isMergePoint, b.isEffectiveHead],
      [false, false, false, false, false],
    );
    assert.equal(b.path, "/v/b.ts");
    assert.equal(g.has("b"), true);
    assert.equal(g.has("bb"), false);
    assert.deepStrictEqual(
      g.revisions().map((r) => r.revision),
      ["a", "b", "c"],
    );
  });

  test("branch point and merge point flags; heads and branch points in file order", () => {
    const g = graph("a", "b:a", "c2:b", "c1:b", "d:c1", "m:c2,c1", "x:a");
    assert.deepStrictEqual(g.heads(), ["d", "m", "x"]);
    assert.deepStrictEqual(g.branchPoints(), ["a", "b", "c1"]);
    assert.deepStrictEqual(g.get("b").children, ["c2", "c1"]);
    const m = g.get("m");
    assert.deepStrictEqual([m.isMergePoint, m.parents], [true, ["c2", "c1"]]);
    assert.deepStrictEqual(g.topologicalOrder(), ["a", "x", "b", "c1", "c2", "m", "d"]);
  });

  test("merge of two roots: two bases, one head", () => {
    const g = graph("a1", "b1", "a2:a1", "m:a2,b1");
    assert.deepStrictEqual(g.bases(), ["a1", "b1"]);
    assert.deepStrictEqual(g.heads(), ["m"]);
    assert.deepStrictEqual(g.topologicalOrder(), ["b1", "a1", "a2", "m"]);
  });

  test("dependsOn across roots: effective head is a head but not a real head", () => {
    const g = graph("a1", "a2:a1", "b1", "b2:b1 ~a2");
    assert.deepStrictEqual(g.heads(), ["a2", "b2"]);
    assert.deepStrictEqual(g.realHeads(), ["b2"]);
    assert.deepStrictEqual(g.get("a2").dependents, ["b2"]);
    assert.deepStrictEqual(g.get("b2").dependencies, ["a2"]);
    assert.equal(g.get("a2").isEffectiveHead, true);
    assert.equal(g.get("b2").isEffectiveHead, false);
    assert.deepStrictEqual(g.topologicalOrder(), ["a1", "a2", "b1", "b2"]);
  });

  test("dependsOn by branch label and by unique prefix resolve to full ids", () => {
    const g = graph("a1 @alpha", "a2long:a1", "b1", "b2:b1 ~alpha,a2l");
    assert.deepStrictEqual(g.get("b2").dependencies, ["a1", "a2long"]);
    assert.deepStrictEqual(g.get("b2").dependsOn, ["alpha", "a2l"]);
    assert.deepStrictEqual(g.get("a1").dependents, ["b2"]);
  });

  test("empty graph", () => {
    const g = RevisionGraph.build([]);
    assert.equal(g.size, 0);
    assert.deepStrictEqual([g.heads(), g.bases(), g.resolve("head"), g.resolve("heads")], [[], [], [], []]);
    assert.deepStrictEqual(g.history(), []);
    assert.deepStrictEqual(g.planUpgrade([], "heads"), []);
    assert.deepStrictEqual(g.planDowngrade([], "base"), []);
  });
});

describe("graph build: validation", () => {
  const fails = (specs: string[], message: RegExp) =>
    assert.throws(() => RevisionGraph.build(headers(...specs)), (e: unknown) => {
      assert.ok(e instanceof GraphError, `expected GraphError, got ${String(e)}`);
      assert.match(e.message, message);
      assert.equal(e.message.includes("\n"), false);
      return true;
    });

  test("duplicate revision id names both files", () => {
    fails(["a", "b:a", "b:a"], /^Revision b is present more than once: \/v\/b\.ts and \/v\/b\.ts$/);
  });

  test("missing parent names the referencing file", () => {
    fails(["a", "c:b"], /^Revision b referenced from \/v\/c\.ts is not present$/);
  });

  test("missing dependency", () => {
    fails(["a", "c:a ~zz"], /^Dependency zz referenced from \/v\/c\.ts is not present$/);
  });

  test("ambiguous dependency prefix", () => {
    fails(["abc1", "abc2", "c ~abc"], /^Dependency abc referenced from \/v\/c\.ts is ambiguous: it matches abc1, abc2$/);
  });

  test("self-loops", () => {
    fails(["a", "b:b"], /^Self-loop is detected in revisions \(b\)$/);
    fails(["a", "b:a ~b"], /^Dependency self-loop is detected in revisions \(b\)$/);
    // through a label naming the revision itself
    fails(["a", "b:a @bl ~bl"], /^Dependency self-loop is detected in revisions \(b\)$/);
  });

  test("cycle lists the revisions on it (not the ones hanging off it)", () => {
    fails(["r", "c:b", "a:r,c", "b:a", "d:c"], /^Cycle is detected in revisions \(a, b, c\)$/);
    fails(["a:b", "b:a"], /^Cycle is detected in revisions \(a, b\)$/);
  });

  test("dependency cycle", () => {
    fails(["a1", "a2:a1 ~b2", "b1", "b2:b1 ~a2"], /^Dependency cycle is detected in revisions \(a2, b2\)$/);
  });

  test("branch label used on two revisions, or equal to a revision id", () => {
    fails(["a", "c:a @xy1", "d", "e:d @xy1"], /^Branch name 'xy1' in revision e already used by revision c$/);
    fails(["a", "b:a @a"], /^Branch name 'a' in revision b already used by revision a$/);
  });

  test("illegal characters in revision ids", () => {
    fails(["a-1"], /^Character\(s\) '-' not allowed in revision identifier 'a-1' \(\/v\/a-1\.ts\)$/);
    assert.throws(
      () => RevisionGraph.build([{ ...header("a"), revision: "x@y:z" }]),
      /^GraphError: Character\(s\) ':, @' not allowed in revision identifier 'x@y:z' \(\/v\/a\.ts\)$/,
    );
    assert.throws(
      () => RevisionGraph.build([{ ...header("a"), revision: "a b" }]),
      /^GraphError: Character\(s\) 'space' not allowed in revision identifier 'a b'/,
    );
    fails(["a+"], /'\+' not allowed/);
  });

  test("get() of an unknown id", () => {
    assert.throws(() => graph("abc").get("ab"), /^GraphError: Can't locate revision identified by 'ab'$/);
  });
});

describe("graph build: branch labels", () => {
  test("labels propagate to descendants; a merge carries the union", () => {
    const g = graph("a", "b:a", "c1:b @left", "d1:c1", "c2:b @right", "d2:c2", "m:d1,d2");
    assert.deepStrictEqual(labels(g), {
      a: [],
      b: [],
      c1: ["left"],
      d1: ["left"],
      c2: ["right"],
      d2: ["right"],
      m: ["left", "right"],
    });
  });

  test("labels propagate down a single chain until a branch point", () => {
    // x's subtree (x, y) is one chain: the label reaches p and q, stops at the branch point b.
    const g = graph("a", "b:a", "p:b", "q:p", "x:q @lbl", "y:x", "o:b");
    assert.deepStrictEqual(labels(g), { a: [], b: [], p: ["lbl"], q: ["lbl"], x: ["lbl"], y: ["lbl"], o: [] });
  });

  test("labels propagate down to the root of a chain", () => {
    const g = graph("a", "b:a", "c:b @lbl");
    assert.deepStrictEqual(labels(g), { a: ["lbl"], b: ["lbl"], c: ["lbl"] });
  });

  test("no downward propagation when the labelled subtree branches", () => {
    const g = graph("a", "b:a @lbl", "c1:b", "c2:b");
    assert.deepStrictEqual(labels(g), { a: [], b: ["lbl"], c1: ["lbl"], c2: ["lbl"] });
  });

  test("downward propagation stops at a revision another revision depends on", () => {
    const g = graph("a", "b:a", "c:b @lbl", "z ~a");
    assert.deepStrictEqual(labels(g), { a: [], b: ["lbl"], c: ["lbl"], z: [] });
  });

  test("downward propagation stops below a merge point", () => {
    const g = graph("a", "b", "m:a,b", "n:m @lbl");
    assert.deepStrictEqual(labels(g), { a: [], b: [], m: [], n: ["lbl"] });
  });
});
