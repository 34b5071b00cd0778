"""Receipt files for expense notes: checking, normalizing, previews, edits, camera sources.

No Qt here (ARCHITECTURE rule 1); the GUI's receipt viewer and camera build on these functions.
"""

from smartdesk.receipts.camera import FrameSource, GeneratedFrameSource
from smartdesk.receipts.images import apply_edits, crop, rotate, sniff
from smartdesk.receipts.normalize import (
    NormalizedReceipt,
    content_hash,
    normalize,
    normalize_pages,
    render_thumbnail,
)
from smartdesk.receipts.pdf import PdfFacts, inspect_pdf
from smartdesk.receipts.policy import DEFAULT_POLICY, ReceiptError, ReceiptPolicy

__all__ = [
    "DEFAULT_POLICY",
    "FrameSource",
    "GeneratedFrameSource",
    "NormalizedReceipt",
    "PdfFacts",
    "ReceiptError",
    "ReceiptPolicy",
    "apply_edits",
    "content_hash",
    "crop",
    "inspect_pdf",
    "normalize",
    "normalize_pages",
    "render_thumbnail",
    "rotate",
    "sniff",
]
