#!/usr/bin/env node
// bench/apply: the cost of applying revisions on PostgreSQL, Athanor vs Alembic 1.8, node-pg-migrate
// and knex side by side. Workload: linear chains of 100 and 1,000 revisions, each creating a table
// (serial id, varchar name, timestamptz created_at DEFAULT now()) and an index on it.
// Every apply runs on a fresh database (runs interleaved across tools); `current` is timed at head;
// `upgrade head --sql` offline. Also timed: Athanor with a cold transpile cache, Alembic with a cold
// bytecode cache, both tools in one-transaction mode, and the floor: psql running Athanor's --sql
// output (the database's own cost for the same statements).
//
// Usage: npm run build && node bench/apply.mjs [--sizes 100,1000] [--runs 3] [--only knex,psql,...] [--no-wait]
// (--only: keys of TOOLS below; athanor always runs. --no-wait: don't wait for an idle CPU.)
// Needs PostgreSQL on 127.0.0.1:5432 (user postgres, trust; override with ATHANOR_BENCH_PG_URL),
// Debian's python3-alembic (SQLAlchemy 1.4 + psycopg2) and the peers in bench/peers (installed here
// with `npm install --prefix bench/peers` when bench/peers/node_modules is missing).
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { fmt, table } from "./lib.mjs";

const { values } = parseArgs({
  options: {
    sizes: { type: "string", default: "100,1000" },
    runs: { type: "string", default: "3" },
    only: { type: "string" },
    "no-wait": { type: "boolean", default: false },
  },
});
const SIZES = values.sizes.split(",").map(Number);
const RUNS = Number(values.runs);
const HERE = import.meta.dirname;
const REPO = resolve(HERE, "..");
const PEERS = join(HERE, "peers");
const PYTHON = "/usr/bin/python3";
const ADMIN_URL = process.env.ATHANOR_BENCH_PG_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

if (!existsSync(join(REPO, "dist/cli.js"))) {
  console.error("bench/apply: dist/cli.js is missing: run `npm run build` first");
  process.exit(1);
}
// A snapshot of the build (dist, package.json, templates; node_modules linked), so that a rebuild
// while the bench runs (a long run, a shared work tree) can't change what is measured half-way.
const SNAPSHOT = mkdtempSync(join(tmpdir(), "athanor-bench-dist-"));
cpSync(join(REPO, "dist"), join(SNAPSHOT, "dist"), { recursive: true });
cpSync(join(REPO, "templates"), join(SNAPSHOT, "templates"), { recursive: true });
cpSync(join(REPO, "package.json"), join(SNAPSHOT, "package.json"));
symlinkSync(join(REPO, "node_modules"), join(SNAPSHOT, "node_modules"));
process.on("exit", () => rmSync(SNAPSHOT, { recursive: true, force: true }));
const CLI = join(SNAPSHOT, "dist/cli.js");
const git = (...args) => spawnSync("git", args, { cwd: REPO, encoding: "utf8" }).stdout.trim();
const BUILD = `${git("rev-parse", "--short", "HEAD")}${git("status", "--porcelain", "--", "src") ? " + uncommitted src changes" : ""}`;
if (!existsSync(join(PEERS, "node_modules"))) {
  console.error("installing the peers into bench/peers ...");
  const r = spawnSync("npm", ["install", "--prefix", PEERS, "--no-audit", "--no-fund"], { stdio: "inherit" });
  if (r.status !== 0) {
    console.error("bench/apply: npm install --prefix bench/peers failed");
    process.exit(1);
  }
}
const NPM_BIN = join(PEERS, "node_modules/node-pg-migrate/bin/node-pg-migrate.js");
const KNEX_BIN = join(PEERS, "node_modules/knex/bin/cli.js");
const KNEX_MODULE = join(PEERS, "node_modules/knex/knex.js");

function fail(message) {
  throw new Error(`bench/apply: ${message}`);
}

// ------------------------------------------------------------------------------ databases

async function admin(sql) {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

function urlOf(database) {
  const u = new URL(ADMIN_URL);
  u.pathname = `/${database}`;
  return u.toString();
}

async function freshDatabase() {
  const name = `athanor_bench_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
  await admin(`CREATE DATABASE "${name}"`);
  return { name, url: urlOf(name), drop: () => admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
}

/** Tables t_* and indexes ix_t_* in the database: both must equal the chain's length. */
async function countObjects(url) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query(
      `SELECT (SELECT count(*)::int FROM pg_tables WHERE schemaname = 'public' AND tablename LIKE 't\\_%') AS tables,
              (SELECT count(*)::int FROM pg_indexes WHERE schemaname = 'public' AND indexname LIKE 'ix\\_t\\_%') AS indexes`,
    );
    return rows[0];
  } finally {
    await client.end();
  }
}

// ------------------------------------------------------------------------------ the chains

const revId = (i) => (0x3a0000000000 + i * 104729).toString(16).slice(-12);
const pad = (i) => String(i).padStart(5, "0");

function writeAthanor(dir, n) {
  mkdirSync(join(dir, "migrations/versions"), { recursive: true });
  writeFileSync(join(dir, "athanor.config.ts"), `export default { scriptLocation: "migrations" };\n`);
  writeFileSync(join(dir, "single.config.ts"), `export default { scriptLocation: "migrations", transactionPerMigration: false };\n`);
  for (let i = 0; i < n; i++) {
    const rev = revId(i);
    const down = i === 0 ? "null" : `"${revId(i - 1)}"`;
    writeFileSync(
      join(dir, "migrations/versions", `${rev}_create_t_${i}.ts`),
      `/**
 * create t_${i}
 *
 * Revision ID: ${rev}
 * Revises: ${i === 0 ? "" : revId(i - 1)}
 * Create Date: 2026-01-01 00:00:00.000000
 */
import { type Op, sa } from "athanor";

export const revision = "${rev}";
export const downRevision: string | string[] | null = ${down};
export const branchLabels: string[] | null = null;
export const dependsOn: string[] | null = null;

export async function upgrade(op: Op): Promise<void> {
  await op.createTable(
    "t_${i}",
    sa.column("id", sa.integer(), { primaryKey: true, autoincrement: true }),
    sa.column("name", sa.string(100), { nullable: false }),
    sa.column("created_at", sa.dateTime({ timezone: true }), { nullable: false, serverDefault: sa.sql("now()") }),
  );
  await op.createIndex("ix_t_${i}_name", "t_${i}", ["name"]);
}

export async function downgrade(op: Op): Promise<void> {
  await op.dropTable("t_${i}");
}
`,
    );
  }
}

const ALEMBIC_ENV = `from logging.config import fileConfig

from alembic import context
from sqlalchemy import engine_from_config, pool

config = context.config
if config.config_file_name is not None:
    fileConfig(config.config_file_name)

# -x txn=single: Alembic's default (one transaction for the run); otherwise one per revision,
# as Athanor does by default.
per_revision = context.get_x_argument(as_dictionary=True).get("txn") != "single"


def run_migrations_offline():
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
        transaction_per_migration=per_revision,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    connectable = engine_from_config(
        config.get_section(config.config_ini_section), prefix="sqlalchemy.", poolclass=pool.NullPool
    )
    with connectable.connect() as connection:
        context.configure(connection=connection, transaction_per_migration=per_revision)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
`;

function alembicIni(url) {
  // Alembic's generic template, with the URL of this run.
  return `[alembic]
script_location = alembic
sqlalchemy.url = ${url.replace(/^postgresql:/, "postgresql+psycopg2:")}

[loggers]
keys = root,sqlalchemy,alembic

[handlers]
keys = console

[formatters]
keys = generic

[logger_root]
level = WARN
handlers = console
qualname =

[logger_sqlalchemy]
level = WARN
handlers =
qualname = sqlalchemy.engine

[logger_alembic]
level = INFO
handlers =
qualname = alembic

[handler_console]
class = StreamHandler
args = (sys.stderr,)
level = NOTSET
formatter = generic

[formatter_generic]
format = %(levelname)-5.5s [%(name)s] %(message)s
datefmt = %H:%M:%S
`;
}

function writeAlembic(dir, n) {
  mkdirSync(join(dir, "alembic/versions"), { recursive: true });
  writeFileSync(join(dir, "alembic.ini"), alembicIni(urlOf("postgres")));
  writeFileSync(join(dir, "alembic/env.py"), ALEMBIC_ENV);
  writeFileSync(join(dir, "alembic/script.py.mako"), `"""\${message}"""\n`);
  for (let i = 0; i < n; i++) {
    const rev = revId(i);
    writeFileSync(
      join(dir, "alembic/versions", `${rev}_create_t_${i}.py`),
      `"""create t_${i}

Revision ID: ${rev}
Revises: ${i === 0 ? "" : revId(i - 1)}
Create Date: 2026-01-01 00:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

revision = '${rev}'
down_revision = ${i === 0 ? "None" : `'${revId(i - 1)}'`}
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        't_${i}',
        sa.Column('id', sa.Integer, primary_key=True),
        sa.Column('name', sa.String(100), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False, server_default=sa.text('now()')),
    )
    op.create_index('ix_t_${i}_name', 't_${i}', ['name'])


def downgrade():
    op.drop_table('t_${i}')
`,
    );
  }
}

function writeNodePgMigrate(dir, n) {
  mkdirSync(join(dir, "migrations"), { recursive: true });
  for (let i = 0; i < n; i++) {
    writeFileSync(
      join(dir, "migrations", `${1700000000000 + i}_create-t-${i}.cjs`),
      `exports.up = (pgm) => {
  pgm.createTable("t_${i}", {
    id: "id",
    name: { type: "varchar(100)", notNull: true },
    created_at: { type: "timestamptz", notNull: true, default: pgm.func("now()") },
  });
  pgm.createIndex("t_${i}", "name", { name: "ix_t_${i}_name" });
};

exports.down = (pgm) => {
  pgm.dropTable("t_${i}");
};
`,
    );
  }
}

function writeKnex(dir, n) {
  mkdirSync(join(dir, "migrations"), { recursive: true });
  writeFileSync(
    join(dir, "knexfile.cjs"),
    `module.exports = { client: "pg", connection: process.env.DATABASE_URL, migrations: { directory: "./migrations", loadExtensions: [".cjs"] } };\n`,
  );
  for (let i = 0; i < n; i++) {
    writeFileSync(
      join(dir, "migrations", `${pad(i)}_create_t_${i}.cjs`),
      `exports.up = async (knex) => {
  await knex.schema.createTable("t_${i}", (t) => {
    t.increments("id");
    t.string("name", 100).notNullable();
    t.timestamp("created_at", { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(["name"], "ix_t_${i}_name");
  });
};

exports.down = async (knex) => {
  await knex.schema.dropTable("t_${i}");
};
`,
    );
  }
}

// ------------------------------------------------------------------------------ the tools

/**
 * One row of the table. `project`: which generated project it runs in; `apply(db)`, `current(db)`,
 * `sql()`: [command, args, extra env]; `prepare(dir, db)`: runs (untimed) before each command.
 */
const TOOLS = [
  {
    key: "athanor",
    label: "athanor",
    project: "athanor",
    apply: (db) => ["node", [CLI, "upgrade", "head"], { DATABASE_URL: db.url }],
    current: (db) => ["node", [CLI, "current"], { DATABASE_URL: db.url }],
    sql: () => ["node", [CLI, "upgrade", "head", "--sql", "--url", urlOf("offline")], {}],
  },
  {
    key: "athanor-cold",
    label: "athanor, cold transpile cache (JITI_REBUILD_FS_CACHE)",
    project: "athanor",
    apply: (db) => ["node", [CLI, "upgrade", "head"], { DATABASE_URL: db.url, JITI_REBUILD_FS_CACHE: "true" }],
  },
  {
    key: "athanor-single",
    label: "athanor (transactionPerMigration: false)",
    project: "athanor",
    apply: (db) => ["node", [CLI, "-c", "single.config.ts", "upgrade", "head"], { DATABASE_URL: db.url }],
  },
  {
    key: "alembic",
    label: "alembic 1.8 (transaction_per_migration)",
    project: "alembic",
    prepare: (dir, db) => writeFileSync(join(dir, "alembic.ini"), alembicIni(db ? db.url : urlOf("offline"))),
    apply: () => [PYTHON, ["-m", "alembic", "upgrade", "head"], {}],
    current: () => [PYTHON, ["-m", "alembic", "current"], {}],
    sql: () => [PYTHON, ["-m", "alembic", "upgrade", "head", "--sql"], {}],
  },
  {
    key: "alembic-cold",
    label: "alembic 1.8, cold bytecode cache (no __pycache__)",
    project: "alembic",
    prepare: (dir, db) => {
      writeFileSync(join(dir, "alembic.ini"), alembicIni(db.url));
      rmSync(join(dir, "alembic/versions/__pycache__"), { recursive: true, force: true });
      rmSync(join(dir, "alembic/__pycache__"), { recursive: true, force: true });
    },
    apply: () => [PYTHON, ["-m", "alembic", "upgrade", "head"], {}],
  },
  {
    key: "alembic-single",
    label: "alembic 1.8 (default env.py: one transaction)",
    project: "alembic",
    prepare: (dir, db) => writeFileSync(join(dir, "alembic.ini"), alembicIni(db.url)),
    apply: () => [PYTHON, ["-m", "alembic", "-x", "txn=single", "upgrade", "head"], {}],
  },
  {
    key: "node-pg-migrate",
    label: "node-pg-migrate 9 (default: one transaction)",
    project: "node-pg-migrate",
    apply: (db) => ["node", [NPM_BIN, "up", "-m", "migrations"], { DATABASE_URL: db.url }],
  },
  {
    key: "knex",
    label: "knex 3 (default: one transaction per batch)",
    project: "knex",
    apply: (db) => ["node", [KNEX_BIN, "migrate:latest", "--knexfile", "knexfile.cjs"], { DATABASE_URL: db.url, KNEX_PATH: KNEX_MODULE }],
    current: (db) => ["node", [KNEX_BIN, "migrate:currentVersion", "--knexfile", "knexfile.cjs"], { DATABASE_URL: db.url, KNEX_PATH: KNEX_MODULE }],
  },
  {
    key: "psql",
    label: "floor: psql -f of athanor's --sql output (one transaction per revision)",
    project: "athanor",
    apply: (db) => ["psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", db.url, "-f", "upgrade.sql"], {}],
  },
].filter((t) => !values.only || values.only.split(",").includes(t.key) || t.key === "athanor");

const WRITERS = { athanor: writeAthanor, alembic: writeAlembic, "node-pg-migrate": writeNodePgMigrate, knex: writeKnex };

function cpuTimes() {
  const f = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
  return { idle: f[3] + (f[4] ?? 0), total: f.reduce((a, b) => a + b, 0) };
}

let waitedSeconds = 0;
/**
 * The machine is shared: before each timed command, wait (up to 30 s) until the CPUs were at
 * least 75% idle over half a second, so that other processes' bursts don't land in a measurement.
 */
function waitForQuiet() {
  if (values["no-wait"] || !existsSync("/proc/stat")) return;
  const start = Date.now();
  for (;;) {
    const a = cpuTimes();
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
    const b = cpuTimes();
    const idle = (b.idle - a.idle) / Math.max(1, b.total - a.total);
    if (idle >= 0.75 || Date.now() - start > 30_000) break;
  }
  waitedSeconds += (Date.now() - start) / 1000;
}

/**
 * Run a command `runs` times; wall time and the command's own CPU time (user + sys, from
 * /usr/bin/time: the database server's work is not in it) are medians, peak RSS the maximum.
 */
function run([cmd, args, env], cwd, runs = 1) {
  const walls = [];
  const cpus = [];
  let peakKb = 0;
  let last;
  for (let i = 0; i < runs; i++) {
    waitForQuiet();
    const start = process.hrtime.bigint();
    last = spawnSync("/usr/bin/time", ["-f", "__BENCH__%U %S %M", cmd, ...args], {
      cwd, env: { ...process.env, ...env }, encoding: "utf8", maxBuffer: 1 << 28,
    });
    walls.push(Number(process.hrtime.bigint() - start) / 1e9);
    if (last.status !== 0) fail(`${cmd} ${args.join(" ")} in ${cwd} failed:\n${(last.stderr ?? "").slice(-2000)}`);
    const m = /__BENCH__([\d.]+) ([\d.]+) (\d+)/.exec(last.stderr ?? "");
    if (m) {
      cpus.push(Number(m[1]) + Number(m[2]));
      peakKb = Math.max(peakKb, Number(m[3]));
    }
  }
  return { seconds: median(walls), cpu: cpus.length ? median(cpus) : NaN, peakMb: peakKb / 1024, stdout: last.stdout };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// ------------------------------------------------------------------------------ main

console.error(`bench/apply: athanor ${BUILD}; sizes ${SIZES.join(", ")}, ${RUNS} runs each (interleaved), load average ${loadavg().map((l) => l.toFixed(2)).join(" ")}`);
const results = []; // { tool, label, n, kind: "apply"|"current"|"sql", seconds, peakMb, all? }
const root = mkdtempSync(join(tmpdir(), "athanor-bench-apply-"));
try {
  for (const n of SIZES) {
    const dirs = {};
    for (const tool of TOOLS) {
      if (dirs[tool.project]) continue;
      dirs[tool.project] = join(root, `${tool.project}-${n}`);
      WRITERS[tool.project](dirs[tool.project], n);
    }
    // Offline SQL first: it loads every revision file, so it also warms the transpile / bytecode caches.
    for (const tool of TOOLS.filter((t) => t.sql)) {
      const dir = dirs[tool.project];
      tool.prepare?.(dir, null);
      const s = run(tool.sql(), dir, RUNS);
      const statements = (s.stdout.match(/;\s*$/gm) ?? []).length;
      if (tool.key === "athanor") writeFileSync(join(dir, "upgrade.sql"), s.stdout);
      results.push({ tool: tool.key, label: tool.label, n, kind: "sql", seconds: s.seconds, cpu: s.cpu, peakMb: s.peakMb, statements });
      console.error(`${tool.label} n=${n}: --sql ${fmt(s.seconds)} s, ${statements} statements`);
    }
    // Apply: each run on a fresh database, the tools interleaved so that load drifts hit them alike.
    const times = new Map(TOOLS.map((t) => [t.key, { all: [], cpu: [], peak: 0 }]));
    for (let i = 0; i < RUNS; i++) {
      for (const tool of TOOLS) {
        const dir = dirs[tool.project];
        const db = await freshDatabase();
        try {
          tool.prepare?.(dir, db);
          const r = run(tool.apply(db), dir);
          const t = times.get(tool.key);
          t.all.push(r.seconds);
          t.cpu.push(r.cpu);
          t.peak = Math.max(t.peak, r.peakMb);
          const objects = await countObjects(db.url);
          if (objects.tables !== n || objects.indexes !== n) {
            fail(`${tool.label}: expected ${n} tables and indexes, found ${JSON.stringify(objects)}`);
          }
          if (i === RUNS - 1 && tool.current) {
            // `current` at head, on the database just migrated.
            const c = run(tool.current(db), dir, RUNS);
            results.push({ tool: tool.key, label: tool.label, n, kind: "current", seconds: c.seconds, cpu: c.cpu, peakMb: c.peakMb });
            console.error(`${tool.label} n=${n}: current ${fmt(c.seconds)} s -> ${c.stdout.trim().split("\n").at(-1)}`);
          }
        } finally {
          await db.drop();
        }
      }
    }
    for (const tool of TOOLS) {
      const t = times.get(tool.key);
      results.push({ tool: tool.key, label: tool.label, n, kind: "apply", seconds: median(t.all), cpu: median(t.cpu), peakMb: t.peak, all: t.all });
      console.error(`${tool.label} n=${n}: apply ${t.all.map((x) => fmt(x)).join(" / ")} s`);
    }
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  rmSync(root, { recursive: true, force: true });
}
if (process.exitCode) process.exit();

// ------------------------------------------------------------------------------ report

const find = (tool, n, kind) => results.find((r) => r.tool === tool && r.n === n && r.kind === kind);
const rows = [];
for (const kind of ["apply", "current", "sql"]) {
  for (const n of SIZES) {
    const base = find("athanor", n, kind);
    for (const r of results.filter((x) => x.kind === kind && x.n === n)) {
      rows.push([
        kind === "apply" ? "upgrade head" : kind === "current" ? "current (at head)" : "upgrade head --sql",
        r.label,
        String(n),
        `${fmt(r.seconds)} s`,
        kind === "apply" ? fmt((r.seconds * 1000) / n, 2) : "",
        `${fmt(r.cpu, 2)} s`,
        `${fmt(r.peakMb, 0)} MB`,
        base ? `${fmt(r.seconds / base.seconds, 2)}x` : "",
      ]);
    }
  }
}
console.log(table(["command", "tool", "revisions", "wall time (median)", "ms / revision", "client CPU", "peak RSS", "time / athanor's"], rows));

if (SIZES.length >= 2) {
  const [a, b] = [SIZES[0], SIZES.at(-1)];
  const floor = (n) => find("psql", n, "apply")?.seconds;
  const flat = [];
  for (const tool of TOOLS) {
    const x = find(tool.key, a, "apply");
    const y = find(tool.key, b, "apply");
    if (!x || !y) continue;
    const marginal = ((y.seconds - x.seconds) * 1000) / (b - a);
    const floorMarginal = floor(a) !== undefined && floor(b) !== undefined ? ((floor(b) - floor(a)) * 1000) / (b - a) : NaN;
    flat.push([
      tool.label,
      fmt((x.seconds * 1000) / a, 2),
      fmt((y.seconds * 1000) / b, 2),
      fmt(marginal, 2),
      tool.key === "psql" ? "" : fmt(marginal - floorMarginal, 2),
      fmt(((y.cpu - x.cpu) * 1000) / (b - a), 2),
    ]);
  }
  console.log("");
  console.log(table(["tool", `ms / revision at ${a}`, `ms / revision at ${b}`, `marginal ms / revision (${a}->${b})`, "marginal above the psql floor", "marginal client CPU ms / revision"], flat));
}

// Targets (for athanor's default mode, warm caches).
const verdicts = [];
for (const n of SIZES) {
  const ath = find("athanor", n, "apply");
  const alb = find("alembic", n, "apply");
  const npm = find("node-pg-migrate", n, "apply");
  const athC = find("athanor", n, "current");
  const albC = find("alembic", n, "current");
  if (ath && alb) verdicts.push(`n=${n}: apply <= 1/2 of alembic's: ${ath.seconds <= alb.seconds / 2 ? "met" : "MISSED"} (athanor/alembic = ${fmt(ath.seconds / alb.seconds, 2)})`);
  if (ath && npm) verdicts.push(`n=${n}: apply <= node-pg-migrate's: ${ath.seconds <= npm.seconds ? "met" : "MISSED"} (athanor/node-pg-migrate = ${fmt(ath.seconds / npm.seconds, 2)})`);
  if (athC && albC) verdicts.push(`n=${n}: current <= 1/3 of alembic's: ${athC.seconds <= albC.seconds / 3 ? "met" : "MISSED"} (athanor/alembic = ${fmt(athC.seconds / albC.seconds, 2)})`);
}
if (SIZES.length >= 2) {
  const x = find("athanor", SIZES[0], "apply");
  const y = find("athanor", SIZES.at(-1), "apply");
  if (x && y) {
    const ratio = y.seconds / SIZES.at(-1) / (x.seconds / SIZES[0]);
    verdicts.push(`athanor per-revision cost ${SIZES[0]} -> ${SIZES.at(-1)}: x${fmt(ratio, 2)} (${ratio <= 1.2 ? "flat: met" : "grows: MISSED"})`);
  }
}
console.log("");
for (const v of verdicts) console.log(`- ${v}`);
console.log(`\nathanor build: ${BUILD}; node ${process.version}`);
console.log(`load average at the end: ${loadavg().map((l) => l.toFixed(2)).join(" ")}; waited ${fmt(waitedSeconds, 0)} s in all for a quiet CPU before timed commands`);
