//go:build race

package paymentsotel_test

// raceBuild reports whether the race detector is on: it makes the SDK
// allocate more (3 more a call, in what it does with a span's attributes).
const raceBuild = true
