import { Harness } from "../test/db/autogen-harness.test.js";
const h = await Harness.create("mysql");
const s1 = `import { sa } from "athanor";\nexport const books = sa.table("books", sa.column("id", sa.integer(), { primaryKey: true }), sa.column("title", sa.string(200), { nullable: false }));`;
await h.autogen(s1); await h.upgrade();
const r = await h.autogen(s1.replace("200", "300"));
console.log(r.result.plan.upgradeOps, r.result.directives[0].upgradeOps);
console.log(r.text.split("upgrade(op")[1]);
await h.close();
