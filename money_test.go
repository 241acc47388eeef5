package payments_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/unipay/payments"
)

func TestMinorUnits(t *testing.T) {
	want := map[string]int{
		"EUR": 2, "USD": 2, "GBP": 2, "XOF": 0, "XAF": 0, "GNF": 0, "NGN": 2, "GHS": 2, "KES": 2,
		"CDF": 2, "RWF": 0, "UGX": 0, "TZS": 2, "ZAR": 2, "MAD": 2, "ZMW": 2, "MWK": 2, "SLE": 2, "EGP": 2,
		"TND": 3,
	}
	for c, d := range want {
		got, ok := payments.MinorUnits(c)
		require.True(t, ok, c)
		assert.Equal(t, d, got, c)
	}
	_, ok := payments.MinorUnits("ZZZ")
	assert.False(t, ok)
	_, ok = payments.MinorUnits("eur")
	assert.False(t, ok, "codes are upper case")
	assert.Contains(t, payments.Currencies(), "XOF")
}

func TestFromMajor(t *testing.T) {
	cases := []struct {
		major    int64
		currency string
		want     int64
	}{
		{50, "EUR", 5000},
		{5000, "XOF", 5000},
		{1, "TND", 1000},
		{0, "USD", 0},
		{-3, "GBP", -300},
	}
	for _, c := range cases {
		m, err := payments.FromMajor(c.major, c.currency)
		require.NoError(t, err)
		assert.Equal(t, payments.Money{Amount: c.want, Currency: c.currency}, m)
	}

	_, err := payments.FromMajor(1, "ZZZ")
	assert.ErrorIs(t, err, payments.ErrInvalidRequest)
	_, err = payments.FromMajor(1<<62, "EUR")
	assert.ErrorIs(t, err, payments.ErrInvalidRequest, "overflow must be refused, not wrapped around")
}

func TestMajor(t *testing.T) {
	got, err := payments.Money{Amount: 5000, Currency: "EUR"}.Major()
	require.NoError(t, err)
	assert.Equal(t, int64(50), got)

	got, err = payments.Money{Amount: 5001, Currency: "XOF"}.Major()
	require.NoError(t, err)
	assert.Equal(t, int64(5001), got, "a zero-decimal amount is already whole")

	_, err = payments.Money{Amount: 1050, Currency: "USD"}.Major()
	require.ErrorIs(t, err, payments.ErrInvalidRequest, "10.50 USD has a fractional major part")
	var perr *payments.Error
	require.ErrorAs(t, err, &perr)
	_, named := perr.Field("Amount")
	assert.True(t, named)
	assert.Contains(t, err.Error(), "10.50 USD")

	_, err = payments.Money{Amount: 1, Currency: "ZZZ"}.Major()
	assert.ErrorIs(t, err, payments.ErrInvalidRequest)
}

func TestParseMajor(t *testing.T) {
	ok := []struct {
		in, currency string
		want         int64
	}{
		{"10.50", "EUR", 1050},
		{"10.5", "EUR", 1050},
		{"200", "XOF", 200},
		{"100.0", "XOF", 100},
		{"100.000", "USD", 10000},
		{"-2.25", "EUR", -225},
		{"0.001", "TND", 1},
	}
	for _, c := range ok {
		m, err := payments.ParseMajor(c.in, c.currency)
		require.NoError(t, err, c.in)
		assert.Equal(t, payments.Money{Amount: c.want, Currency: c.currency}, m, c.in)
	}
	bad := []struct{ in, currency string }{
		{"10.505", "EUR"}, // would need rounding
		{"200.5", "XOF"},  // would need rounding
		{"1e3", "EUR"},
		{"", "EUR"},
		{".5", "EUR"},
		{"12,50", "EUR"},
		{"99999999999999999999", "EUR"},
		{"10", "ZZZ"},
	}
	for _, c := range bad {
		_, err := payments.ParseMajor(c.in, c.currency)
		assert.ErrorIs(t, err, payments.ErrInvalidRequest, "%q %s", c.in, c.currency)
	}
}

func TestMoneyString(t *testing.T) {
	cases := map[payments.Money]string{
		{Amount: 5000, Currency: "EUR"}:  "50.00 EUR",
		{Amount: 5, Currency: "EUR"}:     "0.05 EUR",
		{Amount: -1050, Currency: "USD"}: "-10.50 USD",
		{Amount: 5000, Currency: "XOF"}:  "5000 XOF",
		{Amount: 1234, Currency: "TND"}:  "1.234 TND",
		{Amount: 7, Currency: "ZZZ"}:     "7 ZZZ",
	}
	for m, want := range cases {
		assert.Equal(t, want, m.String())
	}
}

func FuzzMoneyRoundTrip(f *testing.F) {
	f.Add(int64(5000), "EUR")
	f.Add(int64(-1), "XOF")
	f.Add(int64(1234), "TND")
	f.Fuzz(func(t *testing.T, amount int64, currency string) {
		m := payments.Money{Amount: amount, Currency: currency}
		if _, ok := payments.MinorUnits(currency); !ok {
			return
		}
		s := m.String()
		back, err := payments.ParseMajor(s[:len(s)-len(currency)-1], currency)
		if err != nil {
			t.Fatalf("ParseMajor(String(%v)) = %v", m, err)
		}
		if back != m {
			t.Fatalf("round trip %v → %q → %v", m, s, back)
		}
	})
}
