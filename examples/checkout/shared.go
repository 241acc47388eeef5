package main

import (
	"context"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/unipay/payments"
	redisstore "github.com/unipay/payments/stores/redis"
)

// shared is the state the shop's replicas share on Redis when REDIS_URL is
// set (redis://host:6379/0): webhook events, HelloAsso's token and the rate
// limits. Without it (a nil *shared) each process keeps its own in memory,
// which is right for one process.
type shared struct {
	rdb   *redis.Client
	store *redisstore.Store
}

// openShared connects to REDIS_URL, or returns nil when it is not set.
func openShared(getenv func(string) string) (*shared, error) {
	u := getenv("REDIS_URL")
	if u == "" {
		return nil, nil
	}
	opt, err := redis.ParseURL(u)
	if err != nil {
		return nil, fmt.Errorf("REDIS_URL: %w", err)
	}
	opt.ContextTimeoutEnabled = true // a request's deadline bounds each Redis call
	rdb := redis.NewClient(opt)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := rdb.Ping(ctx).Err(); err != nil {
		_ = rdb.Close()
		return nil, fmt.Errorf("REDIS_URL: %w", err)
	}
	return &shared{rdb: rdb, store: redisstore.New(rdb, redisstore.WithPrefix("demo-shop:"))}, nil
}

// options are the client options that share the rate limits.
func (s *shared) options() []payments.Option {
	if s == nil {
		return nil
	}
	return []payments.Option{payments.WithRateLimiter(s.store.RateLimiter())}
}

// tokenStore is where HelloAsso's token is kept; nil: in memory.
func (s *shared) tokenStore() payments.TokenStore {
	if s == nil {
		return nil
	}
	return s.store.TokenStore()
}

// refundLedger is where refunds by payout are recorded; nil: in memory.
func (s *shared) refundLedger() payments.RefundLedger {
	if s == nil {
		return nil
	}
	return s.store.RefundLedger()
}

// handlerOptions are the webhook handlers' options that share the event log.
func (s *shared) handlerOptions() []payments.HandlerOption {
	if s == nil {
		return nil
	}
	return []payments.HandlerOption{payments.WithEventLog(s.store.EventLog())}
}

func (s *shared) where() string {
	if s == nil {
		return "memory (one process)"
	}
	return "redis " + s.rdb.Options().Addr
}

func (s *shared) Close() {
	if s != nil {
		_ = s.rdb.Close()
	}
}
