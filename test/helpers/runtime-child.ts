/**
 * A child process running the programmatic runtime, for tests that need several processes
 * (concurrency) or a process to kill (SIGKILL) or a fresh module cache (rerun after a fix).
 *
 *   node --import tsx test/helpers/runtime-child.ts '<json>'
 *
 * json: { url, versions, command: "upgrade"|"downgrade"|"stamp"|"current", target?, targets?,
 *         strict?, transactionPerMigration? }
 * Prints the result as JSON on stdout, log lines on stderr; on failure `ERROR: <message>` on
 * stderr and exit code 1.
 */
import { parseDatabaseUrl } from "../../src/config/url.js";
import { RevisionGraph } from "../../src/graph/index.js";
import * as runtime from "../../src/runtime/migrate.js";
import { readRevisionHeaders } from "../../src/script/versions.js";
import { createStreamLogger } from "../../src/util/log.js";

interface ChildArgs {
  url: string;
  versions: string;
  command: "upgrade" | "downgrade" | "stamp" | "current";
  target?: string;
  targets?: string[];
  strict?: boolean;
  transactionPerMigration?: boolean;
}

const args = JSON.parse(process.argv[2] ?? "{}") as ChildArgs;
const url = parseDatabaseUrl(args.url);
const log = createStreamLogger({ secrets: [url.password ?? ""] });

async function main(): Promise<unknown> {
  const graph = RevisionGraph.build(readRevisionHeaders([args.versions]));
  const opts: runtime.RuntimeOptions = {
    url,
    graph,
    log,
    strict: args.strict,
    transactionPerMigration: args.transactionPerMigration,
  };
  switch (args.command) {
    case "upgrade":
      return runtime.upgrade(opts, args.target ?? "head");
    case "downgrade":
      return runtime.downgrade(opts, args.target ?? "-1");
    case "stamp":
      return runtime.stamp(opts, args.targets ?? [args.target ?? "head"]);
    case "current":
      return runtime.current(opts);
  }
}

main().then(
  (result) => {
    process.stdout.write(JSON.stringify(result) + "\n");
  },
  (error: unknown) => {
    process.stderr.write(`ERROR: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
