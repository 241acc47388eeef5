// Command replica is one replica of a service sharing its state on Redis,
// for the multi-process tests of this module (see the library's
// internal/replicas).
package main

import (
	"context"

	"github.com/redis/go-redis/v9"

	"github.com/unipay/payments/internal/replicas"
	redisstore "github.com/unipay/payments/stores/redis"
)

func main() {
	replicas.Main(func(_ context.Context, url, namespace string) (replicas.Stores, func(), error) {
		opt, err := redis.ParseURL(url)
		if err != nil {
			return replicas.Stores{}, nil, err
		}
		opt.ContextTimeoutEnabled = true
		rdb := redis.NewClient(opt)
		s := redisstore.New(rdb, redisstore.WithPrefix(namespace))
		return replicas.Stores{EventLog: s.EventLog(), TokenStore: s.TokenStore(), RateLimiter: s.RateLimiter()},
			func() { _ = rdb.Close() }, nil
	})
}
