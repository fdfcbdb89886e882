import {
  bigInteger, binary, boolean, check, column, customType, date, dateTime, enumType, float, foreignKey,
  index, integer, json, numeric, primaryKey, smallInteger, sql, string, table, text, time, unique, uuid,
} from "./builders.js";

export * from "./types.js";
export {
  deepFreeze, clonePlain, isSqlExpression, isSqlType, isIntegerType, tablePrimaryKey, isAutoincrement, conditionText,
  referentialAction, indexElements, validateServerDefault,
} from "./builders.js";
export type { ColumnOptions, ForeignKeyOptions, IndexOptions } from "./builders.js";

/** The schema vocabulary shared by schema declarations and `op` arguments. */
export const sa = Object.freeze({
  table,
  column,
  primaryKey,
  unique,
  check,
  foreignKey,
  index,
  sql,
  integer,
  bigInteger,
  smallInteger,
  string,
  text,
  boolean,
  dateTime,
  date,
  time,
  numeric,
  float,
  json,
  uuid,
  binary,
  enumType,
  customType,
});
