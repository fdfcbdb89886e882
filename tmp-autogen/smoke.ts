import { mkdtempSync, writeFileSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTestDatabase } from "../test/helpers/databases.js";
import { Project } from "../src/commands/project.js";
import { initProject } from "../src/script/index.js";
import { autogenerateRevision } from "../src/commands/autogenerate.js";
import { check } from "../src/commands/check.js";
import * as migrate from "../src/commands/migrate.js";
import { createMemoryLogger } from "../src/util/log.js";
import type { DialectName } from "../src/dialects/types.js";

const SCHEMA = `import { sa } from "athanor";
export const users = sa.table("users",
  sa.column("id", sa.integer(), { primaryKey: true, autoincrement: true }),
  sa.column("username", sa.string(50), { nullable: false, unique: true }),
  sa.column("email", sa.string(255), { nullable: false, unique: true }),
  sa.column("full_name", sa.string(100), { nullable: true }),
  sa.column("is_active", sa.boolean(), { nullable: false, serverDefault: sa.sql("true") }),
  sa.column("created_at", sa.dateTime({ timezone: true }), { nullable: false, serverDefault: sa.sql("CURRENT_TIMESTAMP") }),
);
export const orders = sa.table("orders",
  sa.column("id", sa.integer(), { primaryKey: true, autoincrement: true }),
  sa.column("user_id", sa.integer(), { nullable: false }),
  sa.column("total_amount", sa.numeric(10, 2), { nullable: false }),
  sa.column("status", sa.string(20), { nullable: false, serverDefault: "pending" }),
  sa.column("created_at", sa.dateTime({ timezone: true }), { nullable: false, serverDefault: sa.sql("CURRENT_TIMESTAMP") }),
  sa.foreignKey(["user_id"], "users", ["id"], { onDelete: "CASCADE" }),
  sa.index("ix_orders_user_id", ["user_id"]),
);
`;
for (const dialect of (process.argv[2] ? [process.argv[2]] : ["postgresql", "mysql", "sqlite"]) as DialectName[]) {
  const db = await createTestDatabase(dialect);
  const dir = mkdtempSync(join(tmpdir(), "ag-"));
  initProject({ cwd: dir, directory: "migrations", template: "generic" });
  writeFileSync(join(dir, "schema1.ts"), SCHEMA);
  const log = createMemoryLogger();
  const open = (schema: string) => Project.open({ cwd: dir, log, config: { scriptLocation: "migrations", url: db.url, schema } });
  let p = await open("schema1.ts");
  const r = await autogenerateRevision(p, { message: "init", interactive: false });
  console.log(readFileSync(r.revisions[0]!.path, "utf8"));
  p = await open("schema1.ts");
  await migrate.upgrade(p, "head");
  const c = await check(await open("schema1.ts"));
  console.log(dialect, "check:", c);
  writeFileSync(join(dir, "schema2.ts"), SCHEMA.replace('sa.column("full_name", sa.string(100), { nullable: true })', 'sa.column("display_name", sa.string(100), { nullable: true }), sa.column("phone", sa.string(20), { nullable: true, index: true })').replace('sa.string(20), { nullable: false, serverDefault: "pending" }', 'sa.string(30), { nullable: true, serverDefault: "new" }'));
  p = await open("schema2.ts");
  const r2 = await autogenerateRevision(p, { message: "second", interactive: false });
  console.log(readFileSync(r2.revisions[0]!.path, "utf8"));
  await migrate.upgrade(await open("schema2.ts"), "head");
  console.log(dialect, "check2:", await check(await open("schema2.ts")));
  await migrate.downgrade(await open("schema2.ts"), "-1");
  console.log(dialect, "check after downgrade vs schema1:", await check(await open("schema1.ts")).catch(e => e.message));
  console.log(log.lines.filter(l => !l.includes("Running") && !l.includes("Context") && !l.includes("Will assume")).join("\n"));
  await db.drop();
}
