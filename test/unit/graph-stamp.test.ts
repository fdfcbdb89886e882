import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { graph, ids, plan } from "./graph-helpers.js";

const deps = () => graph("a1", "a2:a1", "b1", "b2:b1 ~a2");
const branched = () => graph("a", "b:a", "c1:b", "c2:b", "d1:c1");
const sorted = (s: Set<string>) => [...s].sort();

describe("rows, applied sets and current", () => {
  test("applied set: rows plus ancestors through parents and dependencies", () => {
    const g = deps();
    assert.deepStrictEqual(sorted(g.appliedFromRows(["b2"])), ["a1", "a2", "b1", "b2"]);
    assert.deepStrictEqual(sorted(g.appliedFromRows(["a2", "b1"])), ["a1", "a2", "b1"]);
    assert.deepStrictEqual(sorted(g.appliedFromRows([])), []);
  });

  test("rows for an applied set: dependency-implied revisions are not rows", () => {
    const g = deps();
    assert.deepStrictEqual(g.rowsForApplied(new Set(["a1", "a2", "b1", "b2"])), ["b2"]);
    assert.deepStrictEqual(g.rowsForApplied(new Set(["a1", "a2", "b1"])), ["a2", "b1"]);
    assert.deepStrictEqual(g.rowsForApplied(new Set(["b1", "a1"])), ["a1", "b1"]);
    assert.deepStrictEqual(graph("a", "b:a", "c:b").rowsForApplied(new Set(["a", "c"])), ["c"]);
    assert.throws(() => deps().rowsForApplied(new Set(["zz"])), /^GraphError: Can't locate revision identified by 'zz'$/);
  });

  test("current shows dependency-implied heads (semantics item 4)", () => {
    const g = deps();
    assert.deepStrictEqual(g.currentHeads(["b2"]), ["a2", "b2"]);
    assert.deepStrictEqual(g.currentHeads(["a2", "b1"]), ["a2", "b1"]);
    assert.deepStrictEqual(g.currentHeads([]), []);
    assert.deepStrictEqual(branched().currentHeads(["d1", "c2"]), ["c2", "d1"]);
  });
});

describe("stamp", () => {
  test("empty database: head, and heads inserts every real head", () => {
    assert.deepStrictEqual(graph("a", "b:a", "c:b").planStamp([], ["head"]), ["c"]);
    assert.deepStrictEqual(branched().planStamp([], ["heads"]), ["c2", "d1"]);
    assert.deepStrictEqual(deps().planStamp([], ["heads"]), ["b2"]);
  });

  test("down and up the same line replace the row", () => {
    const g = graph("a", "b:a", "c:b", "d:c");
    assert.deepStrictEqual(g.planStamp(["d"], ["b"]), ["b"]);
    assert.deepStrictEqual(g.planStamp(["b"], ["d"]), ["d"]);
    assert.deepStrictEqual(g.planStamp(["b"], ["b"]), ["b"]);
  });

  test("a revision on a branch not represented is inserted", () => {
    assert.deepStrictEqual(branched().planStamp(["c1"], ["c2"]), ["c1", "c2"]);
  });

  test("rows above the destination collapse into it; unrelated rows stay", () => {
    const g = branched();
    assert.deepStrictEqual(g.planStamp(["c1", "c2"], ["b"]), ["b"]);
    assert.deepStrictEqual(g.planStamp(["c1", "c2"], ["d1"]), ["c2", "d1"]);
  });

  test("base removes every row; label@base only the label's lineage", () => {
    assert.deepStrictEqual(branched().planStamp(["c1", "c2"], ["base"]), []);
    assert.deepStrictEqual(branched().planStamp(["c1", "c2"], []), []);
    const g = graph("a", "b:a @one", "x", "y:x @two");
    assert.deepStrictEqual(g.planStamp(["b", "y"], ["one@base"]), ["y"]);
    assert.deepStrictEqual(g.planStamp(["b", "y"], ["two@base"]), ["b"]);
  });

  test("purge starts from no rows", () => {
    assert.deepStrictEqual(branched().planStamp(["c1", "c2"], ["d1"], true), ["d1"]);
    assert.deepStrictEqual(branched().planStamp(["c1", "c2"], ["base"], true), []);
  });

  test("lineage through dependencies: stamping below a dependency replaces the dependent row", () => {
    assert.deepStrictEqual(deps().planStamp(["b2"], ["a1"]), ["a1"]);
    assert.deepStrictEqual(deps().planStamp(["b2"], ["b1"]), ["b1"]);
  });

  test("several destinations on different branches", () => {
    assert.deepStrictEqual(branched().planStamp(["c1", "c2"], ["d1", "c2"]), ["c2", "d1"]);
    assert.deepStrictEqual(graph("a", "b:a @one", "x", "y:x @two").planStamp([], ["b", "y"]), ["b", "y"]);
  });

  test("destinations that are ancestors of each other are refused", () => {
    assert.throws(
      () => graph("a", "b:a").planStamp([], ["a", "b"]),
      /^GraphError: Requested revision b overlaps with other requested revisions a$/,
    );
  });
});

describe("offline plans", () => {
  const g = () => graph("a", "b:a", "c:b", "d:c");

  test("upgrade and downgrade from an explicit start", () => {
    assert.deepStrictEqual(plan(g().planOffline("up", "b", "d")), [
      ["c", ["b"], ["c"]],
      ["d", ["c"], ["d"]],
    ]);
    assert.deepStrictEqual(plan(g().planOffline("up", "base", "a")), [["a", [], ["a"]]]);
    assert.deepStrictEqual(ids(g().planOffline("down", "d", "b")), ["d", "c"]);
    assert.deepStrictEqual(plan(g().planOffline("down", "b", "base")), [
      ["b", ["b"], ["a"]],
      ["a", ["a"], []],
    ]);
  });

  test("the start must be a single revision", () => {
    assert.throws(
      () => branched().planOffline("down", "heads", "base"),
      /^GraphError: Multiple head revisions are present for given argument 'heads';.*\(c2, d1\)$/,
    );
  });
});
