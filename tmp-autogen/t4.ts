import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Harness } from "../test/db/autogen-harness.test.js";
const d = process.argv[2] as any;
const mod = await import("../test/db/autogen-diffs.test.js").catch(() => null);
