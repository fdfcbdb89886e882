/**
 * The autogenerate hooks of the config (`includeName`, `includeObject`, `processRevisionDirectives`)
 * through the real command, on SQLite (they are dialect-independent).
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import type { RevisionDirective } from "../../src/autogenerate/types.js";
import { Harness, SA_IMPORT } from "./autogen-harness.test.js";

const V1 = `${SA_IMPORT}
export const a = sa.table("a", sa.column("id", sa.integer(), { primaryKey: true }));
export const b = sa.table("b", sa.column("id", sa.integer(), { primaryKey: true }));
`;

test("processRevisionDirectives may drop, edit and split the revisions written", async () => {
  let mode: "none" | "split" = "none";
  const seen: RevisionDirective[][] = [];
  const h = await Harness.create("sqlite", {
    processRevisionDirectives: (directives) => {
      seen.push(directives.map((d) => ({ ...d })));
      if (mode === "none") return [];
      const [d] = directives;
      // one revision per created table, the second on top of the first
      return d!.upgradeOps.map((op, i) => ({
        ...d!, message: `${d!.message} (${i + 1})`, revId: `rev${i + 1}aaaaaaaa`.slice(0, 12),
        upgradeOps: [op], downgradeOps: d!.downgradeOps.filter((x) => x.kind === "dropTable" && op.kind === "createTable" && x.table === op.table.name),
      }));
    },
  });
  try {
    const none = await h.autogen(V1, { message: "tables" });
    assert.deepEqual(none.result.revisions, []);
    assert.equal(seen[0]![0]!.upgradeOps.length, 2);
    mode = "split";
    const split = await h.autogen(V1, { message: "tables" });
    assert.deepEqual(split.result.revisions.map((r) => [r.revision, r.downRevisions]), [["rev1aaaaaaaa", []], ["rev2aaaaaaaa", ["rev1aaaaaaaa"]]]);
    assert.match(readFileSync(split.result.revisions[1]!.path, "utf8"), /tables \(2\)[\s\S]*op\.createTable\(\n {4}"b"/);
    await h.upgrade();
    assert.equal((await h.check()).upToDate, true);
  } finally {
    await h.close();
  }
});

test("includeName and includeObject keep objects out of the comparison", async () => {
  const h = await Harness.create("sqlite", {
    // tables only in the database are left alone; columns named tmp_* are never looked at
    includeObject: (_obj, _name, type, reflected, compareTo) => !(type === "table" && reflected && compareTo === null),
    includeName: (name, type) => !(type === "column" && name.startsWith("tmp_")),
  });
  try {
    await h.step(V1, ["addTable"]);
    const v2 = `${SA_IMPORT}
export const a = sa.table("a", sa.column("id", sa.integer(), { primaryKey: true }), sa.column("tmp_x", sa.integer(), { nullable: true }));
`;
    // b would be dropped and a.tmp_x added without the hooks... includeName only filters reflected names
    const r = await h.autogen(v2, { message: "hooks" });
    assert.deepEqual(r.differences.map((d) => d.message), ["added column 'a.tmp_x'"]);
    await h.upgrade();
    const v3 = `${SA_IMPORT}
export const a = sa.table("a", sa.column("id", sa.integer(), { primaryKey: true }));
`;
    // the reflected a.tmp_x is not looked at, so it is not dropped either
    const r3 = await h.autogen(v3, { message: "nothing" });
    assert.deepEqual(r3.differences, []);
  } finally {
    await h.close();
  }
});
