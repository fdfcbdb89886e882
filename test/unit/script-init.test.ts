import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import {
  initProject,
  listTemplates,
  readRevisionHeader,
  readTemplate,
  ScriptError,
  templatesRoot,
  writeRevisionFile,
} from "../../src/script/index.js";

function tempDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), "athanor-init-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test("listTemplates lists generic and multidb with their README's first line", () => {
  const templates = listTemplates();
  const byName = new Map(templates.map((tpl) => [tpl.name, tpl.description]));
  assert.equal(byName.get("generic"), "Generic single-database configuration.");
  assert.equal(byName.get("multidb"), "Multi-database configuration: one scriptLocation per named database.");
  assert.deepEqual(templates.map((tpl) => tpl.name), [...templates.map((tpl) => tpl.name)].sort());
});

test("readTemplate reads a set; unknown names are refused", () => {
  const set = readTemplate("generic");
  assert.equal(set.dir, join(templatesRoot(), "generic"));
  assert.match(set.scriptTemplate, /export const revision = "\$\{revision\}";/);
  assert.match(set.configTemplate, /defineConfig/);
  for (const bad of ["nope", "../templates/generic", "", "generic/"]) {
    assert.throws(() => readTemplate(bad), {
      name: "ScriptError",
      message: `No such template '${bad}'; see 'athanor list-templates'`,
    });
  }
});

test("init lays out the generic template", (t) => {
  const cwd = tempDir(t);
  const result = initProject({ cwd });
  const dir = join(cwd, "migrations");
  assert.deepEqual(result, {
    created: [
      dir,
      join(dir, "versions"),
      join(dir, "versions", ".gitkeep"),
      join(dir, "script.ts.tmpl"),
      join(dir, "README"),
      join(cwd, "athanor.config.ts"),
    ],
    skipped: [],
  });
  assert.equal(readFileSync(join(dir, "script.ts.tmpl"), "utf8"), readTemplate("generic").scriptTemplate);
  const config = readFileSync(join(cwd, "athanor.config.ts"), "utf8");
  assert.match(config, /^import \{ defineConfig \} from "athanor";\n\nexport default defineConfig\(\{\n/);
  assert.match(config, /\n {2}scriptLocation: "migrations",/);
  assert.match(config, /\n {2}url: process\.env\.DATABASE_URL,/);
  assert.match(config, /\n {2}schema: "\.\/src\/schema\.ts",/);
  assert.match(config, /\n {2}versionTable: "athanor_version",/);
  assert.match(config, /\n {2}transactionPerMigration: true,/);
  assert.match(config, /\/\/ fileTemplate: "\$\{rev\}_\$\{slug\}",/);
  assert.doesNotMatch(config, /\$\$\{/);
});

test("init: a new revision written from the created folder parses back", (t) => {
  const cwd = tempDir(t);
  initProject({ cwd, directory: "db/migrations" });
  assert.match(readFileSync(join(cwd, "athanor.config.ts"), "utf8"), /scriptLocation: "db\/migrations",/);
  const path = writeRevisionFile({
    versionsDir: join(cwd, "db/migrations/versions"),
    scriptTemplatePath: join(cwd, "db/migrations/script.ts.tmpl"),
    revision: "abc123abc123",
    message: "create users",
    downRevisions: [],
    branchLabels: [],
    dependsOn: [],
    createDate: new Date(),
  });
  assert.equal(readRevisionHeader(path).message, "create users");
});

test("init keeps an existing athanor.config.ts and accepts an existing empty directory", (t) => {
  const cwd = tempDir(t);
  writeFileSync(join(cwd, "athanor.config.ts"), "// mine\n");
  mkdirSync(join(cwd, "migrations"));
  const result = initProject({ cwd });
  assert.deepEqual(result.skipped, [join(cwd, "athanor.config.ts")]);
  assert.equal(result.created.includes(join(cwd, "migrations")), false);
  assert.equal(readFileSync(join(cwd, "athanor.config.ts"), "utf8"), "// mine\n");
  assert.ok(existsSync(join(cwd, "migrations", "versions", ".gitkeep")));
});

test("init refuses a non-empty directory and an unknown template, creating nothing", (t) => {
  const cwd = tempDir(t);
  mkdirSync(join(cwd, "migrations"));
  writeFileSync(join(cwd, "migrations", "x"), "");
  assert.throws(() => initProject({ cwd }), (e: unknown) =>
    e instanceof ScriptError && e.message === "Directory migrations already exists and is not empty");
  assert.throws(() => initProject({ cwd, directory: "other", template: "nope" }), {
    name: "ScriptError",
    message: "No such template 'nope'; see 'athanor list-templates'",
  });
  assert.equal(existsSync(join(cwd, "other")), false);
  assert.equal(existsSync(join(cwd, "athanor.config.ts")), false);
  writeFileSync(join(cwd, "afile"), "");
  assert.throws(() => initProject({ cwd, directory: "afile" }), /already exists and is not a directory/);
});

test("init with the multidb template", (t) => {
  const cwd = tempDir(t);
  initProject({ cwd, directory: "migrations", template: "multidb" });
  assert.equal(readFileSync(join(cwd, "migrations", "script.ts.tmpl"), "utf8"), readTemplate("multidb").scriptTemplate);
  const config = readFileSync(join(cwd, "athanor.config.ts"), "utf8");
  assert.match(config, /databases: \{\n {4}primary: \{\n {6}url: process\.env\.PRIMARY_DATABASE_URL,/);
  assert.match(config, /analytics: \{\n {6}url: process\.env\.ANALYTICS_DATABASE_URL,\n {6}scriptLocation: "migrations",/);
  assert.match(readFileSync(join(cwd, "migrations", "README"), "utf8"), /^Multi-database configuration/);
});
