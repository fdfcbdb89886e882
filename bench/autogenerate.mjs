#!/usr/bin/env node
// bench/autogenerate: `revision --autogenerate` on PostgreSQL, side by side with Alembic 1.8's
// `revision --autogenerate` on the equivalent SQLAlchemy models: N tables (8 columns of mixed
// types, a unique constraint, two indexes and a foreign key each) already in the database, and a
// target schema with 10 seeded differences. Both must find all 10. Then Athanor alone on --big tables.
//
// Usage: npm run build && node bench/autogenerate.mjs [--tables 300] [--big 1000] [--runs 3] [--seed 42] [--cli dist/cli.js]
// Needs PostgreSQL (ATHANOR_TEST_POSTGRES_URL, default postgresql://postgres@127.0.0.1:5432/test) and
// /usr/bin/python3 with alembic, SQLAlchemy and psycopg2 (Debian: python3-alembic python3-psycopg2).
// Not part of `npm test`.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { prng } from "../test/fixtures/prng.mjs";
import { fmt, measure, table } from "./lib.mjs";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const { values } = parseArgs({
  options: {
    tables: { type: "string", default: "300" },
    big: { type: "string", default: "1000" },
    runs: { type: "string", default: "3" },
    seed: { type: "string", default: "42" },
    cli: { type: "string", default: join(ROOT, "dist/cli.js") },
    python: { type: "string", default: "/usr/bin/python3" },
  },
});
const N = Number(values.tables);
const BIG = Number(values.big);
const RUNS = Number(values.runs);
const SEED = Number(values.seed);
const PYTHON = values.python;
const PG_ADMIN = process.env.ATHANOR_TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/test";
const DIST = join(ROOT, "dist");

// ------------------------------------------------------------------------------------ schema

const tname = (i) => `t_${String(i).padStart(4, "0")}`;


/** The 10 differences: [kind, table index], on 10 distinct tables chosen by the seed. */
function differences(n, seed) {
  const rand = prng(seed);
  const picked = new Set();
  while (picked.size < 10) picked.add(Math.floor(rand() * n));
  const kinds = ["addColumn", "addColumn", "dropColumn", "dropColumn", "widen", "widen", "notNull", "notNull", "addIndex", "dropIndex"];
  return new Map([...picked].map((i, k) => [i, kinds[k]]));
}

/** The table spec of table i, with its difference applied (if any). */
function spec(i, diff) {
  return {
    name: tname(i),
    // each table references the first table of its group of ten (which references itself): no
    // long reference chains (SQLAlchemy's reflection follows them recursively)
    parent: tname(i - (i % 10)),
    nameLength: diff === "widen" ? 80 : 50,
    amountNullable: diff !== "notNull",
    note: diff !== "dropColumn",
    extra: diff === "addColumn",
    amountIndex: diff === "addIndex",
    createdIndex: diff !== "dropIndex",
  };
}

function athanorSchema(n, diffs) {
  const lines = [`import { sa } from "athanor";`];
  for (let i = 0; i < n; i++) {
    const s = spec(i, diffs.get(i));
    lines.push(`export const ${s.name} = sa.table(
  ${JSON.stringify(s.name)},
  sa.column("id", sa.integer(), { primaryKey: true, autoincrement: true }),
  sa.column("name", sa.string(${s.nameLength}), { nullable: false }),
  sa.column("code", sa.string(20), { nullable: false, unique: true }),
  sa.column("amount", sa.numeric(10, 2), { nullable: ${s.amountNullable} }),
  sa.column("active", sa.boolean(), { nullable: false, serverDefault: sa.sql("true") }),
  sa.column("created_at", sa.dateTime({ timezone: true }), { nullable: false, serverDefault: sa.sql("now()") }),
  ${s.note ? `sa.column("note", sa.text(), { nullable: true }),` : ""}
  sa.column("parent_id", sa.integer(), { nullable: true }),
  ${s.extra ? `sa.column("extra", sa.integer(), { nullable: true }),` : ""}
  sa.foreignKey(["parent_id"], ${JSON.stringify(s.parent)}, ["id"]),
  sa.index("ix_${s.name}_name", ["name"]),
  ${s.createdIndex ? `sa.index("ix_${s.name}_created", ["created_at"]),` : ""}
  ${s.amountIndex ? `sa.index("ix_${s.name}_amount", ["amount"]),` : ""}
);`);
  }
  return lines.join("\n") + "\n";
}

function sqlalchemyModels(n, diffs) {
  const lines = [
    "from sqlalchemy import MetaData, Table, Column, Integer, String, Numeric, Boolean, DateTime, Text, ForeignKey, Index, UniqueConstraint, text",
    "metadata = MetaData()",
  ];
  for (let i = 0; i < n; i++) {
    const s = spec(i, diffs.get(i));
    lines.push(`Table("${s.name}", metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(${s.nameLength}), nullable=False),
    Column("code", String(20), nullable=False),
    Column("amount", Numeric(10, 2), nullable=${s.amountNullable ? "True" : "False"}),
    Column("active", Boolean, nullable=False, server_default=text("true")),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=text("now()")),
    ${s.note ? `Column("note", Text, nullable=True),` : ""}
    Column("parent_id", Integer, ForeignKey("${s.parent}.id"), nullable=True),
    ${s.extra ? `Column("extra", Integer, nullable=True),` : ""}
    UniqueConstraint("code"),
    Index("ix_${s.name}_name", "name"),
    ${s.createdIndex ? `Index("ix_${s.name}_created", "created_at"),` : ""}
    ${s.amountIndex ? `Index("ix_${s.name}_amount", "amount"),` : ""}
)`);
  }
  return lines.join("\n") + "\n";
}

// ------------------------------------------------------------------------------------ databases

async function pgAdmin(sql) {
  const pg = (await import("pg")).default;
  const client = new pg.Client({ connectionString: PG_ADMIN });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function createDatabase() {
  const name = `athanor_bench_${randomBytes(4).toString("hex")}`;
  await pgAdmin(`CREATE DATABASE "${name}"`);
  const u = new URL(PG_ADMIN);
  u.pathname = `/${name}`;
  return { name, url: u.toString(), drop: () => pgAdmin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
}

// ------------------------------------------------------------------------------------ athanor

/** The CLI when it has `revision --autogenerate`, else the same call through the package's API. */
function athanorCommand() {
  const help = spawnSync(process.execPath, [values.cli, "revision", "--help"], { encoding: "utf8" });
  if (help.stdout.includes("--rename")) return [process.execPath, [values.cli, "revision", "--autogenerate", "-m", "bench"]];
  const code = `
    const { Project } = await import(${JSON.stringify(pathToFileURL(join(DIST, "commands/project.js")).href)});
    const { autogenerateRevision } = await import(${JSON.stringify(pathToFileURL(join(DIST, "commands/autogenerate.js")).href)});
    const r = await autogenerateRevision(await Project.open({}), { message: "bench", interactive: false });
    for (const x of r.revisions) process.stdout.write("  Generating " + x.path + " ...  done\\n");`;
  return [process.execPath, ["--input-type=module", "-e", code]];
}

async function athanorProject(n, diffs) {
  const db = await createDatabase();
  const dir = mkdtempSync(join(tmpdir(), "athanor-bench-autogen-"));
  const { initProject } = await import(pathToFileURL(join(DIST, "script/index.js")).href);
  initProject({ cwd: dir, directory: "migrations", template: "generic" });
  writeFileSync(join(dir, "base.ts"), athanorSchema(n, new Map()));
  writeFileSync(join(dir, "target.ts"), athanorSchema(n, diffs));
  const config = (schema) => `import { defineConfig } from "athanor";\nexport default defineConfig({ scriptLocation: "migrations", schema: "./${schema}" });\n`;
  // the database: the base schema, applied by athanor itself
  writeFileSync(join(dir, "athanor.config.ts"), config("base.ts"));
  const env = { ...process.env, DATABASE_URL: db.url };
  const [cmd, args] = athanorCommand();
  const gen = spawnSync(cmd, args, { cwd: dir, env, encoding: "utf8", maxBuffer: 1 << 28 });
  if (gen.status !== 0) throw new Error(`athanor base revision failed: ${gen.stderr}`);
  const up = spawnSync(process.execPath, [values.cli, "upgrade", "head"], { cwd: dir, env, encoding: "utf8" });
  if (up.status !== 0) throw new Error(`athanor upgrade failed: ${up.stderr}`);
  writeFileSync(join(dir, "athanor.config.ts"), config("target.ts"));
  return { db, dir, env, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

// ------------------------------------------------------------------------------------ alembic

function alembicProject(url, n, diffs) {
  const dir = mkdtempSync(join(tmpdir(), "athanor-bench-alembic-"));
  const init = spawnSync(PYTHON, ["-m", "alembic", "init", "alembic"], { cwd: dir, encoding: "utf8" });
  if (init.status !== 0) throw new Error(`alembic init failed: ${init.stderr}`);
  const sqlaUrl = url.replace(/^postgres(ql)?:/, "postgresql+psycopg2:");
  const ini = spawnSync("sed", ["-i", `s#^sqlalchemy.url = .*#sqlalchemy.url = ${sqlaUrl}#`, join(dir, "alembic.ini")]);
  if (ini.status !== 0) throw new Error("could not set sqlalchemy.url");
  writeFileSync(join(dir, "models.py"), sqlalchemyModels(n, diffs));
  writeFileSync(join(dir, "alembic/env.py"), `import sys
sys.path.insert(0, ${JSON.stringify(dir)})
sys.setrecursionlimit(20000)
from alembic import context
from sqlalchemy import engine_from_config, pool
from logging.config import fileConfig
from models import metadata

config = context.config
fileConfig(config.config_file_name)

def include_name(name, type_, parent_names):
    # athanor's own tables are not part of the models
    return not (type_ == "table" and name.startswith("athanor_"))

connectable = engine_from_config(config.get_section(config.config_ini_section), prefix="sqlalchemy.", poolclass=pool.NullPool)
with connectable.connect() as connection:
    context.configure(connection=connection, target_metadata=metadata, include_name=include_name, compare_type=True)
    with context.begin_transaction():
        context.run_migrations()
`);
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

// ------------------------------------------------------------------------------------ measuring

/** Median of `runs` runs of a command that writes revision files into `versions` (removed after each run). */
function measureGenerate(cmd, args, { cwd, env, versions, detected }) {
  const times = [];
  let peak = 0;
  let found = 0;
  let ok = true;
  let stderr = "";
  const before = new Set(readdirSync(versions));
  for (let i = 0; i < RUNS; i++) {
    const r = measure(cmd, args, { cwd, env, runs: 1 });
    times.push(r.seconds);
    peak = Math.max(peak, r.peakMb);
    ok &&= r.ok;
    stderr = r.stderr;
    found = (r.stderr.match(detected) ?? []).length;
    for (const f of readdirSync(versions)) if (!before.has(f)) rmSync(join(versions, f), { recursive: true, force: true });
    if (!r.ok) break;
  }
  times.sort((a, b) => a - b);
  return { seconds: times[Math.floor(times.length / 2)], peakMb: peak, ok, found, stderr };
}

// ------------------------------------------------------------------------------------ main

const rows = [];
const diffs = differences(N, SEED);
process.stderr.write(`bench/autogenerate: ${N} tables, 10 differences (seed ${SEED}), ${RUNS} runs each; setting up...\n`);
const a = await athanorProject(N, diffs);
try {
  const [cmd, args] = athanorCommand();
  const athanor = measureGenerate(cmd, args, { cwd: a.dir, env: a.env, versions: join(a.dir, "migrations/versions"), detected: /^INFO {2}Detected /gm });
  if (!athanor.ok || athanor.found !== 10 || process.env.BENCH_VERBOSE) process.stderr.write(athanor.stderr);
  const al = alembicProject(a.db.url, N, diffs);
  let alembic;
  try {
    alembic = measureGenerate(PYTHON, ["-m", "alembic", "revision", "--autogenerate", "-m", "bench"], {
      cwd: al.dir, env: process.env, versions: join(al.dir, "alembic/versions"), detected: /\[alembic\.autogenerate\.compare\] Detected /g,
    });
    if (!alembic.ok || alembic.found !== 10 || process.env.BENCH_VERBOSE) process.stderr.write(alembic.stderr);
  } finally {
    al.cleanup();
  }
  rows.push(["Athanor", N, fmt(athanor.seconds), fmt(athanor.peakMb, 0), `${athanor.found}/10`, fmt(athanor.seconds / alembic.seconds, 2)]);
  rows.push(["Alembic 1.8 (SQLAlchemy 1.4)", N, fmt(alembic.seconds), fmt(alembic.peakMb, 0), `${alembic.found}/10`, "1.00"]);
} finally {
  if (process.env.BENCH_KEEP) process.stderr.write(`kept: ${a.dir} ${a.db.url}\n`);
  else {
    await a.db.drop();
    a.cleanup();
  }
}

if (BIG > 0) {
  process.stderr.write(`bench/autogenerate: ${BIG} tables, Athanor alone; setting up...\n`);
  const bigDiffs = differences(BIG, SEED);
  const b = await athanorProject(BIG, bigDiffs);
  try {
    const [cmd, args] = athanorCommand();
    const r = measureGenerate(cmd, args, { cwd: b.dir, env: b.env, versions: join(b.dir, "migrations/versions"), detected: /^INFO {2}Detected /gm });
    if (!r.ok) process.stderr.write(r.stderr);
    rows.push(["Athanor", BIG, fmt(r.seconds), fmt(r.peakMb, 0), `${r.found}/10`, ""]);
  } finally {
    await b.db.drop();
    b.cleanup();
  }
}

console.log(`\n## revision --autogenerate, PostgreSQL (median of ${RUNS} runs, wall clock incl. process start)\n`);
console.log(table(["tool", "tables", "seconds", "peak MB", "differences found", "time vs Alembic"], rows));
