"""Draws the app icons of the web app manifest (static/pwa/icons/, committed; lms/pwa.py ICONS).

Run from the project root: `.venv/bin/python tools/pwa/icons.py`. Same Pillow, same font => same PNGs.
"any" icons: a rounded blue tile with a white "P"; "maskable" ones fill the square with blue and keep
the letter inside the middle 80% (the safe zone launchers may cut to a circle).
"""

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "static" / "pwa" / "icons"
FONT = ROOT / "static" / "fonts" / "SourceSansPro-Semibold.ttf"
BRAND, WHITE = (0x1D, 0x4F, 0x91, 255), (255, 255, 255, 255)


def draw(size: int, maskable: bool) -> Image.Image:
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    canvas = ImageDraw.Draw(image)
    if maskable:
        canvas.rectangle((0, 0, size, size), fill=BRAND)
        letter = int(size * 0.5)
    else:
        canvas.rounded_rectangle((0, 0, size - 1, size - 1), radius=size // 6, fill=BRAND)
        letter = int(size * 0.68)
    font = ImageFont.truetype(str(FONT), letter)
    canvas.text((size / 2, size / 2), "P", font=font, fill=WHITE, anchor="mm")
    return image


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    for size in (192, 512):
        draw(size, maskable=False).save(OUT / f"icon-{size}.png", optimize=True)
        draw(size, maskable=True).save(OUT / f"maskable-{size}.png", optimize=True)


if __name__ == "__main__":
    main()
