"""Refusals of the services with values in them (a limit, an id, a path) read in French and Dutch.

Issue 16 follow-up: these sentences were f-strings, so no catalogue could hold them and French and
Dutch members read English. Each is raised here by the real service on a real data folder and looked
up in the real compiled catalogue; the expected wording is written by hand.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from smartdesk.domain.documents import Document, DocumentKind
from smartdesk.domain.ids import uuid7
from smartdesk.domain.serialize import client_from_dict
from smartdesk.errors import ValidationError
from smartdesk.i18n import ui
from smartdesk.receipts.policy import MB, human_size
from smartdesk.services import Workspace
from smartdesk.services.followup import FOLLOWUP_STEP_NAMES

NNBSP = "\u202f"  # the narrow no-break space that groups thousands in French


@pytest.fixture(autouse=True)
def _english_afterwards() -> Iterator[None]:
    yield
    ui.set_language("en")


def _refused(call: object) -> ValidationError:
    assert callable(call)
    with pytest.raises(ValidationError) as info:
        call()
    return info.value


def test_a_too_long_request_reads_in_french_and_dutch_with_its_limit(workspace: Workspace) -> None:
    err = _refused(lambda: workspace.requests.open("accounting", "Question", "x" * 10_001))
    (problem,) = err.problems
    assert problem.message == "The message is too long: at most 10,000 characters."
    ui.set_language("fr")
    assert ui.problem_text(problem) == f"Le message est trop long : 10{NNBSP}000 caractères au maximum."
    ui.set_language("nl")
    assert ui.problem_text(problem) == "Het bericht is te lang: hoogstens 10.000 tekens."


def test_a_too_long_subject_reads_in_french(workspace: Workspace) -> None:
    err = _refused(lambda: workspace.requests.open("accounting", "s" * 301, "Hello"))
    ui.set_language("fr")
    assert [ui.problem_text(p) for p in err.problems] == [
        "L'objet est trop long : 300 caractères au maximum."
    ]


def test_a_follow_up_warning_out_of_range_reads_in_french(workspace: Workspace) -> None:
    err = _refused(lambda: workspace.followup.set(FOLLOWUP_STEP_NAMES[0], False, notify_days_before=400))
    ui.set_language("fr")
    assert [ui.problem_text(p) for p in err.problems] == [
        "Choisissez d'être prévenu entre 0 et 365 jours avant, ou laissez vide."
    ]


def test_an_import_naming_an_unknown_client_reads_in_french_with_the_id(workspace: Workspace) -> None:
    client_id = uuid7()
    doc = Document(kind=DocumentKind.INVOICE, title="Concert", client_id=client_id)
    err = _refused(lambda: workspace.documents.import_bundle([], [], [doc]))
    unknown = [p for p in err.problems if p.code == "import.unknown_client"]
    assert [p.field for p in unknown] == ["$.documents[0].client_id"]
    assert unknown[0].message == f"client {client_id} is neither in the file nor in SmartDesk"
    ui.set_language("fr")
    assert ui.problem_text(unknown[0]) == f"le client {client_id} n'est ni dans le fichier ni dans SmartDesk"
    ui.set_language("nl")
    assert (
        ui.problem_text(unknown[0]) == f"klant {client_id} staat niet in het bestand en ook niet in SmartDesk"
    )


def test_the_summary_of_a_bad_json_file_counts_its_problems_in_french() -> None:
    err = _refused(lambda: client_from_dict({"name": 3, "email": 4}, "clients.json"))
    assert str(err.summary) == "2 problems in clients.json:"
    ui.set_language("fr")
    assert ui.message_text(err.summary) == "2 problèmes dans clients.json :"
    one = _refused(lambda: client_from_dict({"name": 3}, "c.json"))
    ui.set_language("nl")
    assert ui.message_text(one.summary) == "1 probleem in c.json:"


def test_receipt_sizes_still_read_in_french() -> None:
    ui.set_language("fr")
    assert ui.message_text(human_size(12 * MB)) == "12 Mo"
    assert ui.message_text(human_size(3 * 1024)) == "3 Ko"


def test_the_extraction_skips_no_f_string(capfd: pytest.CaptureFixture[str]) -> None:
    """Babel says on stderr which f-strings it cannot put in a catalogue: there must be none."""
    from smartdesk.i18n.extract import template

    assert len(template("ui")) > 100
    assert "Skipping f-string" not in capfd.readouterr().err
