import type { DialectName } from "../dialects/types.js";

/** The embedded default when no URL is configured anywhere. */
export const DEFAULT_DATABASE_URL = "sqlite:./athanor.db";

export interface DatabaseUrl {
  dialect: DialectName;
  /** The URL exactly as given (contains the password; never print it: use `redacted`). */
  raw: string;
  /** The URL with any password replaced by `***`: the only form that may be shown. */
  redacted: string;
  /** For SQLite: the file path (relative paths are relative to the working directory) or ":memory:". */
  filename?: string;
  host?: string;
  port?: number;
  user?: string;
  password?: string;
  database?: string;
  /** Query-string options (e.g. sslmode). */
  options: Record<string, string>;
}

export class UrlError extends Error {
  override name = "UrlError";
}

const SCHEMES: Record<string, DialectName> = {
  postgres: "postgresql",
  postgresql: "postgresql",
  mysql: "mysql",
  mariadb: "mysql",
  sqlite: "sqlite",
};

/** Parse a database URL of the SPEC's forms; errors never echo the password. */
export function parseDatabaseUrl(raw: string): DatabaseUrl {
  const trimmed = raw.trim();
  const schemeMatch = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(trimmed);
  const scheme = schemeMatch?.[1]?.toLowerCase().split("+")[0];
  const dialect = scheme ? SCHEMES[scheme] : undefined;
  if (!dialect) {
    throw new UrlError(
      `Unsupported database URL '${redactUrl(trimmed)}': expected postgres://, postgresql://, mysql://, mariadb:// or sqlite:`,
    );
  }
  if (dialect === "sqlite") return parseSqliteUrl(trimmed);
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    throw new UrlError(`Malformed database URL '${redactUrl(trimmed)}'`);
  }
  const options: Record<string, string> = {};
  url.searchParams.forEach((value, key) => (options[key] = value));
  const database = decodeURIComponent(url.pathname.replace(/^\//, ""));
  return {
    dialect,
    raw: trimmed,
    redacted: redactUrl(trimmed),
    host: url.hostname.replace(/^\[|\]$/g, "") || "localhost",
    port: url.port ? Number(url.port) : undefined,
    user: url.username ? decodeURIComponent(url.username) : undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
    database: database || undefined,
    options,
  };
}

function parseSqliteUrl(raw: string): DatabaseUrl {
  // sqlite:./rel.db, sqlite:/abs.db, sqlite::memory:, and the SQLAlchemy-style sqlite:///rel.db / sqlite:////abs.db
  let rest = raw.replace(/^sqlite:/i, "");
  const [pathPart, query = ""] = splitOnce(rest, "?");
  rest = pathPart;
  if (rest.startsWith("///")) rest = rest.slice(3);
  else if (rest.startsWith("//")) rest = rest.slice(2);
  if (rest === "" || rest === ":memory:") rest = ":memory:";
  const options: Record<string, string> = {};
  new URLSearchParams(query).forEach((value, key) => (options[key] = value));
  return { dialect: "sqlite", raw, redacted: raw, filename: rest, options };
}

function splitOnce(s: string, sep: string): [string, string | undefined] {
  const i = s.indexOf(sep);
  return i < 0 ? [s, undefined] : [s.slice(0, i), s.slice(i + sep.length)];
}

/** Replace the password of any URL-looking text with `***`. Safe on arbitrary text. */
export function redactUrl(text: string): string {
  return text.replace(/([a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^:/@\s]*:)([^@\s]*)(@)/g, "$1***$3");
}

/** Redact every known secret (and URL passwords) from a message before it is shown. */
export function redactSecrets(text: string, secrets: Iterable<string | undefined> = []): string {
  let out = redactUrl(text);
  for (const secret of secrets) {
    if (secret && secret.length > 0) out = out.split(secret).join("***");
  }
  return out;
}

