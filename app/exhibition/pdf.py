"""The printed catalog: an A4 PDF for a print shop, laid out with fpdf2.

A cover with the channel's name, venue and dates and the categories it holds; then the
products by category, one card each: image, names in the chosen language and the other,
MSME brand and province, price in yen and in its own currency with the incoterm, MOQ,
lead time, buyer-facing certifications, booth, and the QR code of the product's public
page; then, when the channel shows parts of the supplier directory's suppliers, those
suppliers: place, processes, certificates with their expiry, and their parts here.
Text is real text in an embedded font (Noto Sans CJK JP, installed with the project by
the `noto-cjk-sans-jp-regular` package, subset to the characters used), so it can be
searched and extracted; a name is shrunk to fit one line before it wraps.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from importlib.resources import files
from typing import Any, cast

from fpdf import FPDF

from app.catalog.language import pick
from app.exhibition import qr, words
from app.exhibition.choices import CatalogLanguage
from app.exhibition.rows import ExhibitionCatalog, Row, Section, SupplierSection
from app.exhibition.words import KINDS, dates, day, label, money, other, quantity

FONT = "noto"
FONT_FILE = files("noto_cjk_sans_jp_regular") / "NotoSansCJKjp-Regular.otf"

# Geometry in millimetres on A4 (210 x 297).
WIDTH, HEIGHT = 210.0, 297.0
MARGIN = 12.0
TOP = MARGIN + 10  # below the running header
BOTTOM = HEIGHT - MARGIN - 8  # above the footer
IMAGE = 34.0
QR_SIZE = 30.0  # with its quiet zone: ~0.65 mm modules for a URL of up to ~80 characters
TEXT_X = MARGIN + IMAGE + 5
QR_X = WIDTH - MARGIN - QR_SIZE
TEXT_WIDTH = QR_X - 3 - TEXT_X
BAND = 11.0  # a category's heading
GAP = 4.0  # between cards

INK, GREY, ACCENT, PAPER = (25, 25, 25), (105, 105, 105), (35, 60, 120), (236, 240, 248)

CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
Color = tuple[int, int, int]


@dataclass(frozen=True)
class Line:
    text: str
    size: float  # points
    height: float  # millimetres
    color: Color


def line_height(size: float) -> float:
    """Millimetres a line of `size` points takes."""
    return size * 0.3528 * 1.3


class CatalogPdf(FPDF):
    def __init__(self, catalog: ExhibitionCatalog) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.catalog = catalog
        self.lang: CatalogLanguage = catalog.lang
        self.title_text = pick(catalog.channel.name, self.lang) or catalog.channel.code
        self.add_font(FONT, fname=str(FONT_FILE))
        self.set_auto_page_break(False)  # `products` places each card whole on a page
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.c_margin = 0
        self.set_title(f"{self.title_text} – {label('title', self.lang)}")
        self.set_lang(self.lang)
        self.set_creator("Kurasi")
        self.alias_nb_pages()

    # -- the page's frame -------------------------------------------------------------
    def header(self) -> None:
        if self.page_no() == 1:
            return
        self._text(MARGIN, MARGIN, WIDTH - 2 * MARGIN, self.title_text, 8, GREY)
        self.set_draw_color(*GREY)
        self.set_line_width(0.2)
        self.line(MARGIN, MARGIN + 5, WIDTH - MARGIN, MARGIN + 5)

    def footer(self) -> None:
        # The total is written in at the end, in place of the alias.
        page = label("page", self.lang, page=self.page_no(), pages=self.str_alias_nb_pages)
        self.set_font(FONT, size=8)
        self.set_text_color(*GREY)
        self.set_xy(MARGIN, HEIGHT - MARGIN - 4)
        self.cell(WIDTH - 2 * MARGIN, 4, page, align="C")

    # -- text -------------------------------------------------------------------------
    def _text(
        self, x: float, y: float, width: float, text: str, size: float, color: Color
    ) -> float:
        """One line of text at (x, y); the height it took."""
        self.set_font(FONT, size=size)
        self.set_text_color(*color)
        self.set_xy(x, y)
        self.cell(width, line_height(size), text)
        return line_height(size)

    def _fitted(
        self, text: str, width: float, size: float, smallest: float, most: int
    ) -> tuple[list[str], float]:
        """`text` on one line, at the largest size from `size` down to `smallest` that
        fits `width`, else wrapped at `smallest` into at most `most` lines. Line breaks,
        tabs and control characters an owner typed become spaces."""
        text = " ".join(CONTROLS.sub(" ", text).split())
        points = size
        while points >= smallest:
            self.set_font(FONT, size=points)
            if self.get_string_width(text) <= width:
                return [text], points
            points -= 0.5
        self.set_font(FONT, size=smallest)
        lines = cast(list[str], self.multi_cell(width, 4, text, dry_run=True, output="LINES"))
        if len(lines) > most:
            lines = [*lines[: most - 1], self._ellipsized(" ".join(lines[most - 1 :]), width)]
        return lines, smallest

    def _ellipsized(self, text: str, width: float) -> str:
        while text and self.get_string_width(text + "…") > width:
            text = text[:-1]
        return text + "…"

    # -- the cover --------------------------------------------------------------------
    def cover(self) -> None:
        c, lang = self.catalog.channel, self.lang
        self.add_page()
        self.set_fill_color(*ACCENT)
        self.rect(0, 0, WIDTH, 40, style="F")
        self._text(MARGIN, 14, 120, "Kurasi", 12, (255, 255, 255))
        self._text(MARGIN, 21, 150, label("title", lang), 16, (255, 255, 255))
        y = 60.0
        lines, size = self._fitted(self.title_text, WIDTH - 2 * MARGIN, 26, 14, 3)
        for text in lines:
            y += self._text(MARGIN, y, WIDTH - 2 * MARGIN, text, size, INK)
        if (second := c.name.get(other(lang))) and second != self.title_text:
            y += self._text(MARGIN, y + 1, WIDTH - 2 * MARGIN, second, 15, GREY) + 1
        y += 6
        place = ", ".join(p for p in (c.venue, c.city, c.country) if p)
        kind = KINDS.get(c.kind, {}).get(lang)
        for fact in (kind, place, dates(c.starts_on, c.ends_on, lang)):
            if fact:
                y += self._text(MARGIN, y, WIDTH - 2 * MARGIN, fact, 13, INK) + 1.5
        y += 8
        y += self._text(MARGIN, y, 150, label("count", lang, n=self.catalog.count), 13, ACCENT) + 2
        if suppliers := len(self.catalog.suppliers):
            y += (
                self._text(MARGIN, y, 150, label("supplier_count", lang, n=suppliers), 13, ACCENT)
                + 2
            )
        if not self.catalog.sections:
            self._text(MARGIN, y, WIDTH - 2 * MARGIN, label("empty", lang), 11, INK)
        for section in self.catalog.sections:
            heading = label(
                "in_category", lang, category=self._category(section), n=len(section.rows)
            )
            y += self._text(MARGIN + 4, y, WIDTH - 2 * MARGIN - 4, heading, 10.5, INK) + 0.8
            if y > BOTTOM - 30:
                break  # a long list of categories: the outline lists them all
        y = BOTTOM - 22
        for key in ("as_of", "prices", "scan"):
            text = label(key, lang, day=day(self.catalog.today, lang))
            y += self._text(MARGIN, y, WIDTH - 2 * MARGIN, text, 8.5, GREY) + 1

    def _category(self, section: Section) -> str:
        """The category's name in the chosen language, then in the other."""
        names = [section.names.get(self.lang), section.names.get(other(self.lang))]
        return " / ".join(n for n in names if n) or section.category

    # -- the products -----------------------------------------------------------------
    def products(self, images: Iterator[bytes | None]) -> None:
        """The cards, category after category; a category's heading comes again on each
        page it continues on."""
        y = BOTTOM  # the first card opens a page
        for section in self.catalog.sections:
            title = self._category(section)
            for i, row in enumerate(section.rows):
                card = self._card_text(row)
                height = max(IMAGE, QR_SIZE, sum(line.height for line in card))
                heading = i == 0
                if y + (BAND if heading else 0) + height > BOTTOM:
                    self.add_page()
                    y, heading = TOP, True
                if i == 0:
                    self.set_y(y)
                    self.start_section(title)  # the PDF's outline: a bookmark a category
                if heading:
                    y = self._band(title, y)
                self._card(row, card, next(images), y)
                y += height + GAP

    def _band(self, title: str, y: float) -> float:
        self.set_fill_color(*PAPER)
        self.rect(MARGIN, y, WIDTH - 2 * MARGIN, BAND - 3, style="F")
        self._text(MARGIN + 3, y + 1.2, WIDTH - 2 * MARGIN - 6, title, 12, ACCENT)
        return y + BAND

    def _card_text(self, row: Row) -> list[Line]:
        """The card's lines of text."""
        item, lang = row.item, self.lang
        names = item.translations.name
        second = names.get(other(lang)) or names.get("id")
        if second == item.name:
            second = None
        out: list[Line] = []
        lines, size = self._fitted(item.name, TEXT_WIDTH, 11.5, 8.5, 2)
        out += [Line(text, size, line_height(size), INK) for text in lines]
        if second:
            lines, size = self._fitted(second, TEXT_WIDTH, 9.5, 7.5, 2)
            out += [Line(text, size, line_height(size), GREY) for text in lines]
        province = words.province(item.msme.province, lang)
        per_unit = f" / {item.unit}"
        price = money(item.price) + per_unit + (f" {item.incoterm}" if item.incoterm else "")
        yen = money(item.price_jpy) + per_unit if item.price_jpy else label("no_yen", lang)
        terms = [
            label("moq", lang, moq=quantity(item.moq, item.unit)) if item.moq else None,
            label("lead_time", lang, days=item.lead_time_days) if item.lead_time_days else None,
        ]
        details = [
            (f"{item.msme.brand_name} ・ {province}", 8.5, GREY),
            (f"{yen}（{price}）" if lang == CatalogLanguage.ja else f"{yen} ({price})", 9.5, INK),
            (" ・ ".join(t for t in terms if t), 8.5, GREY),
            (words.certifications(item.certifications, lang), 8.5, GREY),
            (label("booth", lang, booth=row.booth) if row.booth else "", 9, ACCENT),
        ]
        for text, points, color in details:
            if text:
                lines, size = self._fitted(text, TEXT_WIDTH, points, 7, 2)
                out += [Line(line, size, line_height(size) + 0.3, color) for line in lines]
        return out

    # -- the suppliers ----------------------------------------------------------------
    def suppliers(self) -> None:
        """After the products, the directory's suppliers whose parts the channel shows:
        what each makes, its certificates and until when, and its parts here."""
        if not self.catalog.suppliers:
            return
        title = label("suppliers", self.lang)
        self.add_page()
        self.set_y(TOP)
        self.start_section(title)
        y = self._band(title, TOP)
        note, size = self._fitted(label("suppliers_note", self.lang), WIDTH - 2 * MARGIN, 8.5, 8, 3)
        for text in note:
            y += self._text(MARGIN, y, WIDTH - 2 * MARGIN, text, size, GREY)
        y += GAP
        for section in self.catalog.suppliers:
            block = self._supplier_text(section)
            if y + sum(line.height for line in block) > BOTTOM:
                self.add_page()
                y = self._band(title, TOP)
            for line in block:
                self._text(MARGIN, y, WIDTH - 2 * MARGIN, line.text, line.size, line.color)
                y += line.height
            y += GAP

    def _supplier_text(self, section: SupplierSection) -> list[Line]:
        s, lang = section.supplier, self.lang
        held = [(c.code, c.expires_on) for c in s.certifications]
        details = [
            (s.brand_name, 12, INK),
            (f"{words.province(s.province, lang)} ・ {s.city}", 9, GREY),
            (
                label("processes", lang, names=words.processes(_processes(s.capabilities), lang)),
                9,
                INK,
            ),
            (label("certified", lang, names=words.dated_certificates(held, lang)), 8.5, GREY),
            (
                label(
                    "parts", lang, names=words.listed([r.item.name for r in section.parts], lang)
                ),
                8.5,
                ACCENT,
            ),
        ]
        out: list[Line] = []
        for text, points, color in details:
            lines, size = self._fitted(text, WIDTH - 2 * MARGIN, points, 7, 3)
            out += [Line(line, size, line_height(size) + 0.3, color) for line in lines]
        return out

    def _card(self, row: Row, lines: list[Line], image: bytes | None, y: float) -> None:
        if image is not None:
            self.image(io.BytesIO(image), MARGIN, y, IMAGE, IMAGE, keep_aspect_ratio=True)
        else:
            self.set_fill_color(*PAPER)
            self.rect(MARGIN, y, IMAGE, IMAGE, style="F")
        qr.draw(self, row.page_url, QR_X, y, QR_SIZE)
        for line in lines:
            self._text(TEXT_X, y, TEXT_WIDTH, line.text, line.size, line.color)
            y += line.height


def render(catalog: ExhibitionCatalog, images: Sequence[bytes | None]) -> bytes:
    """The PDF of `catalog`; `images` holds each product's thumbnail, in the catalog's
    order (None: an empty frame)."""
    pdf = CatalogPdf(catalog)
    pdf.cover()
    pdf.products(iter(images))
    pdf.suppliers()
    return bytes(pdf.output())


def _processes(capabilities: dict[str, Any] | None) -> list[str]:
    return list((capabilities or {}).get("processes") or [])
