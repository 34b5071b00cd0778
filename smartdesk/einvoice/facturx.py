"""Factur-X: the document's PDF made PDF/A-3b with its CII XML embedded (``factur-x.xml``).

The PDF from ``smartdesk.pdf`` already has what PDF/A needs from the renderer (embedded fonts, an sRGB
output intent, an XMP packet); the ``factur-x`` library checks the XML against the Factur-X EN 16931
schema, attaches it with ``/AFRelationship /Data`` and writes the XMP that declares PDF/A-3 (part 3,
conformance B) and the Factur-X extension schema.
"""

from __future__ import annotations

import io
import logging

from smartdesk.domain.documents import CooperativeEntity, Document
from smartdesk.errors import Message, SmartDeskError

LEVEL = "en16931"


class FacturXError(SmartDeskError):
    exit_code = 3


def make_facturx(pdf: bytes, cii: bytes, *, doc: Document, entity: CooperativeEntity) -> bytes:
    from facturx import generate_from_binary

    logging.getLogger("factur-x").setLevel(logging.WARNING)
    title = f"{entity.name}: {doc.number or 'draft'}"
    metadata = {
        "author": entity.name,
        "keywords": "Factur-X, invoice",
        "title": title,
        "subject": f"Factur-X {doc.number or doc.id}",
    }
    try:
        return bytes(
            generate_from_binary(
                pdf,
                cii,
                flavor="factur-x",
                level=LEVEL,
                check_xsd=True,
                pdf_metadata=metadata,
                lang=doc.language or "fr",
            )
        )
    except Exception as exc:  # the library raises plain Exceptions with its reason
        raise FacturXError(Message("The Factur-X file could not be made: {reason}", reason=str(exc))) from exc


def declared_pdfa(pdf: bytes) -> tuple[str, str]:
    """(part, conformance) a PDF declares in its XMP metadata, e.g. ("3", "B"); empty when none."""
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as doc:
        meta = doc.open_metadata()
        return (str(meta.get("pdfaid:part", "")), str(meta.get("pdfaid:conformance", "")))
