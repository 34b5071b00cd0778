"""The cooperative's e-invoices and their delivery (issue 14, server side; docs/delivery.md).

- :mod:`.einvoices`: at validation, the e-invoice (Peppol BIS 3.0 UBL, or CII for a French client) is
  written from the validated document, checked with the official rules (a fatal rule refuses the
  validation with the report) and archived, content-addressed (SHA-256), in ``einvoice_files``;
- :mod:`.queue`: the delivery queue (``deliveries``), filled in the validation's own transaction and
  worked in the background, with retries and backoff; its status reaches the member as a ``delivery``
  record in the pull;
- :mod:`.accesspoint`: the :class:`~.accesspoint.AccessPoint` interface (participant lookup + send) and
  its HTTP client; :mod:`.local_ap` is a local access point on 127.0.0.1 (tests, demo);
- :mod:`.mail`: e-mail in the client's language through SMTP, with the PDF or the Factur-X.
"""
