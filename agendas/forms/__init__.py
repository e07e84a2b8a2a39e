"""Every form that reads a query string (GET): each page's input is validated here, and
the page cache (agendas/cache/) learns from the same forms which parameters a page reads.

A form that fails to validate means the URL is wrong: the view answers 400 and shows the
form's errors, never a 500. Choices come from the database once per request, so
validating and rendering a form costs a fixed number of queries.
"""

from agendas.forms.compare import COMPARE_MAX, COMPARE_MIN, CompareForm, ComparePickerForm
from agendas.forms.fields import PageField, SlugListField, WeightField
from agendas.forms.lists import AgendaFilterForm, PageForm, ReaderWeightsForm, SitemapPageForm
from agendas.forms.reference import (
    AssumptionMatrixForm,
    CritiqueFilterForm,
    DisagreementFilterForm,
)
from agendas.forms.search import SearchForm

__all__ = [
    "COMPARE_MAX",
    "COMPARE_MIN",
    "AgendaFilterForm",
    "AssumptionMatrixForm",
    "CompareForm",
    "ComparePickerForm",
    "CritiqueFilterForm",
    "DisagreementFilterForm",
    "PageField",
    "PageForm",
    "ReaderWeightsForm",
    "SearchForm",
    "SitemapPageForm",
    "SlugListField",
    "WeightField",
]
