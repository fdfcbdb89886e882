import type { Operation } from "../operations/ops.js";
import type { CompileContext, CompilePlan, Compiler } from "./compiler-types.js";
import { mysqlCompiler } from "./mysql/compiler.js";
import { postgresCompiler } from "./postgres/compiler.js";
import { sqliteCompiler } from "./sqlite/compiler.js";
import type { DialectName, Statement } from "./types.js";

export type { CompileContext, CompilePlan, Compiler, TableRequirement } from "./compiler-types.js";
export { CompileError } from "./compile-base.js";
export { inlineStatementFor, quoteIdentifierFor, renderLiteralFor, scanSql } from "./compile-sql.js";

const COMPILERS: Readonly<Record<DialectName, Compiler>> = Object.freeze({
  postgresql: postgresCompiler,
  mysql: mysqlCompiler,
  sqlite: sqliteCompiler,
});

export function getCompiler(dialect: DialectName): Compiler {
  const c = COMPILERS[dialect];
  if (!c) throw new Error(`unknown dialect ${JSON.stringify(dialect)} (expected postgresql, mysql or sqlite)`);
  return c;
}

/** Compile one operation for a dialect. `ctx.tables` feeds SQLite's table recreate. */
export function compileOperation(op: Operation, dialect: DialectName, ctx: CompileContext = {}): Statement[] {
  return getCompiler(dialect).compile(op, ctx);
}

/** Like compileOperation, plus which tables are recreated ("move and copy", SQLite). */
export function planOperation(op: Operation, dialect: DialectName, ctx: CompileContext = {}): CompilePlan {
  return getCompiler(dialect).plan(op, ctx);
}

/** Render a statement with inlined literal parameters (for --sql output). */
export function inlineStatement(statement: Statement, dialect: DialectName): string {
  return getCompiler(dialect).inlineStatement(statement);
}
