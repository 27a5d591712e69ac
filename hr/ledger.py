"""The JP ledger's tables (/hr/jp/): the ledger itself and its SIASN records, read from the page's filters.

Shared by the views (CSV, small XLSX) and the background task (large XLSX), which rebuild the
same rows from the query string an `ExportJob` keeps.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.http import QueryDict

from hr import exports, selectors
from hr.filters import JpLedgerForm
from hr.models import ExportKind


@dataclass(frozen=True)
class Table:
    header: list[str]
    cells: Iterable[list]
    total: int
    title: str  # the XLSX sheet's name


def _ledger(form: JpLedgerForm) -> Table:
    arguments = form.ledger_arguments()
    officers = selectors.jp_ledger(**arguments).order_by(*form.order())
    return Table(
        header=exports.jp_ledger_header(),
        cells=exports.jp_ledger_cells(selectors.jp_ledger_rows(officers), year=arguments["year"]),
        total=officers.count(),
        title=f"JP {arguments['year']}",
    )


def _siasn(form: JpLedgerForm) -> Table:
    certificates = selectors.siasn_queryset(**form.ledger_arguments())
    return Table(
        header=exports.siasn_header(selectors.SIASN_FIELDS),
        cells=exports.siasn_cells(selectors.siasn_records(certificates)),
        total=certificates.count(),
        title="Riwayat Kursus SIASN",
    )


BUILDERS: dict[str, Callable[[JpLedgerForm], Table]] = {ExportKind.JP_LEDGER: _ledger, ExportKind.SIASN: _siasn}


def table(*, kind: str, form: JpLedgerForm) -> Table:
    """The rows an export of `kind` lists for a valid form."""
    return BUILDERS[kind](form)


def table_for_query(*, kind: str, query: str) -> Table:
    """The same rows from a saved query string (a background export); its filters were valid when saved."""
    form = JpLedgerForm(QueryDict(query))
    if not form.is_valid():
        raise ValueError(f"invalid JP ledger filters: {form.errors.as_json()}")
    return table(kind=kind, form=form)
