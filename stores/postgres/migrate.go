package pgstore

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Migrations holds the SQL files Migrate applies, in migrations/, named
// NNN_what.sql and applied in that order: for a migration tool of your own
// (apply each once, with the store's schema first on the search_path).
//
//go:embed migrations/*.sql
var Migrations embed.FS

// migrateLock is the transaction-level advisory lock Migrate holds, so that
// replicas starting together migrate one at a time.
const migrateLock = 0x7061796d656e7473 // "payments"

// Migrate creates or updates the store's tables: it applies, in one
// transaction, each file of Migrations that the table payments_migrations
// does not list yet, and lists it there. It is safe to call from every
// replica at start-up: they wait for each other, and what is applied is
// never applied again. With WithSchema, the schema is created if missing.
//
// The tables (see migrations/001_shared_state.sql): payments_events (the
// webhook event log), payments_tokens and payments_token_locks (credentials
// and their renewal locks), payments_rate_limits, and payments_migrations;
// and (migrations/002_refund_ledger.sql) payments_refunds and
// payments_refund_totals, the refund ledger. A database an earlier release
// migrated gains the tables of the later files only.
func Migrate(ctx context.Context, pool *pgxpool.Pool, opts ...Option) error {
	s := New(pool, opts...)
	files, err := migrationFiles()
	if err != nil {
		return err
	}
	tx, err := pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("pgstore: migrate: %w", err)
	}
	defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }()
	steps := []string{"SELECT pg_advisory_xact_lock(" + strconv.FormatInt(migrateLock, 10) + ")"}
	if s.schema != "" {
		id := pgx.Identifier{s.schema}.Sanitize()
		steps = append(steps, "CREATE SCHEMA IF NOT EXISTS "+id, "SET LOCAL search_path TO "+id)
	}
	steps = append(steps, `CREATE TABLE IF NOT EXISTS payments_migrations (
		version    integer     PRIMARY KEY,
		name       text        NOT NULL,
		applied_at timestamptz NOT NULL DEFAULT now())`)
	for _, q := range steps {
		if _, err := tx.Exec(ctx, q); err != nil {
			return fmt.Errorf("pgstore: migrate: %w", err)
		}
	}
	for _, f := range files {
		var applied bool
		if err := tx.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM payments_migrations WHERE version = $1)", f.version).Scan(&applied); err != nil {
			return fmt.Errorf("pgstore: migrate: %w", err)
		}
		if applied {
			continue
		}
		sql, err := fs.ReadFile(Migrations, f.path)
		if err != nil {
			return fmt.Errorf("pgstore: migrate: %w", err)
		}
		if _, err := tx.Exec(ctx, string(sql)); err != nil {
			return fmt.Errorf("pgstore: migrate %s: %w", f.name, err)
		}
		if _, err := tx.Exec(ctx, "INSERT INTO payments_migrations (version, name) VALUES ($1, $2)", f.version, f.name); err != nil {
			return fmt.Errorf("pgstore: migrate %s: %w", f.name, err)
		}
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("pgstore: migrate: %w", err)
	}
	return nil
}

type migration struct {
	version    int
	name, path string
}

// migrationFiles lists Migrations in the order they apply.
func migrationFiles() ([]migration, error) {
	entries, err := fs.ReadDir(Migrations, "migrations")
	if err != nil {
		return nil, fmt.Errorf("pgstore: migrations: %w", err)
	}
	var out []migration
	for _, e := range entries {
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || !strings.HasSuffix(e.Name(), ".sql") {
			return nil, fmt.Errorf("pgstore: migrations: %q is not NNN_name.sql", e.Name())
		}
		out = append(out, migration{version: v, name: e.Name(), path: path.Join("migrations", e.Name())})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	return out, nil
}
