"""Render the highlighted example of each docs page to docs/images/<page>.png with headless chromium.

    python docs/make_images.py            # all pages
    python docs/make_images.py quotes_and_voice

The example texts were written for these pages.  Each is analysed with rhetorica, rendered with
``rhetorica.render(..., features=...)`` (the page's features only, no score table), screenshotted by
Debian's chromium, cropped to the content and reduced to a 64-colour palette (a few tens of KB).
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import rhetorica
from rhetorica.display import resolve_features

HERE = Path(__file__).resolve().parent
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
#: Screenshot width in CSS pixels; the text column is about 46em wide, so this leaves a margin.
WIDTH = 860
#: Palette size of the saved PNG: the highlights use about a dozen flat colours plus anti-aliasing.
COLOURS = 64

EXAMPLES: dict[str, tuple[list[str], str]] = {
    "rhetorical_questions": (["rhetorical_question"], (
        "Who could possibly object to cleaner air? Nobody, it seems, except the factory owners.\n\n"
        "The minister was asked when the report would be published. \"When will the council answer our "
        "letters?\" asked Jane Park, a resident. Is this really the best a city of a million people can do?")),
    "historical_analogy": (["historical_analogy"], (
        "Critics called the ceasefire deal a new Munich, warning that appeasement only emboldens aggressors.\n\n"
        "The Berlin Wall fell in 1989, two years before the Soviet Union collapsed. Bayern Munich won again "
        "on Saturday.")),
    "quotes_and_voice": (["quote"], (
        "\"We will not back down,\" said union leader Maria Lopez. The company said that talks would resume "
        "on Monday.\n\nManagement described its offer as \"generous and final\". Workers remain unconvinced, "
        "and a strike vote is planned for Friday.")),
    "loaded_language": (["propaganda", "quote"], (
        "The reckless, corrupt regime has unleashed a brutal crackdown on peaceful protesters.\n\n"
        "Opponents dismissed the senator as a puppet of greedy donors. \"These thugs will not silence us,\" "
        "said organiser Omar Haddad.")),
    "bias_subjectivity_hedging": (["media_bias", "subjectivity", "hedging"], (
        "The radical left's insane scheme will wreck the economy. Some experts believe the policy may slow "
        "growth, though it is often said that such forecasts are unreliable.\n\n"
        "The bill passed the Senate by 52 votes to 48 on Tuesday.")),
    "frames_and_persuasion": (["frames", "persuasion"], (
        "Our brave soldiers deserve better than this shameful betrayal. Every patriot knows that weakness "
        "invites attack, and this government has chosen weakness again and again.\n\n"
        "The defence budget will fall by 3 percent next year, the ministry said in a statement.")),
}


def screenshot(html_path: Path, png: Path, height: int, profile: Path) -> None:
    subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--hide-scrollbars", f"--user-data-dir={profile}", f"--screenshot={png}",
                    f"--window-size={WIDTH},{height}", html_path.as_uri()],
                   capture_output=True, timeout=120, check=True)


def crop_and_shrink(src: Path, dst: Path, pad: int = 12) -> None:
    """Cut the white margins, keep a small pad, save with a small palette."""
    import numpy as np
    from PIL import Image

    im = Image.open(src).convert("RGB")
    arr = np.asarray(im)
    ink = np.where((arr < 245).any(axis=2))
    if len(ink[0]):
        top, bottom = max(ink[0].min() - pad, 0), min(ink[0].max() + pad, arr.shape[0])
        left, right = max(ink[1].min() - pad, 0), min(ink[1].max() + pad, arr.shape[1])
        im = im.crop((left, top, right, bottom))
    im.quantize(colors=COLOURS).save(dst, optimize=True)


def main(names: list[str]) -> int:
    if not Path(CHROMIUM).exists():
        print(f"needs chromium at {CHROMIUM}", file=sys.stderr)
        return 1
    out_dir = HERE / "images"
    out_dir.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for name in names or list(EXAMPLES):
            features, text = EXAMPLES[name]
            a = rhetorica.analyze(text)
            page = tmp / f"{name}.html"
            rhetorica.render(a, features=features, path=page, scores=False, title=name)
            shot = tmp / f"{name}.png"
            screenshot(page, shot, 520, tmp / "profile")
            crop_and_shrink(shot, out_dir / f"{name}.png")
            keep = resolve_features(features)
            found = sorted({s.label for s in a.spans if s.label in keep})
            print(f"{name}.png: {(out_dir / f'{name}.png').stat().st_size / 1024:.0f} KB; highlighted: "
                  f"{', '.join(found) or 'nothing'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
