"""Paragraph and sentence segmentation: seeds read by hand, one test per rule and language, and properties."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.core.text.segmenting import Segment, segment, split_paragraphs, split_sentences

SEED_LANGS = {"000": "az", "001": "fa", "002": "az", "003": "tr", "004": "ar"}


def seed_text(seeds_dir: Path, prefix: str) -> str:
    (path,) = seeds_dir.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


def sentences(text: str, lang: str | None = None) -> list[str]:
    return [text[s.start : s.end] for s in segment(text, lang)]


def paragraph_sentences(text: str, lang: str | None, paragraph: int) -> list[str]:
    return [text[s.start : s.end] for s in segment(text, lang) if s.paragraph == paragraph]


def paragraphs(text: str) -> list[str]:
    return [text[s:e] for s, e in split_paragraphs(text)]


def check_invariants(text: str, segs: list[Segment]) -> None:
    """Ordered, non-overlapping, trimmed, covering every non-space character once, within paragraphs."""
    paras = split_paragraphs(text)
    covered = [0] * len(text)
    previous_end = 0
    for i, seg in enumerate(segs):
        assert seg.index == i
        assert previous_end <= seg.start < seg.end <= len(text)
        assert not text[seg.start].isspace() and not text[seg.end - 1].isspace()
        ps, pe = paras[seg.paragraph]
        assert ps <= seg.start and seg.end <= pe, "a sentence crosses a paragraph boundary"
        if i:
            assert segs[i - 1].paragraph <= seg.paragraph
        for k in range(seg.start, seg.end):
            covered[k] += 1
        previous_end = seg.end
    for k, ch in enumerate(text):
        assert covered[k] == 1 if not ch.isspace() else covered[k] <= 1, (k, ch)
    assert {s.paragraph for s in segs} == set(range(len(paras)))
    previous_end = 0
    for ps, pe in paras:
        assert previous_end <= ps < pe
        assert not text[ps].isspace() and not text[pe - 1].isspace()
        previous_end = pe


# --- the seeds, read by hand -----------------------------------------------------------------------------------


@pytest.mark.parametrize("prefix", sorted(SEED_LANGS))
def test_seed_invariants(seeds_dir: Path, prefix: str) -> None:
    text = seed_text(seeds_dir, prefix)
    check_invariants(text, segment(text, SEED_LANGS[prefix]))


def test_seed_000_one_paragraph_per_line(seeds_dir: Path) -> None:
    text = seed_text(seeds_dir, "000")
    assert paragraphs(text) == text.strip().split("\n")
    assert paragraph_sentences(text, "az", 2) == [
        '"Cənab Bono Ermənistan-Azərbaycan sülh prosesini dəstəkləmək üçün əsas maraqlı tərəflərlə '
        "görüşməyi planlaşdırır.",
        'O, həm Azərbaycana, həm də Ermənistana səfər edəcək", Miller bildirib.',
    ]
    assert paragraph_sentences(text, "az", 4) == [
        "“Biz ardıcıl olaraq bildirdik ki, regionda sülh bu müdafiə vasitələrini əhatə etməlidir”, "
        "Miller əlavə edib."
    ]
    assert paragraph_sentences(text, "az", 8) == [
        "“Dünən mən Dağlıq Qarabağda humanitar vəziyyətin pisləşməsi ilə bağlı dərin narahatlığımızı "
        "bildirmək üçün Azərbaycan prezidenti Əliyevlə danışdım.",
        "Birləşmiş Ştatlar bütün tərəfləri davamlı sülh razılaşmasına nail olmaq üçün dialoqu davam "
        "etdirməyə təşviq edir”, Blinken iyulun 30-da Twitter səhifəsində qeyd edib.",
    ]


def test_seed_000_crlf_gives_the_same_sentences(seeds_dir: Path) -> None:
    text = seed_text(seeds_dir, "000")
    crlf = text.replace("\n", "\r\n")
    assert sentences(crlf, "az") == sentences(text, "az")


def test_seed_001_persian_guillemets_close_their_sentence(seeds_dir: Path) -> None:
    text = seed_text(seeds_dir, "001")
    assert len(split_paragraphs(text)) == 14
    assert paragraph_sentences(text, "fa", 10) == [
        "به گزارش مجاهدت از خبرگزاری «آرمناپرس»، آرمن سرکسیان معاون وزارت دفاع ارمنستان گفت که جو "
        "نسبتا پایدار در مناطق مرزی حاکم است.",
        "وی به خبرنگاران گفت: «هم اکنون اوضاع نسبتا آرام است.",
        "روز گذشته تیراندازیهایی گزارش شد و ما به سرعت به آن پاسخ دادیم.»",
    ]
    # The last line has no final punctuation: it is still one whole sentence.
    assert paragraph_sentences(text, "fa", 13) == ["این مطلب به صورت خودکار از این صفحه بارنشر گردیده است"]
    # Persian digits and a parenthesis inside a sentence do not break it.
    assert paragraph_sentences(text, "fa", 6)[0] == (
        "دور جدیدی از تنشها (جنگ دوم) بین باکو و ایروان در ۲۷ سپتامبر ۲۰۲۰ با درگیری شدید در منطقه "
        "مورد مناقشه قره باغ کوهستانی آغاز شد."
    )


def test_seed_002_blank_lines_headline_and_byline(seeds_dir: Path) -> None:
    text = seed_text(seeds_dir, "002")
    paras = paragraphs(text)
    assert len(paras) == 11
    assert paras[0] == "Entoni Blinken İlham Əliyevə zəng edib"
    assert paras[-1] == "Prezidentin Mətbuat Xidməti"
    assert paragraph_sentences(text, "az", 4) == [
        "Hazırda qanunsuz erməni silahlı qüvvələrinin tərki-silah prosesinin həyata keçirildiyi və onların "
        "Azərbaycan ərazisindən çıxarılması işinin həyata keçirildiyi ABŞ tərəfinə bildirilib.",
        "Son beş gün ərzində yüzlərlə hərbi texnika, silah-sursat və hərbi təchizat mallarının müsadirə "
        "edildiyi vurğulanıb.",
    ]
    assert paragraph_sentences(text, "az", 10) == ["Prezidentin Mətbuat Xidməti"]


def test_seed_003_turkish_web_page(seeds_dir: Path) -> None:
    text = seed_text(seeds_dir, "003")
    paras = paragraphs(text)
    assert len(paras) == 23
    assert paras[:3] == [
        "Azerbaycan",
        "Aliyev, O’Brien ile görüştü: Barışın görüşüldüğü bildirildi",
        "Diplomat, Blinken’in Azerbaycan Cumhurbaşkanı’na yaptığı son çağrıya da değindi",
    ]
    assert paras[-4:] == [
        "İlgili Makaleler",
        "Bir yanıt yazın",
        "E-posta adresiniz yayınlanmayacak. Gerekli alanlar * ile işaretlenmişlerdir",
        "Başa dön tuşu",
    ]
    assert paragraph_sentences(text, "tr", 21) == [
        "E-posta adresiniz yayınlanmayacak.",
        "Gerekli alanlar * ile işaretlenmişlerdir",
    ]
    # A period followed by a lowercase word is not a sentence end; "Meydan.tv" is one word.
    assert paragraph_sentences(text, "tr", 13) == [
        "“Turan”. bilgi Ziyaretinin arifesinde Washington’daki Temsilciler Meclisi Uluslararası İlişkiler "
        "Komitesi’nde konuşan James O’Brien’a göre, Aliyev ile görüşmesinin önemli önceliklerini belirledi."
    ]
    assert paragraph_sentences(text, "tr", 18) == [
        "Meydan.tv sitesininin makalesinin bir kısmı kullanılmıştır."
    ]
    assert paragraph_sentences(text, "tr", 15) == [
        "O’Brien, barış yapma zamanının geldiğini kaydetti.",
        "Bu sadece Azerbaycan için değil, aynı zamanda bölgesel istikrar ve Azerbaycan üzerinden alternatif "
        "ihracat yollarına bağımlı olan Orta Asya ülkeleri için de önemli bir rol oynuyor.",
    ]


def test_seed_004_arabic_headline_reading_time_and_sentences(seeds_dir: Path) -> None:
    text = seed_text(seeds_dir, "004")
    paras = paragraphs(text)
    assert len(paras) == 7
    assert paras[0] == (
        "الولايات المتحدة تدعو أذربيجان مرة أخرى لسحب قواتها من أرمينيا-الممثل الأمريكي الدائم "
        "بمنظمة الأمن والتعاون في أوروبا-"
    )
    assert paras[1] == "3 دقيقة قراءة"
    assert paragraph_sentences(text, "ar", 3) == [
        "نواصل تشجيع أرمينيا وأذربيجان على حل القضايا العالقة على طاولة المفاوضات.",
        "لن يكون هناك سلام دائم بدون مصالحة والدبلوماسية هي السبيل الوحيد لتحقيق هذه الغاية.",
        "يجب إجراء تحقيق كامل ونزيه في ظهور مقطع فيديو مروّع في نهاية الأسبوع الماضي على قنوات التواصل "
        "الاجتماعي يظهر فيه القوات المسلحة الأذربيجانية وهي تعدم سجناء أرمن غير مسلحين.",
        "يجب محاسبة المسؤولين عن أي انتهاكات بحق المحتجزين.",
        "نحيط علما بالتحقيق الذي بدأه المدعي العام لأذربيجان ونذكر الأطراف بالالتزام بتعهداتهم بإعادة جميع "
        "أسرى الحرب بسرعة ومعاملة هؤلاء الأسرى وفقا لالتزاماتهم الدولية.",
    ]
    last = paragraph_sentences(text, "ar", 6)
    assert len(last) == 3
    assert last[-1].endswith('في أوروبا"،قال كاربنتر.')


# --- sentence rules, per language ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        # terminal punctuation of each script
        ("en", "Is it over? Yes! It is.", ["Is it over?", "Yes!", "It is."]),
        ("ar", "هل هذا صحيح؟ نعم هذا صحيح.", ["هل هذا صحيح؟", "نعم هذا صحيح."]),
        ("fa", "آیا او آمد؟ بله، دیروز آمد.", ["آیا او آمد؟", "بله، دیروز آمد."]),
        (None, "یہ کتاب ہے۔ وہ قلم ہے۔", ["یہ کتاب ہے۔", "وہ قلم ہے۔"]),
        # an Arabic semicolon is not a sentence end
        ("ar", "قال ذلك؛ ثم غادر.", ["قال ذلك؛ ثم غادر."]),
        # runs of ! and ?
        ("tr", "Gerçekten mi?! Evet, gerçekten!!! Peki.", ["Gerçekten mi?!", "Evet, gerçekten!!!", "Peki."]),
        # ellipsis ends a sentence before a capital, not before a lowercase word or inside brackets
        ("tr", "Bekledi… Sonra gitti.", ["Bekledi…", "Sonra gitti."]),
        ("az", "Gözlədi... Sonra getdi.", ["Gözlədi...", "Sonra getdi."]),
        ("tr", "Bekledi... ve sonra gitti.", ["Bekledi... ve sonra gitti."]),
        ("en", "He said [...] That was all.", ["He said [...] That was all."]),
        ("en", "And then ... Nothing happened.", ["And then ... Nothing happened."]),
        # decimals and dates
        ("tr", "Enflasyon yüzde 3.5 oldu. Sonra düştü.", ["Enflasyon yüzde 3.5 oldu.", "Sonra düştü."]),
        ("fa", "تورم ۳٫۵ درصد بود. سپس کاهش یافت.", ["تورم ۳٫۵ درصد بود.", "سپس کاهش یافت."]),
        (
            "az",
            "Görüş 26.09.2023 tarixində oldu. Sonra bitdi.",
            ["Görüş 26.09.2023 tarixində oldu.", "Sonra bitdi."],
        ),
        # initials
        (
            "tr",
            "Aliyev, J. O'Brien ile görüştü. Sonra ayrıldı.",
            ["Aliyev, J. O'Brien ile görüştü.", "Sonra ayrıldı."],
        ),
        ("en", "Mr. J. R. Smith arrived. He sat down.", ["Mr. J. R. Smith arrived.", "He sat down."]),
        # English "I" is a word, not an initial
        ("en", "So did I. Then we left.", ["So did I.", "Then we left."]),
        # Turkish abbreviations, any case
        (
            "tr",
            "Prof. Dr. Ahmet Yılmaz konuştu. Sonra gitti.",
            ["Prof. Dr. Ahmet Yılmaz konuştu.", "Sonra gitti."],
        ),
        ("tr", "DR. Ayşe geldi.", ["DR. Ayşe geldi."]),
        ("tr", "Elma, armut vb. Meyveler satıldı.", ["Elma, armut vb. Meyveler satıldı."]),
        ("tr", "Doç. İlhan Bey geldi.", ["Doç. İlhan Bey geldi."]),
        ("tr", "T.C. Cumhurbaşkanı konuştu.", ["T.C. Cumhurbaşkanı konuştu."]),
        # Azerbaijani abbreviations
        ("az", "Kitablar, jurnallar və s. Hamısı satıldı.", ["Kitablar, jurnallar və s. Hamısı satıldı."]),
        ("az", "Bax: b. Əliyevin məqaləsi.", ["Bax: b. Əliyevin məqaləsi."]),
        ("az", "Prof. Məmmədov danışdı. Sonra getdi.", ["Prof. Məmmədov danışdı.", "Sonra getdi."]),
        # English abbreviations
        ("en", "Mr. Smith went to the U.S. He stayed.", ["Mr. Smith went to the U.S. He stayed."]),
        ("en", "See e.g. Table 2 below.", ["See e.g. Table 2 below."]),
        # abbreviations that only hold before a number
        ("en", "Turn to No. 5 now.", ["Turn to No. 5 now."]),
        ("en", "I said no. Then I left.", ["I said no.", "Then I left."]),
        ("tr", "Bkz. s. 45 ve sonrası.", ["Bkz. s. 45 ve sonrası."]),
        # Arabic-script single letters are abbreviations (د. = doctor), but an era after a year is an end
        ("ar", "قال د. محمد إن الوضع صعب.", ["قال د. محمد إن الوضع صعب."]),
        ("ar", "ولد عام 1990 م. ثم سافر.", ["ولد عام 1990 م.", "ثم سافر."]),
        # Turkish and Azerbaijani ordinals; in English a number can end a sentence
        ("tr", "Türkiye 1. Dünya Savaşı'na girdi.", ["Türkiye 1. Dünya Savaşı'na girdi."]),
        ("az", "O, 2. Qarabağ müharibəsindən danışdı.", ["O, 2. Qarabağ müharibəsindən danışdı."]),
        ("en", "He finished 2. Then he left.", ["He finished 2.", "Then he left."]),
        # URLs and e-mail addresses
        (
            "az",
            "Ətraflı: https://meydan.tv/az/article/12?id=3.5&x=y. Sonra oxuyun.",
            ["Ətraflı: https://meydan.tv/az/article/12?id=3.5&x=y.", "Sonra oxuyun."],
        ),
        ("en", "Write to info@example.com. We answer.", ["Write to info@example.com.", "We answer."]),
        # lowercase after a period: no break
        ("az", "Saat 5-də gəldi. sonra getdi.", ["Saat 5-də gəldi. sonra getdi."]),
    ],
)
def test_sentence_rules(lang: str | None, text: str, expected: list[str]) -> None:
    assert sentences(text, lang) == expected


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        # a closing quote after the final punctuation stays with its sentence
        (
            "az",
            'Miller "səfər edəcək" bildirib." Sonra getdi.',
            ['Miller "səfər edəcək" bildirib."', "Sonra getdi."],
        ),
        ("az", "Dedi ki: «Gələcəyəm». Sonra getdi.", ["Dedi ki: «Gələcəyəm».", "Sonra getdi."]),
        ("tr", "«Geleceğim.» Sonra gitti.", ["«Geleceğim.»", "Sonra gitti."]),
        ("en", "(This is an aside.) Next one.", ["(This is an aside.)", "Next one."]),
        ("fa", "گفت: «می‌آیم.» سپس رفت.", ["گفت: «می‌آیم.»", "سپس رفت."]),
        # an opening quote goes with the sentence it opens, even before a lowercase word
        ("az", 'O bildirib. "Cənab Bono gələcək."', ["O bildirib.", '"Cənab Bono gələcək."']),
        ("tr", "Dedi. «ve gitti»", ["Dedi.", "«ve gitti»"]),
        # punctuation right after an opening quote or bracket does not end a sentence
        ("tr", "Bu «?» İşareti anlamadı.", ["Bu «?» İşareti anlamadı."]),
        ("en", "He won (!) The crowd cheered.", ["He won (!) The crowd cheered."]),
        # a dash or bullet can start a sentence
        ("en", "He stopped. — Why? he asked.", ["He stopped.", "— Why? he asked."]),
    ],
)
def test_quote_rules(lang: str | None, text: str, expected: list[str]) -> None:
    assert sentences(text, lang) == expected


def test_zwnj_and_diacritics_are_kept_in_place() -> None:
    text = "آنها می\u200cگویند که کتاب\u200cها رسید. كَتَبَ الوَلَدُ الدَّرْسَ. Şəhər böyükdür."
    got = sentences(text, None)
    assert got == [
        "آنها می\u200cگویند که کتاب\u200cها رسید.",
        "كَتَبَ الوَلَدُ الدَّرْسَ.",
        "Şəhər böyükdür.",
    ]
    assert sum(s.count("\u200c") for s in got) == 2
    check_invariants(text, segment(text))


def test_language_code_variants_pick_the_same_rules() -> None:
    text = "Elma, armut vb. Meyveler satıldı."
    assert sentences(text, "TR") == sentences(text, "tr_TR") == sentences(text, "tr")
    # an unknown language uses every list: still no break after "vb."
    assert sentences(text, None) == sentences(text, "xx") == [text]


def test_split_sentences_uses_the_given_range_only() -> None:
    text = "Önce. Bu cümle. Ve bu. Sonra."
    start = text.index("Bu")
    end = text.index(" Sonra")
    spans = split_sentences(text, start - 1, end + 1, "tr")
    assert [text[s:e] for s, e in spans] == ["Bu cümle.", "Ve bu."]
    assert split_sentences(text, 5, 6) == []
    assert split_sentences("   \n ", 0, 5) == []


def test_empty_and_blank_text() -> None:
    assert segment("") == []
    assert segment(" \n\n\t \u2029 ") == []
    assert split_paragraphs("\n\n") == []


# --- paragraphs: one per line versus hard-wrapped ----------------------------------------------------------


def wrap_paragraphs(paras: list[str], width: int, blank_lines: bool = True) -> str:
    sep = "\n\n" if blank_lines else "\n"
    return sep.join(textwrap.fill(p, width) for p in paras)


def normalised(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize(("prefix", "width"), [("002", 70), ("003", 64), ("001", 72), ("000", 80)])
def test_hard_wrapped_seed_paragraphs_are_joined(seeds_dir: Path, prefix: str, width: int) -> None:
    original = paragraphs(seed_text(seeds_dir, prefix))
    long_paras = [p for p in original if len(p) > 2 * width]
    assert len(long_paras) >= 3
    wrapped = wrap_paragraphs(long_paras, width)
    assert wrapped.count("\n") > 2 * len(long_paras)
    got = paragraphs(wrapped)
    assert [normalised(p) for p in got] == long_paras
    # the sentences are the same as in the unwrapped text
    lang = SEED_LANGS[prefix]
    assert [normalised(s) for s in sentences(wrapped, lang)] == sentences("\n\n".join(long_paras), lang)
    check_invariants(wrapped, segment(wrapped, lang))


def test_hard_wrapped_paragraphs_without_blank_lines_break_at_short_lines() -> None:
    paras = [
        "The talks between the two ministers lasted for more than six hours on Tuesday and ended "
        "without a joint statement, officials in both capitals said late in the evening.",
        "A second round is planned for next month in Washington, where the delegations are expected "
        "to discuss the remaining articles of the draft agreement.",
    ]
    wrapped = wrap_paragraphs(paras, 66, blank_lines=False)
    lines = wrapped.split("\n")
    assert len(lines[2]) < 0.8 * 66  # the first paragraph ends on a short line
    assert [normalised(p) for p in paragraphs(wrapped)] == paras


def test_headline_above_wrapped_text_is_never_joined() -> None:
    body = (
        "The foreign ministers of both countries met in Washington on Monday and agreed to continue "
        "the negotiations on a peace treaty before the end of the year, the State Department said."
    )
    long_headline = "Armenian And Azerbaijani Ministers Agree To Resume Peace Talks"
    short_headline = "Talks resume in Washington"
    for headline in (long_headline, short_headline):
        text = headline + "\n" + textwrap.fill(body, 66)
        got = paragraphs(text)
        assert got[0] == headline
        assert [normalised(p) for p in got[1:]] == [body]
    # the long headline is as wide as a wrapped line: only the headline rule keeps it apart
    assert len(long_headline) + 4 > 0.9 * 66


def test_list_items_in_wrapped_text_stay_apart() -> None:
    intro = (
        "The agreement that the delegations signed in the capital on Friday covers several areas, "
        "among them the following ones that were discussed at length:"
    )
    text = textwrap.fill(intro, 60) + "\n- energy and transport links\n- the border commission"
    got = paragraphs(text)
    assert [normalised(p) for p in got] == [intro, "- energy and transport links", "- the border commission"]


def test_list_items_after_full_lines_stay_apart() -> None:
    text = (
        "The agreement that both sides signed in the capital on Friday covers\n"
        "several areas of cooperation between the two countries, among them\n"
        "energy, transport and the work of the border commission, namely\n"
        "- the reopening of the railway line through the Nakhchivan region\n"
        "- the demarcation of the border by a joint expert commission"
    )
    lines = text.split("\n")
    assert [normalised(p) for p in paragraphs(text)] == [" ".join(lines[:3]), lines[3], lines[4]]


def test_one_headline_per_line_is_not_mistaken_for_wrapping() -> None:
    # similar widths and no final punctuation, but nothing runs on into a lowercase word
    text = (
        "Azerbaijan and Armenia resume talks in Washington this week\n"
        "Turkish lira falls to a new record low against the dollar\n"
        "Iran and Russia sign an agreement on the new railway corridor\n"
        "Georgian parliament passes the budget for the coming year"
    )
    assert paragraphs(text) == text.split("\n")


def test_short_verse_lines_are_not_joined() -> None:
    text = "Bir gün gələcək\nsənin də səsin\nbu dağlarda\nəks-səda verəcək"
    assert paragraphs(text) == text.split("\n")


def test_long_lines_are_paragraphs_even_when_they_run_on(seeds_dir: Path) -> None:
    # seed 000's first lines, with the first line's full stop removed and the second line lowercased
    lines = seed_text(seeds_dir, "000").split("\n")[:3]
    lines[0] = lines[0].removesuffix(".")
    lines[1] = lines[1][0].lower() + lines[1][1:]
    text = "\n".join(lines)
    assert paragraphs(text) == lines


def test_one_stray_run_on_line_does_not_make_a_text_hard_wrapped() -> None:
    lines = [
        "Azerbaijan news",
        "The ministers met in Baku on Monday to discuss the new corridor.",
        "They also talked about the border commission and its next steps.",
        "The next round will take place in Washington, officials said.",
        "Sports",
        "The national team won its qualifying match in Baku on Saturday.",
        "The ministers also met the president of the republic and his team",
        "at the residence.",
        "Weather",
        "Rain is expected in the capital and in the west of the country.",
    ]
    text = "\n".join(lines)
    assert paragraphs(text) == lines


def test_paragraph_separator_ends_a_wrapped_paragraph_even_after_a_full_line() -> None:
    first = (
        "The ministers met in the capital on Monday and talked for several hours about the open "
        "questions of the treaty and agreed."
    )
    second = (
        "A second round of talks is planned for next month in Washington, where the remaining articles "
        "will be discussed by experts."
    )
    wrapped_first = textwrap.fill(first, 64)
    assert len(wrapped_first.split("\n")[-1]) == 64  # its last line is full: only U+2029 separates them
    text = wrapped_first + "\u2029" + textwrap.fill(second, 64)
    assert [normalised(p) for p in paragraphs(text)] == [first, second]


def test_one_paragraph_per_line_with_short_lines_is_not_joined() -> None:
    text = (
        "Bakıda yeni körpü açıldı.\n"
        "Tikinti iki il çəkdi.\n"
        "Körpünün uzunluğu 400 metrdir\n"
        "Açılışda nazir də iştirak etdi."
    )
    assert paragraphs(text) == text.split("\n")


def test_paragraph_separator_and_other_line_breaks() -> None:
    text = "Birinci abzas.\u2029İkinci abzas.\r\nÜçüncü sətir.\rDördüncü.\u2028Beşinci."
    assert paragraphs(text) == ["Birinci abzas.", "İkinci abzas.", "Üçüncü sətir.", "Dördüncü.", "Beşinci."]


def test_segment_paragraph_indices_match_split_paragraphs(seeds_dir: Path) -> None:
    text = seed_text(seeds_dir, "003")
    paras = split_paragraphs(text)
    for seg in segment(text, "tr"):
        ps, pe = paras[seg.paragraph]
        assert ps <= seg.start and seg.end <= pe


def test_segment_is_a_frozen_value() -> None:
    seg = segment("Bir. İki.", "tr")[1]
    assert seg == Segment(1, 0, 5, 9)
    with pytest.raises(AttributeError):
        seg.start = 0  # type: ignore[misc]


# --- properties ---------------------------------------------------------------------------------------------

PIECES = [
    "söz",
    "İstanbul",
    "Bakı",
    "ölkə",
    "the",
    "Mr",
    "Dr",
    "vb",
    "s",
    "J",
    "U.S",
    "3.5",
    "26.09.2023",
    "1",
    "۲۷",
    "کتاب",
    "می\u200cکنند",
    "الولايات",
    "مروّع",
    "د",
    "a",
    " ",
    "  ",
    "\t",
    "\u00a0",
    "\n",
    "\n\n",
    "\r\n",
    "\u2029",
    "\u200c",
    "\u200f",
    ".",
    "...",
    "…",
    "!",
    "?",
    "?!",
    "؟",
    "۔",
    "،",
    ",",
    ":",
    '"',
    "'",
    "“",
    "”",
    "‘",
    "’",
    "«",
    "»",
    "(",
    ")",
    "[",
    "]",
    "-",
    "—",
    "*",
]

texts = st.lists(st.sampled_from(PIECES), max_size=80).map("".join)
langs = st.sampled_from([None, "tr", "az", "en", "fa", "ar"])


@settings(max_examples=400, deadline=None)
@given(texts, langs)
def test_property_mixed_pieces(text: str, lang: str | None) -> None:
    check_invariants(text, segment(text, lang))


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=200), langs)
def test_property_any_text(text: str, lang: str | None) -> None:
    check_invariants(text, segment(text, lang))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(st.sampled_from(PIECES[:21]), min_size=3, max_size=40), min_size=1, max_size=6))
def test_property_wrapped_words(paras: list[list[str]]) -> None:
    text = "\n\n".join(textwrap.fill(" ".join(words) + ".", 40) for words in paras)
    check_invariants(text, segment(text, "tr"))
