import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { graph, ids, plan } from "./graph-helpers.js";

const linear = () => graph("a", "b:a", "c:b", "d:c");

describe("upgrade: absolute targets", () => {
  test("linear, base to head: one row moving up", () => {
    assert.deepStrictEqual(plan(graph("a", "b:a", "c:b").planUpgrade([], "head")), [
      ["a", [], ["a"]],
      ["b", ["a"], ["b"]],
      ["c", ["b"], ["c"]],
    ]);
  });

  test("from the middle; step direction and revision objects", () => {
    const steps = linear().planUpgrade(["b"], "d");
    assert.deepStrictEqual(plan(steps), [
      ["c", ["b"], ["c"]],
      ["d", ["c"], ["d"]],
    ]);
    assert.deepStrictEqual(
      steps.map((s) => [s.direction, s.revision.path]),
      [
        ["up", "/v/c.ts"],
        ["up", "/v/d.ts"],
      ],
    );
  });

  test("target already applied, or below the current row: empty plan", () => {
    const g = linear();
    assert.deepStrictEqual(g.planUpgrade(["d"], "head"), []);
    assert.deepStrictEqual(g.planUpgrade(["c"], "c"), []);
    assert.deepStrictEqual(g.planUpgrade(["c"], "a"), []);
    assert.deepStrictEqual(g.planUpgrade(["c"], "base"), []);
  });

  test("unknown row in the version table", () => {
    assert.throws(() => linear().planUpgrade(["zz"], "head"), /^GraphError: Can't locate revision identified by 'zz'$/);
  });

  test("branches: 'heads' from empty, depth-first per branch, rows per step", () => {
    const g = graph("a", "b:a", "c1:b", "c2:b", "d1:c1");
    assert.deepStrictEqual(plan(g.planUpgrade([], "heads")), [
      ["a", [], ["a"]],
      ["b", ["a"], ["b"]],
      ["c1", ["b"], ["c1"]],
      ["d1", ["c1"], ["d1"]],
      ["c2", ["d1"], ["c2", "d1"]],
    ]);
  });

  test("'head' with several heads is an error", () => {
    const g = graph("a", "b:a", "c1:b", "c2:b");
    assert.throws(() => g.planUpgrade([], "head"), /^GraphError: Multiple head revisions are present for given argument 'head';.*\(c1, c2\)$/);
  });

  test("upgrading another branch inserts a new row", () => {
    const g = graph("a", "b:a", "c1:b", "c2:b", "d1:c1");
    assert.deepStrictEqual(plan(g.planUpgrade(["c1"], "c2")), [["c2", ["c1"], ["c1", "c2"]]]);
    assert.deepStrictEqual(plan(g.planUpgrade(["c1", "c2"], "heads")), [["d1", ["c1", "c2"], ["c2", "d1"]]]);
  });

  test("merge: both parent rows collapse into the merge row", () => {
    const g = graph("a", "b1:a", "b2:a", "m:b1,b2", "n:m");
    assert.deepStrictEqual(plan(g.planUpgrade(["b1", "b2"], "head")), [
      ["m", ["b1", "b2"], ["m"]],
      ["n", ["m"], ["n"]],
    ]);
    assert.deepStrictEqual(plan(g.planUpgrade(["b1"], "m")), [
      ["b2", ["b1"], ["b1", "b2"]],
      ["m", ["b1", "b2"], ["m"]],
    ]);
  });

  test("merge of two roots", () => {
    const g = graph("a1", "b1", "a2:a1", "m:a2,b1");
    assert.deepStrictEqual(plan(g.planUpgrade([], "head")), [
      ["b1", [], ["b1"]],
      ["a1", ["b1"], ["a1", "b1"]],
      ["a2", ["a1", "b1"], ["a2", "b1"]],
      ["m", ["a2", "b1"], ["m"]],
    ]);
  });

  test("one branch up to a merge fills in the other branch (Alembic's BranchTravellingTest)", () => {
    const g = graph(
      "a1", "a2:a1", "a3:a2", "b1:a3", "b2:a3", "cb1:b1", "cb2:b2", "db1:cb1", "db2:cb2",
      "e1b1:db1", "fe1b1:e1b1", "e2b1:db1", "e2b2:db2", "merge:e2b1,e2b2",
    );
    assert.deepStrictEqual(plan(g.planUpgrade(["db1"], "merge")), [
      ["b2", ["db1"], ["b2", "db1"]],
      ["cb2", ["b2", "db1"], ["cb2", "db1"]],
      ["db2", ["cb2", "db1"], ["db1", "db2"]],
      ["e2b2", ["db1", "db2"], ["db1", "e2b2"]],
      ["e2b1", ["db1", "e2b2"], ["e2b1", "e2b2"]],
      ["merge", ["e2b1", "e2b2"], ["merge"]],
    ]);
    assert.deepStrictEqual(ids(g.planUpgrade([], "heads")), [
      "a1", "a2", "a3", "b2", "cb2", "db2", "e2b2", "b1", "cb1", "db1", "e2b1", "merge", "e1b1", "fe1b1",
    ]);
  });
});

describe("upgrade: dependencies", () => {
  const deps = () => graph("a1", "a2:a1", "b1", "b2:b1 ~a2");

  test("a dependency on another root pulls that root in; one row remains", () => {
    assert.deepStrictEqual(plan(deps().planUpgrade([], "b2")), [
      ["a1", [], ["a1"]],
      ["a2", ["a1"], ["a2"]],
      ["b1", ["a2"], ["a2", "b1"]],
      ["b2", ["a2", "b1"], ["b2"]],
    ]);
  });

  test("'heads' targets real heads only; the effective head comes along as a dependency", () => {
    const g = deps();
    assert.deepStrictEqual(ids(g.planUpgrade([], "heads")), ["a1", "a2", "b1", "b2"]);
    assert.deepStrictEqual(g.planUpgrade(["b2"], "heads"), []);
    assert.deepStrictEqual(plan(g.planUpgrade(["b1"], "b2")), [
      ["a1", ["b1"], ["a1", "b1"]],
      ["a2", ["a1", "b1"], ["a2", "b1"]],
      ["b2", ["a2", "b1"], ["b2"]],
    ]);
  });

  test("a merge depending on a descendant of one of its parents (Alembic crashes here)", () => {
    // semantics item 12: rows stay consistent both ways
    const g = graph("a", "p1:a", "p2:a", "x:p2", "m:p1,p2 ~x");
    assert.deepStrictEqual(plan(g.planUpgrade([], "m")), [
      ["a", [], ["a"]],
      ["p2", ["a"], ["p2"]],
      ["x", ["p2"], ["x"]],
      ["p1", ["x"], ["p1", "x"]],
      ["m", ["p1", "x"], ["m"]],
    ]);
    assert.deepStrictEqual(plan(g.planDowngrade(["m"], "base")), [
      ["m", ["m"], ["p1", "x"]],
      ["p1", ["p1", "x"], ["x"]],
      ["x", ["x"], ["p2"]],
      ["p2", ["p2"], ["a"]],
      ["a", ["a"], []],
    ]);
  });

  test("label@heads whose lineage holds an effective head overlaps", () => {
    const g = graph("r @lbl", "a:r", "b:r ~a");
    assert.throws(
      () => g.planUpgrade([], "lbl@heads"),
      /^GraphError: Requested revision b overlaps with other requested revisions a$/,
    );
    assert.deepStrictEqual(plan(g.planUpgrade([], "heads")), [
      ["r", [], ["r"]],
      ["a", ["r"], ["a"]],
      ["b", ["a"], ["b"]],
    ]);
  });
});

describe("upgrade: relative targets", () => {
  test("+N from the current row and from empty", () => {
    const g = linear();
    assert.deepStrictEqual(ids(g.planUpgrade(["a"], "+2")), ["b", "c"]);
    assert.deepStrictEqual(plan(g.planUpgrade([], "+1")), [["a", [], ["a"]]]);
  });

  test("+N overshoot and -N are errors", () => {
    const g = linear();
    assert.throws(() => g.planUpgrade(["c"], "+2"), /^GraphError: Relative revision \+2 didn't produce 2 migrations$/);
    assert.throws(() => g.planUpgrade(["c"], "-1"), /^GraphError: Relative revision -1 didn't produce 1 migrations$/);
  });

  test("REV+N, REV-N and base+N are relative to the named revision", () => {
    const g = linear();
    assert.deepStrictEqual(ids(g.planUpgrade([], "b+1")), ["a", "b", "c"]);
    assert.deepStrictEqual(ids(g.planUpgrade([], "c-1")), ["a", "b"]);
    assert.deepStrictEqual(ids(g.planUpgrade([], "base+2")), ["a", "b"]);
    assert.deepStrictEqual(g.planUpgrade([], "a-1"), []);
  });

  test("REV+N past the head, REV-N past base: clean errors (Alembic crashes)", () => {
    const g = linear();
    assert.throws(() => g.planUpgrade([], "d+1"), /^GraphError: Relative revision \+1 didn't produce 1 migrations$/);
    assert.throws(() => g.planUpgrade([], "a-2"), /^GraphError: Relative revision -2 didn't produce 2 migrations$/);
  });

  test("+1 from empty with several bases: Ambiguous walk", () => {
    assert.throws(() => graph("a", "b").planUpgrade([], "+1"), /^GraphError: Ambiguous walk: there are several bases \(a, b\)$/);
  });

  test("+1 through a branch point: Ambiguous walk; label@+1 picks the branch", () => {
    const g = graph("a", "b:a", "c1:b @one", "c2:b @two");
    assert.throws(() => g.planUpgrade(["b"], "+1"), /^GraphError: Ambiguous walk: b has several children \(c1, c2\)$/);
    assert.deepStrictEqual(plan(g.planUpgrade(["b"], "two@+1")), [["c2", ["b"], ["c2"]]]);
  });

  test("label@+N from empty walks up from the label's root", () => {
    const g = graph("a", "b:a", "c1:b @one", "c2:b @two", "x");
    assert.deepStrictEqual(ids(g.planUpgrade([], "two@+1")), ["a"]);
    assert.deepStrictEqual(ids(g.planUpgrade([], "two@+3")), ["a", "b", "c2"]);
  });

  test("label@+1 when the branch is not at a row continues from its applied tip", () => {
    const g = graph("a", "b:a", "c1:b @one", "c2:b @two");
    assert.deepStrictEqual(plan(g.planUpgrade(["c1"], "two@+1")), [["c2", ["c1"], ["c1", "c2"]]]);
  });

  test("+1 with several current rows", () => {
    const g = graph("a", "b:a", "c1:b", "c2:b", "d1:c1");
    assert.throws(() => g.planUpgrade(["c1", "c2"], "+1"), /^GraphError: Ambiguous upgrade from multiple current revisions$/);
  });

  test("a branch label that looks relative names the label", () => {
    const g = graph("a", "b:a @release-2", "c:b");
    assert.deepStrictEqual(ids(g.planUpgrade([], "release-2")), ["a", "b"]);
    assert.deepStrictEqual(ids(g.planUpgrade(["a"], "release-2@+1")), ["b"]);
  });

  test("label@head and label@REV targets", () => {
    const g = graph("a", "b:a", "c1:b @one", "d1:c1", "c2:b @two");
    assert.deepStrictEqual(ids(g.planUpgrade(["b"], "one@head")), ["c1", "d1"]);
    assert.deepStrictEqual(ids(g.planUpgrade([], "two@c2")), ["a", "b", "c2"]);
    assert.deepStrictEqual(ids(g.planUpgrade(["c1"], "one@+1")), ["d1"]);
  });
});
