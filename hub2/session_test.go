package hub2

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCreatesViewAgreesWithTheWholeIntent holds sessionView, what Create
// reads of Hub2's answers, to the PaymentIntent the typed API reads: the
// same id, token, amount, status and foreign attempts, and so the same
// Session, next action included, for every captured intent.
func TestCreatesViewAgreesWithTheWholeIntent(t *testing.T) {
	actions := 0
	for _, name := range []string{"attempt_otp.json", "attempt_wave_redirection.json", "authenticate_successful.json",
		"create_intent.json", "intent_failed.json", "intent_successful.json", "pm_payment_intent_201.json",
		"warimcp_attempt_mtn_sandbox.json", "warimcp_create_intent_sandbox.json", "warimcp_get_intent_successful_sandbox.json"} {
		t.Run(name, func(t *testing.T) {
			body, err := os.ReadFile(filepath.Join("..", "testdata", "hub2", name))
			require.NoError(t, err)
			var pi PaymentIntent
			var v sessionView
			require.NoError(t, json.Unmarshal(body, &pi))
			require.NoError(t, json.Unmarshal(body, &v))
			require.NotEmpty(t, v.ID)
			id, token := pi.about()
			vid, vtoken := v.about()
			assert.Equal(t, id, vid)
			assert.Equal(t, token, vtoken)
			amount, currency := pi.money()
			vamount, vcurrency := v.money()
			assert.Equal(t, amount, vamount)
			assert.Equal(t, currency, vcurrency)
			assert.Equal(t, pi.Status, v.Status)
			require.Len(t, v.Payments, len(pi.Payments))
			pay, of, found := pi.foreign()
			vpay, vof, vfound := v.foreign()
			assert.Equal(t, []any{pay, of, found}, []any{vpay, vof, vfound})
			assert.Equal(t, pi.PendingAction(), v.pendingAction())
			if v.pendingAction() != nil {
				actions++
			}
			want, wantURL := pi.PendingAction().toNextAction()
			s := session(&v, "tok")
			assert.Equal(t, want, s.NextAction)
			assert.Equal(t, wantURL, s.RedirectURL)
			assert.Equal(t, intentStatus(pi.Status), s.Status)
		})
	}
	assert.GreaterOrEqual(t, actions, 2, "the captures include attempts waiting for an OTP and a redirection")
}

// TestCreatesViewFindsAnotherIntentsAttempt: the integrity check Create
// relies on reads the attempts' intent ids from the view too.
func TestCreatesViewFindsAnotherIntentsAttempt(t *testing.T) {
	var v sessionView
	require.NoError(t, json.Unmarshal([]byte(`{"id":"pi_a","payments":[{"id":"pay_1","intentId":"pi_b","status":"pending"}]}`), &v))
	pay, of, found := v.foreign()
	assert.True(t, found)
	assert.Equal(t, "pay_1", pay)
	assert.Equal(t, "pi_b", of)
}
