"""The text-to-speech voices per language: which may be used for training and which are reserved for the
held-out test (never trained on).  A voice is (engine, name, weight); weights set each voice's share of a corpus."""

ESPEAK_VARIANTS = [f"m{i}" for i in range(1, 8)] + [f"f{i}" for i in range(1, 6)]

TRAIN = {
    "en": [
        # espeak-ng formant voices are robotic: a small share, but many accents and variants.
        *[("espeak", accent, 0.02) for accent in
          ("en-us", "en-gb", "en-gb-x-rp", "en-gb-scotland", "en-gb-x-gbclan", "en-gb-x-gbcwmd", "en-029")],
        ("espeak", "mb-us1", 0.055), ("espeak", "mb-us2", 0.055), ("espeak", "mb-us3", 0.055),
        ("espeak", "mb-en1", 0.055),
        ("flite", "kal16", 0.06), ("flite", "awb", 0.05), ("flite", "rms", 0.05), ("flite", "slt", 0.05),
        ("flite", "kal", 0.03),
        ("pico", "en-US", 0.08),
        ("festival", "kal_diphone", 0.06), ("festival", "ked_diphone", 0.06),
        ("festival", "cmu_us_slt_arctic_hts", 0.08), ("festival", "us1_mbrola", 0.06),
        ("festival", "en1_mbrola", 0.06),
    ],
    "es": [
        *[("espeak", accent, 0.08) for accent in ("es", "es-419")],
        ("espeak", "mb-es1", 0.14), ("espeak", "mb-es2", 0.14), ("espeak", "mb-es3", 0.14),
        ("pico", "es-ES", 0.14),
    ],
    "nl": [
        ("espeak", "nl", 0.25), ("espeak", "mb-nl2", 0.4),
    ],
    "ko": [
        ("espeak", "ko", 1.0),
    ],
}

# Reserved for the held-out test: pico en-GB, festival rab_diphone, foreign-accented mbrola English.
RESERVED = {
    "en": [
        ("pico", "en-GB", 0.33), ("festival", "rab_diphone", 0.33),
        *[("espeak", f"mb-{v}-en", 0.034) for v in
          ("de1", "de2", "de3", "de4", "de5", "de6", "fr1", "fr4", "nl2", "hu1")],
    ],
    "es": [("espeak", "mb-es4", 0.5), ("espeak", "es+f3", 0.5)],
    "nl": [("espeak", "mb-nl3", 0.6), ("espeak", "nl+f2", 0.4)],
    "ko": [("espeak", "ko+f3", 0.5), ("espeak", "ko+m5", 0.5)],
}


def is_reserved_name(engine, name):
    """True for voices that must never appear in English training data (the brief's reserved list)."""
    if engine == "pico" and name == "en-GB":
        return True
    if engine == "festival" and name == "rab_diphone":
        return True
    return engine == "espeak" and name.startswith("mb-") and name.endswith("-en")


assert not any(is_reserved_name(e, n) for e, n, _ in TRAIN["en"]), "a reserved voice is listed for training"
