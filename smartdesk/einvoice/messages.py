"""Failed rules in plain words (FR/NL/EN) and the document field each one concerns.

The official sets word their rules for implementers ("BT-10 or BT-13 shall be present"). A member
needs to read what to fill in, and where; the advisor needs the rule id. Rules not listed here keep
the rule set's own sentence after a plain introduction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# rule id (exact, or prefix ending with "*") -> (field, en, fr, nl)
_RULES: dict[str, tuple[str, str, str, str]] = {
    "PEPPOL-EN16931-R003": (
        "reference",
        "Give the client's reference (or its order number): Belgian access points refuse an e-invoice "
        "without one. Ask the client which reference to put.",
        "Indiquez la référence du client (ou son numéro de commande) : les points d'accès belges "
        "refusent une facture électronique sans elle. Demandez au client laquelle mettre.",
        "Vul de referentie van de klant in (of zijn bestelnummer): Belgische toegangspunten weigeren een "
        "e-factuur zonder. Vraag de klant welke referentie.",
    ),
    "PEPPOL-EN16931-R010": (
        "client.electronic_address",
        "The client has no electronic address: give its enterprise number, VAT number or Peppol id.",
        "Le client n'a pas d'adresse électronique : indiquez son numéro d'entreprise, son numéro de TVA "
        "ou son identifiant Peppol.",
        "De klant heeft geen elektronisch adres: vul zijn ondernemingsnummer, btw-nummer of Peppol-id in.",
    ),
    "PEPPOL-EN16931-CL008": (
        "client.electronic_address",
        "The client's electronic address is written SCHEME:ID, such as 0208:0123456749 (Belgian enterprise "
        "number) or 0009:12345678900012 (SIRET): check it.",
        "L'adresse électronique du client s'écrit SCHÉMA:ID, par exemple 0208:0123456749 (numéro "
        "d'entreprise belge) ou 0009:12345678900012 (SIRET) : vérifiez-la.",
        "Het elektronisch adres van de klant schrijf je als SCHEMA:ID, bijvoorbeeld 0208:0123456749 "
        "(Belgisch ondernemingsnummer) of 0009:12345678900012 (SIRET): controleer het.",
    ),
    "BR-FR-12_BT-49": (
        "client.electronic_address",
        "A French e-invoice needs the client's electronic address: give its SIREN or SIRET.",
        "Une facture électronique française exige l'adresse électronique du client : indiquez son SIREN "
        "ou son SIRET.",
        "Een Franse e-factuur vraagt het elektronisch adres van de klant: vul zijn SIREN of SIRET in.",
    ),
    "PEPPOL-EN16931-R020": (
        "entity",
        "The cooperative's electronic address is missing: the cooperative must complete its details.",
        "L'adresse électronique de la coopérative manque : la coopérative doit compléter ses données.",
        "Het elektronisch adres van de coöperatie ontbreekt: de coöperatie moet haar gegevens aanvullen.",
    ),
    "BR-FR-10_BT-30": (
        "entity",
        "The cooperative's SIREN is missing or wrong: the cooperative must complete its details.",
        "Le SIREN de la coopérative manque ou est erroné : la coopérative doit compléter ses données.",
        "Het SIREN-nummer van de coöperatie ontbreekt of is fout: de coöperatie moet haar gegevens aanvullen.",
    ),
    "BR-AE-02": (
        "client.vat_number",
        "With reverse charge the client's VAT number is required: ask the client for it.",
        "Avec l'autoliquidation, le numéro de TVA du client est obligatoire : demandez-le au client.",
        "Bij verlegging van heffing is het btw-nummer van de klant verplicht: vraag het aan de klant.",
    ),
    "BR-IC-02": (
        "client.vat_number",
        "An intra-EU supply needs the client's VAT number: ask the client for it.",
        "Une livraison intracommunautaire exige le numéro de TVA du client : demandez-le au client.",
        "Een intracommunautaire levering vraagt het btw-nummer van de klant: vraag het aan de klant.",
    ),
    "BR-IC-11": (
        "delivery_date",
        "Give the delivery date of the goods sent to another EU country.",
        "Indiquez la date de livraison des biens envoyés dans un autre pays de l'UE.",
        "Vul de leveringsdatum in van de goederen die naar een ander EU-land gaan.",
    ),
    "BR-CO-25": (
        "due_date",
        "Give a due date or payment terms: the amount is still to be paid.",
        "Indiquez une échéance ou des conditions de paiement : le montant reste à payer.",
        "Vul een vervaldatum of betalingsvoorwaarden in: het bedrag moet nog betaald worden.",
    ),
    "BR-FR-CO-05*": (
        "corrects_number",
        "A credit note must name the invoice it corrects, with that invoice's date.",
        "Une note de crédit doit indiquer la facture qu'elle corrige, avec la date de cette facture.",
        "Een creditnota moet de factuur vermelden die ze corrigeert, met de datum van die factuur.",
    ),
    "BR-FR-16*": (
        "lines",
        "This VAT rate does not exist in France: choose 20, 10, 5.5 or 2.1 %.",
        "Ce taux de TVA n'existe pas en France : choisissez 20, 10, 5,5 ou 2,1 %.",
        "Dit btw-tarief bestaat niet in Frankrijk: kies 20, 10, 5,5 of 2,1 %.",
    ),
    "BR-O-*": (
        "lines",
        "An invoice outside the scope of VAT cannot mix other VAT situations: put those lines on another "
        "invoice.",
        "Une facture hors champ de la TVA ne peut pas contenir d'autres régimes de TVA : mettez ces lignes "
        "sur une autre facture.",
        "Een factuur buiten het toepassingsgebied van de btw kan geen andere btw-regelingen bevatten: zet "
        "die lijnen op een andere factuur.",
    ),
    "BR-CO-09": (
        "client.vat_number",
        "A VAT number starts with the two letters of its country (such as BE or FR): check the client's.",
        "Un numéro de TVA commence par les deux lettres de son pays (comme BE ou FR) : vérifiez celui du "
        "client.",
        "Een btw-nummer begint met de twee letters van zijn land (zoals BE of FR): controleer dat van de "
        "klant.",
    ),
    # --- the rules members hit most in the editor's pre-flight check (issue 14) ---
    "BR-07": (
        "client",
        "The client has no name: choose the client again or complete its card.",
        "Le client n'a pas de nom : choisissez à nouveau le client ou complétez sa fiche.",
        "De klant heeft geen naam: kies de klant opnieuw of vul zijn fiche aan.",
    ),
    "BR-10": (
        "client.address",
        "The client's address is missing: complete the client's card.",
        "L'adresse du client manque : complétez la fiche du client.",
        "Het adres van de klant ontbreekt: vul de fiche van de klant aan.",
    ),
    "BR-11": (
        "client.address",
        "The client's country is missing: complete the client's address.",
        "Le pays du client manque : complétez l'adresse du client.",
        "Het land van de klant ontbreekt: vul het adres van de klant aan.",
    ),
    "BR-16": (
        "lines",
        "An invoice needs at least one line: describe what you sell.",
        "Une facture doit avoir au moins une ligne : décrivez ce que vous vendez.",
        "Een factuur heeft minstens één lijn nodig: beschrijf wat je verkoopt.",
    ),
    "BR-25": (
        "lines",
        "A line has no description: say what you sell on it.",
        "Une ligne n'a pas de description : indiquez ce que vous vendez.",
        "Een lijn heeft geen omschrijving: vul in wat je verkoopt.",
    ),
    "BR-27": (
        "lines",
        "A unit price cannot be negative in an e-invoice: give a discount in the Discount column, or make "
        "a credit note.",
        "Un prix unitaire ne peut pas être négatif dans une facture électronique : indiquez une remise "
        "dans la colonne Remise, ou faites une note de crédit.",
        "Een eenheidsprijs kan niet negatief zijn in een e-factuur: geef een korting in de kolom Korting, "
        "of maak een creditnota.",
    ),
    "BR-08": (
        "entity",
        "The cooperative's address is missing: the cooperative must complete its details.",
        "L'adresse de la coopérative manque : la coopérative doit compléter ses données.",
        "Het adres van de coöperatie ontbreekt: de coöperatie moet haar gegevens aanvullen.",
    ),
    "BR-50": (
        "entity",
        "The cooperative's bank account (IBAN) is missing: the cooperative must complete its details.",
        "Le compte bancaire (IBAN) de la coopérative manque : la coopérative doit compléter ses données.",
        "De bankrekening (IBAN) van de coöperatie ontbreekt: de coöperatie moet haar gegevens aanvullen.",
    ),
    "BR-61": (
        "entity",
        "The cooperative's bank account (IBAN) is missing: the cooperative must complete its details.",
        "Le compte bancaire (IBAN) de la coopérative manque : la coopérative doit compléter ses données.",
        "De bankrekening (IBAN) van de coöperatie ontbreekt: de coöperatie moet haar gegevens aanvullen.",
    ),
    "PEPPOL-EN16931-R008": (
        "",
        "A piece of information is empty: fill it in or remove it.",
        "Une information est vide : complétez-la ou supprimez-la.",
        "Een gegeven is leeg: vul het in of verwijder het.",
    ),
    "PEPPOL-EN16931-R001": (
        "",
        "The e-invoice has no business process: this is SmartDesk's fault, tell your advisor.",
        "La facture électronique n'a pas de processus métier : c'est une erreur de SmartDesk, "
        "prévenez votre conseiller.",
        "De e-factuur heeft geen bedrijfsproces: dat is een fout van SmartDesk, verwittig je adviseur.",
    ),
}

# where a rule without its own field points, read from its XPath location (UBL and CII names)
_LOCATION_FIELDS: tuple[tuple[str, str], ...] = (
    ("BuyerReference", "reference"),
    ("OrderReference", "reference"),
    ("BuyerOrderReferencedDocument", "reference"),
    ("AccountingCustomerParty", "client"),
    ("BuyerTradeParty", "client"),
    ("AccountingSupplierParty", "entity"),
    ("SellerTradeParty", "entity"),
    ("PayeeFinancialAccount", "entity"),
    ("PayeePartyCreditorFinancialAccount", "entity"),
    ("DueDate", "due_date"),
    ("DueDateDateTime", "due_date"),
    ("BillingReference", "corrects_number"),
    ("InvoiceReferencedDocument", "corrects_number"),
    ("ActualDeliveryDate", "delivery_date"),
    ("IssueDate", "issue_date"),
)

_GENERIC = {
    "en": "The official {rule_set} rules refuse this (rule {rule_id}): {text}",
    "fr": "Les règles officielles {rule_set} refusent ceci (règle {rule_id}) : {text}",
    "nl": "De officiële {rule_set}-regels weigeren dit (regel {rule_id}): {text}",
}
_GENERIC_WARNING = {
    "en": "The official {rule_set} rules advise against this (rule {rule_id}): {text}",
    "fr": "Les règles officielles {rule_set} le déconseillent (règle {rule_id}) : {text}",
    "nl": "De officiële {rule_set}-regels raden dit af (regel {rule_id}): {text}",
}
_LINE_RE = re.compile(
    r"(?:InvoiceLine|CreditNoteLine|IncludedSupplyChainTradeLineItem)(?:\[namespace-uri\(\)='[^']*'\])?\[(\d+)\]"
)


@dataclass(frozen=True)
class Wording:
    field: str
    en: str
    fr: str
    nl: str


def _lookup(rule_id: str) -> tuple[str, str, str, str] | None:
    found = _RULES.get(rule_id)
    if found:
        return found
    for key, value in _RULES.items():
        if key.endswith("*") and rule_id.startswith(key[:-1]):
            return value
    return None


def field_from_location(location: str) -> str:
    """``lines[N]`` when the XPath points into a line, else the field its last known element names
    (``client``, ``reference``, ``due_date``, ``entity``...), else empty."""
    match = _LINE_RE.search(location)
    if match:
        return f"lines[{int(match.group(1)) - 1}]"
    found, at = "", -1
    for element, field in _LOCATION_FIELDS:
        pos = location.rfind(f":{element}[")
        if pos > at:
            found, at = field, pos
    return found


def wording(rule_id: str, rule_set_title: str, text: str, location: str, fatal: bool) -> Wording:
    known = _lookup(rule_id)
    line_field = field_from_location(location)
    if known:
        field, en, fr, nl = known
        if (field == "lines" and line_field.startswith("lines[")) or not field:
            field = line_field or field
        return Wording(field=field, en=en, fr=fr, nl=nl)
    templates = _GENERIC if fatal else _GENERIC_WARNING
    params = {"rule_set": rule_set_title, "rule_id": rule_id, "text": text}
    return Wording(
        field=line_field,
        en=templates["en"].format(**params),
        fr=templates["fr"].format(**params),
        nl=templates["nl"].format(**params),
    )
