// Shared helpers for the side-by-side benchmarks: run a command several times, keep the median
// wall time and the peak RSS (via /usr/bin/time), print a markdown table with ratios.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const TIME = existsSync("/usr/bin/time") ? "/usr/bin/time" : null;

/** Run `cmd args` in `cwd` `runs` times; return { seconds (median), peakMb (max), ok, stdout }. */
export function measure(cmd, args, { cwd, runs = 3, env = process.env } = {}) {
  const times = [];
  let peakKb = 0;
  let last;
  for (let i = 0; i < runs; i++) {
    const argv = TIME ? ["-f", "__PEAK_KB__%M", cmd, ...args] : args;
    const start = process.hrtime.bigint();
    last = spawnSync(TIME ?? cmd, argv, { cwd, env, encoding: "utf8", maxBuffer: 1 << 28 });
    times.push(Number(process.hrtime.bigint() - start) / 1e9);
    const m = /__PEAK_KB__(\d+)/.exec(last.stderr ?? "");
    if (m) peakKb = Math.max(peakKb, Number(m[1]));
    if (last.status !== 0) break;
  }
  times.sort((a, b) => a - b);
  return {
    seconds: times[Math.floor(times.length / 2)],
    peakMb: peakKb / 1024,
    ok: last.status === 0,
    stdout: last.stdout,
    stderr: (last.stderr ?? "").replace(/__PEAK_KB__\d+\n?/, ""),
  };
}

export function fmt(n, digits = 3) {
  return Number.isFinite(n) ? n.toFixed(digits) : "n/a";
}

export function table(headers, rows) {
  const lines = [`| ${headers.join(" | ")} |`, `|${headers.map(() => "---").join("|")}|`];
  for (const row of rows) lines.push(`| ${row.join(" | ")} |`);
  return lines.join("\n");
}
