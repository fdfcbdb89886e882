import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath, pathToFileURL } from "node:url";
import {
  importTypeScript,
  listRevisionFiles,
  loadRevisionModule,
  packageEntryPath,
  readRevisionHeaders,
  ScriptError,
  templatesRoot,
  writeRevisionFile,
} from "../../src/script/index.js";

function tempDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), "athanor-versions-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function revisionSource(rev: string, down: string | null, message = `revision ${rev}`): string {
  return `/**
 * ${message}
 *
 * Revision ID: ${rev}
 * Revises: ${down ?? ""}
 * Create Date: 2026-03-10 14:05:22.654321
 */
export const revision = "${rev}";
export const downRevision: string | string[] | null = ${down === null ? "null" : JSON.stringify(down)};
export const branchLabels: string[] | null = null;
export const dependsOn: string[] | null = null;

export async function upgrade(op: any): Promise<void> {
  op.log.push("up ${rev}");
}

export async function downgrade(op: any): Promise<void> {
  op.log.push("down ${rev}");
}
`;
}

test("listRevisionFiles: extensions, exclusions, order, recursion, several dirs", (t) => {
  const root = tempDir(t);
  const a = join(root, "a");
  const b = join(root, "b");
  mkdirSync(join(a, "sub", "deeper"), { recursive: true });
  mkdirSync(join(a, "asub"));
  mkdirSync(join(a, ".hidden"));
  mkdirSync(b);
  for (const name of [
    "b_two.ts", "a_one.ts", "C_upper.ts", "c.mts", "d.js", "e.mjs", "types.d.ts", "x.d.mts",
    ".hidden.ts", ".#lock.ts", "script.ts.tmpl", "notes.txt", "README", "f.cts", "g.tsx",
  ]) {
    writeFileSync(join(a, name), "");
  }
  writeFileSync(join(a, "sub", "s.ts"), "");
  writeFileSync(join(a, "sub", "deeper", "d.ts"), "");
  writeFileSync(join(a, "asub", "z.ts"), "");
  writeFileSync(join(a, ".hidden", "h.ts"), "");
  writeFileSync(join(b, "0_first.ts"), "");

  const top = ["C_upper.ts", "a_one.ts", "b_two.ts", "c.mts", "d.js", "e.mjs"].map((n) => join(a, n));
  assert.deepEqual(listRevisionFiles([a]), top);
  assert.deepEqual(listRevisionFiles([a], { recursive: true }), [
    ...top,
    join(a, "asub", "z.ts"),
    join(a, "sub", "s.ts"),
    join(a, "sub", "deeper", "d.ts"),
  ]);
  // Directories in the given order; missing ones and repeats skipped.
  assert.deepEqual(listRevisionFiles([b, join(root, "missing"), a, a]), [join(b, "0_first.ts"), ...top]);
  const link = join(root, "link");
  symlinkSync(b, link);
  assert.deepEqual(listRevisionFiles([b, link]), [join(b, "0_first.ts")]);
});

test("readRevisionHeaders reads every file in order", (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, "2_b.ts"), revisionSource("bbb", "aaa"));
  writeFileSync(join(dir, "1_a.ts"), revisionSource("aaa", null));
  const headers = readRevisionHeaders([dir]);
  assert.deepEqual(headers.map((h) => [h.revision, h.downRevisions, h.path]), [
    ["aaa", [], join(dir, "1_a.ts")],
    ["bbb", ["aaa"], join(dir, "2_b.ts")],
  ]);
  writeFileSync(join(dir, "3_bad.ts"), `export const revision = compute();\n`);
  assert.throws(() => readRevisionHeaders([dir]), (e: unknown) =>
    e instanceof ScriptError && e.message.startsWith(`${join(dir, "3_bad.ts")}:1: `));
});

test("10,000 revision headers parse", (t) => {
  const dir = tempDir(t);
  const count = 10_000;
  const id = (i: number) => i.toString(16).padStart(12, "0");
  for (let i = 0; i < count; i++) {
    writeFileSync(join(dir, `${id(i)}_step_${i}.ts`), revisionSource(id(i), i === 0 ? null : id(i - 1), `step ${i}`));
  }
  const started = performance.now();
  const headers = readRevisionHeaders([dir]);
  t.diagnostic(`read ${count} headers in ${(performance.now() - started).toFixed(1)} ms`);
  assert.equal(headers.length, count);
  for (let i = 0; i < count; i++) {
    const h = headers[i]!;
    assert.equal(h.revision, id(i));
    assert.deepEqual(h.downRevisions, i === 0 ? [] : [id(i - 1)]);
    assert.equal(h.message, `step ${i}`);
  }
});

test("packageEntryPath finds this package's entry module", () => {
  const entry = packageEntryPath();
  assert.equal(entry, fileURLToPath(new URL("../../src/index.ts", import.meta.url)));
});

test("loadRevisionModule runs a TypeScript revision file", async (t) => {
  const dir = tempDir(t);
  const path = join(dir, "aaa_first.ts");
  writeFileSync(path, revisionSource("aaa", null));
  const mod = await loadRevisionModule(path);
  assert.equal(mod.revision, "aaa");
  const op = { log: [] as string[] };
  await mod.upgrade(op);
  await mod.downgrade(op);
  assert.deepEqual(op.log, ["up aaa", "down aaa"]);
});

test("loadRevisionModule: relative imports of other TypeScript files work", async (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, "helpers.ts"), `export function twice(n: number): number { return n * 2; }\n`);
  const path = join(dir, "rev.mts");
  writeFileSync(path, `import { twice } from "./helpers.ts";
export const revision = "r";
export const downRevision = null;
export function upgrade(op: { n: number }) { op.n = twice(op.n); }
export function downgrade() {}
`);
  const mod = await loadRevisionModule(path);
  const op = { n: 21 };
  await mod.upgrade(op);
  assert.equal(op.n, 42);
});

test("loadRevisionModule: `import ... from \"athanor\"` gets this package's own module", async (t) => {
  let entry: Record<string, unknown>;
  try {
    entry = await import(pathToFileURL(packageEntryPath()).href);
  } catch (error) {
    t.skip(`the package entry does not load yet: ${(error as Error).message.split("\n")[0]}`);
    return;
  }
  const dir = tempDir(t);
  const path = join(dir, "rev.ts");
  writeFileSync(path, `import * as athanor from "athanor";
export const revision = "r";
export const downRevision = null;
export function getAthanor() { return athanor; }
export function upgrade() {}
export function downgrade() {}
`);
  const mod = await loadRevisionModule(path);
  const got = (mod.getAthanor as () => Record<string, unknown>)();
  assert.equal(typeof got, "object");
  for (const key of Object.keys(entry)) assert.equal(got[key], entry[key], `export '${key}' is the same object`);
});

test("loadRevisionModule: missing upgrade/downgrade, syntax and runtime errors", async (t) => {
  const dir = tempDir(t);
  const noDown = join(dir, "no_down.ts");
  writeFileSync(noDown, `export const revision = "r";\nexport const downRevision = null;\nexport function upgrade() {}\n`);
  await assert.rejects(loadRevisionModule(noDown), {
    name: "ScriptError",
    message: `${noDown}: revision file does not export a function 'downgrade'`,
  });

  const neither = join(dir, "neither.ts");
  writeFileSync(neither, `export const revision = "r";\nexport const upgrade = 1;\n`);
  await assert.rejects(loadRevisionModule(neither), {
    message: `${neither}: revision file does not export functions 'upgrade' and 'downgrade'`,
  });

  const syntax = join(dir, "syntax.ts");
  writeFileSync(syntax, `export const revision = "r";\n\nexport function upgrade( {\n  let x = ;\n}\n`);
  await assert.rejects(loadRevisionModule(syntax), (e: unknown) => {
    assert.ok(e instanceof ScriptError);
    assert.match(e.message, new RegExp(`^${syntax.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:4: syntax error: `));
    assert.equal(e.line, 4);
    return true;
  });

  const runtime = join(dir, "runtime.ts");
  writeFileSync(runtime, `export const revision = "r";\nconst n: number = 1;\nthrow new TypeError("boom " + n);\n`);
  await assert.rejects(loadRevisionModule(runtime), {
    name: "ScriptError",
    message: `${runtime}:3: TypeError: boom 1`,
  });

  await assert.rejects(loadRevisionModule(join(dir, "missing.ts")), /missing\.ts: file not found/);
});

test("revision files rendered from the templates run (generic; multidb dispatches on the database)", async (t) => {
  const dir = tempDir(t);
  const common = {
    versionsDir: dir,
    downRevisions: [],
    branchLabels: [],
    dependsOn: [],
    createDate: new Date(),
    upgrades: "op.log.push('up');",
    downgrades: "op.log.push('down');",
  };
  // Without the athanor import, so that this does not depend on the package entry loading.
  const detach = (path: string) =>
    writeFileSync(path, readFileSync(path, "utf8").replace(/^import \{ type Op, sa \} from "athanor";$/m, "type Op = any;"));

  const generic = writeRevisionFile({
    ...common,
    scriptTemplatePath: join(templatesRoot(), "generic", "script.ts.tmpl"),
    revision: "generic1",
    message: "generic",
  });
  detach(generic);
  const g = await loadRevisionModule(generic);
  const op = { log: [] as string[] };
  await g.upgrade(op);
  await g.downgrade(op);
  assert.deepEqual(op.log, ["up", "down"]);

  const multidb = writeRevisionFile({
    ...common,
    scriptTemplatePath: join(templatesRoot(), "multidb", "script.ts.tmpl"),
    revision: "multi1",
    message: "multi",
  });
  detach(multidb);
  const m = await loadRevisionModule(multidb);
  const op2 = { log: [] as string[] };
  await m.upgrade(op2, "primary");
  await m.upgrade(op2, "analytics");
  await m.downgrade(op2, { name: "primary" });
  assert.deepEqual(op2.log, ["up", "down"]);
  await assert.rejects(async () => m.upgrade(op2, "other"), /no upgrade step for database 'other' in revision multi1/);
});

test("importTypeScript loads a config-like module with a default export", async (t) => {
  const dir = tempDir(t);
  const path = join(dir, "athanor.config.ts");
  writeFileSync(path, `interface C { scriptLocation: string }\nconst c: C = { scriptLocation: "migrations" };\nexport default c;\n`);
  const mod = await importTypeScript(path);
  assert.deepEqual(mod.default, { scriptLocation: "migrations" });
});
