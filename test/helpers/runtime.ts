/**
 * Shared pieces of the runtime tests: options for the programmatic runtime, a direct look at
 * the database, and the child-process runner.
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { parseDatabaseUrl } from "../../src/config/url.js";
import { connect } from "../../src/dialects/connect.js";
import type { Connection } from "../../src/dialects/types.js";
import { RevisionGraph } from "../../src/graph/index.js";
import type { RuntimeOptions } from "../../src/runtime/migrate.js";
import { readHistory, type HistoryRow } from "../../src/runtime/history-table.js";
import { readVersionRows, tableExists } from "../../src/runtime/version-table.js";
import { readRevisionHeaders } from "../../src/script/versions.js";
import { createMemoryLogger } from "../../src/util/log.js";

export function graphOf(versions: string): RevisionGraph {
  return RevisionGraph.build(readRevisionHeaders([versions]));
}

export function runtimeOptions(
  url: string,
  versions: string,
  extra: Partial<RuntimeOptions> = {},
): RuntimeOptions & { log: ReturnType<typeof createMemoryLogger> } {
  return { url: parseDatabaseUrl(url), graph: graphOf(versions), log: createMemoryLogger(), ...extra } as RuntimeOptions & {
    log: ReturnType<typeof createMemoryLogger>;
  };
}

/** Run `fn` with a direct connection to the database. */
export async function inspect<T>(url: string, fn: (conn: Connection) => Promise<T>): Promise<T> {
  const conn = await connect(parseDatabaseUrl(url));
  try {
    return await fn(conn);
  } finally {
    await conn.close();
  }
}

export function hasTable(url: string, table: string): Promise<boolean> {
  return inspect(url, (c) => tableExists(c, table));
}

export function versionRows(url: string): Promise<string[]> {
  return inspect(url, async (c) => ((await tableExists(c, "athanor_version")) ? readVersionRows(c, "athanor_version") : []));
}

export function historyRows(url: string): Promise<HistoryRow[]> {
  return inspect(url, (c) => readHistory(c, "athanor_history"));
}

export interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

const CHILD = fileURLToPath(new URL("./runtime-child.ts", import.meta.url));
const ROOT = fileURLToPath(new URL("../../", import.meta.url));

export interface ChildArgs {
  url: string;
  versions: string;
  command: "upgrade" | "downgrade" | "stamp" | "current";
  target?: string;
  targets?: string[];
  strict?: boolean;
  transactionPerMigration?: boolean;
}

export interface RunningChild {
  pid: number;
  kill(signal: NodeJS.Signals): void;
  /** Resolves when stderr (so far) matches. */
  waitForStderr(pattern: RegExp, timeoutMs?: number): Promise<void>;
  done: Promise<ChildResult>;
}

/** Start the runtime in a child process (`node --import tsx test/helpers/runtime-child.ts`). */
export function startChild(args: ChildArgs, env: Record<string, string> = {}): RunningChild {
  const child = spawn(process.execPath, ["--import", "tsx", CHILD, JSON.stringify(args)], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  const listeners: (() => void)[] = [];
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => {
    stderr += d.toString();
    for (const l of [...listeners]) l();
  });
  const done = new Promise<ChildResult>((resolve) => {
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return {
    pid: child.pid ?? -1,
    kill: (signal) => child.kill(signal),
    done,
    waitForStderr(pattern, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out waiting for ${pattern} in stderr:\n${stderr}`)), timeoutMs);
        const check = () => {
          if (pattern.test(stderr)) {
            clearTimeout(timer);
            listeners.splice(listeners.indexOf(check), 1);
            resolve();
          }
        };
        listeners.push(check);
        done.then(() => {
          if (!pattern.test(stderr)) {
            clearTimeout(timer);
            reject(new Error(`child exited before ${pattern} appeared in stderr:\n${stderr}`));
          }
        });
        check();
      });
    },
  };
}

export function runChild(args: ChildArgs, env: Record<string, string> = {}): Promise<ChildResult> {
  return startChild(args, env).done;
}
