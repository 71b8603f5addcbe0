"""How the engine reads text: folding, function words, syllable pairs, the glossary."""

from matching.text import concepts, glossary, terms, words


def test_words_are_folded_and_function_words_dropped_before_folding():
    assert words("Cần máy SẤY lạnh và đóng gói, được trồng ở Đắk Lắk") == [
        "may",
        "say",
        "lanh",
        "dong",
        "goi",
        "trong",  # "trồng" (to plant) is not "trong" (in)
        "o",
        "dak",
        "lak",
    ]


def test_neighbouring_syllables_make_pairs_but_not_across_function_words():
    counted = terms("Sấy lạnh sầu riêng")
    assert counted["say_lanh"] > counted["say"]
    assert "sau_rieng" in counted
    assert terms("say lanh sau rieng") == counted
    assert "mau_huong" not in terms("giữ màu và hương")


def test_text_typed_without_diacritics_keeps_its_content_words():
    assert words("sau rieng trong o Dak Lak") == ["sau", "rieng", "trong", "o", "dak", "lak"]
    assert words("Sầu riêng trồng ở Đắk Lắk") == ["sau", "rieng", "trong", "o", "dak", "lak"]


def test_the_glossary_joins_vietnamese_and_english_terms():
    vietnamese = concepts("Máy sấy bơm nhiệt cho cà phê nhân")
    english = concepts("Heat pump dryer for green coffee beans")
    assert vietnamese.keys() & english.keys()
    typed_plain = concepts("May say bom nhiet cho ca phe nhan")
    assert typed_plain.keys() == vietnamese.keys()


def test_the_longest_glossary_term_wins():
    found = concepts("sấy bơm nhiệt")
    labels = {glossary().concepts[number].label("vi") for number in found}
    assert labels == {"sấy bơm nhiệt"}
