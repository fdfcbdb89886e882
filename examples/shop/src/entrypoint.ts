/**
 * The deploy entrypoint: the new code serves traffic only once `athanor upgrade head` succeeded.
 *
 *   node --import tsx src/entrypoint.ts          wait for the database, migrate, then serve (default)
 *   node --import tsx src/entrypoint.ts migrate  wait for the database and migrate (Kubernetes init container)
 *   node --import tsx src/entrypoint.ts serve    serve only (the pod's init container migrated)
 *
 * 1. The database URL: DATABASE_URL, else APP_ENV's (src/settings.ts); `.env` in this folder is read first.
 * 2. Wait for the database: DB_WAIT_RETRIES attempts (default 30), DB_WAIT_INTERVAL_MS apart (default 1000).
 * 3. `athanor upgrade head` (the CLI, in this folder, same URL; ATHANOR_CONFIG selects another config file).
 *    Several instances starting at once are fine: athanor's lock makes them apply each revision once.
 * 4. Start the server only if athanor exited 0. Otherwise print `ERROR: ...` and exit 1: the old
 *    version keeps serving, and the orchestrator reports the failed rollout.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, waitForDatabase } from "./db.js";
import { startServer, stopOnSignals } from "./server.js";
import { EXAMPLE_DIR, databaseUrl, environment, redact } from "./settings.js";

const log = (line: string) => console.log(`shop: ${line}`);

class StartupError extends Error {}

function positiveInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new StartupError(`${name} must be a positive integer, got '${raw}'`);
  return n;
}

/** The athanor CLI of the installed package (its `bin` is dist/cli.js, next to its entry module). */
function athanorCli(): string {
  if (process.env.ATHANOR_CLI) return process.env.ATHANOR_CLI;
  return join(dirname(fileURLToPath(import.meta.resolve("athanor"))), "cli.js");
}

/** `athanor upgrade head`, its log lines passed through; resolves with its exit code. */
function migrate(url: string): Promise<number> {
  const args = [athanorCli()];
  if (process.env.ATHANOR_CONFIG) args.push("-c", process.env.ATHANOR_CONFIG);
  args.push("upgrade", "head");
  log("running athanor upgrade head");
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: EXAMPLE_DIR,
      env: { ...process.env, DATABASE_URL: url },
      stdio: "inherit",
    });
    child.once("error", reject);
    child.once("close", (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

async function main(mode: string): Promise<void> {
  if (!["all", "migrate", "serve"].includes(mode)) throw new StartupError(`unknown mode '${mode}': expected migrate, serve or nothing`);
  const envFile = join(EXAMPLE_DIR, ".env");
  if (existsSync(envFile)) process.loadEnvFile(envFile); // real environment variables win
  const url = databaseUrl();
  log(`environment ${environment()}, database ${redact(url)}`);

  if (mode !== "serve") {
    const retries = positiveInt("DB_WAIT_RETRIES", 30);
    const intervalMs = positiveInt("DB_WAIT_INTERVAL_MS", 1000);
    try {
      await waitForDatabase(url, { retries, intervalMs, log });
    } catch (error) {
      throw new StartupError(`${describe(error)}; the server was not started`);
    }
    const code = await migrate(url);
    if (code !== 0) {
      throw new StartupError(`migrations failed (athanor upgrade head exited with code ${code}, see above); the server was not started`);
    }
    log("database is at head");
    if (mode === "migrate") return;
  }

  const running = await startServer({ databaseUrl: url, log });
  stopOnSignals(running, log);
}

try {
  await main(process.argv[2] ?? "all");
} catch (error) {
  console.error(`ERROR: ${error instanceof StartupError ? error.message : describe(error)}`);
  process.exit(1);
}
