import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { loadConfig, loadDotenv } from "../../src/config/load.js";
import { parseDatabaseUrl, redactSecrets, redactUrl } from "../../src/config/url.js";

describe("database URLs", () => {
  test("postgres and postgresql are PostgreSQL; password kept but redacted for display", () => {
    const u = parseDatabaseUrl("postgres://app:p%40ss@db.example:6543/shop?sslmode=require");
    assert.equal(u.dialect, "postgresql");
    assert.deepEqual([u.host, u.port, u.user, u.password, u.database], ["db.example", 6543, "app", "p@ss", "shop"]);
    assert.deepEqual(u.options, { sslmode: "require" });
    assert.equal(u.redacted, "postgres://app:***@db.example:6543/shop?sslmode=require");
    assert.equal(parseDatabaseUrl("postgresql://localhost/x").dialect, "postgresql");
  });

  test("mysql and mariadb are MySQL", () => {
    assert.equal(parseDatabaseUrl("mysql://root@127.0.0.1:3306/test").dialect, "mysql");
    assert.equal(parseDatabaseUrl("mariadb://root@127.0.0.1/test").dialect, "mysql");
  });

  test("sqlite forms", () => {
    assert.equal(parseDatabaseUrl("sqlite:./app.db").filename, "./app.db");
    assert.equal(parseDatabaseUrl("sqlite:/abs/app.db").filename, "/abs/app.db");
    assert.equal(parseDatabaseUrl("sqlite::memory:").filename, ":memory:");
    assert.equal(parseDatabaseUrl("sqlite:///rel.db").filename, "rel.db");
    assert.equal(parseDatabaseUrl("sqlite:////abs.db").filename, "/abs.db");
  });

  test("unsupported schemes are refused without echoing the password", () => {
    assert.throws(() => parseDatabaseUrl("oracle://u:hunter2@h/db"), (e: Error) => {
      assert.match(e.message, /Unsupported database URL 'oracle:\/\/u:\*\*\*@h\/db'/);
      assert.doesNotMatch(e.message, /hunter2/);
      return true;
    });
  });

  test("redaction works inside arbitrary text and for extra secrets", () => {
    assert.equal(redactUrl("failed to reach mysql://a:b@c/d now"), "failed to reach mysql://a:***@c/d now");
    assert.equal(redactSecrets("password hunter2 rejected", ["hunter2"]), "password *** rejected");
  });
});

describe("loadConfig", () => {
  function project(files: Record<string, string>) {
    const dir = mkdtempSync(join(tmpdir(), "athanor-config-"));
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    return { dir, [Symbol.dispose]: () => rmSync(dir, { recursive: true, force: true }) };
  }

  test("defaults without a config file: migrations/ and sqlite:./athanor.db", async () => {
    using p = project({});
    const c = await loadConfig({ cwd: p.dir, env: {} });
    assert.equal(c.configPath, null);
    assert.equal(c.scriptLocation, join(p.dir, "migrations"));
    assert.deepEqual(c.versionLocations, [join(p.dir, "migrations/versions")]);
    assert.equal(c.url.dialect, "sqlite");
    assert.equal(c.url.filename, join(p.dir, "athanor.db"));
    assert.equal(c.urlSource, "default");
    assert.equal(c.versionTable, "athanor_version");
    assert.equal(c.transactionPerMigration, true);
  });

  const config = `import { defineConfig } from "athanor";\nexport default defineConfig({ scriptLocation: "db", url: "sqlite:./from-config.db", versionTable: "my_version" });\n`;

  test("URL precedence: --url > DATABASE_URL > config > default", async () => {
    using p = project({ "athanor.config.ts": config });
    const fromConfig = await loadConfig({ cwd: p.dir, env: {} });
    assert.equal(fromConfig.urlSource, "config");
    assert.equal(fromConfig.url.filename, join(p.dir, "from-config.db"));
    assert.equal(fromConfig.versionTable, "my_version");
    assert.equal(fromConfig.scriptLocation, join(p.dir, "db"));
    const fromEnv = await loadConfig({ cwd: p.dir, env: { DATABASE_URL: "postgres://x@h/db" } });
    assert.equal(fromEnv.urlSource, "DATABASE_URL");
    const fromFlag = await loadConfig({ cwd: p.dir, env: { DATABASE_URL: "postgres://x@h/db" }, url: "mysql://r@h/db" });
    assert.equal(fromFlag.urlSource, "--url");
    assert.equal(fromFlag.url.dialect, "mysql");
  });

  test(".env is read, real environment variables win", () => {
    using p = project({ ".env": "DATABASE_URL=sqlite:./dotenv.db\nOTHER=1\n" });
    const env: NodeJS.ProcessEnv = { OTHER: "real" };
    loadDotenv(p.dir, env);
    assert.equal(env.DATABASE_URL, "sqlite:./dotenv.db");
    assert.equal(env.OTHER, "real");
  });

  test("a config function receives -x arguments; --name picks a database", async () => {
    using p = project({
      "athanor.config.ts": `export default ({ x }: { x: Record<string, string> }) => ({ databases: { main: { scriptLocation: "m", url: x.db }, logs: { scriptLocation: "l" } } });\n`,
    });
    const main = await loadConfig({ cwd: p.dir, env: {}, name: "main", x: { db: "mysql://u@h/main" } });
    assert.equal(main.scriptLocation, join(p.dir, "m"));
    assert.equal(main.url.database, "main");
    await assert.rejects(loadConfig({ cwd: p.dir, env: {} }), /declares several databases \(main, logs\); choose one with --name/);
    await assert.rejects(loadConfig({ cwd: p.dir, env: {}, name: "nope" }), /No database named 'nope'.*known: main, logs/);
  });

  test("-c points at another file; a missing one is an error", async () => {
    using p = project({ "other.ts": config });
    const c = await loadConfig({ cwd: p.dir, env: {}, configPath: "other.ts" });
    assert.equal(c.configPath, join(p.dir, "other.ts"));
    await assert.rejects(loadConfig({ cwd: p.dir, env: {}, configPath: "missing.ts" }), /Config file not found/);
  });
});
