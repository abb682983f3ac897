const COMMON = `
Settings:
  A side is configured as an application is: DATABASE_PROVIDER (memory, couchdb,
  postgres, ... or an adapter package name) plus that provider's variables, such as
  COUCHDB_URL / COUCHDB_USER / COUCHDB_PASSWORD or POSTGRES_URL, and DATABASE_TIMEOUT_MS.
  They come from the environment, or from a KEY=VALUE file given with --from-env /
  --to-env (then only that file is used for that side).

Collections:
  A database service cannot list its collections, so the six Gofannon collections
  (agents, deployments, users, sessions, tickets, demos) are used unless --collections
  names others.`;

const OUTPUT = `  -q, --quiet            print nothing but errors
      --json             print a JSON summary on stdout (no progress)
  -h, --help             show this help`;

const WRITING = `      --collections a,b  only these collections
      --dry-run          read and compare only; write nothing
      --verify           afterwards, compare the count and a content hash of every
                         collection on both sides
      --batch-size N     documents per page and per saveMany batch, 1-1000 (250)
      --concurrency N    batches written at once, 1-32 (4)
      --report FILE      where documents the target refuses are listed, as NDJSON
                         (default ./gofannon-db-failures-<time>.ndjson, written only
                         when there are failures)`;

const EXIT = `
Exit status: 0 done, 1 failures (refused documents, a verify mismatch, a backend or
file error), 2 bad usage or settings, 130 interrupted (Ctrl-C stops after the batches
in flight; a second Ctrl-C quits at once).`;

export const MAIN_HELP = `gofannon-db: export, import, migrate and count Gofannon DB collections

Usage:
  gofannon-db export FILE [options]     collections of a provider to an NDJSON file
  gofannon-db import FILE [options]     an export file into a provider
  gofannon-db migrate [options]         straight from one provider to another
  gofannon-db stats [FILE] [options]    documents per collection
  gofannon-db help COMMAND              options and examples of a command
  gofannon-db --version

Examples:
  DATABASE_PROVIDER=couchdb COUCHDB_URL=http://127.0.0.1:5984 \\
    COUCHDB_USER=admin COUCHDB_PASSWORD=secret gofannon-db export backup.ndjson.gz
  gofannon-db import backup.ndjson.gz --to-env postgres.env --verify
  gofannon-db migrate --from-env couch.env --to-env postgres.env --verify
${COMMON}
${EXIT}
`;

export const EXPORT_HELP = `gofannon-db export FILE: write collections of a provider to a file

Usage:
  gofannon-db export FILE [--from-env FILE] [options]

Writes a header line (format, version, provider, time), one JSON line per document
({"collection", "id", "data"}), and an end line with the document count and the SHA-256
of the document lines. Gzip when FILE
ends in .gz. The file is written under a temporary name and only renamed to FILE once
complete.

Options:
      --from-env FILE    settings of the provider to read (default: the environment)
      --force            replace FILE if it exists
      --collections a,b  only these collections
      --dry-run          read and count only; write no file
      --verify           read the finished file back and compare the count and content
                         hash of every collection with what was read
      --batch-size N     documents per page read, 1-1000 (250)
${OUTPUT}

Examples:
  gofannon-db export backup.ndjson.gz --from-env couch.env
  gofannon-db export agents.ndjson --collections agents,deployments --verify
  DATABASE_PROVIDER=postgres POSTGRES_URL=postgres://app@db/app gofannon-db export pg.ndjson.gz
${COMMON}
${EXIT}
`;

export const IMPORT_HELP = `gofannon-db import FILE: load an export file into a provider

Usage:
  gofannon-db import FILE [--to-env FILE] [options]

Reads FILE twice: first the whole file is checked (a bad line, or a file whose lines do
not match the end line's count and hash, stops the run before anything is written,
naming the line), then the documents are written in batches. When a collection and id
appear on several lines, only the last copy is written. Documents the target already
holds with equal content are skipped, so running the same import again writes nothing.

Options:
      --to-env FILE      settings of the provider to write (default: the environment)
${WRITING}
${OUTPUT}

Examples:
  gofannon-db import backup.ndjson.gz --to-env postgres.env --verify
  gofannon-db import backup.ndjson --collections users --dry-run
  gofannon-db import backup.ndjson.gz --to-env couch.env --report refused.ndjson
${COMMON}
${EXIT}
`;

export const MIGRATE_HELP = `gofannon-db migrate: copy collections from one provider to another

Usage:
  gofannon-db migrate --from-env FILE --to-env FILE [options]

Reads the source page by page and writes saveMany batches to the target with bounded
concurrency. Documents the target already holds with equal content are skipped, so a
second run changes nothing and a run stopped part-way (Ctrl-C, target down) completes
when run again. At least one side must come from a file.

Options:
      --from-env FILE    settings of the source (default: the environment)
      --to-env FILE      settings of the target (default: the environment)
${WRITING}
${OUTPUT}

Examples:
  gofannon-db migrate --from-env couch.env --to-env postgres.env --verify
  gofannon-db migrate --from-env couch.env --to-env postgres.env --dry-run
  DATABASE_PROVIDER=couchdb ... gofannon-db migrate --to-env postgres.env --json
${COMMON}
${EXIT}
`;

export const STATS_HELP = `gofannon-db stats: documents per collection

Usage:
  gofannon-db stats [--from-env FILE] [options]   of a provider
  gofannon-db stats FILE [options]                of an export file (checks every line)

Options:
      --from-env FILE    settings of the provider (default: the environment)
      --collections a,b  only these collections
${OUTPUT}

Examples:
  gofannon-db stats --from-env couch.env
  gofannon-db stats backup.ndjson.gz --json
${COMMON}
`;

export const HELP: Readonly<Record<string, string>> = {
  export: EXPORT_HELP,
  import: IMPORT_HELP,
  migrate: MIGRATE_HELP,
  stats: STATS_HELP,
};
