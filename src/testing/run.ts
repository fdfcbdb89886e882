/**
 * `athanor test` / `testMigrations()`: prove a project's revisions on a throwaway database.
 *
 * Checks (each can be selected with `only` / `skip`):
 * - `single-head`: the graph has one head (or exactly the `heads` given). No database needed.
 * - `upgrade`: base to head one revision at a time (topological order: every branch).
 * - `schema-matches`: at head, the config's `schema` modules match the database (what `athanor
 *   check` does: autogenerate finds no operation). Skipped when no schema is configured.
 * - `up-down`: for each revision: upgrade, downgrade, upgrade again.
 * - `downgrade-no-trace`: the schema introspected after a revision's downgrade equals the schema
 *   before its upgrade; a failure shows the structural diff.
 * - `data`: a revision may export `seed(db, context)` (run before its upgrade) and
 *   `verify(db, phase, context)` (run after its upgrade and after its downgrade, `phase`
 *   "after-upgrade" / "after-downgrade"); a hook that throws fails the check.
 *
 * All the database checks share one walk over the graph on one connection: for each revision
 * (seed), upgrade, (verify), and when a round-trip check is selected: downgrade, (introspect and
 * compare), (verify), upgrade again (introspect). The walk stops at the first failure; checks it
 * had not finished are reported as skipped ("not completed"). When it stopped on something other
 * than a plain upgrade and `upgrade` / `schema-matches` still have to be decided, they run on a
 * second, fresh throwaway database (an upgrade-only walk), so that a faulty downgrade never hides
 * whether the revisions upgrade cleanly.
 */
import { performance } from "node:perf_hooks";
import { redactSecrets, type DatabaseUrl } from "../config/url.js";
import { Project, type OpenProjectOptions } from "../commands/project.js";
import type { RevisionGraph } from "../graph/index.js";
import type { Revision } from "../graph/types.js";
import { MigrationError, errorText } from "../runtime/errors.js";
import type { DatabaseSchema } from "../schema/database-schema.js";
import type { RevisionModule } from "../script/versions.js";
import { UsageError } from "../util/errors.js";
import { createMemoryLogger, type Logger } from "../util/log.js";
import { diffSchemas } from "./schema-diff.js";
import { StepSession, type DataHookContext, type TestDb, type VerifyPhase } from "./session.js";
import { createThrowawayDatabase, type ThrowawayDatabase } from "./throwaway.js";
import { CHECK_NAMES, type CheckName, type CheckResult, type RevisionRef, type TestReport } from "./types.js";

export interface TestMigrationsOptions extends OpenProjectOptions {
  /** An opened project (otherwise one is opened from `cwd`, `configPath`, `url`, ... as the CLI does). */
  project?: Project;
  /** Run only these checks (names or a comma-separated list). */
  only?: readonly string[] | string;
  /** Leave these checks out. */
  skip?: readonly string[] | string;
  /** The heads the graph must have (ids or unique prefixes) instead of "exactly one". */
  heads?: readonly string[] | string;
  /** Do not drop the throwaway database (its URL is in the report and logged). */
  keepDatabase?: boolean;
  /** Log a line per migration step. */
  verbose?: boolean;
  /** Drop the throwaway database on SIGINT/SIGTERM, then exit (the CLI sets this). */
  handleSignals?: boolean;
}

function list(value: readonly string[] | string | undefined): string[] {
  if (value === undefined) return [];
  const items = typeof value === "string" ? [value] : value;
  return items.flatMap((v) => v.split(",")).map((v) => v.trim()).filter((v) => v !== "");
}

function checkNames(value: readonly string[] | string | undefined, option: string): CheckName[] {
  const names = list(value);
  for (const n of names) {
    if (!(CHECK_NAMES as readonly string[]).includes(n)) {
      throw new UsageError(`${option}: unknown check '${n}' (checks: ${CHECK_NAMES.join(", ")})`);
    }
  }
  return names as CheckName[];
}

/** The checks `only` / `skip` select, in report order. Throws UsageError on unknown names. */
export function selectChecks(only?: readonly string[] | string, skip?: readonly string[] | string): CheckName[] {
  const o = checkNames(only, "--only");
  const s = checkNames(skip, "--skip");
  const selected = CHECK_NAMES.filter((n) => (o.length === 0 || o.includes(n)) && !s.includes(n));
  if (selected.length === 0) throw new UsageError("no check left to run (--only/--skip select nothing)");
  return selected;
}

function ref(rev: Revision): RevisionRef {
  return { revision: rev.revision, message: rev.message, path: rev.path };
}

/** `revision 9c3e5f8a1d2b (add phone_number to users)`. */
export function revisionName(rev: { revision: string; message: string }): string {
  return rev.message ? `revision ${rev.revision} (${rev.message})` : `revision ${rev.revision}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

// ------------------------------------------------------------------------------ single-head

function singleHead(graph: RevisionGraph, expected: string[]): Omit<CheckResult, "durationMs"> {
  const heads = graph.heads();
  const describe = (ids: string[]) => ids.map((id) => revisionName(graph.get(id))).join(", ");
  if (expected.length === 0) {
    if (heads.length === 1) return { name: "single-head", status: "pass", message: `head ${heads[0]}` };
    if (heads.length === 0) return { name: "single-head", status: "fail", message: "no revisions: expected 1 head revision, found 0" };
    return {
      name: "single-head",
      status: "fail",
      message: `expected 1 head revision, found ${heads.length}: ${describe(heads)} (merge them: athanor merge heads)`,
    };
  }
  const want = new Set<string>();
  for (const e of expected) {
    try {
      for (const id of graph.resolve(e)) want.add(id);
    } catch (error) {
      return { name: "single-head", status: "fail", message: `expected head '${e}': ${errorText(error)}` };
    }
  }
  const have = new Set(heads);
  const missing = [...want].filter((h) => !have.has(h));
  const extra = heads.filter((h) => !want.has(h));
  if (missing.length === 0 && extra.length === 0) {
    return { name: "single-head", status: "pass", message: `heads ${heads.join(", ")} as expected` };
  }
  const parts: string[] = [];
  if (extra.length > 0) parts.push(`unexpected head${extra.length > 1 ? "s" : ""} ${describe(extra)}`);
  if (missing.length > 0) parts.push(`not a head: ${missing.join(", ")}`);
  return { name: "single-head", status: "fail", message: `expected heads ${[...want].join(", ")}, found ${heads.join(", ")}: ${parts.join("; ")}` };
}

// ------------------------------------------------------------------------------ the walk

interface Failure {
  check: CheckName;
  rev?: Revision;
  message: string;
  diff?: string[];
  /** A first upgrade failed on a database without seeded rows: what a plain `upgrade` walk would hit. */
  plainUpgrade?: boolean;
}

interface WalkPlan {
  upDown: boolean;
  noTrace: boolean;
  /** Revisions with data hooks (empty: data check off). */
  hooks: Map<string, RevisionModule>;
  /** Who owns a failure of a first upgrade / of a downgrade or second upgrade. */
  upOwner: CheckName;
  downOwner: CheckName;
}

interface WalkResult {
  /** Reached head (every revision applied, state consistent). */
  complete: boolean;
  failure?: Failure;
  /** Where the walk stopped. */
  stoppedAt?: Revision;
}

class Timers {
  readonly ms = new Map<CheckName, number>();
  add(check: CheckName, start: number): void {
    this.ms.set(check, (this.ms.get(check) ?? 0) + performance.now() - start);
  }
  get(check: CheckName): number {
    return this.ms.get(check) ?? 0;
  }
}

async function walk(session: StepSession, order: Revision[], plan: WalkPlan, timers: Timers): Promise<WalkResult> {
  const roundTrip = plan.upDown || plan.noTrace || plan.hooks.size > 0;
  const db: TestDb = session.db();
  let before: DatabaseSchema | undefined;
  if (plan.noTrace) {
    const t = performance.now();
    before = await session.introspect();
    timers.add("downgrade-no-trace", t);
  }
  const stop = (rev: Revision, failure: Failure): WalkResult => ({ complete: false, failure, stoppedAt: rev });
  let seeded = false;
  const stepMessage = (error: unknown) => (error instanceof MigrationError ? error.message : errorText(error));

  for (const rev of order) {
    const hooks = plan.hooks.get(rev.revision);
    const ctx: DataHookContext = { dialect: session.dialect, revision: rev.revision };
    const verify = async (phase: VerifyPhase): Promise<Failure | undefined> => {
      if (!hooks?.verify) return undefined;
      const t = performance.now();
      try {
        await hooks.verify(db, phase, ctx);
      } catch (error) {
        return { check: "data", rev, message: `verify(db, "${phase}") failed: ${errorText(error)}` };
      } finally {
        timers.add("data", t);
      }
      return undefined;
    };

    if (hooks?.seed) {
      seeded = true;
      const t = performance.now();
      try {
        await hooks.seed(db, ctx);
      } catch (error) {
        return stop(rev, { check: "data", rev, message: `seed(db) failed: ${errorText(error)}` });
      } finally {
        timers.add("data", t);
      }
    }

    let t = performance.now();
    try {
      await session.step(rev, "up");
    } catch (error) {
      if (seeded) {
        // Maybe the seeded rows, maybe the revision: the fresh plain walk decides `upgrade`.
        return stop(rev, { check: "data", rev, message: `${stepMessage(error)} (with the rows seeded by seed() hooks so far)` });
      }
      return stop(rev, { check: plan.upOwner, rev, message: stepMessage(error), plainUpgrade: true });
    } finally {
      timers.add(plan.upOwner, t);
    }
    let failed = await verify("after-upgrade");
    if (failed) return stop(rev, failed);
    if (!roundTrip) continue;

    t = performance.now();
    try {
      await session.step(rev, "down");
    } catch (error) {
      return stop(rev, { check: plan.downOwner, rev, message: stepMessage(error) });
    } finally {
      timers.add(plan.downOwner, t);
    }
    const ranNothing = session.lastStep.statements === 0;

    if (plan.noTrace && before) {
      t = performance.now();
      const after = await session.introspect();
      const diff = diffSchemas(before, after);
      timers.add("downgrade-no-trace", t);
      if (diff.entries.length > 0) {
        const n = diff.summary.length;
        const shown = diff.summary.slice(0, 3).join("; ") + (n > 3 ? `; ... (${n - 3} more)` : "");
        const empty = ranNothing ? "the downgrade ran no statement (empty downgrade?); it " : "downgrade ";
        return stop(rev, {
          check: "downgrade-no-trace",
          rev,
          message: `${empty}left ${plural(n, "difference")}: ${shown}`,
          diff: diff.lines,
        });
      }
    }

    failed = await verify("after-downgrade");
    if (failed) return stop(rev, failed);

    t = performance.now();
    try {
      await session.step(rev, "up");
    } catch (error) {
      return stop(rev, { check: plan.downOwner, rev, message: `upgrade after downgrade failed: ${stepMessage(error).replace(/^upgrade failed: /, "")}` });
    } finally {
      timers.add(plan.downOwner, t);
    }
    if (plan.noTrace) {
      t = performance.now();
      before = await session.introspect();
      timers.add("downgrade-no-trace", t);
    }
  }
  return { complete: true };
}

// ------------------------------------------------------------------------------ schema-matches

async function schemaMatches(project: Project, url: DatabaseUrl): Promise<Omit<CheckResult, "durationMs">> {
  const { check } = await import("../commands/check.js");
  const atTest = new Project({ ...project.config, url }, project.log);
  try {
    const result = await check(atTest);
    const differences = result.differences;
    const schemaFiles = project.config.schema.map((p) => relativeToCwd(p, project.config.cwd)).join(", ");
    if (result.upToDate || differences.length === 0) return { name: "schema-matches", status: "pass", message: `the database at head matches ${schemaFiles}` };
    const n = differences.length;
    return {
      name: "schema-matches",
      status: "fail",
      message: `the database at head differs from ${schemaFiles}: ${plural(n, "difference")}: ${differences
        .slice(0, 3)
        .map((d) => d.message)
        .join("; ")}${n > 3 ? "; ..." : ""}`,
      diff: differences.map((d) => d.message),
    };
  } catch (error) {
    return { name: "schema-matches", status: "fail", message: redactSecrets(errorText(error), [url.password]) };
  }
}

function relativeToCwd(path: string, cwd: string): string {
  return path.startsWith(cwd + "/") ? path.slice(cwd.length + 1) : path;
}

// ------------------------------------------------------------------------------ main

async function openProject(options: TestMigrationsOptions): Promise<Project> {
  if (options.project) return options.project;
  const { project: _p, only: _o, skip: _s, heads: _h, keepDatabase: _k, verbose: _v, handleSignals: _hs, ...open } = options;
  return Project.open({ log: createMemoryLogger(), ...open });
}

/** Load the modules of the revisions that export data hooks. */
async function dataHooks(session: StepSession, order: Revision[]): Promise<Map<string, RevisionModule>> {
  const out = new Map<string, RevisionModule>();
  for (const rev of order) {
    let mod: RevisionModule;
    try {
      mod = await session.module(rev);
    } catch {
      continue; // the walk reports it when it gets there
    }
    if (mod.seed || mod.verify) out.set(rev.revision, mod);
  }
  return out;
}

function installSignalHandlers(log: Logger, cleanup: () => Promise<void>): () => void {
  const handler = (signal: NodeJS.Signals) => {
    log.warn(`Interrupted (${signal}): dropping the throwaway database`);
    void cleanup().finally(() => process.exit(signal === "SIGINT" ? 130 : 143));
  };
  process.once("SIGINT", handler);
  process.once("SIGTERM", handler);
  return () => {
    process.removeListener("SIGINT", handler);
    process.removeListener("SIGTERM", handler);
  };
}

/**
 * Run the checks on a throwaway database made next to the project's database URL (PostgreSQL,
 * MySQL/MariaDB: a new database on that server; SQLite: a temporary file) and return the report.
 * Never throws for a failing check (see `report.ok`); throws for bad options, an unreadable
 * graph or an unreachable server.
 */
export async function testMigrations(options: TestMigrationsOptions = {}): Promise<TestReport> {
  const started = performance.now();
  const selected = selectChecks(options.only, options.skip);
  const project = await openProject(options);
  const log = project.log;
  const graph = project.graph();
  const order = graph.topologicalOrder().map((id) => graph.get(id));
  const results = new Map<CheckName, CheckResult>();
  const timers = new Timers();
  const set = (r: Omit<CheckResult, "durationMs">, durationMs = timers.get(r.name)) => results.set(r.name, { ...r, durationMs });
  const is = (n: CheckName) => selected.includes(n);

  if (is("single-head")) {
    const t = performance.now();
    set(singleHead(graph, list(options.heads)), performance.now() - t);
  }
  const wantSchema = is("schema-matches") && project.config.schema.length > 0;
  if (is("schema-matches") && !wantSchema) {
    set({ name: "schema-matches", status: "skip", message: "no schema configured (set 'schema' in the config to the module(s) declaring the target schema)" });
  }

  const dbChecks = (["upgrade", "up-down", "downgrade-no-trace", "data"] as CheckName[]).filter(is);
  if (wantSchema) dbChecks.push("schema-matches");
  const serverUrl = project.config.url;
  let database = "";
  let kept = false;

  if (dbChecks.length > 0) {
    const dbs: ThrowawayDatabase[] = [];
    const sessions: StepSession[] = [];
    const cleanup = async () => {
      for (const s of sessions) {
        if (options.keepDatabase) await s.release().catch(() => undefined); // SQLite: commit what the walk did
        await s.close();
      }
      if (options.keepDatabase) return;
      for (const d of dbs) await d.drop().catch((error) => log.warn(`could not drop the throwaway database ${d.name}: ${errorText(error)}`));
    };
    const uninstall = options.handleSignals ? installSignalHandlers(log, cleanup) : () => undefined;
    const newSession = async (): Promise<{ db: ThrowawayDatabase; session: StepSession }> => {
      const db = await createThrowawayDatabase(serverUrl);
      dbs.push(db);
      log.info(`Testing ${plural(order.length, "revision")} on the throwaway database ${db.url.dialect === "sqlite" ? db.name : db.url.redacted}`);
      const session = await StepSession.open({
        url: db.url,
        graph,
        log,
        versionTable: project.config.versionTable,
        historyTable: project.config.historyTable,
        xArgs: project.config.x,
        name: project.config.name,
        verbose: options.verbose,
      });
      sessions.push(session);
      return { db, session };
    };
    try {
      const first = await newSession();
      database = first.db.url.dialect === "sqlite" ? first.db.name : first.db.url.redacted;
      const hooks = is("data") ? await dataHooks(first.session, order) : new Map<string, RevisionModule>();
      if (is("data") && hooks.size === 0) set({ name: "data", status: "skip", message: "no revision exports seed() or verify()" });
      const roundTripChecks = (["up-down", "downgrade-no-trace"] as CheckName[]).filter(is);
      if (hooks.size > 0) roundTripChecks.push("data");
      const plan: WalkPlan = {
        upDown: is("up-down"),
        noTrace: is("downgrade-no-trace"),
        hooks,
        upOwner: is("upgrade") ? "upgrade" : roundTripChecks[0] ?? "schema-matches",
        downOwner: roundTripChecks[0] ?? "up-down",
      };
      const result = await walk(first.session, order, plan, timers);
      const n = order.length;
      const passMessages: Partial<Record<CheckName, string>> = {
        upgrade: `${plural(n, "revision")}, base to head one at a time`,
        "up-down": `${plural(n, "revision")}: upgrade, downgrade, upgrade again`,
        "downgrade-no-trace": `${plural(n, "downgrade")} restored the schema exactly`,
        data: `${plural(hooks.size, "revision")} with data hooks`,
      };
      const walkChecks = [...(is("upgrade") ? (["upgrade"] as CheckName[]) : []), ...roundTripChecks];
      let headSession: StepSession | undefined;
      let headUrl: DatabaseUrl | undefined;
      if (result.complete) {
        for (const c of walkChecks) set({ name: c, status: "pass", message: passMessages[c]! });
        headSession = first.session;
        headUrl = first.db.url;
      } else {
        const f = result.failure!;
        set({ name: f.check, status: "fail", message: `${f.rev ? `${revisionName(f.rev)}: ` : ""}${f.message}`, ...(f.rev ? { revision: ref(f.rev) } : {}), ...(f.diff ? { diff: f.diff } : {}) });
        const at = result.stoppedAt ? `stopped at ${revisionName(result.stoppedAt)} (${f.check} failed)` : `${f.check} failed`;
        for (const c of roundTripChecks) if (!results.has(c)) set({ name: c, status: "skip", message: `not completed: ${at}` });
        const undecided = (is("upgrade") && !results.has("upgrade")) || wantSchema;
        if (f.plainUpgrade) {
          if (is("upgrade") && !results.has("upgrade")) set({ name: "upgrade", status: "skip", message: `not completed: ${at}` });
          if (wantSchema && !results.has("schema-matches")) set({ name: "schema-matches", status: "skip", message: `the database could not be upgraded to head: ${at}` });
        } else if (undecided) {
          // Decide upgrade / schema-matches on a fresh database with a plain upgrade walk.
          await first.session.close();
          const second = await newSession();
          const plain: WalkPlan = { upDown: false, noTrace: false, hooks: new Map(), upOwner: "upgrade", downOwner: "upgrade" };
          const r2 = await walk(second.session, order, plain, timers);
          if (r2.complete) {
            if (is("upgrade")) set({ name: "upgrade", status: "pass", message: passMessages.upgrade! });
            headSession = second.session;
            headUrl = second.db.url;
          } else {
            const f2 = r2.failure!;
            if (is("upgrade")) set({ name: "upgrade", status: "fail", message: `${revisionName(f2.rev!)}: ${f2.message}`, revision: ref(f2.rev!) });
            if (wantSchema) set({ name: "schema-matches", status: "skip", message: `the database could not be upgraded to head: stopped at ${revisionName(f2.rev!)}` });
          }
        }
      }
      if (wantSchema && !results.has("schema-matches") && headSession && headUrl) {
        const t = performance.now();
        await headSession.release();
        const r = await schemaMatches(project, headUrl);
        set(r, performance.now() - t);
      }
    } finally {
      await cleanup();
      uninstall();
      kept = options.keepDatabase === true;
      if (kept) for (const d of dbs) log.info(`Kept the throwaway database ${d.url.dialect === "sqlite" ? d.name : d.url.redacted}`);
    }
  }

  const checks = selected.map((n) => results.get(n) ?? { name: n, status: "skip" as const, message: "not run", durationMs: 0 });
  return {
    ok: checks.every((c) => c.status !== "fail"),
    dialect: serverUrl.dialect,
    database,
    kept,
    revisions: order.length,
    checks,
    durationMs: performance.now() - started,
  };
}
