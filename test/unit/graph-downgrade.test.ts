import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { graph, ids, plan } from "./graph-helpers.js";

const linear = () => graph("a", "b:a", "c:b", "d:c");

describe("downgrade: linear", () => {
  test("to base: children before parents, rows down to none", () => {
    const steps = linear().planDowngrade(["d"], "base");
    assert.deepStrictEqual(plan(steps), [
      ["d", ["d"], ["c"]],
      ["c", ["c"], ["b"]],
      ["b", ["b"], ["a"]],
      ["a", ["a"], []],
    ]);
    assert.deepStrictEqual([...new Set(steps.map((s) => s.direction))], ["down"]);
  });

  test("-1, -2, -4 and to a named revision", () => {
    const g = linear();
    assert.deepStrictEqual(plan(g.planDowngrade(["d"], "-1")), [["d", ["d"], ["c"]]]);
    assert.deepStrictEqual(ids(g.planDowngrade(["d"], "-2")), ["d", "c"]);
    assert.deepStrictEqual(ids(g.planDowngrade(["d"], "-4")), ["d", "c", "b", "a"]);
    assert.deepStrictEqual(ids(g.planDowngrade(["d"], "b")), ["d", "c"]);
    assert.deepStrictEqual(ids(g.planDowngrade(["d"], "c-1")), ["d", "c"]);
    assert.deepStrictEqual(ids(g.planDowngrade(["d"], "a+1")), ["d", "c"]);
  });

  test("to the current row: empty plan; nothing applied and base: empty plan", () => {
    assert.deepStrictEqual(linear().planDowngrade(["c"], "c"), []);
    assert.deepStrictEqual(linear().planDowngrade([], "base"), []);
  });

  test("to a revision above the current row or not applied", () => {
    const g = linear();
    assert.throws(
      () => g.planDowngrade(["b"], "c"),
      /^GraphError: Destination c is not a valid downgrade target from current head\(s\)$/,
    );
    assert.throws(
      () => g.planDowngrade(["b"], "c+1"),
      /^GraphError: Destination c\+1 is not a valid downgrade target from current head\(s\)$/,
    );
    assert.throws(() => g.planDowngrade([], "a"), /Destination a is not a valid downgrade target/);
  });

  test("relative overshoot and +N", () => {
    const g = linear();
    assert.throws(() => g.planDowngrade(["d"], "-5"), /^GraphError: Relative revision -5 didn't produce 5 migrations$/);
    assert.throws(() => g.planDowngrade([], "-1"), /^GraphError: Relative revision -1 didn't produce 1 migrations$/);
    assert.throws(() => g.planDowngrade(["d"], "b-3"), /^GraphError: Walked too far$/);
    assert.throws(() => g.planDowngrade(["d"], "+1"), /^GraphError: Relative revision \+1 didn't produce 1 migrations$/);
  });
});

describe("downgrade: branches and merges", () => {
  const branched = () => graph("a", "b:a", "c1:b @one", "d1:c1", "c2:b @two");

  test("-1 with several rows: clean error naming the rows", () => {
    assert.throws(
      () => branched().planDowngrade(["c2", "d1"], "-1"),
      /^GraphError: Relative downgrade -1 is ambiguous with several current revisions \(d1, c2\); name the branch \(<branchname>@-1\) or a revision \(<rev>-1\)$/,
    );
  });

  test("label@-N steps down that branch only", () => {
    const g = branched();
    assert.deepStrictEqual(plan(g.planDowngrade(["c2", "d1"], "one@-1")), [["d1", ["c2", "d1"], ["c1", "c2"]]]);
    assert.deepStrictEqual(plan(g.planDowngrade(["c2", "d1"], "two@-1")), [["c2", ["c2", "d1"], ["d1"]]]);
    assert.deepStrictEqual(plan(g.planDowngrade(["c2", "d1"], "one@-2")), [
      ["d1", ["c2", "d1"], ["c1", "c2"]],
      ["c1", ["c1", "c2"], ["c2"]],
    ]);
  });

  test("to the branch point takes every branch above it down", () => {
    assert.deepStrictEqual(plan(branched().planDowngrade(["c2", "d1"], "b")), [
      ["d1", ["c2", "d1"], ["c1", "c2"]],
      ["c1", ["c1", "c2"], ["c2"]],
      ["c2", ["c2"], ["b"]],
    ]);
  });

  test("label@REV restricts to the branch", () => {
    assert.deepStrictEqual(ids(branched().planDowngrade(["c2", "d1"], "one@c1")), ["d1"]);
  });

  test("label@-1 with several current heads on the branch: clean error (Alembic asserts)", () => {
    const g = graph("a @lbl", "b:a", "c1:b", "c2:b");
    assert.throws(
      () => g.planDowngrade(["c1", "c2"], "lbl@-1"),
      /^GraphError: Relative downgrade lbl@-1 is ambiguous: several current revisions are on branch 'lbl' \(c1, c2\); downgrade to a specific revision instead$/,
    );
    assert.throws(() => g.planDowngrade([], "lbl@-1"), /^GraphError: Relative revision -1 didn't produce 1 migrations$/);
  });

  test("unmerge: downgrading below a merge restores both parent rows", () => {
    const g = graph("a", "b1:a", "b2:a", "m:b1,b2");
    assert.deepStrictEqual(plan(g.planDowngrade(["m"], "b1")), [["m", ["m"], ["b1", "b2"]]]);
    assert.deepStrictEqual(plan(g.planDowngrade(["m"], "a")), [
      ["m", ["m"], ["b1", "b2"]],
      ["b1", ["b1", "b2"], ["b2"]],
      ["b2", ["b2"], ["a"]],
    ]);
  });

  test("-1 from a merge point: Ambiguous walk", () => {
    const g = graph("a", "b1:a", "b2:a", "m:b1,b2");
    assert.throws(() => g.planDowngrade(["m"], "-1"), /^GraphError: Ambiguous walk: m has several parents \(b1, b2\)$/);
  });
});

describe("downgrade: dependencies and label@base", () => {
  const deps = () => graph("a1", "a2:a1", "b1", "b2:b1 ~a2");

  test("downgrading under a dependency takes its dependents down and leaves the dependency's row", () => {
    // semantics item 5
    assert.deepStrictEqual(plan(deps().planDowngrade(["b2"], "a1")), [
      ["b2", ["b2"], ["a2", "b1"]],
      ["a2", ["a2", "b1"], ["a1", "b1"]],
    ]);
  });

  test("-1 from a row with a dependency keeps the dependency as a row", () => {
    assert.deepStrictEqual(plan(deps().planDowngrade(["b2"], "-1")), [["b2", ["b2"], ["a2", "b1"]]]);
  });

  test("downgrade to a revision that is only a dependency of the rows is refused", () => {
    // semantics item 6
    assert.throws(
      () => deps().planDowngrade(["b2"], "a2"),
      /^GraphError: Destination a2 is not a valid downgrade target from current head\(s\)$/,
    );
  });

  test("label@base is root-wide: sibling branches of the labelled root go too, other roots stay", () => {
    // semantics item 7
    const g = graph("a", "b:a", "c1:b @lbl", "c2:b", "x", "y:x");
    assert.deepStrictEqual(plan(g.planDowngrade(["c1", "c2", "y"], "lbl@base")), [
      ["c1", ["c1", "c2", "y"], ["c2", "y"]],
      ["c2", ["c2", "y"], ["b", "y"]],
      ["b", ["b", "y"], ["a", "y"]],
      ["a", ["a", "y"], ["y"]],
    ]);
  });

  test("a label on a merge of two roots takes both roots down", () => {
    const g = graph("a1", "b1", "m:a1,b1 @lbl", "n:m", "z");
    assert.deepStrictEqual(plan(g.planDowngrade(["n", "z"], "lbl@base")), [
      ["n", ["n", "z"], ["m", "z"]],
      ["m", ["m", "z"], ["a1", "b1", "z"]],
      ["a1", ["a1", "b1", "z"], ["b1", "z"]],
      ["b1", ["b1", "z"], ["z"]],
    ]);
  });

  test("base with several roots takes everything down", () => {
    assert.deepStrictEqual(ids(deps().planDowngrade(["b2"], "base")), ["b2", "b1", "a2", "a1"]);
  });
});
