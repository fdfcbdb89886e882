import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { test } from "node:test";
import { parseDocstring, readRevisionHeader, ScriptError } from "../../src/script/index.js";

const SPEC_EXAMPLE = `/**
 * add phone_number to users
 *
 * Revision ID: 9c3e5f8a1d2b
 * Revises: 3a8f1c2d4b7e
 * Create Date: 2026-03-10 14:05:22.654321
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
`;

const P = "/project/migrations/versions/x.ts";

function header(source: string) {
  return readRevisionHeader(P, source);
}

/** Assert that reading `source` throws a ScriptError `<P>:<line>: …` matching `why`. */
function assertFails(source: string, line: number, why: RegExp): void {
  assert.throws(
    () => header(source),
    (error: unknown) => {
      assert.ok(error instanceof ScriptError, `expected ScriptError, got ${String(error)}`);
      assert.equal(error.name, "ScriptError");
      const prefix = `${P}:${line}: `;
      assert.ok(error.message.startsWith(prefix), `'${error.message}' should start with '${prefix}'`);
      assert.match(error.message.slice(prefix.length), why);
      assert.equal(error.line, line);
      assert.equal(error.file, P);
      return true;
    },
  );
}

const REST = `export const downRevision = null;\nexport const branchLabels = null;\nexport const dependsOn = null;\n`;

test("the SPEC's example file", () => {
  assert.deepEqual(header(SPEC_EXAMPLE), {
    revision: "9c3e5f8a1d2b",
    downRevisions: ["3a8f1c2d4b7e"],
    branchLabels: [],
    dependsOn: [],
    message: "add phone_number to users",
    docstring:
      "add phone_number to users\n\nRevision ID: 9c3e5f8a1d2b\nRevises: 3a8f1c2d4b7e\nCreate Date: 2026-03-10 14:05:22.654321",
    createDate: "2026-03-10 14:05:22.654321",
    path: P,
  });
});

test("a merge revision: array downRevision, multi-line, trailing comma", () => {
  const h = header(`/** merge heads */
export const revision = "m1";
export const downRevision: string | string[] | null = [
  "aaa", // first head
  'bbb',
];
export const branchLabels = null;
export const dependsOn = null;
`);
  assert.deepEqual(h.downRevisions, ["aaa", "bbb"]);
  assert.equal(h.message, "merge heads");
  assert.equal(h.createDate, null);
});

test("a base revision with null or undefined downRevision", () => {
  assert.deepEqual(header(`export const revision = "r";\nexport const downRevision = null;`).downRevisions, []);
  assert.deepEqual(header(`export const revision = "r";\nexport const downRevision = undefined;`).downRevisions, []);
});

test("branch labels and dependencies as a string, an array, or a template literal", () => {
  const h = header(`export const revision: string = 'r1';
export const downRevision = \`r0\`;
export const branchLabels: string[] | null = "feature";
export const dependsOn: string[] | null = ["abc123", \`other@head\`, 'x'];
`);
  assert.equal(h.revision, "r1");
  assert.deepEqual(h.downRevisions, ["r0"]);
  assert.deepEqual(h.branchLabels, ["feature"]);
  assert.deepEqual(h.dependsOn, ["abc123", "other@head", "x"]);

  const h2 = header(`export const revision = "r2";
export const downRevision = ["r1"] as const;
export const branchLabels = ["a", "b"] as const;
`);
  assert.deepEqual(h2.downRevisions, ["r1"]);
  assert.deepEqual(h2.branchLabels, ["a", "b"]);
  assert.deepEqual(h2.dependsOn, []);
});

test("missing branchLabels and dependsOn default to empty", () => {
  const h = header(`export const revision = "r";\nexport const downRevision = "p";\n`);
  assert.deepEqual([h.branchLabels, h.dependsOn], [[], []]);
});

test("comments in odd places do not confuse the scanner", () => {
  const h = header(`// @ts-nocheck
/* license header */
/**
 * the message
 */
// export const revision = "commented-out";
/* export const revision = "block-commented"; */
import { type Op } from "athanor"; // trailing
export /* a */ const /* b */ revision /* c */ : /* d */ string /* e */ = /* f */ "real" /* g */ ; // h
export const downRevision /* x */ =
  // parent on the next line
  "p1" // no semicolon
export const branchLabels = [ /* none yet */ ];
export const dependsOn = [
  /* first */ "d1" /* after */ , // comma comment
  // a line
  "d2"
];
`);
  assert.equal(h.revision, "real");
  assert.deepEqual(h.downRevisions, ["p1"]);
  assert.deepEqual(h.branchLabels, []);
  assert.deepEqual(h.dependsOn, ["d1", "d2"]);
  assert.equal(h.message, "the message");
});

test("header-like text inside strings, templates, regexes and functions is ignored", () => {
  const h = header(`/** m */
const text = "export const revision = 'in-a-string'";
const tpl = \`line \${"export const revision = 'x'"} \${ { a: 1 }.a } \`;
const re = /export const revision = "['\`]/g;
const ratio = 10 / 2 / 1;
function helper() {
  const revision = "local";
  return \`\${revision}\`;
}
namespace Inner {
  export const revision = "nested";
}
export const revision = "top";
export const downRevision = null;
export async function upgrade(): Promise<void> {
  const s = "export const revision = 'later'";
  const t = \`
export const revision = "in-template";\`;
}
`);
  assert.equal(h.revision, "top");
});

test("string escapes are decoded", () => {
  const h = header(`export const revision = "a\\x62\\u0063\\u{64}";\nexport const downRevision = 'it\\'s';\n`);
  assert.equal(h.revision, "abcd");
  assert.deepEqual(h.downRevisions, ["it's"]);
});

test("docstring forms: one line, multi-line first paragraph, none, after other comments, CRLF", () => {
  assert.equal(header(`/** one line */\nexport const revision = "r";\nexport const downRevision = null;`).message, "one line");

  const multi = header(`/**
 * first line
 * continued
 *
 * more text
 *     indented
 */
export const revision = "r";
export const downRevision = null;
`);
  assert.equal(multi.message, "first line\ncontinued");
  assert.equal(multi.docstring, "first line\ncontinued\n\nmore text\n    indented");

  const none = header(`export const revision = "r";\nexport const downRevision = null;\n/** not a docstring */`);
  assert.equal(none.message, "");
  assert.equal(none.docstring, "");
  assert.equal(none.createDate, null);

  const crlf = header(SPEC_EXAMPLE.replaceAll("\n", "\r\n"));
  assert.equal(crlf.message, "add phone_number to users");
  assert.equal(crlf.createDate, "2026-03-10 14:05:22.654321");
  assert.equal(crlf.revision, "9c3e5f8a1d2b");

  const bom = header(`\uFEFF${SPEC_EXAMPLE}`);
  assert.equal(bom.message, "add phone_number to users");
});

test("parseDocstring un-escapes '*\\/'", () => {
  assert.equal(parseDocstring("\n * a *\\/ b\n ").message, "a */ b");
});

test("error: no revision export", () => {
  assertFails(`/** nothing */\nconst x = 1;\n`, 1, /no 'export const revision/);
  assertFails(`const revision = "not exported";\nexport const downRevision = null;\n`, 1, /no 'export const revision/);
});

test("error: missing downRevision", () => {
  assertFails(`\nexport const revision = "r";\n`, 2, /no 'export const downRevision'.*null for a base/);
});

test("error: non-literal values", () => {
  assertFails(`/** m */\nexport const revision = makeId();\n`, 2, /'revision' must be a string literal.*makeId\(\)/);
  assertFails(`export const revision = "a" + "b";\n`, 1, /must be a string literal.*"a" \+ "b"/);
  assertFails(`export const revision = "r";\nexport const downRevision = parents;\n`, 2, /'downRevision' must be/);
  assertFails(`export const revision = "r";\nexport const downRevision = ["a", other];\n`, 2, /string literals only.*other/);
  assertFails(`export const revision = "r";\nexport const downRevision = \`\${x}\`;\n`, 2, /template literals with/);
  assertFails(`export const revision = "r"\n  + "s";\nexport const downRevision = null;\n`, 1, /must be a string literal/);
  assertFails(`export const revision = null;\nexport const downRevision = null;\n`, 1, /'revision' must be a string literal/);
  assertFails(`export const revision = ["a"];\nexport const downRevision = null;\n`, 1, /'revision' must be a string literal/);
  assertFails(`export const revision = "";\nexport const downRevision = null;\n`, 1, /must not be empty/);
  assertFails(`export const revision: string;\n`, 1, /must be initialized/);
  assertFails(`export const revision = "r", downRevision = null;\n`, 1, /an 'export const' statement of its own/);
});

test("error: unterminated string, template, array, comment", () => {
  assertFails(`export const revision = "r";\n\nexport const downRevision = "abc\n`, 3, /unterminated string in 'downRevision'/);
  assertFails(`export const revision = 'abc`, 1, /unterminated string in 'revision'/);
  assertFails(`export const revision = "r";\nexport const downRevision = \`abc`, 2, /unterminated template literal/);
  assertFails(`export const revision = "r";\nexport const downRevision = ["a", "b"\n`, 2, /unterminated array in 'downRevision'/);
  assertFails(
    `export const revision = "r";\nexport const downRevision = ["a"\nexport const branchLabels = null;\n`,
    2,
    /unterminated array/,
  );
  assertFails(`export const revision = "r";\nexport const downRevision = ["a",`, 2, /unterminated array/);
  assertFails(`/** never closed\nexport const revision = "r";\n`, 1, /unterminated comment/);
});

test("error: duplicate exports, also after all four were found", () => {
  assertFails(`export const revision = "a";\nexport const downRevision = null;\nexport const revision = "b";\n`, 3, /duplicate export of 'revision' \(first declared at line 1\)/);
  assertFails(
    `export const revision = "a";\n${REST}\nexport function upgrade() {}\n\nexport /* sneaky */ const dependsOn = ["x"];\n`,
    8,
    /duplicate export of 'dependsOn'/,
  );
  // A later `export const` of another name is fine, and so is header text inside a string.
  const h = header(`export const revision = "a";\n${REST}export const other = 1;\nconst s = "export const revision = 'b'";\n`);
  assert.equal(h.revision, "a");
});

test("error: let/var and snake_case names", () => {
  assertFails(`export let revision = "a";\n`, 1, /must be declared with 'export const', not 'let'/);
  assertFails(`export const revision = "a";\nexport const down_revision = null;\n`, 2, /'down_revision' is not recognized; the export is named 'downRevision'/);
});

test("reads the file from disk and returns an absolute path", (t) => {
  const dir = mkdtempSync(join(tmpdir(), "athanor-header-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, "9c3e5f8a1d2b_add_phone_number_to_users.ts");
  writeFileSync(file, SPEC_EXAMPLE);
  const h = readRevisionHeader(file);
  assert.equal(h.path, file);
  assert.equal(h.revision, "9c3e5f8a1d2b");

  const cwd = process.cwd();
  process.chdir(dir);
  try {
    assert.equal(readRevisionHeader("9c3e5f8a1d2b_add_phone_number_to_users.ts").path, resolve(dir, "9c3e5f8a1d2b_add_phone_number_to_users.ts"));
  } finally {
    process.chdir(cwd);
  }
});
