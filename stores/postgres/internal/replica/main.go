// Command replica is one replica of a service sharing its state in
// PostgreSQL, for the multi-process tests of this module (see the
// library's internal/replicas). Like a real replica, it migrates at
// start-up.
package main

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/unipay/payments/internal/replicas"
	pgstore "github.com/unipay/payments/stores/postgres"
)

func main() {
	replicas.Main(func(ctx context.Context, url, namespace string) (replicas.Stores, func(), error) {
		pool, err := pgxpool.New(ctx, url)
		if err != nil {
			return replicas.Stores{}, nil, err
		}
		if err := pgstore.Migrate(ctx, pool, pgstore.WithSchema(namespace)); err != nil {
			pool.Close()
			return replicas.Stores{}, nil, err
		}
		s := pgstore.New(pool, pgstore.WithSchema(namespace))
		return replicas.Stores{EventLog: s.EventLog(), TokenStore: s.TokenStore(), RateLimiter: s.RateLimiter()}, pool.Close, nil
	})
}
