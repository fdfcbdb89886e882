#!/usr/bin/env node
import { Command, CommanderError, Option } from "commander";
import { redactSecrets } from "./config/url.js";
import { drawGraph } from "./commands/draw-graph.js";
import { formatRevisionBlock, formatRevisionLine, revisionToJson } from "./commands/format.js";
import { Project } from "./commands/project.js";
import type { Revision } from "./graph/types.js";
import { addExpandContractOptions } from "./commands/expand-contract.js";
import { UsageError } from "./util/errors.js";
import { athanorVersion } from "./util/version.js";

/** Options every command accepts, before or after the command name. */
interface GlobalOptions {
  config?: string;
  url?: string;
  x: string[];
  name?: string;
  quiet?: boolean;
  debug?: boolean;
}

/** Secrets seen so far, redacted from any error line. */
const secrets = new Set<string>();


function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function parseX(pairs: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of pairs) {
    const i = pair.indexOf("=");
    if (i < 0) out[pair] = "";
    else out[pair.slice(0, i)] = pair.slice(i + 1);
  }
  return out;
}

function globals(cmd: Command): GlobalOptions {
  return cmd.optsWithGlobals() as GlobalOptions;
}

async function openProject(cmd: Command): Promise<Project> {
  const g = globals(cmd);
  if (g.url) secrets.add(g.url);
  const project = await Project.open({ configPath: g.config, url: g.url, x: parseX(g.x), name: g.name, quiet: g.quiet });
  if (project.config.url.password) secrets.add(project.config.url.password);
  return project;
}

function out(line = ""): void {
  process.stdout.write(line + "\n");
}

function printJson(value: unknown): void {
  out(JSON.stringify(value, null, 2));
}

const formatOption = () =>
  new Option("--format <format>", "output format").choices(["text", "json"]).default("text");

function printRevisions(revs: Revision[], opts: { verbose?: boolean; format?: string }, line: (r: Revision) => string, current?: ReadonlySet<string>) {
  if (opts.format === "json") return printJson(revs.map((r) => revisionToJson(r, current)));
  for (const rev of revs) out(opts.verbose ? formatRevisionBlock(rev, current) : line(rev));
}

export function buildProgram(): Command {
  const program = new Command("athanor")
    .description("Database schema migrations for TypeScript (PostgreSQL, MySQL/MariaDB, SQLite).")
    .version(`athanor ${athanorVersion()}`, "--version")
    .option("-c, --config <path>", "config file (default: athanor.config.ts)")
    .option("--url <url>", "database URL (overrides DATABASE_URL and the config)")
    .option("-x <key=value>", "extra argument passed to the config and hooks (repeatable)", collect, [])
    .option("-n, --name <name>", "database of a multi-database config")
    .option("-q, --quiet", "print no progress lines")
    .option("--debug", "print stack traces on errors")
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride()
    .configureOutput({
      writeErr: (s) => process.stderr.write(s),
      outputError: (s, write) => write(`ERROR: ${s.replace(/^error: /, "")}`),
    });

  program
    .command("init")
    .description("Create a migration environment: athanor.config.ts, DIR/script.ts.tmpl and DIR/versions/")
    .argument("[directory]", "folder for the scripts", "migrations")
    .option("-t, --template <name>", "template set (see list-templates)", "generic")
    .action(async (directory: string, opts: { template: string }) => {
      const { initProject } = await import("./script/index.js");
      const result = initProject({ cwd: process.cwd(), directory, template: opts.template });
      for (const path of result.created) out(`  Creating ${path} ...  done`);
      for (const path of result.skipped) out(`  ${path} already exists; skipping`);
      out(`Please edit the configuration in athanor.config.ts before proceeding.`);
    });

  program
    .command("list-templates")
    .description("List the template sets available to init")
    .action(async () => {
      const { listTemplates } = await import("./script/index.js");
      out("Available templates:\n");
      for (const t of listTemplates()) out(`${t.name} - ${t.description}`);
      out("\nTemplates are used via the 'init' command, e.g.:\n\n  athanor init --template generic ./migrations");
    });

  addExpandContractOptions(program
    .command("revision")
    .description("Create a new revision file")
    .option("-m, --message <message>", "message of the revision")
    .option("--autogenerate", "fill the revision from the difference between the schema and the database")
    .option("--head <rev>", "revision to base the new one on (default: head; 'base' starts a new root)")
    .option("--splice", "allow a non-head --head (starts a new branch)")
    .option("--branch-label <label>", "branch label for the new revision (repeatable)", collect, [])
    .option("--depends-on <rev>", "revision the new one depends on (repeatable)", collect, [])
    .option("--rev-id <id>", "revision id to use instead of a generated one")
    .option("--version-path <dir>", "versions folder for the new file")
    .option("--rename <old:new>", "with --autogenerate: a dropped and an added table (old:new) or column (table.old:new) are one, renamed (repeatable)", collect, []))
    .action(async (opts, cmd: Command) => {
      if (opts.rename.length > 0 && !opts.autogenerate) throw new UsageError("--rename needs --autogenerate");
      const project = await openProject(cmd);
      if (opts.expandContract) {
        const { expandContractFromOptions } = await import("./commands/expand-contract.js");
        for (const r of (await expandContractFromOptions(project, opts)) ?? []) out(`  Generating ${r.path} ...  done`);
        return;
      }
      const options = {
        message: opts.message,
        head: opts.head,
        splice: opts.splice,
        branchLabels: opts.branchLabel,
        dependsOn: opts.dependsOn,
        revId: opts.revId,
        versionPath: opts.versionPath,
      };
      if (!opts.autogenerate) {
        const { revision } = await import("./commands/revision.js");
        return void out(`  Generating ${(await revision(project, options)).path} ...  done`);
      }
      const { autogenerateRevision } = await import("./commands/autogenerate.js");
      const result = await autogenerateRevision(project, { ...options, renames: opts.rename });
      // What autogenerate wrote is linted at once: a generated drop or NOT NULL is a finding to read now.
      const { lintRevisionFile, warnFindings } = await import("./commands/lint.js");
      for (const r of result.revisions) {
        out(`  Generating ${r.path} ...  done`);
        warnFindings(await lintRevisionFile(project, r.path), project.log);
      }
    });

  program
    .command("merge")
    .description("Create a revision that merges several revisions (usually: merge heads)")
    .argument("<revisions...>", "revisions to merge, e.g. heads")
    .option("-m, --message <message>", "message of the merge revision")
    .option("--branch-label <label>", "branch label for the merge revision (repeatable)", collect, [])
    .option("--rev-id <id>", "revision id to use instead of a generated one")
    .option("--splice", "allow merging revisions that are not heads")
    .action(async (revisions: string[], opts, cmd: Command) => {
      const project = await openProject(cmd);
      const { merge } = await import("./commands/revision.js");
      const result = await merge(project, revisions, {
        message: opts.message,
        branchLabels: opts.branchLabel,
        revId: opts.revId,
        splice: opts.splice,
      });
      out(`  Generating ${result.path} ...  done`);
    });

  program
    .command("heads")
    .description("Show the current head revisions of the scripts")
    .option("-v, --verbose", "full details")
    .option("--resolve-dependencies", "treat revisions others depend on as non-heads")
    .addOption(formatOption())
    .action(async (opts, cmd: Command) => {
      const project = await openProject(cmd);
      const { heads } = await import("./commands/inspect.js");
      const revs = heads(project, { resolveDependencies: opts.resolveDependencies });
      printRevisions(revs, opts, (r) => formatRevisionLine(r, { labels: true, headIndicator: true, treeIndicators: true }));
    });

  program
    .command("branches")
    .description("Show the branch points")
    .option("-v, --verbose", "full details")
    .addOption(formatOption())
    .action(async (opts, cmd: Command) => {
      const project = await openProject(cmd);
      const { branches } = await import("./commands/inspect.js");
      const graph = project.graph();
      const revs = branches(project);
      if (opts.format === "json") return printJson(revs.map((r) => ({ ...revisionToJson(r), children: r.children })));
      for (const rev of revs) {
        out(opts.verbose ? formatRevisionBlock(rev) : formatRevisionLine(rev, { labels: true, headIndicator: true, treeIndicators: true, doc: true }));
        for (const child of rev.children) {
          const c = graph.get(child);
          out(`${" ".repeat(rev.revision.length)} -> ${formatRevisionLine(c, { labels: true, headIndicator: true, treeIndicators: true, doc: true })}`);
        }
      }
    });

  program
    .command("history")
    .description("List revisions in chronological order, newest first")
    .option("-r, --rev-range <range>", "range: a:b, :b, a:, -3:, current:")
    .option("-v, --verbose", "full details")
    .option("-i, --indicate-current", "mark the revisions the database is at (connects)")
    .option("--graph", "draw the revision graph")
    .addOption(formatOption())
    .action(async (opts, cmd: Command) => {
      const project = await openProject(cmd);
      const { history } = await import("./commands/inspect.js");
      const needsDb = opts.indicateCurrent || (opts.revRange ?? "").includes("current");
      let rows: string[] | undefined;
      let currentSet: Set<string> | undefined;
      if (needsDb) {
        const { current } = await import("./commands/migrate.js");
        const state = await current(project);
        rows = state.rows;
        currentSet = new Set(state.heads);
      }
      const revs = history(project, opts.revRange, rows);
      const line = (r: Revision) =>
        formatRevisionLine(r, { parents: true, labels: true, headIndicator: true, treeIndicators: true, doc: true, current: currentSet });
      if (opts.graph && opts.format !== "json") {
        for (const l of drawGraph(revs, (r) => formatRevisionLine(r, { labels: true, headIndicator: true, treeIndicators: true, doc: true, current: currentSet })))
          out(l);
        return;
      }
      printRevisions(revs, opts, line, currentSet);
    });

  program
    .command("show")
    .description("Show the revision(s) a symbol resolves to")
    .argument("<rev>", "revision id, prefix, label or symbol")
    .addOption(formatOption())
    .action(async (rev: string, opts, cmd: Command) => {
      const project = await openProject(cmd);
      const { show } = await import("./commands/inspect.js");
      printRevisions(show(project, rev), { ...opts, verbose: true }, (r) => formatRevisionLine(r));
    });

  program
    .command("current")
    .description("Show the revision(s) the database is at")
    .option("-v, --verbose", "full details")
    .addOption(formatOption())
    .action(async (opts, cmd: Command) => {
      const project = await openProject(cmd);
      const { current } = await import("./commands/migrate.js");
      const state = await current(project);
      const graph = project.graph();
      const revs = state.heads.map((id) => graph.get(id));
      if (opts.format === "json") return printJson({ rows: state.rows, heads: state.heads, revisions: revs.map((r) => revisionToJson(r)) });
      if (opts.verbose) process.stderr.write(`Current revision(s) for ${project.config.url.redacted}:\n`);
      for (const rev of revs) out(opts.verbose ? formatRevisionBlock(rev) : formatRevisionLine(rev, { headIndicator: true, treeIndicators: true }));
    });

  program
    .command("upgrade")
    .description("Upgrade to a later revision (head, heads, +N, REV, label@head; start:end with --sql)")
    .argument("[target]", "target revision", "head")
    .option("--sql", "print the SQL instead of running it (offline mode)")
    .option("--tag <tag>", "arbitrary tag passed to the migration context")
    .option("--strict", "fail when an applied revision's file has changed")
    .action(async (target: string, opts, cmd: Command) => {
      const project = await openProject(cmd);
      const m = await import("./commands/migrate.js");
      if (opts.sql) return void process.stdout.write(await m.upgradeSql(project, target, opts));
      if (target.includes(":")) throw new UsageError("Range revision not allowed (start:end works only with --sql)");
      // Lint what is about to run (once the lock is held); --strict refuses on errors.
      await m.upgrade(project, target, { ...opts, lint: true });
    });

  program
    .command("downgrade")
    .description("Revert to a previous revision (-1, base, REV, label@-1; start:end with --sql)")
    .argument("<target>", "target revision")
    .option("--sql", "print the SQL instead of running it (offline mode; needs start:end)")
    .option("--tag <tag>", "arbitrary tag passed to the migration context")
    .action(async (target: string, opts, cmd: Command) => {
      const project = await openProject(cmd);
      const m = await import("./commands/migrate.js");
      if (opts.sql) return void process.stdout.write(await m.downgradeSql(project, target, opts));
      if (target.includes(":")) throw new UsageError("Range revision not allowed (start:end works only with --sql)");
      await m.downgrade(project, target, opts);
    });

  program
    .command("stamp")
    .description("Set the version table to the given revision(s) without running migrations")
    .argument("<revisions...>", "revisions to stamp")
    .option("--sql", "print the SQL instead of running it")
    .option("--purge", "delete every version row first")
    .option("--tag <tag>", "arbitrary tag passed to the migration context")
    .action(async (revisions: string[], opts, cmd: Command) => {
      const project = await openProject(cmd);
      const m = await import("./commands/migrate.js");
      if (opts.sql) {
        if (opts.purge) throw new UsageError("Can't use --purge with --sql mode");
        return void process.stdout.write(await m.stampSql(project, revisions, opts));
      }
      await m.stamp(project, revisions, { purge: opts.purge, tag: opts.tag });
    });

  program
    .command("ensure-version")
    .description("Create the version table if it does not exist")
    .action(async (_opts, cmd: Command) => {
      const project = await openProject(cmd);
      const m = await import("./commands/migrate.js");
      await m.ensureVersion(project);
    });

  program
    .command("check")
    .description("Check whether the database at head matches the schema (exit 1 when autogenerate would find upgrade operations)")
    .addOption(formatOption())
    .action(async (opts: { format: string }, cmd: Command) => {
      const project = await openProject(cmd);
      const { runCheckCommand } = await import("./commands/check.js");
      await runCheckCommand(project, opts.format);
    });

  program
    .command("lint")
    .description("Zero-downtime safety report: pending revisions (default), a range a:b, one REV, or --all")
    .argument("[range]", "a:b, :b, a:, or one revision (default: revisions not applied yet)")
    .option("--all", "lint every revision")
    .addOption(new Option("--dialect <dialect>", "dialect to lint for (default: the configured URL's)").choices(["postgresql", "mysql", "sqlite"]))
    .addOption(new Option("--format <format>", "output format").choices(["text", "json", "github"]).default("text"))
    .option("--rule <id>", "only this rule (repeatable)", collect, [])
    .option("--list-rules", "list the rules and exit")
    .action(async (range: string | undefined, opts, cmd: Command) => {
      const lint = await import("./commands/lint.js");
      if (opts.listRules) return void process.stdout.write(lint.ruleListText());
      await lint.runLintCommand(await openProject(cmd), range, opts);
    });

  program
    .command("test")
    .description("Round-trip checks of the revisions on a throwaway database: single-head, upgrade, schema-matches, up-down, downgrade-no-trace, data")
    .option("--only <checks>", "run only these checks (comma-separated)")
    .option("--skip <checks>", "leave these checks out (comma-separated)")
    .option("--heads <revs>", "expected heads (comma-separated) instead of a single head")
    .addOption(formatOption())
    .option("--junit <path>", "also write a JUnit XML report to this file")
    .option("--keep-database", "keep the throwaway database (its URL is printed)")
    .option("-v, --verbose", "log every migration step")
    .action(async (opts, cmd: Command) => {
      const project = await openProject(cmd);
      const { runTestCommand } = await import("./commands/roundtrip.js");
      await runTestCommand(project, opts);
    });

  return program;
}

function isUsageError(error: unknown): boolean {
  return error instanceof UsageError || (error instanceof CommanderError && error.exitCode !== 0);
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  const debug = argv.includes("--debug");
  try {
    await program.parseAsync(argv, { from: "user" });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and --version exit 0; commander has already printed its usage message.
      return error.exitCode === 0 ? 0 : 2;
    }
    const message = redactSecrets((error as Error)?.message ?? String(error), secrets).replace(/\s*\n\s*/g, " ");
    process.stderr.write(`ERROR: ${message}\n`);
    if (debug && error instanceof Error && error.stack) process.stderr.write(redactSecrets(error.stack, secrets) + "\n");
    return isUsageError(error) ? 2 : 1;
  }
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
