"""Local Sphinx extension: the book's {cite} labels, the same labels its tables show.

sphinxcontrib-bibtex's ``author_year`` style builds a label from an entry's author names
and year, so every archival file (author: the archive) read "Archive of the President ...,
n.d." and a publisher's many pages of one year shared one label. ``references.bib`` now
carries each source's label, made once from ``data/sources.csv`` by
``helpers.cite.citation_labels``: ``shortauthor`` is its name and ``year`` its date, and
archival files, cited by the file alone, have no year. The ``book`` referencing style
registered here prints exactly those two fields:

* ``{cite:p}``: ``[RFE/RL, 1999-02-04]``, ``[AP RK 5-N/1/431]`` (all of it a link), several
  parted by semicolons, since labels hold commas: ``[RFE/RL, 1997; Pannier, 2000-08-09]``;
* ``{cite:t}``: ``RFE/RL [1999-02-04]`` (the date a link), ``AP RK 5-N/1/431`` (a link).

Use it with ``bibtex_reference_style: book`` in ``_config.yml``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pybtex.style.template import field as bib_field
from pybtex.style.template import first_of, join, optional
from sphinxcontrib.bibtex.plugin import register_plugin
from sphinxcontrib.bibtex.style.referencing import BracketStyle, GroupReferenceStyle, PersonStyle
from sphinxcontrib.bibtex.style.referencing.basic_author_year import (
    BasicAuthorYearParentheticalReferenceStyle,
    BasicAuthorYearTextualReferenceStyle,
)
from sphinxcontrib.bibtex.style.referencing.extra_author import ExtraAuthorReferenceStyle
from sphinxcontrib.bibtex.style.referencing.extra_empty import ExtraEmptyReferenceStyle
from sphinxcontrib.bibtex.style.referencing.extra_label import ExtraLabelReferenceStyle
from sphinxcontrib.bibtex.style.referencing.extra_year import ExtraYearReferenceStyle
from sphinxcontrib.bibtex.style.template import join2, post_text, pre_text, reference


@dataclass
class LabelPersonStyle(PersonStyle):
    """The label's name: the entry's ``shortauthor``, else its author names as usual."""

    def author_or_editor_or_title(self, full: bool):
        return first_of[optional[bib_field("shortauthor")], super().author_or_editor_or_title(full)]


# the label's date: the entry's year, or nothing (archival files)
DATE = optional[bib_field("year")]


@dataclass
class LabelParentheticalStyle(BasicAuthorYearParentheticalReferenceStyle):
    """[name, date], or [name] when the entry has no year."""

    def inner(self, role_name: str):
        return join2(sep1=self.pre_text_sep, sep2=self.post_text_sep)[
            pre_text,
            reference[join(sep=self.author_year_sep)[self.person.author_or_editor_or_title(full="s" in role_name), DATE]],
            post_text,
        ]


@dataclass
class LabelTextualStyle(BasicAuthorYearTextualReferenceStyle):
    """name [date], or name alone (a link) when the entry has no year."""

    def inner(self, role_name: str):
        name = self.person.author_or_editor_or_title(full="s" in role_name)
        with_date = join(sep=self.text_reference_sep)[
            name,
            join[self.bracket.left,
                 join2(sep1=self.pre_text_sep, sep2=self.post_text_sep)[pre_text, reference[bib_field("year")], post_text],
                 self.bracket.right],
        ]
        without_date = join2(sep1=self.pre_text_sep, sep2=self.post_text_sep)[pre_text, reference[name], post_text]
        return first_of[optional[with_date], without_date]


@dataclass
class BookReferenceStyle(GroupReferenceStyle):
    """sphinxcontrib-bibtex's author_year roles, with the labels of references.bib."""

    # labels hold commas ('SASKR 897/1/99a, sheet 48'), so citations are parted by semicolons
    bracket_textual: BracketStyle = field(default_factory=lambda: BracketStyle(sep="; "))
    bracket_parenthetical: BracketStyle = field(default_factory=lambda: BracketStyle(sep="; "))
    bracket_author: BracketStyle = field(default_factory=BracketStyle)
    bracket_label: BracketStyle = field(default_factory=BracketStyle)
    bracket_year: BracketStyle = field(default_factory=BracketStyle)
    person: PersonStyle = field(default_factory=LabelPersonStyle)

    def __post_init__(self):
        self.styles.extend([
            LabelParentheticalStyle(bracket=self.bracket_parenthetical, person=self.person),
            LabelTextualStyle(bracket=self.bracket_textual, person=self.person),
            ExtraAuthorReferenceStyle(bracket=self.bracket_author, person=self.person),
            ExtraLabelReferenceStyle(bracket=self.bracket_label),
            ExtraYearReferenceStyle(bracket=self.bracket_year),
            ExtraEmptyReferenceStyle(),
        ])
        super().__post_init__()


def setup(app):
    register_plugin("sphinxcontrib.bibtex.style.referencing", "book", BookReferenceStyle, force=True)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
