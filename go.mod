module github.com/unipay/payments

go 1.24.0

require (
	github.com/graph-gophers/graphql-go v1.9.0
	github.com/hasura/go-graphql-client v0.16.0
	github.com/stretchr/testify v1.11.1
	golang.org/x/oauth2 v0.34.0
)

require (
	github.com/coder/websocket v1.8.14 // indirect
	github.com/davecgh/go-spew v1.1.1 // indirect
	github.com/google/uuid v1.6.0 // indirect
	github.com/pmezard/go-difflib v1.0.0 // indirect
	gopkg.in/yaml.v3 v3.0.1 // indirect
)
