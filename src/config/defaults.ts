/** Names of the tables athanor keeps in each database (configurable ones have config options). */
export const DEFAULT_VERSION_TABLE = "athanor_version";
export const DEFAULT_HISTORY_TABLE = "athanor_history";
/** Progress of interrupted `op.backfill` runs. */
export const DEFAULT_BACKFILL_TABLE = "athanor_backfill";
