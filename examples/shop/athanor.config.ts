/**
 * athanor's configuration for the shop. The database URL comes from the same place as the
 * server's (src/settings.ts): DATABASE_URL if set, otherwise the URL of the environment named by
 * APP_ENV (default development: an SQLite file in this folder).
 *
 *   npx athanor upgrade head                       # APP_ENV, or development
 *   npx athanor -x env=staging upgrade head        # staging's URL (STAGING_DATABASE_URL)
 */
import { defineConfig } from "athanor";
import { SettingsError, databaseUrl, environment, environmentUrl } from "./src/settings.js";

export default defineConfig(({ x }) => {
  let url: string;
  if (x.env !== undefined) {
    // athanor gives DATABASE_URL precedence over this file: with an explicit environment, a
    // DATABASE_URL left in the shell or in .env would silently win. Refuse instead.
    if (process.env.DATABASE_URL) {
      throw new SettingsError(`-x env=${x.env} was given but DATABASE_URL is set and would take precedence; unset it`);
    }
    url = environmentUrl(environment(process.env, x.env));
  } else {
    url = databaseUrl();
  }
  return {
    scriptLocation: "migrations",
    url,
    // The target schema (what `athanor revision --autogenerate` and `athanor check` compare with).
    schema: "./src/schema.ts",
  };
});
