package redisstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/unipay/payments"
	redisstore "github.com/unipay/payments/stores/redis"
	"github.com/unipay/payments/stores/redis/internal/redistest"
)

func TestKeysAreThePrefixTheKindAndTheLibrarysKey(t *testing.T) {
	srv := redistest.Start(t)
	rdb := srv.Client(t)
	ctx := context.Background()
	s := redisstore.New(rdb)
	_, err := s.EventLog().Claim(ctx, "moneroo:payment.success:py_1:success", "o", time.Minute)
	require.NoError(t, err)
	require.NoError(t, s.TokenStore().Save(ctx, "helloasso:abc", []byte("tok"), time.Hour))
	require.NoError(t, s.RateLimiter().Wait(ctx, payments.Limit{Key: "moneroo:acct:requests", Count: 120, Per: time.Minute}))
	other := redisstore.New(rdb, redisstore.WithPrefix("shop-b:"))
	require.NoError(t, other.TokenStore().Save(ctx, "helloasso:abc", []byte("b"), 0))

	keys, err := rdb.Keys(ctx, "*").Result()
	require.NoError(t, err)
	assert.ElementsMatch(t, []string{"payments:event:moneroo:payment.success:py_1:success", "payments:token:helloasso:abc",
		"payments:limit:moneroo:acct:requests", "shop-b:token:helloasso:abc"}, keys)
	for _, k := range keys {
		if k == "shop-b:token:helloasso:abc" {
			continue
		}
		ttl, err := rdb.PTTL(ctx, k).Result()
		require.NoError(t, err)
		assert.Positive(t, ttl, "%s expires: nothing is kept for ever", k)
	}
	v, err := s.TokenStore().Load(ctx, "helloasso:abc")
	require.NoError(t, err)
	assert.Equal(t, []byte("tok"), v, "prefixes keep stores apart")
}

// A Redis that comes back serves again through the same client: no replica
// needs restarting.
func TestTheStoreRecoversWhenRedisComesBack(t *testing.T) {
	srv := redistest.Start(t)
	l := redisstore.New(srv.Client(t)).EventLog()
	ctx := context.Background()
	_, err := l.Claim(ctx, "a", "o", time.Minute)
	require.NoError(t, err)
	srv.Stop()
	_, err = l.Claim(ctx, "b", "o", time.Minute)
	require.Error(t, err)
	srv.Restart(t)
	state, err := l.Claim(ctx, "b", "o", time.Minute)
	require.NoError(t, err, "the client reconnects")
	assert.Equal(t, payments.Claimed, state)
}
