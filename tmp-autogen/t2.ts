import { compareSchemas } from "../src/autogenerate/compare.js";
import { renderOperations } from "../src/autogenerate/render.js";
import { sa } from "../src/schema/index.js";
const t1 = sa.table("books", sa.column("id", sa.integer(), { primaryKey: true }), sa.column("title", sa.string(200), { nullable: false }), sa.column("status", sa.enumType("status", ["a","b"])));
const t2 = sa.table("books", sa.column("id", sa.integer(), { primaryKey: true }), sa.column("title", sa.string(300), { nullable: false }), sa.column("status", sa.enumType("book_status", ["a","c","b"])));
const plan = compareSchemas({ tables: [t2], enums: [] }, { tables: [t1], enums: [] }, { dialect: "mysql" });
console.log(plan.upgradeOps, renderOperations(plan.upgradeOps));
