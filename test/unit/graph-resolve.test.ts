import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { RevisionGraph } from "../../src/graph/index.js";
import { graph } from "./graph-helpers.js";

const MULTI =
  "please specify a specific target revision, '<branchname>@head' to narrow to a specific head, or 'heads' for all heads";

/** Alembic's LabeledBranchTest map: two roots, one label on each lineage. */
const labelled = () =>
  graph(
    "a @abranch",
    "b:a",
    "somelongername:b",
    "c:somelongername",
    "d",
    "e:d @ebranch",
    "someothername:e",
    "f:someothername",
  );

describe("resolve: ids and prefixes", () => {
  const g = graph("ae1027a6acf", "27c6a30d7c24:ae1027a6acf", "2f9e2a2b1c3d:27c6a30d7c24");

  test("full id and unique prefixes of any length", () => {
    assert.deepStrictEqual(g.resolve("27c6a30d7c24"), ["27c6a30d7c24"]);
    assert.deepStrictEqual(g.resolve("a"), ["ae1027a6acf"]);
    assert.deepStrictEqual(g.resolve("27"), ["27c6a30d7c24"]);
    assert.deepStrictEqual(g.resolve("2f9"), ["2f9e2a2b1c3d"]);
  });

  test("ambiguous prefix lists the matches", () => {
    assert.throws(
      () => g.resolve("2"),
      /^GraphError: Can't locate revision identified by '2' \(ambiguous: matches 27c6a30d7c24, 2f9e2a2b1c3d\)$/,
    );
  });

  test("unknown revision", () => {
    assert.throws(() => g.resolve("zz"), /^GraphError: Can't locate revision identified by 'zz'$/);
    assert.throws(() => g.resolve("+1"), /^GraphError: Can't locate revision identified by '\+1'$/);
  });

  test("head, heads and base on a single line", () => {
    assert.deepStrictEqual(g.resolve("head"), ["2f9e2a2b1c3d"]);
    assert.deepStrictEqual(g.resolve("heads"), ["2f9e2a2b1c3d"]);
    assert.deepStrictEqual(g.resolve("base"), []);
  });

  test("head and heads on an empty graph", () => {
    const e = RevisionGraph.build([]);
    assert.deepStrictEqual([e.resolve("head"), e.resolve("heads"), e.resolve("base")], [[], [], []]);
  });
});

describe("resolve: heads", () => {
  test("'head' with several heads names them", () => {
    assert.throws(
      () => labelled().resolve("head"),
      (e: Error) => e.message === `Multiple head revisions are present for given argument 'head'; ${MULTI} (c, f)`,
    );
  });

  test("'heads' are the real heads; an effective head still counts for 'head'", () => {
    const g = graph("a1", "a2:a1", "b1", "b2:b1 ~a2");
    assert.deepStrictEqual(g.resolve("heads"), ["b2"]);
    assert.throws(() => g.resolve("head"), /given argument 'head'.*\(a2, b2\)$/);
  });

  test("label@head with several heads on the branch", () => {
    const g = graph("a", "b:a @lbl", "c1:b", "c2:b");
    assert.deepStrictEqual(g.resolve("lbl@heads"), ["c1", "c2"]);
    assert.throws(
      () => g.resolve("lbl@head"),
      (e: Error) => e.message === `Multiple head revisions are present for given argument 'lbl@head'; ${MULTI} (c1, c2)`,
    );
  });
});

describe("resolve: branch labels", () => {
  const g = labelled();

  test("a label names the revision declaring it; label prefixes too", () => {
    assert.deepStrictEqual(g.resolve("abranch"), ["a"]);
    assert.deepStrictEqual(g.resolve("ebranch"), ["e"]);
    assert.deepStrictEqual(g.resolve("ebr"), ["e"]);
    assert.deepStrictEqual(g.resolve("heads"), ["c", "f"]);
  });

  test("labels and ids share the prefix namespace", () => {
    assert.throws(() => g.resolve("some"), /'some' \(ambiguous: matches somelongername, someothername\)$/);
  });

  test("label@head, label@heads, label@base", () => {
    assert.deepStrictEqual(g.resolve("abranch@head"), ["c"]);
    assert.deepStrictEqual(g.resolve("ebranch@head"), ["f"]);
    assert.deepStrictEqual(g.resolve("ebranch@heads"), ["f"]);
    assert.deepStrictEqual(g.resolve("abranch@base"), []);
  });

  test("label@rev on the label's lineage (below the label too)", () => {
    assert.deepStrictEqual(g.resolve("ebranch@d"), ["d"]);
    assert.deepStrictEqual(g.resolve("ebranch@ebranch"), ["e"]);
    assert.deepStrictEqual(g.resolve("ebranch@f"), ["f"]);
  });

  test("label@prefix is matched within the label's lineage", () => {
    assert.deepStrictEqual(g.resolve("abranch@some"), ["somelongername"]);
    assert.deepStrictEqual(g.resolve("ebranch@some"), ["someothername"]);
  });

  test("label@rev off the label's lineage", () => {
    assert.throws(
      () => g.resolve("ebranch@b"),
      /^GraphError: Can't locate revision identified by 'b' \(revision b is not a member of branch 'ebranch'\)$/,
    );
    assert.throws(() => g.resolve("abranch@q"), /^GraphError: Can't locate revision identified by 'q'$/);
  });

  test("the part before @ may be a revision id or prefix; unknown ones are errors", () => {
    assert.deepStrictEqual(g.resolve("e@d"), ["d"]);
    assert.deepStrictEqual(g.resolve("someoth@d"), ["d"]);
    assert.throws(
      () => g.resolve("x@d"),
      /^GraphError: Can't locate revision identified by 'x' \(no such branch: 'x'\)$/,
    );
  });

  test("labels reach down the chain below the declaring revision", () => {
    assert.deepStrictEqual(g.get("d").labels, ["ebranch"]);
    assert.deepStrictEqual(g.get("a").labels, ["abranch"]);
    assert.deepStrictEqual(g.get("f").labels, ["ebranch"]);
  });
});
