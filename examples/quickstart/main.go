// Command quickstart is the README's Quick start: a checkout on Moneroo,
// and a return page that ships only what Moneroo says is paid.
package main

import (
	"errors"
	"fmt"
	"log"
	"net/http"
	"os"

	"github.com/unipay/payments"
	"github.com/unipay/payments/moneroo"
)

func main() {
	client, err := moneroo.New(moneroo.Config{SecretKey: os.Getenv("MONEROO_SECRET_KEY")})
	if err != nil {
		log.Fatal(err) // a missing or malformed key, said before any request
	}
	price := payments.Money{Amount: 5000, Currency: "XOF"} // 5000 F CFA: XOF has no decimals

	http.HandleFunc("POST /buy", func(w http.ResponseWriter, r *http.Request) {
		// 1. Open a checkout for the order; keep session.ID with the order.
		session, err := client.Create(r.Context(), payments.CreateRequest{
			Amount:    price,
			Reference: "order-1042",
			ReturnURL: "https://shop.example.com/return",
			Customer:  &payments.Customer{FirstName: "Awa", LastName: "Diallo", Email: "awa@example.com"},
		})
		if err != nil {
			log.Printf("checkout: %v", err)
			http.Error(w, "payment is unavailable, try again later", http.StatusServiceUnavailable)
			return
		}
		// 2. Send the customer to pay.
		http.Redirect(w, r, session.RedirectURL, http.StatusSeeOther)
	})

	http.HandleFunc("GET /return", func(w http.ResponseWriter, r *http.Request) {
		ret, err := client.ParseReturn(r.URL.Query()) // which payment; its status proves nothing
		if err != nil {
			http.Error(w, "unknown payment", http.StatusBadRequest)
			return
		}
		// 3. Ask the provider before shipping.
		payment, err := payments.VerifyPaid(r.Context(), client, ret.PaymentID, price)
		switch {
		case err == nil:
			fmt.Fprintf(w, "Paid %s: we ship.\n", payment.Amount) // paid, for exactly that amount
		case errors.Is(err, payments.ErrNotPaid):
			fmt.Fprintln(w, "Not paid.") // pending, failed, cancelled or refunded: do not ship
		default:
			log.Printf("verify: %v", err) // ErrIntegrity (another amount), or the provider is down
			http.Error(w, "we could not check your payment yet", http.StatusServiceUnavailable)
		}
	})

	log.Fatal(http.ListenAndServe(":8080", nil))
}
