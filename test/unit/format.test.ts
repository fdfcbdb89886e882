import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { drawGraph } from "../../src/commands/draw-graph.js";
import { formatRevisionBlock, formatRevisionLine } from "../../src/commands/format.js";
import { graph } from "./graph-helpers.js";

describe("revision lines", () => {
  const g = graph("a @core", "b:a", "c:a", "m:b,c ~x", "x");

  test("history line: parents, deps, labels, marks, message", () => {
    const line = (id: string, current?: Set<string>) =>
      formatRevisionLine(g.get(id), { parents: true, labels: true, headIndicator: true, treeIndicators: true, doc: true, current });
    assert.equal(line("a"), "<base> -> a (core) (branchpoint), rev a");
    assert.equal(line("m", new Set(["m"])), "b, c (x) -> m (core) (head) (current) (mergepoint), rev m");
    assert.equal(line("x"), "<base> -> x (effective head), rev x");
  });

  test("verbose block", () => {
    assert.equal(
      formatRevisionBlock(g.get("m")),
      "Rev: m (head) (mergepoint)\nMerges: b, c\nAlso depends on: x\nBranch names: core\nPath: /v/m.ts\n\n    rev m\n",
    );
    assert.match(formatRevisionBlock(g.get("a")), /^Rev: a \(branchpoint\)\nParent: <base>\nBranches into: b, c\n/);
  });
});

describe("history --graph drawing", () => {
  const draw = (...specs: string[]) => {
    const g = graph(...specs);
    return drawGraph(g.history(undefined), (r) => r.revision);
  };

  test("a linear chain is one lane", () => {
    assert.deepEqual(draw("a", "b:a", "c:b"), ["*  c", "*  b", "*  a"]);
  });

  test("a branch and its merge", () => {
    const lines = draw("a", "b:a", "c:a", "m:b,c");
    assert.equal(lines[0], "*  m");
    assert.equal(lines[1], "|\\");
    assert.equal(lines.at(-2), "|/");
    assert.equal(lines.at(-1), "*  a");
    assert.equal(lines.filter((l) => l.includes("*")).length, 4);
  });

  test("two open heads sit in two lanes until their branch point", () => {
    const lines = draw("a", "b:a", "c:a");
    assert.equal(lines.filter((l) => /^[*|] [*|]  /.test(l)).length, 1);
    assert.deepEqual(lines.slice(-2), ["|/", "*  a"]);
  });

  test("two roots merged", () => {
    const lines = draw("a", "b", "m:a,b");
    assert.deepEqual(lines, ["*  m", "|\\", lines[2], lines[3]]);
    assert.equal(lines.filter((l) => l.includes("*")).length, 3);
  });
});
