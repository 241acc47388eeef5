package hero

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestUnasked holds unasked to the same verdicts on both of its paths:
// answers in the order asked (inAskedOrder), and any other order, for short
// batches and for long ones (which take a set).
func TestUnasked(t *testing.T) {
	for _, n := range []int{1, 3, 8, 9, 100} {
		ids := make([]string, n)
		for i := range ids {
			ids[i] = fmt.Sprintf("p%03d", i)
		}
		answer := func(order ...int) []PaymentInfo {
			infos := make([]PaymentInfo, len(order))
			for i, k := range order {
				infos[i].PaymentID = ids[k]
			}
			return infos
		}
		last := n - 1
		for name, tc := range map[string]struct {
			infos   []PaymentInfo
			inOrder bool
			verdict string
		}{
			"none":             {answer(), true, ""},
			"all, in order":    {answerAll(n, false, answer), true, ""},
			"the last only":    {answer(last), true, ""},
			"all, in reverse":  {answerAll(n, true, answer), n == 1, ""},
			"one twice":        {answer(last, last), false, "Hero answered twice about payment " + ids[last]},
			"the first twice":  {answer(0, 0), false, "Hero answered twice about payment " + ids[0]},
			"one not asked":    {append(answer(0), PaymentInfo{PaymentID: "not-asked"}), false, "Hero answered about payment not-asked, which it was not asked about"},
			"not asked, first": {append([]PaymentInfo{{PaymentID: "not-asked"}}, answer(last)...), false, "Hero answered about payment not-asked, which it was not asked about"},
		} {
			assert.Equal(t, tc.inOrder, inAskedOrder(ids, tc.infos), "%d ids, %s", n, name)
			assert.Equal(t, tc.verdict, unasked(ids, tc.infos), "%d ids, %s", n, name)
		}
	}
}

// answerAll answers about all n ids, in order or in reverse.
func answerAll(n int, reverse bool, answer func(...int) []PaymentInfo) []PaymentInfo {
	order := make([]int, n)
	for i := range order {
		order[i] = i
		if reverse {
			order[i] = n - 1 - i
		}
	}
	return answer(order...)
}
