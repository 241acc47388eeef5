package hero

import "github.com/unipay/payments/internal/jsonpass"

// readInfos reads getPaymentsInfos' usual answer into out in one pass
// (internal/jsonpass), as encoding/json would, and reports whether it did;
// on false, out is untouched and the answer is for encoding/json to read
// (httpx's Decode), errors and all.
//
// Why by hand: encoding/json checks the whole answer, then reads each entry
// by reflection, member by member, growing the slice entry by entry, and
// arrayAt then walked the answer once more to find each entry's bytes for
// Raw. This reading checks and reads in the same pass, finds each entry's
// bytes on the way and sizes the slice from hint, how many entries are
// expected: VerifyMany's benchmark (100 entries) went from 423 µs of CPU a
// call to about 225.
//
// It reads {"data": {"getPaymentsInfos": {"__typename": …, "result":
// [entries]}}}, members in any order, and skips members of no field as
// encoding/json skips them. Anything it cannot be sure encoding/json reads
// the same way gives up (jsonpass says what), and so do GraphQL errors,
// data or a union that is null, another member of the union and an entry
// that is not an object: every answer outside that shape, rare from Hero,
// reads exactly as before. TestReadInfosReadsHerosUsualAnswers,
// TestReadInfosLeavesTheRestToEncodingJSON and FuzzReadInfos hold the two
// to the same result.
func readInfos(b []byte, hint int, out *gqlResponse[getPaymentsInfosData]) bool {
	var data *getPaymentsInfosData
	ok := jsonpass.Document(b, jsonpass.Fields(answerFields, func(f int, b []byte, i, depth int) int {
		if f != 0 || i >= len(b) || b[i] != '{' {
			return -1 // errors, or data that is not an object: encoding/json's
		}
		data = new(getPaymentsInfosData)
		return jsonpass.Object(b, i, depth+1, jsonpass.Fields(dataFields, func(_ int, b []byte, i, depth int) int {
			if i >= len(b) || b[i] != '{' {
				return -1
			}
			data.GetPaymentsInfos = new(unionResult)
			return jsonpass.Object(b, i, depth+1, data.GetPaymentsInfos.members(hint))
		}))
	}))
	if !ok || data == nil {
		return false
	}
	out.Data = data
	return true
}

// The names each level of the answer has fields for, as the Go types
// (gqlResponse, getPaymentsInfosData, unionResult, PaymentInfo) name them
// in their json tags: a member whose name matches one in another case is
// left to encoding/json, which would read it into that field.
var (
	answerFields = []string{"data", "errors"}
	dataFields   = []string{"getPaymentsInfos"}
	unionFields  = []string{"__typename", "result", "success", "errorCode", "message", "validationErrors"}
	entryFields  = []string{"paymentId", "isSuccess", "error", "reviewStatus", "reason",
		"initialPaymentAmount", "pendingRefundAmount", "refundedAmount"}
)

// members reads a GetPaymentsInfosResult into u.
func (u *unionResult) members(hint int) jsonpass.Member {
	return jsonpass.Fields(unionFields, func(f int, b []byte, i, depth int) int {
		switch f {
		case 0:
			return jsonpass.Text(b, i, &u.Typename)
		case 1:
			return readEntries(b, i, depth, hint, &u.Result)
		}
		return -1 // another member of the union: encoding/json's
	})
}

// readEntries reads the array of entries at b[i] into *dst, each with its
// bytes as Raw (a slice of b, its capacity cut to its length); null leaves
// *dst nil, as encoding/json does.
func readEntries(b []byte, i, depth, hint int, dst *[]PaymentInfo) int {
	if i >= len(b) || b[i] != '[' {
		return jsonpass.Literal(b, i, "null")
	}
	infos := make([]PaymentInfo, 0, hint)
	end := jsonpass.Array(b, i, depth+1, func(b []byte, i, depth int) int {
		if i >= len(b) || b[i] != '{' {
			return -1 // an entry that is not an object: encoding/json's
		}
		infos = append(infos, PaymentInfo{})
		p := &infos[len(infos)-1]
		end := jsonpass.Object(b, i, depth+1, p.members())
		if end >= 0 {
			p.Raw = b[i:end:end]
		}
		return end
	})
	*dst = infos
	return end
}

// members reads an entry into p.
func (p *PaymentInfo) members() jsonpass.Member {
	return jsonpass.Fields(entryFields, func(f int, b []byte, i, depth int) int {
		switch f {
		case 0:
			return jsonpass.Text(b, i, &p.PaymentID)
		case 1:
			return jsonpass.Bool(b, i, &p.IsSuccess)
		case 2:
			return jsonpass.Text(b, i, &p.Error)
		case 3:
			return jsonpass.Unmarshaler(b, i, depth, p.ReviewStatus.UnmarshalJSON)
		case 4:
			return jsonpass.Unmarshaler(b, i, depth, p.Reason.UnmarshalJSON)
		case 5:
			return jsonpass.Int64(b, i, &p.InitialAmount)
		case 6:
			return jsonpass.Int64(b, i, &p.PendingRefundAmount)
		}
		return jsonpass.Int64(b, i, &p.RefundedAmount)
	})
}
