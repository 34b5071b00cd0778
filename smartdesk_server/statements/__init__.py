"""Bank statements: CODA and ISO 20022 camt.053/054 parsers, matching of each credit to its invoice,
the staff queue of what did not match (see ``docs/decisions/0015-bank-statements.md``)."""
