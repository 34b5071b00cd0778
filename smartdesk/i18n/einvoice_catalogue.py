"""French and Dutch wording of the e-invoice package's error messages (smartdesk/einvoice).

Kept in its own module so the e-invoice work touches ``ui_catalogue.py`` by two lines only; the
rule findings have their own FR/NL/EN wording in ``smartdesk/einvoice/messages.py``.
"""

from __future__ import annotations

UI_EINVOICE: tuple[tuple[str, str, str], ...] = (
    ("This XML is neither a UBL invoice or credit note nor a CII invoice.",
     "Ce fichier XML n'est ni une facture ou note de crédit UBL, ni une facture CII.",
     "Dit XML-bestand is geen UBL-factuur of -creditnota en geen CII-factuur."),
    ("The Factur-X file could not be made: {reason}",
     "Le fichier Factur-X n'a pas pu être créé : {reason}",
     "Het Factur-X-bestand kon niet worden gemaakt: {reason}"),
    ("Only invoices and credit notes become e-invoices; this is a {kind}.",
     "Seules les factures et les notes de crédit deviennent des factures électroniques ; ce document est : {kind}.",
     "Alleen facturen en creditnota's worden e-facturen; dit document is: {kind}."),
    ("This document has no lines: add what you sell before making its e-invoice.",
     "Ce document n'a aucune ligne : ajoutez ce que vous vendez avant d'en faire une facture électronique.",
     "Dit document heeft geen lijnen: voeg toe wat u verkoopt voordat u er een e-factuur van maakt."),
    ("This XML is not an e-invoice (neither UBL nor CII).",
     "Ce fichier XML n'est pas une facture électronique (ni UBL, ni CII).",
     "Dit XML-bestand is geen e-factuur (geen UBL en geen CII)."),
    ("This e-invoice has no totals (LegalMonetaryTotal).",
     "Cette facture électronique n'a pas de totaux (LegalMonetaryTotal).",
     "Deze e-factuur heeft geen totalen (LegalMonetaryTotal)."),
    ("This CII file has no document header or no transaction.",
     "Ce fichier CII n'a pas d'en-tête de document ou pas de transaction.",
     "Dit CII-bestand heeft geen documentkop of geen transactie."),
    ("This CII file has no settlement (totals).",
     "Ce fichier CII n'a pas de règlement (totaux).",
     "Dit CII-bestand heeft geen afrekening (totalen)."),
    ("This CII file has no totals.",
     "Ce fichier CII n'a pas de totaux.",
     "Dit CII-bestand heeft geen totalen."),
    ("An amount in this e-invoice is not a number: {value}",
     "Un montant de cette facture électronique n'est pas un nombre : {value}",
     "Een bedrag in deze e-factuur is geen getal: {value}"),
    ("An amount in this e-invoice is out of range: {value}",
     "Un montant de cette facture électronique est hors limites : {value}",
     "Een bedrag in deze e-factuur valt buiten de grenzen: {value}"),
    ("A VAT rate in this e-invoice is out of range: {value}",
     "Un taux de TVA de cette facture électronique est hors limites : {value}",
     "Een btw-tarief in deze e-factuur valt buiten de grenzen: {value}"),
    ("This e-invoice has no total including VAT.",
     "Cette facture électronique n'a pas de total TVA comprise.",
     "Deze e-factuur heeft geen totaal inclusief btw."),
    ("The official e-invoice rule sets are missing (looked in {places}). Set {var} to the folder that holds "
     "en16931-1.3.16/, peppol-bis-3.0.21/, ublbe-1.31/ and france-ctc-1.4.0.03/.",
     "Les règles officielles des factures électroniques manquent (cherchées dans {places}). Indiquez dans {var} "
     "le dossier qui contient en16931-1.3.16/, peppol-bis-3.0.21/, ublbe-1.31/ et france-ctc-1.4.0.03/.",
     "De officiële regels voor e-facturen ontbreken (gezocht in {places}). Zet in {var} de map met "
     "en16931-1.3.16/, peppol-bis-3.0.21/, ublbe-1.31/ en france-ctc-1.4.0.03/."),
    ("{var} is {path}, but the e-invoice rule sets (en16931-1.3.16/ ...) are not there.",
     "{var} vaut {path}, mais les règles des factures électroniques (en16931-1.3.16/ ...) n'y sont pas.",
     "{var} is {path}, maar de regels voor e-facturen (en16931-1.3.16/ ...) staan daar niet."),
    ("The rule set {file} is missing.",
     "Le fichier de règles {file} manque.",
     "Het regelbestand {file} ontbreekt."),
    ("This PDF has no e-invoice inside (no factur-x.xml): it is a plain PDF invoice. Attach it as a receipt "
     "and type its amounts.",
     "Ce PDF ne contient pas de facture électronique (pas de factur-x.xml) : c'est une facture PDF ordinaire. "
     "Joignez-la comme justificatif et tapez ses montants.",
     "Deze pdf bevat geen e-factuur (geen factur-x.xml): het is een gewone pdf-factuur. Voeg ze toe als "
     "bewijsstuk en typ de bedragen in."),
    ("This XML file is too large for an invoice ({size} MB, at most {limit} MB).",
     "Ce fichier XML est trop grand pour une facture ({size} Mo, au plus {limit} Mo).",
     "Dit XML-bestand is te groot voor een factuur ({size} MB, hoogstens {limit} MB)."),
    ("This XML file declares a DOCTYPE, which an e-invoice never does: it is not read, for safety.",
     "Ce fichier XML déclare un DOCTYPE, ce que ne fait jamais une facture électronique : par sécurité, il "
     "n'est pas lu.",
     "Dit XML-bestand declareert een DOCTYPE, wat een e-factuur nooit doet: het wordt veiligheidshalve niet "
     "gelezen."),
    ("This PDF is too large ({size} MB, at most {limit} MB).",
     "Ce PDF est trop grand ({size} Mo, au plus {limit} Mo).",
     "Deze pdf is te groot ({size} MB, hoogstens {limit} MB)."),
    ("This is not a well-formed XML file ({detail}).",
     "Ce n'est pas un fichier XML bien formé ({detail}).",
     "Dit is geen goedgevormd XML-bestand ({detail})."),
    ("This PDF cannot be read ({detail}).",
     "Ce PDF ne peut pas être lu ({detail}).",
     "Deze pdf kan niet gelezen worden ({detail})."),
)
