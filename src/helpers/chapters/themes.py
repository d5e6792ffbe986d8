"""Fixed rows and sources that the theme chapters single out, named once here.

A theme chapter that discusses one particular archival file or one doubtful figure names it
through these constants, so that no notebook carries a literal source id.
"""

from __future__ import annotations

__all__ = ["ARAL_QUESTIONED", "BOSTANDYK_REPORT", "UZBEK_DAYS_FILE"]

#: The archival report on the Kazakhs of Bostandyk district (AP RK 75-N/1/2981, sheets 2-4),
#: quoted by the article: the source of the district's school and population shares.
BOSTANDYK_REPORT = "aprk-75n-1-2981-p2-4"

#: The file (SASKR 897/1/99a, sheets 39-40) the article quotes for the days of Kazakhstan in
#: Uzbekistan on 23-27 May, a year it does not give.
UZBEK_DAYS_FILE = "saskr-897-1-99a-p39-40"

#: Aral Sea figures (source id, year) that the source itself calls into doubt: a table whose
#: 2000 value the page labels a forecast that proved too optimistic.
ARAL_QUESTIONED = frozenset({("web-h4-scinexx-aral", 2000)})
