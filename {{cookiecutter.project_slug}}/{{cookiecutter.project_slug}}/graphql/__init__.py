"""The GraphQL endpoint, POST /graphql/: REST's selectors, services, auth and rules."""
