"""Reading e-invoice files from anywhere without trusting them.

XML: bounded size, no DTD (so no entities, internal or external), no network, no huge trees.
PDF: bounded size; only the embedded XML file is taken out (through pikepdf/qpdf), nothing is run.
"""

from __future__ import annotations

from lxml import etree

from smartdesk.errors import Message, SmartDeskError

MAX_XML_BYTES = 20 * 1024 * 1024
MAX_PDF_BYTES = 60 * 1024 * 1024
EMBEDDED_NAMES = ("factur-x.xml", "zugferd-invoice.xml", "xrechnung.xml", "order-x.xml")


class UnreadableInvoice(SmartDeskError):
    """A file that is not an e-invoice SmartDesk can read (exit code 8: unusable file)."""

    exit_code = 8


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


_DOCTYPE_REFUSED = Message(
    "This XML file declares a DOCTYPE, which an e-invoice never does: it is not read, for safety."
)


def parse_xml(data: bytes) -> etree._Element:
    """The root element of untrusted XML, or ``UnreadableInvoice`` in plain words."""
    if len(data) > MAX_XML_BYTES:
        raise UnreadableInvoice(
            Message(
                "This XML file is too large for an invoice ({size} MB, at most {limit} MB).",
                size=len(data) // 2**20,
                limit=MAX_XML_BYTES // 2**20,
            )
        )
    if b"<!DOCTYPE" in data[:4096].upper():
        raise UnreadableInvoice(_DOCTYPE_REFUSED)
    try:
        root = etree.fromstring(data, parser=_parser())
    except etree.XMLSyntaxError as exc:
        raise UnreadableInvoice(
            Message("This is not a well-formed XML file ({detail}).", detail=str(exc))
        ) from None
    tree = root.getroottree()
    if tree.docinfo.internalDTD is not None or tree.docinfo.doctype:
        raise UnreadableInvoice(_DOCTYPE_REFUSED)
    return root


def xml_from_pdf(data: bytes) -> bytes:
    """The invoice XML embedded in a Factur-X / ZUGFeRD PDF."""
    import io

    import pikepdf

    if len(data) > MAX_PDF_BYTES:
        raise UnreadableInvoice(
            Message(
                "This PDF is too large ({size} MB, at most {limit} MB).",
                size=len(data) // 2**20,
                limit=MAX_PDF_BYTES // 2**20,
            )
        )
    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            attachments = pdf.attachments
            for name in EMBEDDED_NAMES:
                if name in attachments:
                    spec = attachments[name]
                    stream = spec.get_file()
                    size = int(stream.obj.get("/Length", 0))
                    if size > MAX_XML_BYTES:
                        break
                    return bytes(stream.read_bytes())
    except pikepdf.PdfError as exc:
        raise UnreadableInvoice(Message("This PDF cannot be read ({detail}).", detail=str(exc))) from None
    raise UnreadableInvoice(
        Message(
            "This PDF has no e-invoice inside (no factur-x.xml): it is a plain PDF "
            "invoice. Attach it as a receipt and type its amounts."
        )
    )


def invoice_xml(data: bytes) -> bytes:
    """The XML of an e-invoice file: the file itself, or what a PDF carries."""
    if data[:5] == b"%PDF-" or data[:1024].lstrip().startswith(b"%PDF"):
        return xml_from_pdf(data)
    return data
