"""An sRGB output intent (ICC profile shipped in ``resources/color``) so the files can become PDF/A-3."""

from __future__ import annotations

import zlib
from datetime import datetime
from functools import cache

from reportlab.pdfbase.pdfdoc import PDFArray, PDFDictionary, PDFName, PDFStream, PDFString
from reportlab.pdfgen.canvas import Canvas

from smartdesk.errors import Message, SmartDeskError
from smartdesk.resources import resource_path

ICC_FILE = "sRGB2014.icc"
OUTPUT_CONDITION = "sRGB IEC61966-2.1"


@cache
def _compressed_profile() -> bytes:
    return zlib.compress(srgb_profile(), 9)


@cache
def srgb_profile() -> bytes:
    path = resource_path("color", ICC_FILE)
    try:
        return path.read_bytes()
    except OSError as exc:
        raise SmartDeskError(
            Message(
                "The colour profile {file} is missing from SmartDesk's resources/color folder. "
                "Reinstall SmartDesk to restore it.",
                file=ICC_FILE,
            )
        ) from exc


def add_output_intent(canvas: Canvas) -> None:
    """Attach ``/OutputIntents [<< /S /GTS_PDFA1 /DestOutputProfile sRGB >>]`` to the catalog."""
    document = canvas._doc
    # compressed once per process; a stream whose dictionary has a Filter is written as is
    stream = PDFStream(PDFDictionary({"N": 3, "Filter": PDFName("FlateDecode")}), _compressed_profile())
    intent = PDFDictionary(
        {
            "Type": PDFName("OutputIntent"),
            "S": PDFName("GTS_PDFA1"),
            "OutputConditionIdentifier": PDFString(OUTPUT_CONDITION),
            "Info": PDFString(OUTPUT_CONDITION),
            "RegistryName": PDFString("http://www.color.org"),
            "DestOutputProfile": document.Reference(stream),
        }
    )
    catalog = document.Catalog
    catalog.OutputIntents = PDFArray([intent])
    if "OutputIntents" not in catalog.__NoDefault__:
        catalog.__NoDefault__ = [*catalog.__NoDefault__, "OutputIntents"]


class _PlainStream(PDFStream):
    """A stream written without any filter and without a /Filter key (PDF/A metadata)."""

    def format(self, document: object) -> bytes:
        saved = document.defaultStreamFilters  # type: ignore[attr-defined]
        document.defaultStreamFilters = None  # type: ignore[attr-defined]
        try:
            return super().format(document)
        finally:
            document.defaultStreamFilters = saved  # type: ignore[attr-defined]


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def add_xmp_metadata(
    canvas: Canvas, *, title: str, author: str, subject: str, language: str, created: datetime
) -> None:
    """An XMP packet (Dublin Core title/creator/description/language, dates, producer) as the
    catalog's /Metadata stream, unfiltered as PDF/A wants it. No ``pdfaid`` claim is made: the files
    are PDF/A-ready, not yet declared conformant."""
    stamp = created.astimezone().isoformat(timespec="seconds")
    packet = f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{_xml(title)}</rdf:li></rdf:Alt></dc:title>
   <dc:creator><rdf:Seq><rdf:li>{_xml(author)}</rdf:li></rdf:Seq></dc:creator>
   <dc:description><rdf:Alt><rdf:li xml:lang="x-default">{_xml(subject)}</rdf:li></rdf:Alt></dc:description>
   <dc:language><rdf:Bag><rdf:li>{_xml(language)}</rdf:li></rdf:Bag></dc:language>
   <xmp:CreatorTool>SmartDesk</xmp:CreatorTool>
   <xmp:CreateDate>{stamp}</xmp:CreateDate>
   <xmp:ModifyDate>{stamp}</xmp:ModifyDate>
   <pdf:Producer>ReportLab PDF Library - www.reportlab.com</pdf:Producer>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""
    stream = _PlainStream(
        PDFDictionary({"Type": PDFName("Metadata"), "Subtype": PDFName("XML")}), packet.encode("utf-8")
    )
    canvas._doc.Catalog.Metadata = canvas._doc.Reference(stream)
