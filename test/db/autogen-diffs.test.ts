/**
 * Every kind of difference, on every database: detected, rendered, applied (then `check` is clean),
 * and undone by the generated downgrade (the database is as before). Schemas evolve in steps.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { DialectName } from "../../src/dialects/types.js";
import type { SchemaDifference } from "../../src/autogenerate/types.js";
import { DIALECTS } from "../helpers/databases.js";
import { Harness, SA_IMPORT } from "./autogen-harness.test.js";

type Kind = SchemaDifference["kind"];

function v1(d: DialectName): string {
  const comments = d !== "sqlite";
  return `${SA_IMPORT}
export const authors = sa.table(
  "authors",
  sa.column("id", sa.integer(), { primaryKey: true }),
  sa.column("name", sa.string(100), { nullable: false }),
  sa.column("email", sa.string(120), { nullable: true, unique: true }),
  sa.column("bio", sa.text(), { nullable: true }),
  sa.column("rating", sa.integer(), { nullable: true, serverDefault: 0 }),
  sa.column("legacy", sa.string(20), { nullable: true }),
  sa.unique(["name"], { name: "uq_authors_name" }),
  sa.check("rating >= 0", { name: "ck_authors_rating" }),
  sa.index("ix_authors_legacy", ["legacy"]),
  ${comments ? `{ comment: "people who write" },` : ""}
);
${d === "postgresql" ? `export const bookStatus = sa.enumType("book_status", ["draft", "published"]);` : ""}
export const books = sa.table(
  "books",
  sa.column("id", sa.integer(), { primaryKey: true }),
  sa.column("author_id", sa.integer(), { nullable: false }),
  sa.column("title", sa.string(200), { nullable: false }),
  sa.column("price", sa.numeric(10, 2), { nullable: true }),
  sa.column("status", sa.enumType("book_status", ["draft", "published"]), { nullable: false, serverDefault: "draft" }),
  sa.foreignKey(["author_id"], "authors", ["id"], { name: "fk_books_author", onDelete: "CASCADE" }),
  sa.check("price >= 0"),
  sa.index("ix_books_title", ["title"]),
);
export const old_stuff = sa.table(
  "old_stuff",
  sa.column("id", sa.integer(), { primaryKey: true }),
  sa.column("note", sa.text(), { nullable: true }),
);
`;
}

function v2(d: DialectName): string {
  const comments = d !== "sqlite";
  return `${SA_IMPORT}
export const authors = sa.table(
  "authors",
  sa.column("id", sa.integer(), { primaryKey: true }),
  sa.column("name", sa.string(100), { nullable: false${comments ? `, comment: "display name"` : ""} }),
  sa.column("email", sa.string(120), { nullable: true, unique: true }),
  sa.column("bio", sa.text(), { nullable: false }),
  sa.column("rating", sa.integer(), { nullable: true, serverDefault: 5 }),
  ${comments ? `{ comment: "people who write books" },` : ""}
);
export const books = sa.table(
  "books",
  sa.column("id", sa.integer(), { primaryKey: true }),
  sa.column("author_id", sa.integer(), { nullable: false }),
  sa.column("title", sa.string(300), { nullable: false }),
  sa.column("price", sa.numeric(10, 2), { nullable: true, serverDefault: sa.sql("0") }),
  sa.column("status", sa.enumType("book_status", ["draft", "review", "published"]), { nullable: false, serverDefault: "draft" }),
  sa.column("isbn", sa.string(20), { nullable: true }),
  sa.foreignKey(["author_id"], "authors", ["id"], { name: "fk_books_author" }),
  sa.unique(["title", "author_id"], { name: "uq_books_title_author" }),
  sa.check("price >= 0"),
  sa.check("length(title) > 0", { name: "ck_books_title" }),
  sa.index("ix_books_isbn", ["isbn"], { unique: true }),
);
export const reviews = sa.table(
  "reviews",
  sa.column("id", sa.integer(), { primaryKey: true, autoincrement: true }),
  sa.column("book_id", sa.integer(), { nullable: false }),
  sa.column("body", sa.text(), { nullable: false }),
  sa.column("stars", sa.smallInteger(), { nullable: false, serverDefault: 3 }),
  sa.foreignKey(["book_id"], "books", ["id"], { onDelete: "CASCADE" }),
  sa.index("ix_reviews_book_id", ["book_id"]),
);
`;
}

function v3(d: DialectName): string {
  const comments = d !== "sqlite";
  const partial = d !== "mysql";
  return `${SA_IMPORT}
export const authors = sa.table(
  "authors",
  sa.column("id", sa.integer(), { primaryKey: true }),
  sa.column("full_name", sa.string(100), { nullable: false${comments ? `, comment: "display name"` : ""} }),
  sa.column("email", sa.string(120), { nullable: true }),
  sa.column("bio", sa.text(), { nullable: false }),
  sa.column("rating", sa.integer(), { nullable: true }),
);
export const books = sa.table(
  "books",
  sa.column("id", sa.integer(), { primaryKey: true }),
  sa.column("author_id", sa.integer(), { nullable: false }),
  sa.column("title", sa.string(300), { nullable: false }),
  sa.column("price", sa.numeric(10, 2), { nullable: true, serverDefault: sa.sql("0") }),
  sa.column("status", sa.enumType("book_status", ["draft", "review", "published"]), { nullable: false, serverDefault: "draft" }),
  sa.column("isbn", sa.string(20), { nullable: true }),
  sa.foreignKey(["author_id"], "authors", ["id"], { name: "fk_books_author" }),
  sa.unique(["title", "author_id"], { name: "uq_books_title_author" }),
  sa.check("price >= 0"),
  sa.check("length(title) > 0", { name: "ck_books_title" }),
  sa.index("ix_books_isbn", ["isbn"], { unique: true }),
  ${partial ? `sa.index("ix_books_priced", ["title"], { where: "price > 0" }),` : ""}
);
export const book_reviews = sa.table(
  "book_reviews",
  sa.column("id", sa.integer(), { primaryKey: true, autoincrement: true }),
  sa.column("book_id", sa.integer(), { nullable: false }),
  sa.column("body", sa.text(), { nullable: false }),
  sa.column("stars", sa.smallInteger(), { nullable: false, serverDefault: 3 }),
  sa.index("ix_reviews_book_id", ["book_id"]),
);
`;
}

for (const dialect of DIALECTS) {
  describe(`autogenerate detects, applies and reverts every kind of difference on ${dialect}`, () => {
    let h: Harness;
    before(async () => {
      h = await Harness.create(dialect);
    });
    after(async () => {
      await h.close();
    });

    test("v1: tables with unique, check, foreign key, index, enum, comments", async () => {
      const expected: Kind[] = ["addTable", "addIndex"];
      if (dialect === "postgresql") expected.push("addEnum");
      await h.step(v1(dialect), expected);
    });

    test("v2: added/removed tables, columns, indexes, constraints; type, nullable, default, comment, enum changes", async () => {
      const expected: Kind[] = [
        "addTable", "removeTable", "addColumn", "removeColumn", "modifyType", "modifyNullable", "modifyDefault",
        "addIndex", "removeIndex", "addUniqueConstraint", "removeUniqueConstraint", "addForeignKey",
        "addCheckConstraint", "removeCheckConstraint",
      ];
      if (dialect !== "sqlite") expected.push("modifyComment", "modifyTableComment");
      if (dialect === "postgresql") expected.push("modifyEnum");
      const r = await h.step(v2(dialect), expected);
      // the new table references an existing one: created after it, with its FK inline
      assert.match(r.text, /sa\.foreignKey\(\["book_id"\], "books", \["id"\], \{ onDelete: "CASCADE" \}\)/);
      if (dialect === "postgresql") assert.match(r.text, /ALTER TYPE \\"book_status\\" ADD VALUE 'review' BEFORE 'published'/);
      if (dialect === "mysql") assert.match(r.text, /type: sa\.enumType\("book_status", \["draft", "review", "published"\]\),\n\s+existingType: sa\.enumType\("status", \["draft", "published"\]\)/);
    });

    test("v3: renames (asked interactively and given as flags), an unnamed unique and FK dropped, default and comment removed", async () => {
      const asked: string[] = [];
      const expected: Kind[] = ["renameTable", "renameColumn", "removeUniqueConstraint", "removeForeignKey", "modifyDefault"];
      if (dialect !== "sqlite") expected.push("removeTableComment");
      if (dialect !== "mysql") expected.push("addIndex");
      const r = await h.step(v3(dialect), expected, {
        renames: ["reviews:book_reviews"],
        prompt: async (c) => {
          asked.push(c.kind === "column" ? `${c.table}.${c.from}->${c.to}` : `${c.from}->${c.to}`);
          return true;
        },
      });
      assert.deepEqual(asked, ["authors.name->full_name"]);
      assert.match(r.text, /await op\.renameTable\("reviews", "book_reviews"\);/);
      assert.match(r.text, /newName: "full_name"/);
      assert.doesNotMatch(r.text, /WARNING/);
    });

    test("without renames, drop+add comes with a loud warning in the file", async () => {
      const source = v3(dialect).replace('sa.column("bio", sa.text(), { nullable: false })', 'sa.column("about", sa.text(), { nullable: false })');
      const r = await h.autogen(source, { message: "bio to about" });
      assert.match(r.text, /\/\/ WARNING: drops column authors\.bio and adds authors\.about: DATA IN bio WILL BE LOST\. If this is a rename, rerun with --rename authors\.bio:about/);
      assert.deepEqual(r.result.plan.renameCandidates, [{ kind: "column", table: "authors", from: "bio", to: "about" }]);
      assert.match(h.log.lines.join("\n"), /WARN {2}drops column authors\.bio/);
      await h.upgrade();
      assert.equal((await h.check()).upToDate, true);
    });

    const v4 = (withIndex: boolean) => v3(dialect)
      .replace('sa.column("bio", sa.text(), { nullable: false })', 'sa.column("about", sa.text(), { nullable: false })')
      .replace('sa.index("ix_books_isbn", ["isbn"], { unique: true }),', `sa.index("ix_books_isbn", ["isbn"], { unique: true }),${withIndex ? '\n  sa.index("ix_books_author", ["author_id", "title"]),' : ""}`);

    test("an index that covers a foreign key's columns is added and removed again (MySQL keeps an index for the key)", async () => {
      await h.step(v4(true), ["addIndex"]);
      await h.step(v4(false), ["removeIndex"]);
    });
  });
}
