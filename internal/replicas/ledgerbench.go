package replicas

import (
	"context"
	"fmt"
	"testing"

	"github.com/unipay/payments"
)

// BenchReserve measures RefundLedger.Reserve of one refund, each on a
// payment that already has a few, and reports the store round trips
// (roundTrips counts them) per reservation: the target is one.
func BenchReserve(b *testing.B, l payments.RefundLedger, roundTrips func() int64) {
	ctx := context.Background()
	run := prefix()
	limit := payments.Money{Amount: 1 << 40, Currency: "XOF"}
	reserve := func(i int) {
		e := payments.RefundEntry{ID: fmt.Sprint("rf-", i), PaymentID: fmt.Sprint(run, "-", i%64),
			Amount: payments.Money{Amount: 1000, Currency: "XOF"}, Reason: "bench"}
		if err := l.Reserve(ctx, e, limit); err != nil {
			b.Fatal(err)
		}
	}
	reserve(-1) // loads the scripts or prepares the statements
	b.ReportAllocs()
	b.ResetTimer()
	before := roundTrips()
	for i := 0; i < b.N; i++ {
		reserve(i)
	}
	b.StopTimer()
	b.ReportMetric(float64(roundTrips()-before)/float64(b.N), "roundtrips/op")
}

// BenchUpdate measures RefundLedger.Update of a reserved refund to
// pending with its payout id, as a refund whose payout was accepted is
// recorded, and reports the store round trips per update: the target is
// one.
func BenchUpdate(b *testing.B, l payments.RefundLedger, roundTrips func() int64) {
	ctx := context.Background()
	run := prefix()
	limit := payments.Money{Amount: 1 << 40, Currency: "XOF"}
	payment := func(i int) string { return fmt.Sprint(run, "-", i%64) }
	for i := -1; i < b.N; i++ { // reserved beforehand, out of the measure
		e := payments.RefundEntry{ID: fmt.Sprint("rf-", i), PaymentID: payment(i), Amount: payments.Money{Amount: 1000, Currency: "XOF"}}
		if err := l.Reserve(ctx, e, limit); err != nil {
			b.Fatal(err)
		}
	}
	update := func(i int) {
		if err := l.Update(ctx, payment(i), fmt.Sprint("rf-", i), payments.RefundPending, fmt.Sprint(run, "-po-", i)); err != nil {
			b.Fatal(err)
		}
	}
	update(-1) // loads the scripts or prepares the statements
	b.ReportAllocs()
	b.ResetTimer()
	before := roundTrips()
	for i := 0; i < b.N; i++ {
		update(i)
	}
	b.StopTimer()
	b.ReportMetric(float64(roundTrips()-before)/float64(b.N), "roundtrips/op")
}
