# Sourced, not executed (needs scripts/lib/postgres.sh for PG_BIN). pg_fingerprint [pg_dump connection options] DATABASE:
# everything a migration builds in DATABASE — tables, columns, defaults, constraints, indexes, views, functions, aggregates,
# triggers, grants, default privileges, and the rows (the seed data) — in a form that two databases built by different
# migrations can be compared by: SQL comments, SET lines and pg_dump's session keys dropped, each table's columns in name
# order (a table created whole lists them in the model's order, one altered later in the order they were added), rows
# sorted, and the migration history left out. Used when squashing the migrations (ADR 0032, docs/operations.md):
#   diff <(pg_fingerprint -h 127.0.0.1 -p 55432 -U postgres before) <(pg_fingerprint -h 127.0.0.1 -p 55432 -U postgres after)
pg_fingerprint() {
  "$PG_BIN/pg_dump" --schema-only "$@" | awk '
    /^\\(un)?restrict / || /^--/ || /^SET / || /^SELECT pg_catalog.set_config/ || /^$/ { next }
    /^CREATE TABLE / { print; in_table = 1; next }
    in_table && /^\)/ { fflush(); close("sort"); print; in_table = 0; next }
    in_table { sub(/,$/, ""); print | "sort"; next }
    { print }'
  echo "-- rows (every table but the migration history)"
  "$PG_BIN/pg_dump" --data-only --inserts --rows-per-insert=1 --exclude-table-data=__ef_migrations_history "$@" \
    | grep '^INSERT ' | LC_ALL=C sort
}
