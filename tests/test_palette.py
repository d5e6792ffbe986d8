"""The per-state palette stays distinguishable for common colour-vision deficiencies and in greyscale."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from helpers import STATE_COLOURS

# Machado, Oliveira and Fernandes (2009) simulation matrices at full severity, applied to linear RGB.
CVD = {
    "normal": np.eye(3),
    "protanopia": np.array([[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]]),
    "deuteranopia": np.array([[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]]),
    "tritanopia": np.array([[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.303900]]),
}
MIN_DELTA_E = 12.0  # CIE76 distance in Lab between any two states' colours
MIN_GREY_STEP = 0.06  # difference in relative luminance in greyscale


def linear_rgb(hex_colour: str) -> np.ndarray:
    srgb = np.array([int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)])
    return np.where(srgb <= 0.04045, srgb / 12.92, ((srgb + 0.055) / 1.055) ** 2.4)


def lab(rgb_linear: np.ndarray) -> np.ndarray:
    rgb_linear = np.clip(rgb_linear, 0, 1)
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]) @ rgb_linear
    xyz = xyz / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > 216 / 24389, np.cbrt(xyz), (24389 / 27 * xyz + 16) / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def luminance(hex_colour: str) -> float:
    return float(np.array([0.2126, 0.7152, 0.0722]) @ linear_rgb(hex_colour))


@pytest.mark.parametrize("vision", list(CVD))
def test_every_pair_of_state_colours_differs_under(vision):
    matrix = CVD[vision]
    colours = {state: lab(matrix @ linear_rgb(hex_colour)) for state, hex_colour in STATE_COLOURS.items()}
    for (a, la), (b, lb) in itertools.combinations(colours.items(), 2):
        delta = float(np.linalg.norm(la - lb))
        assert delta >= MIN_DELTA_E, f"{vision}: {a} and {b} are only {delta:.1f} apart (need {MIN_DELTA_E})"


def test_state_colours_are_distinct_in_greyscale():
    levels = sorted((luminance(c), s) for s, c in STATE_COLOURS.items())
    for (l1, s1), (l2, s2) in zip(levels, levels[1:]):
        assert l2 - l1 >= MIN_GREY_STEP, f"{s1} and {s2} differ by only {l2 - l1:.3f} in luminance"


def test_the_check_would_catch_two_similar_colours(monkeypatch):
    monkeypatch.setitem(STATE_COLOURS, "TKM", "#0070B0")
    with pytest.raises(AssertionError):
        test_every_pair_of_state_colours_differs_under("normal")
