"""Pure-Python business model: documents, money, VAT, totals, lifecycles, payments, validation.

Nothing here imports Qt, SQLAlchemy or the network.
"""
