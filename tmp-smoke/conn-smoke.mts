import { createTestDatabase } from "/work/main/test/helpers/databases.ts";
import { connect } from "/work/main/src/dialects/connect.ts";
import { parseDatabaseUrl } from "/work/main/src/config/url.ts";
for (const d of ["postgresql", "mysql", "sqlite"] as const) {
  const db = await createTestDatabase(d);
  const c = await connect(parseDatabaseUrl(db.url));
  await c.acquireMigrationLock(() => console.log("wait"));
  const c2 = await connect(parseDatabaseUrl(db.url));
  let waited = false;
  const p = c2.acquireMigrationLock(() => { waited = true; console.log(d, "c2 waiting"); });
  await new Promise((r) => setTimeout(r, 300));
  await c.execute({ sql: "CREATE TABLE t (x integer)" });
  const ph = d === "postgresql" ? "$1" : "?";
  console.log(await c.execute({ sql: `INSERT INTO t (x) VALUES (${ph})`, params: [5] }));
  console.log(await c.execute({ sql: "SELECT * FROM t" }));
  await c.releaseMigrationLock();
  await p;
  console.log(d, "c2 got lock, waited", waited);
  await c2.releaseMigrationLock();
  await c.close(); await c2.close();
  await db.drop();
}
for (const u of ["postgresql://postgres:s3cret@127.0.0.1:5999/x", "mysql://root:s3cret@127.0.0.1:5999/x", "postgresql://postgres:s3cret@127.0.0.1:5432/nonexist", "mysql://root:s3cret@127.0.0.1:3306/nonexist", "mysql://root@127.0.0.1:3306/nonexist", "sqlite:/nonexistent/dir/x.db"]) {
  try { await connect(parseDatabaseUrl(u)); } catch (e) { console.log((e as Error).name, (e as Error).message); }
}
