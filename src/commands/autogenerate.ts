/**
 * `athanor revision --autogenerate` and `athanor check`: load the target schema (the config's
 * `schema` modules), introspect the database (which must be at head), compare, and write the
 * difference as a revision (or report it).
 */
import type { RenamePrompt } from "../autogenerate/renames.js";
import {
  AutogenerateError, type AutogenerateHooks, type MigrationPlan, type RenameCandidate, type Renames, type RevisionDirective,
} from "../autogenerate/types.js";
import type { Connection, DialectName } from "../dialects/types.js";
import type { DatabaseSchema } from "../schema/database-schema.js";
import type { Index } from "../schema/types.js";
import { Project } from "./project.js";
import type { RevisionOptions, RevisionResult } from "./revision.js";

// The CLI imports this module at start-up: everything heavy (compilers, the runtime, the schema
// loader) is imported when a command runs.
const lazy = {
  compare: () => import("../autogenerate/compare.js"),
  render: () => import("../autogenerate/render.js"),
  renames: () => import("../autogenerate/renames.js"),
  prettier: () => import("../autogenerate/prettier.js"),
  schema: () => import("../schema/load-schema.js"),
  connect: () => import("../dialects/connect.js"),
  migrate: () => import("./migrate.js"),
  revision: () => import("./revision.js"),
  introspect: () => import("../dialects/introspect.js"),
};

export { AutogenerateError };

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
  const state = await (await lazy.migrate()).current(project, { quiet: true });
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
  return (await lazy.schema()).loadTargetSchema(project.config.schema);
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
  const { introspect } = await lazy.introspect();
  const conn = await (await lazy.connect()).connect(project.config.url);
  try {
    const includeName = hooks.includeName;
    const schema = await introspect(conn, {
      ...(includeName ? { includeTable: (name: string) => includeName(name, "table", {}) !== false } : {}),
      excludeTables: project.ownedTables(),
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
  const { compareSchemas } = await lazy.compare();
  const { candidateKey, isInteractive, parseRenames, terminalPrompt, withRename } = await lazy.renames();
  let renames: Renames = Array.isArray(options.renames) ? parseRenames(options.renames) : ((options.renames as Renames | undefined) ?? {});
  const excludeTables = project.ownedTables();
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

  const { renderRevisionBody } = await lazy.render();
  const { revision } = await lazy.revision();
  const { formatWithProjectPrettier } = await lazy.prettier();
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
