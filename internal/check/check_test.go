package check

import (
	"math/rand/v2"
	"net/mail"
	"net/url"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/unipay/payments"
)

func validRequest() payments.CreateRequest {
	return payments.CreateRequest{
		Amount:      payments.Money{Amount: 5000, Currency: "EUR"},
		Reference:   "order-42",
		Description: "Two books\nand a pen",
		ReturnURL:   "https://shop.example.com/return",
		Customer: &payments.Customer{
			FirstName: "Awa", LastName: "Diallo", Email: "awa@example.com", Phone: "+22507000000",
			BillingAddress: &payments.Address{Line1: "Rue 12", City: "Abidjan", Country: "CI"},
		},
		Metadata: map[string]string{"color": "blue"},
	}
}

func fields(fe FieldErrors) []string {
	out := make([]string, len(fe))
	for i, f := range fe {
		out[i] = f.Field
	}
	return out
}

func TestCreateAcceptsAGoodRequest(t *testing.T) {
	assert.Empty(t, Create(validRequest()))
}

func TestCreateNamesEachBadFieldByItsGoPath(t *testing.T) {
	huge := strings.Repeat("x", 1<<20)
	cases := map[string]func(*payments.CreateRequest){
		"Amount":                           func(r *payments.CreateRequest) { r.Amount.Amount = 0 },
		"Amount.Currency":                  func(r *payments.CreateRequest) { r.Amount.Currency = "EURO" },
		"Reference":                        func(r *payments.CreateRequest) { r.Reference = "  " },
		"Reference ":                       func(r *payments.CreateRequest) { r.Reference = huge },
		"Reference  ":                      func(r *payments.CreateRequest) { r.Reference = "order\x00-42" },
		"Description":                      func(r *payments.CreateRequest) { r.Description = "bad \xff utf-8" },
		"Description ":                     func(r *payments.CreateRequest) { r.Description = huge },
		"ReturnURL":                        func(r *payments.CreateRequest) { r.ReturnURL = "shop.example.com/return" },
		"ReturnURL ":                       func(r *payments.CreateRequest) { r.ReturnURL = "https://shop.example.com/" + huge },
		"CancelURL":                        func(r *payments.CreateRequest) { r.CancelURL = "javascript:alert(1)" },
		"ErrorURL":                         func(r *payments.CreateRequest) { r.ErrorURL = "ftp://x.example.com" },
		"Customer.FirstName":               func(r *payments.CreateRequest) { r.Customer.FirstName = "A\u0007wa" },
		"Customer.LastName":                func(r *payments.CreateRequest) { r.Customer.LastName = huge },
		"Customer.CompanyName":             func(r *payments.CreateRequest) { r.Customer.CompanyName = "Corp\nSecond line" },
		"Customer.Email":                   func(r *payments.CreateRequest) { r.Customer.Email = "Awa <awa@example.com>" },
		"Customer.Phone":                   func(r *payments.CreateRequest) { r.Customer.Phone = "0700000000" },
		"Customer.DateOfBirth":             func(r *payments.CreateRequest) { r.Customer.DateOfBirth = time.Now().Add(48 * time.Hour) },
		"Customer.BillingAddress.City":     func(r *payments.CreateRequest) { r.Customer.BillingAddress.City = "Abi\ndjan" },
		"Customer.BillingAddress.Country":  func(r *payments.CreateRequest) { r.Customer.BillingAddress.Country = "CIV" },
		"Customer.DeliveryAddress.Country": func(r *payments.CreateRequest) { r.Customer.DeliveryAddress = &payments.Address{Country: "ci"} },
		"Metadata":                         func(r *payments.CreateRequest) { r.Metadata = map[string]string{" ": "x"} },
		"Metadata  ":                       func(r *payments.CreateRequest) { r.Metadata["color"] = huge },
		`Metadata["color"]`:                func(r *payments.CreateRequest) { r.Metadata["color"] = "\x1b[31mred" },
		`Metadata["col\x01"]`:              func(r *payments.CreateRequest) { r.Metadata = map[string]string{"col\x01": "x"} },
	}
	for name, mutate := range cases {
		t.Run(name, func(t *testing.T) {
			r := validRequest()
			mutate(&r)
			fe := Create(r)
			assert.Equal(t, []string{strings.TrimSpace(name)}, fields(fe))
			err := fe.Err(payments.Hub2, "create checkout")
			require.ErrorIs(t, err, payments.ErrInvalidRequest)
			var perr *payments.Error
			require.ErrorAs(t, err, &perr)
			assert.Equal(t, payments.Hub2, perr.Provider)
			assert.True(t, perr.NotSent)
			assert.Less(t, len(err.Error()), 400, "a huge value is not echoed back")
		})
	}
}

func TestCreateReportsEveryProblemAtOnce(t *testing.T) {
	fe := Create(payments.CreateRequest{})
	assert.ElementsMatch(t, []string{"Amount", "Amount.Currency", "Reference"}, fields(fe))
	assert.NoError(t, FieldErrors(nil).Err(payments.Hub2, "x"))
	many := map[string]string{}
	for i := range MaxMetadata + 1 {
		many[strings.Repeat("k", i+1)] = "v"
	}
	r := validRequest()
	r.Metadata = many
	assert.Equal(t, []string{"Metadata"}, fields(Create(r)))
}

func TestRefund(t *testing.T) {
	assert.Empty(t, Refund(payments.RefundRequest{PaymentID: "p1", Reason: "damaged\nparcel"}), "zero amount means a full refund")
	assert.Equal(t, []string{"PaymentID"}, fields(Refund(payments.RefundRequest{})))
	assert.Equal(t, []string{"Amount"}, fields(Refund(payments.RefundRequest{PaymentID: "p", Amount: payments.Money{Amount: -1, Currency: "EUR"}})))
	assert.Equal(t, []string{"Reason"}, fields(Refund(payments.RefundRequest{PaymentID: "p", Reason: strings.Repeat("r", MaxReason+1)})))
	assert.Equal(t, []string{"Reason"}, fields(Refund(payments.RefundRequest{PaymentID: "p", Reason: "nul\x00"})))
}

func TestIDsThatWouldChangeThePathAreRefused(t *testing.T) {
	for _, ok := range []string{"py_1abc", "pi_AbC-09", "12345", "paycheckout-1.2:3~x", strings.Repeat("a", MaxID)} {
		assert.NoError(t, PaymentID(payments.Moneroo, "verify", ok), ok)
	}
	for _, bad := range []string{"", " ", ".", "..", "a/b", "../x", "a?b", "a#b", "a%2Fb", "a b", "é", "a\x00", strings.Repeat("a", MaxID+1)} {
		err := PaymentID(payments.Moneroo, "verify", bad)
		require.ErrorIs(t, err, payments.ErrInvalidRequest, "%q", bad)
		var perr *payments.Error
		require.ErrorAs(t, err, &perr)
		assert.Equal(t, "PaymentID", perr.Fields[0].Field)
	}
}

// The fast path for plain addresses accepts nothing net/mail refuses.
func TestPlainAddressesAgreeWithNetMail(t *testing.T) {
	for _, s := range []string{"a.b+c@example.co", "awa@example.com", "o'neil@x.example.org", "a..b@example.com",
		".a@example.com", "a.@example.com", "a@example", "a@-x.example.com", "a@x..com", "a@@b.com", "a b@c.com",
		"a@b.com.", "user{tag}@example.fr", "é@example.com", "a@exa_mple.com", "\"quoted\"@example.com"} {
		if plainAddress(s) {
			_, err := mail.ParseAddress(s)
			assert.NoError(t, err, "%q passes the fast path, so net/mail must take it", s)
		}
	}
}

func TestCheckers(t *testing.T) {
	assert.True(t, Email("a.b+c@example.co"))
	for _, bad := range []string{"", "a@b", "@example.com", "a@example.com.", "a b@example.com", "a@example.com, b@example.com", strings.Repeat("a", 250) + "@example.com"} {
		assert.False(t, Email(bad), bad)
	}
	assert.True(t, E164("+2250700000000"))
	for _, bad := range []string{"+0123456789", "2250700000000", "+225 07 00", "+1234567", "+1234567890123456"} {
		assert.False(t, E164(bad), bad)
	}
	assert.Empty(t, URL("http://shop.example.com/x", false))
	assert.NotEmpty(t, URL("http://shop.example.com/x", true))
	assert.Empty(t, URL("https://shop.example.com/x?a=1", true))
	assert.NotEmpty(t, URL("https://shop.example.com/a b", false))
}

func TestOptionsAs(t *testing.T) {
	type mine struct{ Plan string }
	type theirs struct{ Plan string }
	var fe FieldErrors
	assert.Equal(t, mine{"a"}, OptionsAs[mine](mine{"a"}, &fe))
	assert.Equal(t, mine{"b"}, OptionsAs[mine](&mine{"b"}, &fe))
	assert.Equal(t, mine{}, OptionsAs[mine](nil, &fe))
	assert.Equal(t, mine{}, OptionsAs[mine]((*mine)(nil), &fe))
	assert.Empty(t, fe)
	assert.Equal(t, mine{}, OptionsAs[mine](theirs{"c"}, &fe))
	assert.Equal(t, []string{"Options"}, fields(fe))
	assert.Contains(t, fe[0].Message, "check.theirs are not check.mine")
}

// slowText is textRule without its fast path.
func slowText(s string, lines bool) bool {
	return utf8.ValidString(s) && strings.IndexFunc(s, func(r rune) bool {
		return unicode.IsControl(r) && !(lines && (r == '\n' || r == '\r' || r == '\t'))
	}) < 0
}

func TestPlainTextAgreesWithTheFullCheck(t *testing.T) {
	for _, lines := range []bool{false, true} {
		for c := range 256 {
			s := "ab" + string([]byte{byte(c)}) + "cd"
			if plainText(s, lines) {
				assert.True(t, slowText(s, lines), "byte %#x passes the fast path (lines %v), so the full check must take it", c, lines)
			}
		}
		for _, s := range []string{"", "Awa Diallo", "order-42", "Two books\nand a pen", "tab\there", "é", "a\x00", "\x1b[31m", "\u0085", "\x7f"} {
			if plainText(s, lines) {
				assert.True(t, slowText(s, lines), "%q passes the fast path", s)
			}
		}
	}
	assert.True(t, plainText("Two books\nand a pen", true), "the fast path takes ordinary prose")
	assert.True(t, plainText("Awa Diallo", false), "the fast path takes ordinary text")
	var fe FieldErrors
	Text(&fe, "Name", "A\nB", 0)
	Prose(&fe, "Description", "A\x00B", 0)
	Text(&fe, "City", "Abidjan \xff", 0)
	assert.Equal(t, []string{"Name", "Description", "City"}, fields(fe))
}

// slowURL is URL's check of a URL's shape without its fast path.
func slowURL(u string, httpsOnly bool) bool {
	if strings.IndexFunc(u, func(r rune) bool { return r < 0x21 || r == 0x7f }) >= 0 || !utf8.ValidString(u) {
		return false
	}
	p, err := url.Parse(u)
	return err == nil && p.IsAbs() && p.Host != "" && (p.Scheme == "https" || p.Scheme == "http" && !httpsOnly)
}

func TestPlainURLsAgreeWithNetURL(t *testing.T) {
	cases := []string{"https://shop.example.com/return?order=1042", "http://127.0.0.1:8080/x", "https://a", "https://a:", "https://a:0/",
		"https://a:99999999999999999999", "https://a.b/c#d#e", "https://a?b", "https://a#b", "https://-/", "https://./", "https://a/%zz",
		"https://a/%41", "https://a/b c", "https://[::1]/", "https://u@a/", "https://a_b/", "https://a/@:[]{}|\\^`~!$&'()*+,;=",
		"HTTPS://a/", "ftp://a/", "https:/a", "https:a", "https://", "https:///x", "http://a\x7f", "https://a/é", "https://a.b:8x/"}
	alphabet := "aZ09.-:/?#%@[]_~ !\\\"'<>{}|^`\x00\x7f\xc3\xa9"
	rnd := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		b := []byte("https://")
		if rnd.IntN(2) == 0 {
			b = []byte("http://")
		}
		for range rnd.IntN(12) {
			b = append(b, alphabet[rnd.IntN(len(alphabet))])
		}
		cases = append(cases, string(b))
	}
	for _, u := range cases {
		for _, httpsOnly := range []bool{false, true} {
			if plainURL(u, httpsOnly) {
				require.True(t, slowURL(u, httpsOnly), "%q passes the fast path (httpsOnly %v), so url.Parse must take it", u, httpsOnly)
			}
		}
	}
	assert.True(t, plainURL("https://shop.example.com/return?order=1042", true), "the fast path takes an ordinary URL")
	assert.True(t, plainURL("http://127.0.0.1:8080/x", false))
	assert.False(t, plainURL("http://127.0.0.1:8080/x", true))
}
