"""The public API's shared conventions (API.md): one error shape, strict pagination and query
parameters, and the OpenAPI schema's description of them. Imports no app of the product."""
