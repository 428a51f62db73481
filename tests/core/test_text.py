"""Vietnamese text handling: NFC, dictionary order, diacritic-free search."""

import unicodedata

from crc_desktop.core.text import fold, matches, nfc, sort_key


def test_nfc_composes_decomposed_input_and_trims():
    decomposed = unicodedata.normalize("NFD", " Đắk Lắk ")
    assert nfc(decomposed) == "Đắk Lắk"
    assert len(nfc(decomposed)) == len("Đắk Lắk")


def test_sort_follows_the_vietnamese_alphabet_not_code_points():
    names = [
        "Thừa Thiên",
        "Đắk Lắk",
        "Đà Nẵng",
        "Cà Mau",
        "Cao Bằng",
        "Ăn Khê",
        "An Giang",
        "Hà Nội",
    ]
    assert sorted(names, key=sort_key) == [
        "An Giang",
        "Ăn Khê",
        "Cà Mau",
        "Cao Bằng",
        "Đà Nẵng",
        "Đắk Lắk",
        "Hà Nội",
        "Thừa Thiên",
    ]
    assert sorted(names) != sorted(names, key=sort_key)  # code points would get it wrong


def test_tones_order_words_that_differ_only_by_tone():
    words = ["má", "ma", "mạ", "mà", "mã", "mả"]
    assert sorted(words, key=sort_key) == ["ma", "mà", "mả", "mã", "má", "mạ"]


def test_search_ignores_diacritics_case_and_d_stroke():
    assert fold("Đắk Lắk") == "dak lak"
    assert matches("dak lak", "Tỉnh Đắk Lắk")
    assert matches("DAK", "Tỉnh Đắk Lắk")
    assert matches("tinh lak", "Tỉnh Đắk Lắk")
    assert not matches("dak nong", "Tỉnh Đắk Lắk")
