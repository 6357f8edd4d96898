#!/usr/bin/env python3
"""Writes the synthetic payload corpus: cases.jsonl and sample.txt.

Everything here is generated: names and addresses are random Vietnamese syllables, ID numbers
random digits with a real province code. No real person's data. The expectations are computed
here, independently of the Rust parser, from the fields this script chose.

Run: python3 testdata/payloads/make_cases.py   (deterministic; rewrites the files)
"""
import datetime
import json
import random
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
rng = random.Random(20261123)

PROVINCES = [1, 2, 4, 6, 8, 10, 11, 12, 14, 15, 17, 19, 20, 22, 24, 25, 26, 27, 30, 31, 33, 34,
             35, 36, 37, 38, 40, 42, 44, 45, 46, 48, 49, 51, 52, 54, 56, 58, 60, 62, 64, 66, 67,
             68, 70, 72, 74, 75, 77, 79, 80, 82, 83, 84, 86, 87, 89, 91, 92, 93, 94, 95, 96]
VOWELS = [
    "aàảãáạ", "ăằẳẵắặ", "âầẩẫấậ", "eèẻẽéẹ", "êềểễếệ", "iìỉĩíị",
    "oòỏõóọ", "ôồổỗốộ", "ơờởỡớợ", "uùủũúụ", "ưừửữứự", "yỳỷỹýỵ",
]
ONSETS = ["", "b", "c", "ch", "d", "đ", "g", "gh", "gi", "h", "kh", "l", "m", "n", "ng", "nh",
          "ph", "qu", "r", "s", "t", "th", "tr", "v", "x"]
CODAS = ["", "c", "m", "n", "ng", "nh", "p", "t"]
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ",
            "Ngô", "Dương", "Lý", "Đinh", "Đoàn"]
ADDRESS_FORMS = [
    "Số {n}/{m} {s1} {s2}, Phường {s3}, Quận {s4}, TP. Hồ Chí Minh",
    "Số {n} Ngõ {m}, Tổ {k}, Phường {s1} {s2}, Hà Nội",
    "Thôn {s1} (xóm {k}), Xã {s2} {s3}, Huyện {s4}, Nghệ An",
    "Ấp {s1}-{s2}, Xã {s3}, Cần Thơ",
    "Khu phố {k}, Thị trấn {s1}, Bà Rịa - Vũng Tàu",
    "Căn hộ {n}.{m}, Tòa nhà {s1} {s2}, Khu đô thị {s3}, Đà Nẵng",
]

# Every vowel with every tone, upper and lower case, must appear somewhere in the corpus.
pending = [v for row in VOWELS for v in row]
rng.shuffle(pending)


def syllable(force=None):
    onset = rng.choice(ONSETS)
    vowel = force or rng.choice(rng.choice(VOWELS))
    return (onset + vowel + rng.choice(CODAS)).capitalize()


def next_syllable():
    return syllable(pending.pop() if pending else None)


def date_str(d, m, y):
    return f"{d:02d}{m:02d}{y:04d}"


def iso(d, m, y):
    return f"{y:04d}-{m:02d}-{d:02d}"


DELIBERATE = {
    10: lambda idn: idn[:3] + str(int(idn[3]) ^ 1) + idn[4:],  # sex digit flipped
    20: lambda idn: idn[:4] + f"{(int(idn[4:6]) + 1) % 100:02d}" + idn[6:],  # year + 1
    30: lambda idn: "099" + idn[3:],  # neither a province nor a country
    40: lambda idn: "102" + idn[3:],  # a country
    50: lambda idn: "295" + idn[3:],  # the last country code
    55: lambda idn: "000" + idn[3:4] + f"{(int(idn[4:6]) + 50) % 100:02d}" + idn[6:],  # two at once
}


def make_valid(i):
    layout = "2024" if i % 3 == 0 else "2021"
    female = i % 2 == 1
    if layout == "2024":
        iy, im, idd = rng.randint(2024, 2026), rng.randint(1, 12), rng.randint(1, 28)
        if iy == 2024:
            im = rng.randint(9, 12)
        if iy == 2026:
            im = rng.randint(1, 6)
        by = rng.randint(1935, iy - 1)
    else:
        iy, im, idd = rng.randint(2021, 2023), rng.randint(1, 12), rng.randint(1, 28)
        by = rng.randint(1935, iy - 15)
    bm, bd = rng.randint(1, 12), rng.randint(1, 28)
    if i == 4:  # a 29 February birthday
        by, bm, bd = 1992, 2, 29
    if i == 7:  # born in the 2000s
        by = 2004 if layout == "2021" else by
    century_digit = (by - 1900) // 100 * 2 + (1 if female else 0)
    idn = f"{rng.choice(PROVINCES):03d}{century_digit}{by % 100:02d}{rng.randint(0, 999999):06d}"
    # A few cards whose ID digits deliberately disagree with the other fields (real cards like
    # these exist; they parse, with a warning), and births registered abroad.
    if i in DELIBERATE:
        idn = DELIBERATE[i](idn)
    old = ["", f"{rng.randint(10**8, 10**9 - 1)}", f"{rng.randint(10**11, 10**12 - 1)}"][i % 5 % 3]
    middle = rng.choice(["Thị", "Ngọc", "Thu", "Mỹ"] if female else ["Văn", "Hữu", "Đức", "Minh"])
    words = [rng.choice(SURNAMES), middle] + [next_syllable() for _ in range(rng.randint(1, 2))]
    if i % 4 == 0:
        words.append(next_syllable().upper()[0] + next_syllable()[1:])
    name = " ".join(words)
    address = rng.choice(ADDRESS_FORMS).format(
        n=rng.randint(1, 300), m=rng.randint(1, 40), k=rng.randint(1, 20),
        s1=next_syllable(), s2=next_syllable(), s3=next_syllable(), s4=next_syllable())
    sex = "Nữ" if female else "Nam"
    fields = [idn, old, name, date_str(bd, bm, by), sex, address, date_str(idd, im, iy)]
    extra = ["", "", "", ""] if layout == "2024" else []
    if layout == "2024" and i % 9 == 0:
        extra = ["", "Ghi chú " + next_syllable(), "", "123456789"]  # opaque, filled
    payload = "|".join(fields + extra)
    card = {
        "id_number": idn, "old_id_number": old or None, "full_name": name,
        "date_of_birth": iso(bd, bm, by), "sex": "female" if female else "male",
        "address": address, "issue_date": iso(idd, im, iy), "extra_fields": extra,
    }
    return payload, fields + extra, {"ok": True, "layout": layout, "card": card, "repairs": []}


cases = []
valid = []
for i in range(60):
    payload, fields, expect = make_valid(i)
    valid.append((payload, fields, expect))
    cases.append({"name": f"valid-{i:02d}", "input": payload, "lenient": False, "expect": expect})
# Upper-case variants of every vowel with every tone, and Đ, in names of a few more cards.
for j, row in enumerate(VOWELS):
    payload, fields, expect = make_valid(100 + j)
    up = " ".join(v.upper() for v in row)
    fields[2] = fields[2] + " Đức"
    fields[5] = fields[5] + ", Khu " + up
    expect["card"]["full_name"] = fields[2]
    expect["card"]["address"] = fields[5]
    payload = "|".join(fields)
    valid.append((payload, fields, expect))
    cases.append({"name": f"valid-upper-{j:02d}", "input": payload, "lenient": False, "expect": expect})
assert not pending, "not every vowel/tone was used"
text = "".join(p for p, _, _ in valid)
for row in VOWELS:
    for v in row:
        assert v in text and v.upper() in text, v
assert "Đ" in text and "đ" in text
for ch in ",/-().":
    assert any(ch in f[5] for _, f, _ in valid), ch


def offset_of_field(fields, k):
    return sum(len(f.encode()) + 1 for f in fields[:k])


def error(code, field, offset):
    return {"ok": False, "error": {"code": code, "field": field, "offset": offset}}


def invalid(name, fields_or_payload, code, field, offset, lenient=False):
    payload = fields_or_payload if isinstance(fields_or_payload, str) else "|".join(fields_or_payload)
    cases.append({"name": "invalid-" + name, "input": payload, "lenient": lenient,
                  "expect": error(code, field, offset)})


def mutate(k, value, base=0):
    f = list(valid[base][1])
    f[k] = value
    return f


base = valid[1][1]  # 2021 layout, female
o = lambda k: offset_of_field(base, k)
invalid("empty", "", "empty", None, 0)
invalid("empty-lenient", "", "empty", None, 0, lenient=True)
invalid("whitespace-only-lenient", " \r\n", "empty", None, 0, lenient=True)
invalid("too-long", "|".join(base[:5] + ["x" * 4100] + base[6:]), "too_long", None, 4096)
invalid("six-fields-no-old-id", "|".join(base[:1] + base[2:]), "field_count", None,
        len("|".join(base[:1] + base[2:]).encode()))
invalid("six-fields-lenient", "|".join(base[:1] + base[2:]), "field_count", None,
        len("|".join(base[:1] + base[2:]).encode()), lenient=True)
invalid("eight-fields", "|".join(base + ["VNM"]), "field_count", None, len("|".join(base).encode()))
invalid("nationality-field", "|".join(base + ["Việt Nam"]), "field_count", None, len("|".join(base).encode()))
invalid("trailing-separator", "|".join(base) + "|", "field_count", None, len("|".join(base).encode()))
invalid("twelve-fields", "|".join(base + ["", "", "", "", ""]), "field_count", None, len("|".join(base).encode()))
invalid("one-field", base[0], "field_count", None, len(base[0]))
invalid("id-11-digits", mutate(0, base[0][:11], 1), "id_number", "id_number", 0)
invalid("id-13-digits", mutate(0, base[0] + "5", 1), "id_number", "id_number", 0)
invalid("id-letter", mutate(0, base[0][:5] + "O" + base[0][6:], 1), "id_number", "id_number", 5)
invalid("id-empty", mutate(0, "", 1), "id_number", "id_number", 0)
invalid("id-labelled", mutate(0, "CCCD:" + base[0], 1), "id_number", "id_number", 0)
invalid("id-space", mutate(0, base[0][:3] + " " + base[0][3:11], 1), "id_number", "id_number", 3)
invalid("id-fullwidth-digit", mutate(0, "０" + base[0][1:], 1), "id_number", "id_number", 0)
invalid("old-id-8-digits", mutate(1, "12345678", 1), "old_id_number", "old_id_number", o(1))
invalid("old-id-10-digits", mutate(1, "1234567890", 1), "old_id_number", "old_id_number", o(1))
invalid("old-id-letter", mutate(1, "12345678X", 1), "old_id_number", "old_id_number", o(1) + 8)
invalid("name-empty", mutate(2, "", 1), "full_name", "full_name", o(2))
invalid("name-tab", mutate(2, "Lê\tAnh", 1), "full_name", "full_name", o(2) + 3)
invalid("name-nul", mutate(2, "Lê\x00Anh", 1), "full_name", "full_name", o(2) + 3)
invalid("name-del", mutate(2, "Lê Anh\x7f", 1), "full_name", "full_name", o(2) + 7)
invalid("name-c1", mutate(2, "Lê\x85Anh", 1), "full_name", "full_name", o(2) + 3)
invalid("name-nfd-strict", mutate(2, unicodedata.normalize("NFD", "Nguyễn Thị Ánh"), 1), "full_name", "full_name", o(2))
invalid("dob-slashes", mutate(3, "01/01/1990", 1), "date_of_birth", "date_of_birth", o(3) + 2)
invalid("dob-month-13", mutate(3, "01131990", 1), "date_of_birth", "date_of_birth", o(3) + 2)
invalid("dob-month-00", mutate(3, "01001990", 1), "date_of_birth", "date_of_birth", o(3) + 2)
invalid("dob-day-32", mutate(3, "32011990", 1), "date_of_birth", "date_of_birth", o(3))
invalid("dob-day-00", mutate(3, "00011990", 1), "date_of_birth", "date_of_birth", o(3))
invalid("dob-feb-29-common", mutate(3, "29021991", 1), "date_of_birth", "date_of_birth", o(3))
invalid("dob-feb-29-1900", mutate(3, "29021900", 1), "date_of_birth", "date_of_birth", o(3))
invalid("dob-apr-31", mutate(3, "31041990", 1), "date_of_birth", "date_of_birth", o(3))
invalid("dob-year-0", mutate(3, "01010000", 1), "date_of_birth", "date_of_birth", o(3) + 4)
invalid("dob-7-digits", mutate(3, "0101199", 1), "date_of_birth", "date_of_birth", o(3))
invalid("dob-iso", mutate(3, "1990-01-01", 1), "date_of_birth", "date_of_birth", o(3) + 4)
invalid("dob-empty", mutate(3, "", 1), "date_of_birth", "date_of_birth", o(3))
invalid("sex-english", mutate(4, "Male", 1), "sex", "sex", o(4))
invalid("sex-upper", mutate(4, "NAM", 1), "sex", "sex", o(4))
invalid("sex-no-diacritic", mutate(4, "Nu", 1), "sex", "sex", o(4))
invalid("sex-empty", mutate(4, "", 1), "sex", "sex", o(4))
invalid("sex-nfd-strict", mutate(4, unicodedata.normalize("NFD", "Nữ"), 1), "sex", "sex", o(4))
invalid("address-empty", mutate(5, "", 1), "address", "address", o(5))
invalid("address-newline", mutate(5, "Thôn 1\nXã 2", 1), "address", "address", o(5) + 7)
invalid("issue-date-month-14", mutate(6, "15142021", 1), "issue_date", "issue_date", o(6) + 2)
invalid("issue-date-letters", mutate(6, "ngay1508", 1), "issue_date", "issue_date", o(6))
invalid("issue-date-9-digits", mutate(6, "150820211", 1), "issue_date", "issue_date", o(6))
b24 = valid[0][1]  # 2024 layout
invalid("extra-field-control", "|".join(b24[:7] + ["", "a\tb", "", ""]), "extra_field", "extra_field",
        offset_of_field(b24, 8) + 1)
invalid("strict-bom", "\ufeff" + "|".join(base), "id_number", "id_number", 0)
invalid("strict-trailing-newline", "|".join(base) + "\n", "issue_date", "issue_date", o(6) + 8)
invalid("strict-leading-space", " " + "|".join(base), "id_number", "id_number", 0)
invalid("strict-latin1-mojibake", "|".join(base).encode().decode("latin-1"), "full_name", "full_name", None)
cases[-1]["expect"]["error"]["offset"] = None  # filled below
invalid("lenient-control-in-name", mutate(2, "Lê\x01Anh", 1), "full_name", "full_name", o(2) + 3, lenient=True)
invalid("lenient-month-13-after-trim", "  " + "|".join(mutate(3, "01131990", 1)), "date_of_birth",
        "date_of_birth", 2 + o(3) + 2, lenient=True)
cases.append({"name": "invalid-not-utf8", "input_hex": ("|".join(base)).encode().hex()[:2 * o(2)] + "ff" +
              ("|".join(base)).encode().hex()[2 * o(2):], "lenient": False,
              "expect": error("encoding", None, o(2))})

# Fix the offset of the strict Latin-1 mojibake case: the first C1 control or non-NFC byte in
# the name. Its mojibake contains C1 controls (U+0080-U+009F) only if the UTF-8 has such bytes;
# compute where the strict parser stops: the first field that fails.
moj = "|".join(base).encode().decode("latin-1")
mf = moj.split("|")
def first_problem(s):
    for idx, ch in enumerate(s):
        if ord(ch) < 0x20 or 0x7f <= ord(ch) <= 0x9f:
            return len(s[:idx].encode())
    return None
pos = first_problem(mf[2])
assert pos is not None
cases[[c["name"] for c in cases].index("invalid-strict-latin1-mojibake")]["expect"]["error"]["offset"] = \
    sum(len(f.encode()) + 1 for f in mf[:2]) + pos

# Damaged but repairable, lenient.
def damaged(name, text, expect, repairs):
    e = json.loads(json.dumps(expect))
    e["repairs"] = repairs
    cases.append({"name": "damaged-" + name, "input": text, "lenient": True, "expect": e})


def enc_roundtrip(payload, codec):
    try:
        s = payload.encode().decode(codec)
        return s if s.encode(codec) == payload.encode() else None
    except (UnicodeDecodeError, UnicodeEncodeError):
        return None


n_before = len(cases)
for k, (payload, fields, expect) in enumerate(valid[:12]):
    damaged(f"bom-{k}", "\ufeff" + payload, expect, ["bom_removed"]) if k < 2 else None
    damaged(f"crlf-{k}", payload + "\r\n", expect, ["line_ending_removed"]) if k < 2 else None
    damaged(f"spaces-{k}", "  " + payload + " \t", expect, ["whitespace_trimmed"]) if k < 2 else None
    damaged(f"nfd-{k}", unicodedata.normalize("NFD", payload), expect, ["nfc_normalized"]) if k < 3 else None
    damaged(f"latin1-{k}", payload.encode().decode("latin-1"), expect, ["mojibake_latin1"]) if k < 3 else None
damaged("bom-crlf-spaces", "\ufeff " + valid[2][0] + " \r\n", valid[2][2],
        ["bom_removed", "line_ending_removed", "whitespace_trimmed"])
damaged("bom-latin1", "\ufeff" + valid[3][0].encode().decode("latin-1"), valid[3][2],
        ["bom_removed", "mojibake_latin1"])
damaged("nfd-sex-only", "|".join(valid[1][1][:4] + [unicodedata.normalize("NFD", "Nữ")] + valid[1][1][5:]),
        valid[1][2], ["nfc_normalized"])
# Windows-1252: Python's cp1252 codec rejects 0x81, 0x8D, 0x8F, 0x90, 0x9D; WHATWG maps them to
# the C1 controls of the same value, which is what browsers and most decoders do.
def cp1252_whatwg(b):
    out = []
    for byte in b:
        try:
            out.append(bytes([byte]).decode("cp1252"))
        except UnicodeDecodeError:
            out.append(chr(byte))
    return "".join(out)
found = {"cp1252": 0, "shift_jis": 0, "big5": 0}
for payload, fields, expect in valid:
    raw = payload.encode()
    if found["cp1252"] < 4:
        s = cp1252_whatwg(raw)
        if any(0x80 <= b < 0xa0 for b in raw) and any(ord(c) > 0xff for c in s):
            damaged(f"cp1252-{found['cp1252']}", s, expect, ["mojibake_cp1252"])
            found["cp1252"] += 1
    for codec in ("shift_jis", "big5"):
        if found[codec] < 3:
            s = enc_roundtrip(payload, codec)
            if s is not None and s != payload:
                damaged(f"{codec}-{found[codec]}", s, expect, ["mojibake_" + codec])
                found[codec] += 1
# Shift-JIS and Big5 round trips are rare for whole payloads; make short cards whose text does.
for codec, name_, addr in (("shift_jis", "Lê Anh Sơn", "Xóm 2, Hải Hậu"), ("big5", "Vĩnh Bảo", "Vĩnh Bảo")):
    for payload, fields, expect in valid:
        f = list(fields[:7])
        f[2], f[5] = name_, addr
        p = "|".join(f)
        s = enc_roundtrip(p, codec)
        if s is not None and found[codec] < 3:
            e = json.loads(json.dumps(expect))
            e["card"].update(full_name=name_, address=addr, extra_fields=[])
            e["layout"] = "2021"
            damaged(f"{codec}-short-{found[codec]}", s, e, ["mojibake_" + codec])
            found[codec] += 1
print("damaged:", len(cases) - n_before, found)


# What the library knows about each valid card (FORMAT.md sections 2 and 3), computed here from
# the card's fields, on the reference date the tests pass as --today.
TODAY = datetime.date(2026, 1, 1)
LAW_2023_FROM = datetime.date(2024, 7, 1)
DATA = HERE.parent.parent / "data"


def table(name):
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()[1:]
    return {int(row[0]): row for row in (line.split("\t") for line in lines if line)}


PROVINCE_TABLE = table("province_codes.tsv")
COUNTRY_TABLE = table("country_codes.tsv")


def birthday(dob, age):
    """The birthday in the year the holder turns `age`; 29 Feb is 28 Feb in common years."""
    y = dob.year + age
    try:
        return dob.replace(year=y)
    except ValueError:
        return datetime.date(y, dob.month, 28)


def age_on(dob, day):
    years = day.year - dob.year
    return years - 1 if birthday(dob, years) > day else years


def expiry(dob, issue):
    law = "2014" if issue < LAW_2023_FROM else "2023"
    ages = [25, 40, 60] if law == "2014" else [14, 25, 40, 60]
    for a in ages:
        if issue < birthday(dob, a - 2):
            return birthday(dob, a), law
    return None, law


def fold(name):
    out = []
    for c in unicodedata.normalize("NFD", name):
        if c in "Đđ":
            out.append("D")
        elif not unicodedata.combining(c):
            out.append(c.upper())
    return "".join(out)


def knowledge(card):
    idn = card["id_number"]
    code = int(idn[:3])
    g = int(idn[3])
    id_sex = "female" if g % 2 else "male"
    id_year = 1900 + g // 2 * 100 + int(idn[4:6])
    if code in PROVINCE_TABLE:
        _, name, since = PROVINCE_TABLE[code]
        place = {"kind": "province", "code": idn[:3], "name": name, "province_since_2025": since}
    elif code in COUNTRY_TABLE:
        _, iso_code, _, name = COUNTRY_TABLE[code]
        place = {"kind": "country", "code": idn[:3], "name": name, "iso": iso_code}
    else:
        place = {"kind": "unknown", "code": idn[:3]}
    dob = datetime.date.fromisoformat(card["date_of_birth"])
    issue = datetime.date.fromisoformat(card["issue_date"])
    exp, law = expiry(dob, issue)
    expired = exp is not None and exp <= TODAY
    age = age_on(dob, issue)
    checks = [
        ("id_sex_mismatch", id_sex != card["sex"]),
        ("id_birth_year_mismatch", id_year != dob.year),
        ("id_unknown_birthplace", place["kind"] == "unknown"),
        ("birth_after_issue", dob > issue),
        ("birth_in_future", dob > TODAY),
        ("issue_in_future", issue > TODAY),
        ("issued_under_age", issue < LAW_2023_FROM and 0 <= age < 14),
        ("implausible_age", age >= 120),
        ("expired", expired),
    ]
    return {
        "id_info": {"birthplace": place, "century": 20 + g // 2, "sex": id_sex, "birth_year": id_year},
        "expiry": {"date": exp.isoformat() if exp else None, "never": exp is None, "law": law},
        "expired": expired,
        "full_name_ascii": fold(card["full_name"]),
        "warnings": [code_ for code_, found in checks if found],
    }


for c in cases:
    if c["expect"]["ok"]:
        c["expect"].update(knowledge(c["expect"]["card"]))
warned = {}
for c in cases:
    for w in c["expect"].get("warnings", []):
        warned[w] = warned.get(w, 0) + 1
print("warnings:", warned, "cards with none:",
      sum(1 for c in cases if c["expect"].get("warnings") == []))

with open(HERE / "cases.jsonl", "w", encoding="utf-8") as out:
    for c in cases:
        out.write(json.dumps(c, ensure_ascii=False) + "\n")
with open(HERE / "sample.txt", "w", encoding="utf-8") as out:
    for payload, _, _ in valid[:12]:
        out.write(payload + "\n")
kinds = {}
for c in cases:
    k = c["name"].split("-")[0]
    kinds[k] = kinds.get(k, 0) + 1
print(kinds)
