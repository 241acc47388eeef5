// Package check holds what the adapters share to refuse bad input before
// any request is sent: FieldErrors to collect what is wrong with which
// field, the checks every provider needs of a CreateRequest and a
// RefundRequest, payment ids safe to put in a URL path, and text, URL,
// email and phone rules.
//
// Field names follow one convention, the Go path of the field in the
// merchant's request: "Amount", "Customer.Email", "Options.Methods[0]",
// "Metadata[\"color\"]". A provider's own name for a field it reports is
// kept beside it, in FieldError.ProviderField.
package check
