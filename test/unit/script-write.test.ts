import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import {
  formatCreateDate,
  generateRevisionId,
  readRevisionHeader,
  renderRevisionFile,
  renderTemplate,
  revisionFileName,
  ScriptError,
  slugify,
  templatesRoot,
  validateRevisionId,
  writeRevisionFile,
  type WriteRevisionOptions,
} from "../../src/script/index.js";

const GENERIC = join(templatesRoot(), "generic", "script.ts.tmpl");
const MULTIDB = join(templatesRoot(), "multidb", "script.ts.tmpl");

function tempDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), "athanor-write-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function options(versionsDir: string, extra: Partial<WriteRevisionOptions> = {}): WriteRevisionOptions {
  return {
    versionsDir,
    scriptTemplatePath: GENERIC,
    revision: "9c3e5f8a1d2b",
    message: "add phone_number to users",
    downRevisions: ["3a8f1c2d4b7e"],
    branchLabels: [],
    dependsOn: [],
    createDate: new Date(2026, 2, 10, 14, 5, 22, 654),
    ...extra,
  };
}

test("the generic template renders the SPEC's revision file exactly", (t) => {
  const dir = tempDir(t);
  const path = writeRevisionFile(options(dir, {
    upgrades: [
      `await op.addColumn("users", sa.column("phone_number", sa.string(20), { nullable: true }));`,
      `await op.createIndex("ix_users_phone_number", "users", ["phone_number"]);`,
    ].join("\n"),
    // Indentation of the given body does not matter: it is re-indented.
    downgrades: `
        await op.dropIndex("ix_users_phone_number", { table: "users" });
        await op.dropColumn("users", "phone_number");
    `,
  }));
  assert.equal(path, join(dir, "9c3e5f8a1d2b_add_phone_number_to_users.ts"));
  assert.equal(readFileSync(path, "utf8"), `/**
 * add phone_number to users
 *
 * Revision ID: 9c3e5f8a1d2b
 * Revises: 3a8f1c2d4b7e
 * Create Date: 2026-03-10 14:05:22.654000
 */
import { type Op, sa } from "athanor";

export const revision = "9c3e5f8a1d2b";
export const downRevision: string | string[] | null = "3a8f1c2d4b7e";
export const branchLabels: string[] | null = null;
export const dependsOn: string[] | null = null;

export async function upgrade(op: Op): Promise<void> {
  await op.addColumn("users", sa.column("phone_number", sa.string(20), { nullable: true }));
  await op.createIndex("ix_users_phone_number", "users", ["phone_number"]);
}

export async function downgrade(op: Op): Promise<void> {
  await op.dropIndex("ix_users_phone_number", { table: "users" });
  await op.dropColumn("users", "phone_number");
}
`);
});

test("empty bodies get a placeholder line; extra imports follow the athanor import", (t) => {
  const dir = tempDir(t);
  const text = readFileSync(writeRevisionFile(options(dir, {
    imports: [`import { readFileSync } from "node:fs";`, `import { readFileSync } from "node:fs";`, `import * as x from "x";`],
  })), "utf8");
  assert.match(text, /\nimport \{ type Op, sa \} from "athanor";\nimport \{ readFileSync \} from "node:fs";\nimport \* as x from "x";\n\nexport const revision/);
  assert.match(text, /upgrade\(op: Op\): Promise<void> \{\n {2}\/\/ no operations\n\}/);
  assert.match(text, /downgrade\(op: Op\): Promise<void> \{\n {2}\/\/ no operations\n\}/);
});

test("round trip: what is written parses back to the same header", (t) => {
  const dir = tempDir(t);
  const cases: Partial<WriteRevisionOptions>[] = [
    { revision: "aaa111", downRevisions: [], message: "initial" },
    { revision: "bbb222", downRevisions: ["x1", "y2"], message: "merge heads" },
    { revision: "ccc333", branchLabels: ["feature"], dependsOn: ["aaa111", "other@head"], message: "labels and deps" },
    { revision: "ddd444", message: "first line\nsecond line\n\nmore details", downRevisions: ["ccc333"] },
    { revision: "eee555", message: "odd */ characters \"quoted\" `tick` ${x}", downRevisions: [] },
  ];
  for (const extra of cases) {
    const opts = options(dir, extra);
    const path = writeRevisionFile(opts);
    const h = readRevisionHeader(path);
    assert.equal(h.revision, opts.revision);
    assert.deepEqual(h.downRevisions, opts.downRevisions);
    assert.deepEqual(h.branchLabels, opts.branchLabels);
    assert.deepEqual(h.dependsOn, opts.dependsOn);
    assert.equal(h.message, opts.message.split("\n\n")[0]);
    assert.equal(h.createDate, "2026-03-10 14:05:22.654000");
    assert.equal(h.path, path);
    assert.match(h.docstring, new RegExp(`Revision ID: ${opts.revision}\\nRevises: ?${opts.downRevisions.join(", ")}\\n`));
  }
  const merge = readFileSync(join(dir, "bbb222_merge_heads.ts"), "utf8");
  assert.match(merge, / \* Revises: x1, y2\n/);
  assert.match(merge, /export const downRevision: string \| string\[\] \| null = \["x1", "y2"\];/);
  const labels = readFileSync(join(dir, "ccc333_labels_and_deps.ts"), "utf8");
  assert.match(labels, /export const branchLabels: string\[\] \| null = \["feature"\];/);
  assert.match(labels, /export const dependsOn: string\[\] \| null = \["aaa111", "other@head"\];/);
  const multi = readFileSync(join(dir, "ddd444_first_line_second_line_more_details.ts"), "utf8");
  assert.match(multi, /^\/\*\*\n \* first line\n \* second line\n \*\n \* more details\n \*\n \* Revision ID/);
});

test("the multidb template writes a valid revision that parses back", (t) => {
  const dir = tempDir(t);
  const path = writeRevisionFile(options(dir, { scriptTemplatePath: MULTIDB, upgrades: "await op.execute('select 1');" }));
  const h = readRevisionHeader(path);
  assert.equal(h.revision, "9c3e5f8a1d2b");
  const text = readFileSync(path, "utf8");
  assert.match(text, /export async function upgrade\(op: Op, engine: Engine\)/);
  assert.match(text, /async primary\(op\) \{\n {4}await op\.execute\('select 1'\);\n {2}\},/);
});

test("slugs follow Alembic's rules", () => {
  assert.equal(slugify("add phone_number to users"), "add_phone_number_to_users");
  assert.equal(slugify("Add  phone-number, to USERS!"), "add_phone_number_to_users");
  assert.equal(slugify(""), "");
  assert.equal(slugify("!!!"), "");
  assert.equal(slugify("café über straße"), "café_über_straße");
  // Alembic's own test case: cut at 40, back to the last '_', keeping it.
  assert.equal(
    slugify("this is a really long name with lots of characters and also more"),
    "this_is_a_really_long_name_with_lots_of_",
  );
  // Exactly 40 characters: untouched.
  const forty = "abcdefghij_abcdefghij_abcdefghij_abcdefg";
  assert.equal(forty.length, 40);
  assert.equal(slugify(forty), forty);
  // No '_' within the cut: the whole cut plus '_'.
  assert.equal(slugify("a".repeat(50)), `${"a".repeat(40)}_`);
  assert.equal(slugify("one two three four", 10), "one_two_");
  assert.equal(slugify("one two three four", 8), "one_two_");
  assert.equal(slugify("one two three four", 7), "one_");
});

test("file templates: tokens, sub-folders, unknown tokens", (t) => {
  const date = new Date(2026, 0, 5, 7, 8, 9, 10);
  const base = { revision: "abc123", message: "Do Things", createDate: date };
  assert.equal(revisionFileName(base), "abc123_do_things");
  assert.equal(
    revisionFileName({ ...base, fileTemplate: "${year}_${month}_${day}_${hour}${minute}${second}-${rev}_${slug}" }),
    "2026_01_05_070809-abc123_do_things",
  );
  assert.equal(revisionFileName({ ...base, fileTemplate: "${epoch}_${rev}" }), `${Math.floor(date.getTime() / 1000)}_abc123`);
  assert.equal(revisionFileName({ ...base, fileTemplate: "${rev}_${slug}", truncateSlugLength: 3 }), "abc123_do_");
  assert.throws(() => revisionFileName({ ...base, fileTemplate: "${rev}_${nope}" }), (e: unknown) =>
    e instanceof ScriptError && /unknown placeholder '\$\{nope\}'/.test(e.message));

  const dir = tempDir(t);
  const path = writeRevisionFile(options(dir, { fileTemplate: "${year}/${month}/${rev}_${slug}" }));
  assert.equal(path, join(dir, "2026", "03", "9c3e5f8a1d2b_add_phone_number_to_users.ts"));
  assert.ok(existsSync(path));
  assert.throws(() => writeRevisionFile(options(dir, { revision: "zzz", fileTemplate: "../${rev}" })), /outside/);
});

test("Create Date has microseconds as 6 digits, local time", () => {
  assert.equal(formatCreateDate(new Date(2026, 2, 10, 4, 5, 6, 7)), "2026-03-10 04:05:06.007000");
  assert.equal(formatCreateDate(new Date(2026, 11, 31, 23, 59, 59, 999)), "2026-12-31 23:59:59.999000");
});

test("refuses to overwrite an existing file", (t) => {
  const dir = tempDir(t);
  const path = writeRevisionFile(options(dir));
  writeFileSync(path, "// edited by hand\n");
  assert.throws(() => writeRevisionFile(options(dir)), (e: unknown) =>
    e instanceof ScriptError && e.message.includes("already exists"));
  assert.equal(readFileSync(path, "utf8"), "// edited by hand\n");
});

test("revision ids: generated ones are 12 lowercase hex; illegal characters are refused", () => {
  const ids = new Set<string>();
  for (let i = 0; i < 200; i++) {
    const id = generateRevisionId();
    assert.match(id, /^[0-9a-f]{12}$/);
    ids.add(id);
  }
  assert.equal(ids.size, 200);

  for (const ok of ["9c3e5f8a1d2b", "abc", "my_rev_1", "A1.b"]) validateRevisionId(ok);
  assert.throws(() => validateRevisionId("a-b"), { name: "ScriptError", message: "Character(s) '-' not allowed in revision identifier 'a-b'" });
  assert.throws(() => validateRevisionId("a@b-c"), { message: "Character(s) '-, @' not allowed in revision identifier 'a@b-c'" });
  assert.throws(() => validateRevisionId("a+b:c"), { message: "Character(s) '+, :' not allowed in revision identifier 'a+b:c'" });
  assert.throws(() => validateRevisionId("a b"), { message: "Character(s) '<space>' not allowed in revision identifier 'a b'" });
  assert.throws(() => validateRevisionId("a\tb"), /Character\(s\) '\\t' not allowed/);
  assert.throws(() => validateRevisionId(""), /must not be empty/);
  assert.throws(() => writeRevisionFile(options("/nonexistent", { revision: "bad-id" })), /not allowed in revision identifier 'bad-id'/);
});

test("a custom template that loses a placeholder is refused before writing", (t) => {
  const dir = tempDir(t);
  const tmpl = join(dir, "script.ts.tmpl");
  writeFileSync(tmpl, `/** \${message} */\nexport const revision = "\${revision}";\nexport const downRevision = null;\n`);
  assert.throws(
    () => writeRevisionFile(options(join(dir, "versions"), { scriptTemplatePath: tmpl })),
    (e: unknown) => e instanceof ScriptError && /downRevision \[\] instead of \[3a8f1c2d4b7e\]/.test(e.message),
  );
  assert.equal(existsSync(join(dir, "versions")), false);
  assert.throws(() => renderRevisionFile(options(dir, { scriptTemplatePath: join(dir, "missing.tmpl") })), /No script template/);
});

test("renderTemplate: placeholders, escapes, indentation of multi-line values, errors", () => {
  assert.equal(renderTemplate("a ${x} b ${ y }", { x: "1", y: "2" }), "a 1 b 2");
  assert.equal(renderTemplate("tpl `$${x}` ${x}", { x: "1" }), "tpl `${x}` 1");
  assert.equal(renderTemplate("{\n    ${body}\n}", { body: "a;\n\nb;" }), "{\n    a;\n\n    b;\n}");
  assert.equal(renderTemplate(" * ${m}", { m: "one\ntwo\n\nthree" }), " * one\n * two\n *\n * three");
  assert.equal(renderTemplate("x = ${v};", { v: "1\n2" }), "x = 1\n2;");
  assert.throws(() => renderTemplate("ok\n${nope}", { x: "" }, "my.tmpl"), {
    name: "ScriptError",
    message: "my.tmpl:2: unknown placeholder '${nope}' (known: x; write '$${' for a literal '${')",
  });
  assert.throws(() => renderTemplate("${a + b}", {}, "t"), /t:1: invalid placeholder '\$\{a \+ b\}'/);
});
