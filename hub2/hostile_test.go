package hub2_test

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/unipay/payments"
	"github.com/unipay/payments/hub2"
	"github.com/unipay/payments/hub2/hub2test"
	"github.com/unipay/payments/paymentstest"
	"github.com/unipay/payments/paymentstest/suite"
)

// TestHostileProvider crosses every operation of the adapter, the standard
// ones and Hub2's own (attempts, OTPs, intent and status reads, fees,
// webhook registration, WaitForFinal), with a provider that answers badly.
func TestHostileProvider(t *testing.T) {
	suite.Hostile(t, hostileHarness((*hub2test.Server).Config, allHub2Ops))
}

// TestHostileProviderReadWithToken runs the reads again with
// Config.ReadWithToken, which puts the intent's JWT in their query.
func TestHostileProviderReadWithToken(t *testing.T) {
	withToken := func(s *hub2test.Server) hub2.Config {
		cfg := s.Config()
		cfg.ReadWithToken = true
		return cfg
	}
	suite.Hostile(t, hostileHarness(withToken, readOps))
}

// hostileRig holds what a cell's operations share: the simulator behind the
// injector, and the client JWT of each intent the harness created.
type hostileRig struct {
	srv    *hub2test.Server
	tokens sync.Map // intent id → client JWT
}

func (r *hostileRig) create(t *testing.T, c payments.Checkout, provider string) *payments.Session {
	t.Helper()
	req := order(provider)
	if provider == "" {
		req.Options = nil
	}
	s, err := c.Create(context.Background(), req)
	require.NoError(t, err, "Create against the working provider")
	r.tokens.Store(s.ID, s.ClientToken)
	return s
}

func (r *hostileRig) token(id string) string {
	v, _ := r.tokens.Load(id)
	s, _ := v.(string)
	return s
}

func hostileHarness(config func(*hub2test.Server) hub2.Config, ops func(*hostileRig) []suite.HostileOp) suite.HostileHarness {
	rig := &hostileRig{}
	intentRead := func(r *http.Request, _ []byte) bool {
		return r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, "/payment-intents/") &&
			strings.Count(r.URL.Path, "/") == 2
	}
	return suite.HostileHarness{
		New: func(t *testing.T, opts ...payments.Option) payments.Checkout {
			rig.srv = hub2test.NewServer()
			t.Cleanup(rig.srv.Close)
			c, err := hub2.New(config(rig.srv), append([]payments.Option{payments.WithBaseURL(rig.srv.URL)}, opts...)...)
			require.NoError(t, err)
			return c
		},
		// Wave: its session waits for a redirection, which RedirectURL reads.
		NewRequest: func() payments.CreateRequest { return order(hub2test.ProviderRedirect) },
		Pay:        func(t *testing.T, s *payments.Session) { require.NoError(t, rig.srv.Pay(s.ID)) },
		Secrets:    []string{hub2test.APIKey, hub2test.WebhookSecret},
		Create: func(r *http.Request, _ []byte) bool {
			return r.Method == http.MethodPost && r.URL.Path == "/payment-intents"
		},
		Verify:      intentRead,
		RedirectURL: intentRead,
		Extra:       ops(rig),
	}
}

// readOps are Hub2's reads of an intent, which Config.ReadWithToken changes.
func readOps(rig *hostileRig) []suite.HostileOp {
	ussd := func(t *testing.T, c payments.Checkout) string { return rig.create(t, c, hub2test.ProviderUSSD).ID }
	typedReadSkip := map[string]string{
		"unknown status": "the typed read returns Hub2's open status string as sent; Verify checks its mapping on the same answer",
	}
	return []suite.HostileOp{
		{Name: "GetPaymentIntent", Prepare: ussd, Skip: typedReadSkip,
			Match: func(r *http.Request, _ []byte) bool {
				return r.Method == http.MethodGet && strings.Count(r.URL.Path, "/") == 2 && strings.HasPrefix(r.URL.Path, "/payment-intents/")
			},
			Run: func(ctx context.Context, c payments.Checkout, id string) (*payments.Payment, error) {
				_, err := c.(*hub2.Client).GetPaymentIntent(ctx, id)
				return nil, err
			}},
		{Name: "PaymentIntentStatus", Prepare: ussd, Skip: typedReadSkip,
			Match: func(r *http.Request, _ []byte) bool {
				return r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/status") && strings.HasPrefix(r.URL.Path, "/payment-intents/")
			},
			Run: func(ctx context.Context, c payments.Checkout, id string) (*payments.Payment, error) {
				_, err := c.(*hub2.Client).PaymentIntentStatus(ctx, id)
				return nil, err
			}},
		{Name: "WaitForFinal",
			// A paid intent: WaitForFinal reads its status, then the whole
			// intent, and returns; the client's pauses between polls take
			// no time, so that a cell does not wait seconds.
			Prepare: func(t *testing.T, c payments.Checkout) string {
				hub2.SetSleep(c.(*hub2.Client), func(ctx context.Context, _ time.Duration) error { return ctx.Err() })
				s := rig.create(t, c, hub2test.ProviderUSSD)
				require.NoError(t, rig.srv.Pay(s.ID))
				return s.ID
			},
			Match: func(r *http.Request, _ []byte) bool {
				return r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, "/payment-intents/")
			},
			Run: func(ctx context.Context, c payments.Checkout, id string) (*payments.Payment, error) {
				return c.(*hub2.Client).WaitForFinal(ctx, id)
			}},
	}
}

// allHub2Ops are the reads, and Hub2's calls that are not reads of an
// intent: attempts and OTPs (which must never be sent twice), a payment's
// status, fees, webhook registration.
func allHub2Ops(rig *hostileRig) []suite.HostileOp {
	intentAnswer := map[string]string{
		"unknown status": "the answer is Hub2's PaymentIntent, whose open status string is kept as sent; Verify checks its mapping",
	}
	ops := readOps(rig)
	return append(ops,
		suite.HostileOp{Name: "AttemptPayment", Unsafe: true, Skip: intentAnswer,
			Prepare: func(t *testing.T, c payments.Checkout) string { return rig.create(t, c, "").ID },
			Match: func(r *http.Request, _ []byte) bool {
				return r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/payments")
			},
			Run: func(ctx context.Context, c payments.Checkout, id string) (*payments.Payment, error) {
				_, err := c.(*hub2.Client).AttemptPayment(ctx, id, hub2.AttemptRequest{
					Token: rig.token(id), PaymentMethod: hub2.MobileMoney, Country: hub2test.Country, Provider: hub2test.ProviderUSSD,
					MobileMoney: &hub2.MobileMoneyDetail{MSISDN: hub2test.TestMSISDN},
				})
				return nil, err
			}},
		suite.HostileOp{Name: "Authenticate", Unsafe: true, Skip: intentAnswer,
			Prepare: func(t *testing.T, c payments.Checkout) string { return rig.create(t, c, hub2test.ProviderOTP).ID },
			Match: func(r *http.Request, _ []byte) bool {
				return r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/authentication")
			},
			Run: func(ctx context.Context, c payments.Checkout, id string) (*payments.Payment, error) {
				_, err := c.(*hub2.Client).Authenticate(ctx, id, rig.token(id), "1234")
				return nil, err
			}},
		suite.HostileOp{Name: "PaymentStatus",
			Skip: map[string]string{"unknown status": "the typed read returns Hub2's open status string as sent"},
			// The id asked about is the attempt's (pay_…).
			Prepare: func(t *testing.T, c payments.Checkout) string {
				s := rig.create(t, c, hub2test.ProviderUSSD)
				pi, err := c.(*hub2.Client).GetPaymentIntent(context.Background(), s.ID)
				require.NoError(t, err)
				require.NotNil(t, pi.LastPayment())
				return pi.LastPayment().ID
			},
			Match: func(r *http.Request, _ []byte) bool {
				return r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, "/payments/")
			},
			Run: func(ctx context.Context, c payments.Checkout, id string) (*payments.Payment, error) {
				_, err := c.(*hub2.Client).PaymentStatus(ctx, id)
				return nil, err
			}},
		suite.HostileOp{Name: "PaymentFees",
			Skip: map[string]string{
				// Reported to the suite's maintainers: echoBody merges into
				// objects only.
				"credentials echoed in an answer": "the fault replaces Hub2's JSON array of fees by an object, which is malformed; " +
					"the echo in an error body (the cell before) covers the leak",
			},
			Prepare: func(t *testing.T, c payments.Checkout) string { return rig.create(t, c, "").ID },
			Match: func(r *http.Request, _ []byte) bool {
				return r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/payment-fees")
			},
			Run: func(ctx context.Context, c payments.Checkout, id string) (*payments.Payment, error) {
				_, err := c.(*hub2.Client).PaymentFees(ctx, id, hub2.FeesQuery{Country: hub2test.Country, Provider: hub2test.ProviderUSSD})
				return nil, err
			}},
		// Registering twice makes two webhooks: a create, sent once.
		suite.HostileOp{Name: "RegisterWebhook", Unsafe: true,
			Skip:    map[string]string{"another id": "a registration asks about no payment", "unknown status": "a webhook's status is not a payment's"},
			Prepare: func(*testing.T, payments.Checkout) string { return "" },
			Match: func(r *http.Request, _ []byte) bool {
				return r.Method == http.MethodPost && r.URL.Path == "/webhooks"
			},
			Run: func(ctx context.Context, c payments.Checkout, _ string) (*payments.Payment, error) {
				_, err := c.(*hub2.Client).RegisterWebhook(ctx, hub2.WebhookRequest{
					URL: "https://shop.example.com/hooks/hub2", Events: []string{"payment_intent.succeeded"}})
				return nil, err
			}},
	)
}

// TestHostileProviderRefundByTransfer runs the suite with refunds by
// transfer on: the standard Refund's request is the transfer (POST
// /transfers, which must never be sent twice), and Hub2's transfer calls
// and the settlements of refunds are crossed with every fault too.
func TestHostileProviderRefundByTransfer(t *testing.T) {
	withRefunds := func(s *hub2test.Server) hub2.Config {
		cfg := s.Config()
		cfg.RefundByTransfer = true
		return cfg
	}
	h := hostileHarness(withRefunds, transferOps)
	h.Refund = isTransferCreation
	h.RefundOptions = payer
	suite.Hostile(t, h)
}

func isTransferCreation(r *http.Request, _ []byte) bool {
	return r.Method == http.MethodPost && r.URL.Path == "/transfers"
}

// transferOps are Hub2's transfer calls, and the two settlements of a
// refund: by its transfer's status, and by reference from the list.
func transferOps(rig *hostileRig) []suite.HostileOp {
	ctx := context.Background()
	arrayAnswer := "the fault replaces Hub2's JSON array of transfers by an object, which is malformed; the echo in an error body (the cell before) covers the leak"
	newTransfer := func(t *testing.T, c payments.Checkout) string {
		tr, err := c.(*hub2.Client).CreateTransfer(ctx, transferRequest("payout 1"))
		require.NoError(t, err, "CreateTransfer against the working provider")
		return tr.ID
	}
	// refunded returns a paid payment refunded in part by transfer; lost
	// makes the transfer's answer arrive cut short, so that the refund
	// stays reserved.
	refunded := func(lost bool) func(t *testing.T, c payments.Checkout) string {
		return func(t *testing.T, c payments.Checkout) string {
			s := rig.create(t, c, hub2test.ProviderUSSD)
			require.NoError(t, rig.srv.Pay(s.ID))
			if lost {
				rig.srv.Faults.Add(paymentstest.Fault{Method: http.MethodPost, Path: "/transfers", Truncate: true})
			}
			_, err := c.Refund(ctx, payments.RefundRequest{PaymentID: s.ID, Amount: payments.Money{Amount: 1000, Currency: "XOF"}, Options: payer})
			if lost {
				require.ErrorIs(t, err, payments.ErrMalformedResponse)
			} else {
				require.NoError(t, err)
			}
			return s.ID
		}
	}
	settle := func(ctx context.Context, c payments.Checkout, id string) (*payments.Payment, error) {
		_, err := c.(*hub2.Client).SettleRefunds(ctx, id)
		return nil, err
	}
	return []suite.HostileOp{
		{Name: "CreateTransfer", Unsafe: true,
			Skip: map[string]string{
				"another id":     "a creation asks about no transfer; an answer about another reference is checked by the adapter's tests",
				"unknown status": "the typed call returns Hub2's open status string as sent",
			},
			Prepare: func(*testing.T, payments.Checkout) string { return "" },
			Match:   isTransferCreation,
			Run: func(ctx context.Context, c payments.Checkout, _ string) (*payments.Payment, error) {
				tr, err := c.(*hub2.Client).CreateTransfer(ctx, transferRequest("payout 2"))
				if tr != nil {
					return &payments.Payment{Raw: tr.Raw()}, err
				}
				return nil, err
			}},
		{Name: "GetTransfer", Prepare: newTransfer,
			Skip: map[string]string{"unknown status": "the typed call returns Hub2's open status string as sent"},
			Match: func(r *http.Request, _ []byte) bool {
				return r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, "/transfers/") && !strings.HasSuffix(r.URL.Path, "/status")
			},
			Run: func(ctx context.Context, c payments.Checkout, id string) (*payments.Payment, error) {
				tr, err := c.(*hub2.Client).GetTransfer(ctx, id)
				if tr != nil {
					return &payments.Payment{Raw: tr.Raw()}, err
				}
				return nil, err
			}},
		{Name: "TransferStatus", Prepare: newTransfer,
			Skip: map[string]string{"unknown status": "the typed call returns Hub2's open status string as sent"},
			Match: func(r *http.Request, _ []byte) bool {
				return r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, "/transfers/") && strings.HasSuffix(r.URL.Path, "/status")
			},
			Run: func(ctx context.Context, c payments.Checkout, id string) (*payments.Payment, error) {
				_, err := c.(*hub2.Client).TransferStatus(ctx, id)
				return nil, err
			}},
		{Name: "ListTransfers",
			Skip:    map[string]string{"credentials echoed in an answer": arrayAnswer},
			Prepare: func(t *testing.T, c payments.Checkout) string { newTransfer(t, c); return "" },
			Match: func(r *http.Request, _ []byte) bool {
				return r.Method == http.MethodGet && r.URL.Path == "/transfers"
			},
			Run: func(ctx context.Context, c payments.Checkout, _ string) (*payments.Payment, error) {
				_, err := c.(*hub2.Client).ListTransfers(ctx, hub2.TransferQuery{From: time.Now().Add(-time.Hour), To: time.Now().Add(time.Hour)})
				return nil, err
			}},
		// A pending refund settles by its transfer's status.
		{Name: "SettleRefunds/status", Prepare: refunded(false),
			Match: func(r *http.Request, _ []byte) bool {
				return r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, "/transfers/") && strings.HasSuffix(r.URL.Path, "/status")
			},
			Run: settle},
		// A reserved refund settles by finding its transfer by reference.
		{Name: "SettleRefunds/list", Prepare: refunded(true),
			Skip: map[string]string{
				"credentials echoed in an answer": arrayAnswer,
				"another id":                      "a list answers about any transfers: one with another reference is another transfer, which settles nothing",
			},
			Match: func(r *http.Request, _ []byte) bool {
				return r.Method == http.MethodGet && r.URL.Path == "/transfers"
			},
			Run: settle},
	}
}

// transferRequest is a valid payout to a CI Orange number.
func transferRequest(ref string) hub2.TransferRequest {
	return hub2.TransferRequest{Reference: ref, Amount: 1000, Currency: "XOF", Description: "supplier payout",
		Destination: hub2.TransferDestination{Type: hub2.DestinationMobileMoney, Country: "CI", RecipientName: "Kofi Mensah",
			MSISDN: "+2250700000000", Provider: "orange"}}
}
