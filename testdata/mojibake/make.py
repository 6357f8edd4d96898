#!/usr/bin/env python3
"""Builds mangled.txt: 8 synthetic payloads (made-up people, no real data), each decoded from
its UTF-8 bytes in the wrong charset the way real QR decoders do, 10 ways, 80 lines in all.

Each line: `<way>\t<original payload as hex UTF-8>\t<mangled text as hex UTF-8>`.

The 10 ways:
  latin1          bytes read as ISO-8859-1 (never fails, C1 controls appear)
  cp1252          Windows-1252, undefined bytes (0x81 0x8D 0x8F 0x90 0x9D) as U+FFFD
  shift_jis       Shift-JIS, bad sequences as U+FFFD
  cp932           CP932 (Windows Shift-JIS), bad sequences as U+FFFD
  big5            Big5, bad sequences as U+FFFD
  cp950           CP950 (Windows Big5), bad sequences as U+FFFD
  big5hkscs       Big5-HKSCS, bad sequences as U+FFFD
  euc_kr          EUC-KR, bad sequences as U+FFFD
  gb18030         GB18030, bad sequences as U+FFFD
  iconv_c_sjis    Shift-JIS with bad bytes dropped, as glibc `iconv -c` (zbar) does

Run from this folder: python3 make.py > mangled.txt
"""

PAYLOADS = [
    "079203001234|123456789|Nguyễn Văn Ánh|01012003|Nam|Số 12 Lê Lợi, Phường Bến Nghé, Quận 1, TP. Hồ Chí Minh|15082021",
    "001305012345||Trần Thị Hồng Nhung|12052005|Nữ|Thôn Đông Xuân, Xã Yên Bình, Huyện Thạch Thất, Hà Nội|20092021",
    "036190004321|162345678|Phạm Đức Thắng|30111990|Nam|Xóm 2, Xã Hải Hậu, Huyện Hải Hậu, Nam Định|05042022||||",
    "048299007777||Lê Thị Mỹ Duyên|07071999|Nữ|Tổ 5, Khu phố 2, Phường Hòa Khánh, Đà Nẵng|11112024||||",
    "066088001111|241234567|Y Bhim Êban|15031988|Nam|Buôn Ko Siêr, Xã Ea Tu, TP. Buôn Ma Thuột, Đắk Lắk|01022023",
    "092301009999||Huỳnh Ngọc Quý|24122001|Nam|Ấp Thới Hòa, Xã Thới Lai, Huyện Cờ Đỏ, Cần Thơ|18062021",
    "010186005555|063456789|Vàng Thị Dợ|09091986|Nữ|Bản Nậm Cang, Xã Nậm Cang, Huyện Sa Pa, Lào Cai|22022022||||",
    "082300002468||Đoàn Thị Ngọc Ánh|28022000|Nữ|Số 7/3 đường Trưng Nữ Vương, Phường 4, Mỹ Tho, Tiền Giang|03032021",
]

WAYS = [
    ("latin1", "latin-1", "strict"),
    ("cp1252", "cp1252", "replace"),
    ("shift_jis", "shift_jis", "replace"),
    ("cp932", "cp932", "replace"),
    ("big5", "big5", "replace"),
    ("cp950", "cp950", "replace"),
    ("big5hkscs", "big5hkscs", "replace"),
    ("euc_kr", "euc_kr", "replace"),
    ("gb18030", "gb18030", "replace"),
    ("iconv_c_sjis", "shift_jis", "ignore"),
]

for payload in PAYLOADS:
    raw = payload.encode("utf-8")
    for name, codec, errors in WAYS:
        mangled = raw.decode(codec, errors=errors)
        print(f"{name}\t{raw.hex()}\t{mangled.encode('utf-8').hex()}")
