package herotest

// schema is Hero's merchant API as its reference documents it, in GraphQL's
// schema language. Where Hero does not name a type (the output of
// createPayment, the refund's input, the enum of payment types), the name
// here is the simulator's; clients that pass whole inputs as variables only
// need NewPayment, which Hero names. reviewStatus and reason are strings, as
// Hero's examples show, although its field table says integers.
const schema = `
schema {
	query: Query
	mutation: Mutation
}

type Query {
	# A health check.
	version: String!
	# The payment types offered for an amount (euro cents) and a customer.
	availablePaymentTypes(amount: Int!, customerReference: String!, siren: String): [PaymentType!]!
	# The state of one or more payments; unknown ids are left out.
	getPaymentsInfos(paymentIds: [String]!): GetPaymentsInfosOutput!
}

type Mutation {
	createPayment(payment: NewPayment!): CreatedPayment!
	setOrderId(paymentId: String!, orderId: String!): Boolean!
	refundPaymentCheckout(input: RefundPaymentCheckoutInput!): RefundPaymentCheckoutResult!
}

enum PaymentType {
	Pay1X
	Pay3X
	Pay4X
	Pay15D
	Pay30D
	Pay45D
	Pay60D
}

input Address {
	line1: String!
	line2: String
	city: String!
	zipCode: String!
}

input Issuer {
	address: Address!
	deliveryAddress: Address
	name: String!
	contactEmail: String!
	contactPhone: String!
	customerReference: String
}

input NewPayment {
	# Euro cents.
	amount: Int!
	redirectUri: String!
	comebackUri: String
	type: PaymentType!
	issuer: Issuer!
}

type CreatedPayment {
	id: String!
}

type PaymentInfo {
	paymentId: String!
	isSuccess: Boolean!
	error: String
	reviewStatus: String!
	reason: String
	initialPaymentAmount: Int!
	pendingRefundAmount: Int!
	refundedAmount: Int!
}

type GetPaymentsInfosResult {
	result: [PaymentInfo!]!
}

type ValidationError {
	path: [String!]!
	validationError: String!
}

type ValidationErrors {
	validationErrors: [ValidationError!]!
}

union GetPaymentsInfosOutput = GetPaymentsInfosResult | ValidationErrors

input RefundPaymentCheckoutInput {
	paymentCheckoutId: String!
	# Euro cents.
	amount: Int!
}

type RefundPaymentCheckoutOutput {
	success: Boolean!
}

type GqlHeroError {
	errorCode: String!
	message: String!
}

union RefundPaymentCheckoutResult = RefundPaymentCheckoutOutput | GqlHeroError | ValidationErrors
`
