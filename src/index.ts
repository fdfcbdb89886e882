/** athanor: database schema migrations for TypeScript. */
export { defineConfig } from "./config/types.js";
export type { AthanorConfig, DatabaseConfig, ConfigContext } from "./config/types.js";
export { sa } from "./schema/index.js";
export type { Op, Operations } from "./operations/index.js";
export type { BackfillOptions } from "./operations/backfill.js";
export { RevisionGraph } from "./graph/index.js";
export { GraphError } from "./graph/types.js";
export type { Revision, RevisionHeader, MigrationStep } from "./graph/types.js";
export * from "./api.js";
export {
  testMigrations,
  assertMigrations,
  MigrationTestError,
  testSingleHead,
  testUpgrade,
  testSchemaMatches,
  testUpDown,
  testDowngradeNoTrace,
  testData,
  textReport,
  junitXml,
} from "./testing/index.js";
export type {
  TestMigrationsOptions,
  SingleCheckOptions,
  TestReport,
  CheckResult,
  CheckName,
  CheckStatus,
  TestDb,
  DataHookContext,
  VerifyPhase,
} from "./testing/index.js";
