"""How Elasticsearch reads Vietnamese and English text.

One design that needs no plugin (it runs on a stock Elasticsearch 8; the analysis-icu plugin in
our image is not required by these analyzers): the ``standard`` tokenizer (Unicode word breaks,
so each Vietnamese syllable is a token), ``lowercase``, then Lucene's ``asciifolding``, which
maps every precomposed Vietnamese letter to its ASCII base, đ → d and Đ → D included
(``ASCIIFoldingFilter``: U+0110 → D, U+0111 → d). Text is normalised to NFC in Python before it is
indexed or searched (``techfloor.text``), because ``asciifolding`` leaves combining marks alone.

- ``vi_text`` keeps each original token beside its folded form at the same position
  (``preserve_original``): "sấy" and "say" both find "sấy", and an exact spelling scores higher.
- ``vi_folded`` keeps only the folded form: the ``.folded`` sub-fields and the combined
  ``search_text`` field that decides whether a listing matches at all.
- ``vi_shingles`` indexes folded two-syllable pairs ("cong nghe", "nghe say") on ``.shingles``
  sub-fields: Vietnamese words are mostly two syllables, so listings where the query's syllables
  stand together rank higher.
- ``english`` (the built-in stemming analyzer) on ``.english`` sub-fields, for listings
  written in English.
"""

from __future__ import annotations

from elasticsearch.dsl import analyzer, token_filter

vi_folding = token_filter("vi_folding", "asciifolding", preserve_original=True)
vi_shingle = token_filter(
    "vi_shingle", "shingle", min_shingle_size=2, max_shingle_size=2, output_unigrams=False
)

vi_text = analyzer("vi_text", tokenizer="standard", filter=["lowercase", vi_folding])
vi_folded = analyzer("vi_folded", tokenizer="standard", filter=["lowercase", "asciifolding"])
vi_shingles = analyzer(
    "vi_shingles", tokenizer="standard", filter=["lowercase", "asciifolding", vi_shingle]
)
