/**
 * A stand-in for a running application instance, as its own process: inserts rows into `users`
 * through one column in a loop until stdin says `stop` (or closes). Each inserted value is printed
 * on stdout as `ok <value>`, each failed insert as `err <value>: <message>`.
 *
 *   node --import tsx test/helpers/insert-loop.ts <postgres-url> <column> <prefix>
 */
import pg from "pg";

const [url, column, prefix] = process.argv.slice(2);
if (!url || !column || !prefix || !/^[a-z_]+$/.test(column)) {
  process.stderr.write("usage: insert-loop.ts <url> <column> <prefix>\n");
  process.exit(2);
}

let stopping = false;
process.stdin.on("data", (d) => {
  if (String(d).includes("stop")) stopping = true;
});
process.stdin.on("end", () => (stopping = true));

const client = new pg.Client({ connectionString: url });
await client.connect();
let i = 0;
while (!stopping) {
  const value = `${prefix}-${++i}`;
  try {
    await client.query(`INSERT INTO users (${column}) VALUES ($1)`, [value]);
    process.stdout.write(`ok ${value}\n`);
  } catch (error) {
    process.stdout.write(`err ${value}: ${(error as Error).message.replace(/\n/g, " ")}\n`);
  }
  await new Promise((r) => setTimeout(r, 1));
}
await client.end();
process.stdin.destroy();
