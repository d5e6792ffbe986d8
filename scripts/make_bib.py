"""Write references.bib from data/sources.csv (the one place sources are declared)."""

from pathlib import Path

from helpers import bibtex

ROOT = Path(__file__).resolve().parents[1]

if __name__ == "__main__":
    (ROOT / "references.bib").write_text(bibtex(), encoding="utf-8")
    print("wrote references.bib")
