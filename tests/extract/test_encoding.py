"""Bytes to text: BOMs, declared charsets, mis-declared and undeclared pages, binary data."""

from __future__ import annotations

import codecs

import pytest

from newsprism.extract import encoding

RUSSIAN = "Президент заявил, что переговоры продолжатся на следующей неделе в столице."
FRENCH = "Le président a déclaré que les négociations reprendront la semaine prochaine à Genève."


def test_utf8_bom() -> None:
    assert encoding.decode(codecs.BOM_UTF8 + "héllo".encode()) == "héllo"


def test_utf16_bom() -> None:
    assert encoding.decode("héllo wörld".encode("utf-16")) == "héllo wörld"


def test_declared_charset_is_read() -> None:
    html = f'<html><head><meta charset="windows-1251"></head><body>{RUSSIAN}</body></html>'
    assert encoding.declared_charset(html.encode("cp1251")) == "cp1251"
    assert RUSSIAN in (encoding.decode(html.encode("cp1251")) or "")


def test_cp1251_page_declared_as_utf8_is_detected() -> None:
    html = f'<html><head><meta charset="utf-8"></head><body><p>{RUSSIAN * 3}</p></body></html>'
    decoded = encoding.decode(html.encode("cp1251"))
    assert decoded is not None and RUSSIAN in decoded


def test_latin1_page_without_declaration_is_detected() -> None:
    text = f"<html><body><p>{FRENCH * 3}</p></body></html>"
    decoded = encoding.decode(text.encode("latin-1"))
    assert decoded is not None and FRENCH in decoded


def test_utf8_page_declared_as_latin1_stays_utf8() -> None:
    html = f'<meta charset="iso-8859-1"><p>{FRENCH}</p>'
    assert FRENCH in (encoding.decode(html.encode("utf-8")) or "")


def test_binary_is_recognised() -> None:
    assert encoding.looks_binary(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    assert not encoding.looks_binary(b"plain text")


# Issue #16 item 11: unlabelled Western pages were read as Central European ("crème" -> "crčme").
WESTERN = {
    "fr": "“It’s a crème,” she said, and the café served a brûlée — twice.",
    "en": "He ordered the crème caramel.",
    "pt": "As informações sobre a eleição serão divulgadas amanhã, disse o governo.",
    "es": "El niño comió una manzana en la estación de Málaga. ¿Qué pasó?",
}
CENTRAL = {
    "pl": "Rząd poinformował, że rozmowy będą kontynuowane w przyszłym tygodniu w Łodzi.",
    "hu": "A kormány szerint a tárgyalások jövő héten folytatódnak, közölte a szóvivő.",
    "cz": "Příliš žluťoučký kůň úpěl ďábelské ódy, řekl mluvčí.",
}


@pytest.mark.parametrize(
    ("lang", "codec"),
    [(lang, "cp1252") for lang in sorted(WESTERN)] + [(lang, "latin-1") for lang in ["en", "pt", "es"]],
)
def test_undeclared_western_text_is_read_as_western(lang: str, codec: str) -> None:
    text = WESTERN[lang]  # (latin-1 has no curly quotes, so the French sample is cp1252 only)
    data = f"<html><body><p>{text}</p></body></html>".encode(codec)
    assert text in (encoding.decode(data) or "")


@pytest.mark.parametrize("lang", sorted(CENTRAL))
def test_undeclared_central_european_text_stays_central_european(lang: str) -> None:
    text = CENTRAL[lang]
    assert text in (encoding.decode(f"<p>{text}</p>".encode("cp1250")) or "")


def test_cyrillic_inside_heavy_markup_is_not_taken_for_latin() -> None:
    markup = '<div class="article-body layout-wide"><a href="/static/css/main-layout.css">x</a>' * 20
    html = f"<html><body>{markup}<p>{RUSSIAN}</p></body></html>"
    assert RUSSIAN in (encoding.decode(html.encode("cp1251")) or "")
