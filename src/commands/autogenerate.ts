/**
 * `athanor revision --autogenerate` and `athanor check`: load the target schema (the config's
 * `schema` modules), introspect the database (which must be at head), compare, and write the
 * difference as a revision (or report it).
 */
import type { Command } from "commander";
import { Option } from "commander";
import { compareSchemas, AutogenerateError } from "../autogenerate/compare.js";
import { formatWithProjectPrettier } from "../autogenerate/prettier.js";
import {
  candidateKey, isInteractive, parseRenames, terminalPrompt, withRename, type RenamePrompt,
} from "../autogenerate/renames.js";
import { renderRevisionBody } from "../autogenerate/render.js";
import type {
  AutogenerateHooks, MigrationPlan, RenameCandidate, Renames, RevisionDirective,
} from "../autogenerate/types.js";
import { connect } from "../dialects/connect.js";
import type { Connection, DialectName } from "../dialects/types.js";
import type { DatabaseSchema } from "../schema/database-schema.js";
import type { Index } from "../schema/types.js";
import { loadTargetSchema } from "../schema/load-schema.js";
import * as migrate from "./migrate.js";
import { Project } from "./project.js";
import { revision, type RevisionOptions, type RevisionResult } from "./revision.js";

export { AutogenerateError };

// ------------------------------------------------------------------------------------ introspection

/** What `src/dialects/introspect.ts` provides. */
interface IntrospectModule {
  introspect(
    connection: Connection,
    options: { includeTable?: (name: string) => boolean; excludeTables?: string[] },
  ): Promise<DatabaseSchema>;
}

async function loadIntrospect(): Promise<IntrospectModule> {
  const spec: string = "../dialects/introspect.js";
  try {
    return (await import(spec)) as IntrospectModule;
  } catch (error) {
    throw new AutogenerateError(`database introspection is not available in this build (${(error as Error).message})`);
  }
}

// ------------------------------------------------------------------------------------ hooks

const HOOK_NAMES = ["includeName", "includeObject", "compareType", "compareServerDefault", "processRevisionDirectives"] as const;

/** The autogenerate hooks of the project's config (top-level keys of the selected database's config). */
export function configHooks(project: Project): AutogenerateHooks {
  const raw = project.config.raw as Record<string, unknown>;
  const hooks: Record<string, unknown> = {};
  for (const name of HOOK_NAMES) {
    const v = raw[name];
    if (v === undefined || v === null) continue;
    const allowFalse = name === "compareType" || name === "compareServerDefault";
    if (typeof v !== "function" && !(allowFalse && v === false)) {
      throw new AutogenerateError(`config option ${name} must be a function${allowFalse ? " or false" : ""}`);
    }
    hooks[name] = v;
  }
  return hooks as AutogenerateHooks;
}

// ------------------------------------------------------------------------------------ the comparison

export interface CompareDatabaseOptions {
  /** `--rename` values: `table.old:new` (a column), `old:new` (a table). */
  renames?: readonly string[] | Renames;
  /**
   * Ask about drop+add pairs that look like renames: true (ask with `prompt`, default: on the
   * terminal), false (never), "auto" (default: when stdin and stderr are terminals).
   */
  interactive?: boolean | "auto";
  /** The question asker (default: the terminal). */
  prompt?: RenamePrompt;
}

export interface DatabaseComparison {
  dialect: DialectName;
  target: DatabaseSchema;
  reflected: DatabaseSchema;
  plan: MigrationPlan;
  hooks: AutogenerateHooks;
}

/** Throw "Target database is not up to date." unless the database is at the scripts' heads. */
export async function requireDatabaseAtHead(project: Project): Promise<void> {
  const graph = project.graph();
  const state = await migrate.current(project);
  const want = [...graph.heads()].sort();
  const have = [...state.heads].sort();
  if (want.length !== have.length || want.some((h, i) => h !== have[i])) {
    throw new AutogenerateError("Target database is not up to date.");
  }
}

/** The config's target schema (its `schema` modules). */
export async function loadProjectSchema(project: Project): Promise<DatabaseSchema> {
  if (project.config.schema.length === 0) {
    throw new AutogenerateError(
      `Can't proceed with autogenerate: ${project.config.configPath ?? "the config"} has no 'schema' option naming the module(s) that declare the target schema`,
    );
  }
  return loadTargetSchema(project.config.schema);
}

/** Introspect the project's database (without the version and history tables). */
export async function introspectProject(project: Project, hooks: AutogenerateHooks = configHooks(project)): Promise<DatabaseSchema> {
  return (await reflectProject(project, hooks)).schema;
}

interface Reflection {
  schema: DatabaseSchema;
  /** MySQL: indexes introspection leaves out (InnoDB's foreign-key indexes), by table. */
  hiddenIndexes: Record<string, Index[]>;
}

async function reflectProject(project: Project, hooks: AutogenerateHooks): Promise<Reflection> {
  const { introspect } = await loadIntrospect();
  const conn = await connect(project.config.url);
  try {
    const includeName = hooks.includeName;
    const schema = await introspect(conn, {
      ...(includeName ? { includeTable: (name: string) => includeName(name, "table", {}) !== false } : {}),
      excludeTables: [project.config.versionTable, project.config.historyTable],
    });
    const hiddenIndexes = conn.dialect === "mysql" ? await mysqlHiddenIndexes(conn, schema) : {};
    return { schema, hiddenIndexes };
  } finally {
    await conn.close();
  }
}

/** The plain indexes of the current MySQL database that the introspected schema does not list. */
async function mysqlHiddenIndexes(conn: Connection, schema: DatabaseSchema): Promise<Record<string, Index[]>> {
  const { rows } = await conn.execute({
    sql: `SELECT TABLE_NAME AS tbl, INDEX_NAME AS name, NON_UNIQUE AS non_unique, COLUMN_NAME AS col
FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX`,
  });
  const text = (v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString("utf8") : String(v ?? ""));
  const tables = new Map(schema.tables.map((t) => [t.name, t]));
  const found = new Map<string, { table: string; name: string; unique: boolean; columns: string[] }>();
  for (const r of rows) {
    const table = text(r.tbl);
    const name = text(r.name);
    const t = tables.get(table);
    if (!t || name === "PRIMARY" || r.col === null) continue;
    if (t.indexes.some((ix) => ix.name === name) || t.constraints.some((c) => c.name === name && c.kind === "unique")) continue;
    const key = `${table}\0${name}`;
    let e = found.get(key);
    if (!e) found.set(key, (e = { table, name, unique: Number(r.non_unique) === 0, columns: [] }));
    e.columns.push(text(r.col));
  }
  const out: Record<string, Index[]> = {};
  for (const e of found.values()) {
    if (e.unique) continue;
    (out[e.table] ??= []).push({ kind: "index", name: e.name, columns: e.columns, unique: false, where: null });
  }
  return out;
}

/**
 * Compare the project's schema modules with its database (which must be at head), asking about
 * renames when interactive.
 */
export async function compareDatabase(project: Project, options: CompareDatabaseOptions = {}): Promise<DatabaseComparison> {
  project.requireScriptLocation();
  const hooks = configHooks(project);
  const target = await loadProjectSchema(project);
  await requireDatabaseAtHead(project);
  const { schema: reflected, hiddenIndexes } = await reflectProject(project, hooks);
  const dialect = project.config.url.dialect;
  let renames: Renames = Array.isArray(options.renames) ? parseRenames(options.renames) : ((options.renames as Renames | undefined) ?? {});
  const excludeTables = [project.config.versionTable, project.config.historyTable];
  const run = () => compareSchemas(target, reflected, { dialect, hooks, renames, excludeTables, hiddenIndexes });
  let plan = run();
  warnUnusedRenames(project, renames, target, reflected);

  const interactive = options.interactive === undefined || options.interactive === "auto"
    ? options.prompt !== undefined || isInteractive()
    : options.interactive;
  if (interactive && plan.renameCandidates.length > 0) {
    const terminal = options.prompt ? null : terminalPrompt();
    const prompt = options.prompt ?? terminal!;
    const asked = new Set<string>();
    try {
      for (;;) {
        const fresh = plan.renameCandidates.filter((c: RenameCandidate) => !asked.has(candidateKey(c)));
        if (fresh.length === 0) break;
        let confirmed = false;
        for (const c of fresh) {
          asked.add(candidateKey(c));
          if (await prompt(c)) {
            renames = withRename(renames, c);
            confirmed = true;
          }
        }
        if (!confirmed) break;
        plan = run();
      }
    } finally {
      terminal?.close();
    }
  }
  return { dialect, target, reflected, plan, hooks };
}

function warnUnusedRenames(project: Project, renames: Renames, target: DatabaseSchema, reflected: DatabaseSchema): void {
  const tTables = new Map(target.tables.map((t) => [t.name, t]));
  const rTables = new Map(reflected.tables.map((t) => [t.name, t]));
  for (const [from, to] of Object.entries(renames.tables ?? {})) {
    if (!rTables.has(from) || !tTables.has(to) || tTables.has(from) || rTables.has(to)) {
      project.log.warn(`--rename ${from}:${to} does not apply: the database must have table '${from}' and the schema table '${to}' (and not the other way round)`);
    }
  }
  const oldName = (table: string) => Object.entries(renames.tables ?? {}).find(([, to]) => to === table)?.[0] ?? table;
  for (const [table, cols] of Object.entries(renames.columns ?? {})) {
    const t = tTables.get(table);
    const r = rTables.get(oldName(table));
    for (const [from, to] of Object.entries(cols)) {
      const ok = t && r && r.columns.some((c) => c.name === from) && t.columns.some((c) => c.name === to)
        && !t.columns.some((c) => c.name === from) && !r.columns.some((c) => c.name === to);
      if (!ok) {
        project.log.warn(`--rename ${table}.${from}:${to} does not apply: the database's '${table}' must have column '${from}' and the schema's '${to}' (and not the other way round)`);
      }
    }
  }
}

// ------------------------------------------------------------------------------------ revision --autogenerate

export interface AutogenerateOptions extends Omit<RevisionOptions, "upgrades" | "downgrades" | "imports">, CompareDatabaseOptions {
  /** Format the written file with the project's Prettier when it has one (default true). */
  format?: boolean;
}

export interface AutogenerateResult {
  /** The files written (none when `processRevisionDirectives` removed every directive). */
  revisions: RevisionResult[];
  plan: MigrationPlan;
  directives: RevisionDirective[];
}

/**
 * `athanor revision --autogenerate`: write a revision whose `upgrade` turns the database into the
 * target schema and whose `downgrade` undoes it. Logs a `Detected ...` line per difference.
 */
export async function autogenerateRevision(project: Project, options: AutogenerateOptions = {}): Promise<AutogenerateResult> {
  const { plan, hooks, dialect } = await compareDatabase(project, options);
  for (const d of plan.differences) project.log.info(`Detected ${d.message}`);
  if (plan.differences.length === 0) project.log.info("No changes in schema detected.");
  for (const w of plan.warnings) project.log.warn(w.message.replace(/^WARNING: /, ""));

  let directives: RevisionDirective[] = [{
    message: options.message ?? "empty message",
    revId: options.revId,
    head: options.head,
    splice: options.splice,
    branchLabels: options.branchLabels,
    dependsOn: options.dependsOn,
    versionPath: options.versionPath,
    upgradeOps: [...plan.upgradeOps],
    downgradeOps: [...plan.downgradeOps],
    warnings: [...plan.warnings],
    imports: [],
  }];
  if (hooks.processRevisionDirectives) {
    const returned = await hooks.processRevisionDirectives(directives, { dialect, autogenerate: true });
    if (Array.isArray(returned)) directives = returned;
  }

  const revisions: RevisionResult[] = [];
  for (const d of directives) {
    const body = renderRevisionBody(d);
    const result = await revision(project, {
      message: d.message,
      head: d.head,
      splice: d.splice,
      branchLabels: d.branchLabels,
      dependsOn: d.dependsOn,
      revId: d.revId,
      versionPath: d.versionPath,
      upgrades: body.upgrades,
      downgrades: body.downgrades,
      imports: body.imports,
    });
    if (options.format !== false) {
      try {
        await formatWithProjectPrettier(result.path, project.config.cwd);
      } catch (error) {
        project.log.warn(`Prettier could not format ${result.path}: ${(error as Error).message}`);
      }
    }
    revisions.push(result);
  }
  return { revisions, plan, directives };
}

// ------------------------------------------------------------------------------------ CLI

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** The `--rename` option for `revision --autogenerate` (for the CLI to add to its `revision` command). */
export function renameOption(): Option {
  return new Option(
    "--rename <old:new>",
    "with --autogenerate: treat a dropped and an added table (old:new) or column (table.old:new) as a rename (repeatable)",
  ).argParser(collect).default([]);
}

interface GlobalOptions {
  config?: string;
  url?: string;
  x?: string[];
  name?: string;
  quiet?: boolean;
}

function parseX(pairs: readonly string[] = []): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of pairs) {
    const i = pair.indexOf("=");
    if (i < 0) out[pair] = "";
    else out[pair.slice(0, i)] = pair.slice(i + 1);
  }
  return out;
}

async function defaultOpen(cmd: Command): Promise<Project> {
  const g = cmd.optsWithGlobals() as GlobalOptions;
  return Project.open({ configPath: g.config, url: g.url, x: parseX(g.x), name: g.name, quiet: g.quiet });
}

/**
 * Add the `check` command to the CLI program. `open` turns the command into a Project (the CLI's
 * own helper, so global options and secret redaction behave as for every other command).
 */
export function registerAutogenerateCommands(program: Command, open: (cmd: Command) => Promise<Project> = defaultOpen): void {
  program
    .command("check")
    .description("Check whether the database at head matches the schema (exit 1 when autogenerate would find upgrade operations)")
    .addOption(new Option("--format <format>", "output format").choices(["text", "json"]).default("text"))
    .action(async (opts: { format: string }, cmd: Command) => {
      const project = await open(cmd);
      const { check, checkLines, CheckFailedError } = await import("./check.js");
      const write = (line: string) => process.stdout.write(line + "\n");
      let result: Awaited<ReturnType<typeof check>>;
      try {
        result = await check(project);
      } catch (error) {
        if (opts.format === "json" && error instanceof AutogenerateError && error.message === "Target database is not up to date.") {
          write(JSON.stringify({ status: "outdated", message: error.message, differences: [] }, null, 2));
        }
        throw error;
      }
      if (opts.format === "json") {
        write(JSON.stringify({
          status: result.upToDate ? "ok" : "changes",
          message: result.upToDate ? "No new upgrade operations detected." : "New upgrade operations detected.",
          differences: result.differences,
        }, null, 2));
      } else if (result.upToDate) {
        write("No new upgrade operations detected.");
      } else {
        for (const line of checkLines(result)) write(line);
      }
      if (!result.upToDate) {
        const n = result.differences.length;
        throw new CheckFailedError(`New upgrade operations detected: ${n} difference${n === 1 ? "" : "s"} (${result.differences.map((d) => d.message).join("; ")})`);
      }
    });
}
