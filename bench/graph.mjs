#!/usr/bin/env node
// bench/graph: `heads` and `history` on 10,000-revision projects, Athanor vs Alembic 1.8 side by side.
// Usage: npm run build && node bench/graph.mjs [--revisions 10000] [--runs 3]
// Needs Debian's python3-alembic (apt-get install python3-alembic) for the Alembic column.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { fmt, measure, table } from "./lib.mjs";

const { values } = parseArgs({ options: { revisions: { type: "string", default: "10000" }, runs: { type: "string", default: "3" } } });
const N = Number(values.revisions);
const RUNS = Number(values.runs);
const CLI = resolve(import.meta.dirname, "../dist/cli.js");
const PYTHON = "/usr/bin/python3";

/** Linear chain: r0 <- r1 <- ... */
function linear(n) {
  const revs = [];
  for (let i = 0; i < n; i++) revs.push({ id: id(i), parents: i ? [id(i - 1)] : [] });
  return revs;
}

/** 200 branch/merge diamonds: a branch point, two branches of k revisions, a merge; repeated. */
function branched(n, diamonds = 200) {
  const k = Math.max(1, Math.floor((n / diamonds - 2) / 2));
  const revs = [];
  let i = 0;
  let tip = null;
  const add = (parents) => {
    const rev = { id: id(i++), parents };
    revs.push(rev);
    return rev.id;
  };
  while (i < n) {
    const bp = add(tip ? [tip] : []);
    if (i + 2 * k + 1 > n) { tip = bp; while (i < n) tip = add([tip]); break; }
    let a = bp, b = bp;
    for (let j = 0; j < k; j++) a = add([a]);
    for (let j = 0; j < k; j++) b = add([b]);
    tip = add([a, b]);
  }
  return revs;
}

function id(i) {
  return (0x100000000000 + i * 7919).toString(16).slice(-12);
}

function writeAthanor(dir, revs) {
  mkdirSync(join(dir, "migrations/versions"), { recursive: true });
  writeFileSync(join(dir, "athanor.config.ts"), `export default { scriptLocation: "migrations" };\n`);
  for (const r of revs) {
    const down = r.parents.length === 0 ? "null" : r.parents.length === 1 ? `"${r.parents[0]}"` : `[${r.parents.map((p) => `"${p}"`).join(", ")}]`;
    writeFileSync(
      join(dir, "migrations/versions", `${r.id}_rev.ts`),
      `/**\n * rev ${r.id}\n *\n * Revision ID: ${r.id}\n * Revises: ${r.parents.join(", ")}\n * Create Date: 2026-01-01 00:00:00.000000\n */\nimport { type Op, sa } from "athanor";\n\nexport const revision = "${r.id}";\nexport const downRevision: string | string[] | null = ${down};\nexport const branchLabels: string[] | null = null;\nexport const dependsOn: string[] | null = null;\n\nexport async function upgrade(op: Op): Promise<void> {\n  await op.createTable("t_${r.id}", sa.column("id", sa.integer(), { primaryKey: true }));\n}\n\nexport async function downgrade(op: Op): Promise<void> {\n  await op.dropTable("t_${r.id}");\n}\n`,
    );
  }
}

function writeAlembic(dir, revs) {
  mkdirSync(join(dir, "alembic/versions"), { recursive: true });
  writeFileSync(join(dir, "alembic.ini"), `[alembic]\nscript_location = alembic\nsqlalchemy.url = sqlite:///bench.db\n`);
  writeFileSync(join(dir, "alembic/env.py"), `from alembic import context\n`);
  writeFileSync(join(dir, "alembic/script.py.mako"), `"""\${message}"""\n`);
  for (const r of revs) {
    const down = r.parents.length === 0 ? "None" : r.parents.length === 1 ? `'${r.parents[0]}'` : `(${r.parents.map((p) => `'${p}'`).join(", ")})`;
    writeFileSync(
      join(dir, "alembic/versions", `${r.id}_rev.py`),
      `"""rev ${r.id}\n\nRevision ID: ${r.id}\nRevises: ${r.parents.join(", ")}\nCreate Date: 2026-01-01 00:00:00.000000\n\n"""\nfrom alembic import op\nimport sqlalchemy as sa\n\nrevision = '${r.id}'\ndown_revision = ${down}\nbranch_labels = None\ndepends_on = None\n\n\ndef upgrade():\n    op.create_table('t_${r.id}', sa.Column('id', sa.Integer, primary_key=True))\n\n\ndef downgrade():\n    op.drop_table('t_${r.id}')\n`,
    );
  }
}

const rows = [];
const root = mkdtempSync(join(tmpdir(), "athanor-bench-graph-"));
try {
  for (const [shape, revs] of [["linear", linear(N)], ["200 branches+merges", branched(N)]]) {
    const a = join(root, `${shape.split(" ")[0]}-athanor`);
    const p = join(root, `${shape.split(" ")[0]}-alembic`);
    writeAthanor(a, revs);
    writeAlembic(p, revs);
    for (const command of ["heads", "history"]) {
      const ath = measure("node", [CLI, command], { cwd: a, runs: RUNS });
      const alb = measure(PYTHON, ["-m", "alembic", command], { cwd: p, runs: RUNS });
      if (!ath.ok) console.error(`athanor ${command} failed:`, ath.stderr);
      if (!alb.ok) console.error(`alembic ${command} failed:`, alb.stderr.slice(-400));
      const same = ath.stdout.trim().split("\n").length === alb.stdout.trim().split("\n").length;
      rows.push([
        `${revs.length} ${shape}`,
        command,
        `${fmt(ath.seconds)} s`,
        `${fmt(ath.peakMb, 0)} MB`,
        alb.ok ? `${fmt(alb.seconds)} s` : "failed",
        alb.ok ? `${fmt(alb.peakMb, 0)} MB` : "",
        alb.ok ? `${fmt(alb.seconds / ath.seconds, 1)}x` : "",
        same ? "yes" : "no",
      ]);
      console.error(rows.at(-1).join("  "));
    }
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}
console.log(table(["project", "command", "athanor", "athanor peak", "alembic 1.8", "alembic peak", "speed-up", "same line count"], rows));
