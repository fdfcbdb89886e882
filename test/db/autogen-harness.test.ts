/**
 * Shared harness for the autogenerate database tests (this file declares no tests of its own):
 * a throw-away database plus a temp project whose schema module is rewritten per step.
 *
 *   const h = await Harness.create("postgresql");
 *   await h.step(SCHEMA_V1, ["addTable"]);   // autogenerate, check the detected kinds, upgrade,
 *   await h.step(SCHEMA_V2, ["addColumn"]);  // check is clean, downgrade -1 restores, upgrade again
 *   await h.close();
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { compareSchemas } from "../../src/autogenerate/compare.js";
import type { AutogenerateHooks, SchemaDifference } from "../../src/autogenerate/types.js";
import { autogenerateRevision, introspectProject, type AutogenerateOptions, type AutogenerateResult } from "../../src/commands/autogenerate.js";
import { check, type CheckResult } from "../../src/commands/check.js";
import * as migrate from "../../src/commands/migrate.js";
import { Project } from "../../src/commands/project.js";
import type { DialectName } from "../../src/dialects/types.js";
import type { DatabaseSchema } from "../../src/schema/database-schema.js";
import { initProject } from "../../src/script/index.js";
import { createMemoryLogger } from "../../src/util/log.js";
import { createTestDatabase, type TestDatabase } from "../helpers/databases.js";

export interface StepResult {
  result: AutogenerateResult;
  /** The revision file as written. */
  text: string;
  differences: SchemaDifference[];
}

export class Harness {
  private n = 0;
  readonly log = createMemoryLogger();
  /** The schema module used by the last step. */
  schemaFile: string | null = null;

  private constructor(
    readonly dialect: DialectName,
    readonly db: TestDatabase,
    readonly dir: string,
    readonly hooks: AutogenerateHooks,
  ) {}

  /** `linkNodeModules`: give the project this repository's node_modules (for schema modules importing drizzle-orm). */
  static async create(dialect: DialectName, hooks: AutogenerateHooks = {}, options: { linkNodeModules?: boolean } = {}): Promise<Harness> {
    const db = await createTestDatabase(dialect);
    const dir = mkdtempSync(join(tmpdir(), "athanor-autogen-"));
    initProject({ cwd: dir, directory: "migrations", template: "generic" });
    if (options.linkNodeModules) symlinkSync(resolve(import.meta.dirname, "../../node_modules"), join(dir, "node_modules"), "dir");
    return new Harness(dialect, db, dir, hooks);
  }

  /** Write a schema module (TypeScript source) under a fresh name; returns its file name. */
  writeSchema(source: string): string {
    const file = `schema_${++this.n}.ts`;
    writeFileSync(join(this.dir, file), source);
    return file;
  }

  open(schemaFile: string | null = this.schemaFile): Promise<Project> {
    return Project.open({
      cwd: this.dir,
      log: this.log,
      config: { scriptLocation: "migrations", url: this.db.url, ...(schemaFile ? { schema: schemaFile } : {}), ...this.hooks },
    });
  }

  /** Autogenerate a revision from `source` (a schema module's text). */
  async autogen(source: string, options: AutogenerateOptions = {}): Promise<StepResult> {
    this.schemaFile = this.writeSchema(source);
    const result = await autogenerateRevision(await this.open(), {
      message: `step ${this.n}`, interactive: options.prompt !== undefined, ...options,
    });
    const text = result.revisions.length > 0 ? readFileSync(result.revisions[0]!.path, "utf8") : "";
    return { result, text, differences: result.plan.differences };
  }

  async upgrade(target = "head"): Promise<void> {
    await migrate.upgrade(await this.open(), target);
  }

  async downgrade(target: string): Promise<void> {
    await migrate.downgrade(await this.open(), target);
  }

  async introspect(): Promise<DatabaseSchema> {
    return introspectProject(await this.open());
  }

  async check(schemaFile: string | null = this.schemaFile): Promise<CheckResult> {
    return check(await this.open(schemaFile));
  }

  /**
   * One round: autogenerate from `source` and assert every kind in `expected` was detected; apply
   * it; assert `check` finds nothing; downgrade -1 and assert the database is as before; upgrade again.
   */
  async step(source: string, expected: SchemaDifference["kind"][], options: AutogenerateOptions = {}): Promise<StepResult> {
    const before = await this.introspect();
    const r = await this.autogen(source, options);
    const kinds = new Set(r.differences.map((d) => d.kind));
    for (const k of expected) {
      assert.ok(kinds.has(k), `expected a ${k} difference; detected:\n${r.differences.map((d) => d.message).join("\n")}\n${r.text}`);
    }
    try {
      await this.upgrade();
    } catch (error) {
      throw new Error(`upgrade failed: ${(error as Error).message}\n${r.text}`);
    }
    const c = await this.check();
    assert.deepEqual(c.differences.map((d) => d.message), [], `check after upgrade:\n${r.text}`);
    assert.equal(c.upToDate, true);
    try {
      await this.downgrade("-1");
    } catch (error) {
      throw new Error(`downgrade failed: ${(error as Error).message}\n${r.text}`);
    }
    const after = await this.introspect();
    const back = compareSchemas(before, after, { dialect: this.dialect });
    assert.deepEqual(back.differences.map((d) => d.message), [], `downgrade did not restore the database:\n${r.text}`);
    await this.upgrade();
    return r;
  }

  async close(): Promise<void> {
    // ATHANOR_TEST_KEEP=1 keeps the project (schema modules and revision files) and the database
    if (process.env.ATHANOR_TEST_KEEP) {
      process.stderr.write(`kept ${this.dialect} project: ${this.dir} database: ${this.db.url}\n`);
      return;
    }
    await this.db.drop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The `import { sa } from "athanor"` line schema modules start with. */
export const SA_IMPORT = `import { sa } from "athanor";\n`;
