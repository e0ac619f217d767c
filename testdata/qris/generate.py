#!/usr/bin/env python3
"""Regenerates the QRIS test vectors with an independent CRC (Python's binascii.crc_hqx).

Usage: python3 testdata/qris/generate.py  (writes valid.tsv and invalid.tsv beside it)

Merchants, PANs and NMIDs are invented; the shapes follow real Indonesian QRIS codes.
"""
import binascii
import os

HERE = os.path.dirname(os.path.abspath(__file__))


def crc(s):
    return "%04X" % binascii.crc_hqx(s.encode("utf-8"), 0xFFFF)


def t(tag, value):
    return "%02d%02d%s" % (tag, len(value), value)


def seal(body, lower=False):
    c = crc(body + "6304")
    return body + "6304" + (c.lower() if lower else c)


def tpl(tag, *subs):
    return t(tag, "".join(t(k, v) for k, v in subs))


def mai(tag, guid, pan, mid, crit):
    return tpl(tag, (0, guid), (1, pan), (2, mid), (3, crit))


def nat(nmid, crit):
    return tpl(51, (0, "ID.CO.QRIS.WWW"), (2, nmid), (3, crit))


KDMP = mai(26, "ID.CO.BRI.WWW", "936000021234567890", "KDMP00125", "UMI")
NAT = nat("ID1025123456789", "UMI")
TAIL = t(52, "5411") + t(53, "360") + t(58, "ID") + t(59, "KOPDES MERAH PUTIH SKMJ") + t(60, "PROBOLINGGO") + t(61, "67219")


def static(extra_62="0708KASIR-01"):
    return t(0, "01") + t(1, "11") + KDMP + NAT + TAIL + t(62, extra_62)


valid = []
valid.append(("emvco-spec-sample", "00020101021229300012D156000000000510A93FO3230Q31280012D15600000001030812345678520441115802CN5914BEST TRANSPORT6007BEIJING64200002ZH0104最佳运输0202北京540523.7253031565502016233030412340603***0708A60086670902ME91320016A0112233449988770708123456786304A13A"))
valid.append(("qriskit-static-gopay", "00020101021126620014COM.GO-JEK.WWW011993600914123456789010210G1234567890303UMI51440014ID.CO.QRIS.WWW0215ID10200123456780303UMI5204581253033605802ID5911TOKO CONTOH6007JAKARTA61051011062120708KASIR-0163043ACC"))
valid.append(("kdmp-static-bri", seal(static())))
valid.append(("kdmp-dynamic-fixed-fee", seal(t(0, "01") + t(1, "12") + KDMP + NAT + t(52, "5411") + t(53, "360") + t(54, "125000") + t(55, "02") + t(56, "1000") + TAIL[len(t(52, "5411") + t(53, "360")):] + t(62, "0508INV-00420708KASIR-01"))))
valid.append(("warung-dynamic-tip-percent", seal(t(0, "01") + t(1, "12") + mai(26, "ID.CO.SHOPEE.WWW", "936009180000123456", "SP123456789", "UMI") + nat("ID2020034073193", "UMI") + t(52, "5812") + t(53, "360") + t(54, "39000.00") + t(55, "03") + t(57, "0.7") + t(58, "ID") + t(59, "WARUNG BU SITI") + t(60, "KAB. BOGOR") + t(61, "16110") + t(62, "0703A01"))))
valid.append(("cafe-dynamic-tip-prompt", seal(t(0, "01") + t(1, "12") + mai(27, "ID.DANA.WWW", "936009150000987654", "DANA9876543", "UKE") + nat("ID1021000111222", "UKE") + t(52, "5814") + t(53, "360") + t(54, "87500") + t(55, "01") + t(58, "ID") + t(59, "KEDAI KOPI NUSANTARA") + t(60, "YOGYAKARTA") + t(61, "55281") + t(62, "0105B-7710703T02"))))
valid.append(("nonascii-name", seal(t(0, "01") + t(1, "11") + mai(26, "ID.CO.BCA.WWW", "936000140012345678", "BCA000123", "UMI") + nat("ID1020077788899", "UMI") + t(52, "5814") + t(53, "360") + t(58, "ID") + t(59, "KOPI SÜSU") + t(60, "BANDUNG") + t(61, "40111"))))
valid.append(("linkaja-dynamic-unordered", seal(t(0, "01") + t(1, "12") + mai(26, "ID.LINKAJA.WWW", "936009110011223344", "LA0011223344", "UME") + nat("ID1019000555666", "UME") + t(52, "5411") + t(58, "ID") + t(59, "KOPERASI TANI MAKMUR") + t(60, "MALANG") + t(61, "65111") + t(62, "0703K01") + t(53, "360") + t(55, "01") + t(54, "250000"))))
valid.append(("language-and-unreserved", seal(static() + tpl(64, (0, "EN"), (1, "RED WHITE VILLAGE COOP"), (2, "PROBOLINGGO")) + tpl(80, (0, "ID.CO.KOPERASI.WWW"), (1, "ANGGOTA-0042")))))
valid.append(("additional-all-subtags", seal(t(0, "01") + t(1, "11") + KDMP + NAT + TAIL + tpl(62, (1, "***"), (2, "081234"), (3, "KDMP"), (4, "L-0001"), (5, "INV-7"), (7, "A01"), (8, "BELANJA"), (9, "AM"), (10, "0123456789"), (11, "211")))))
# CRC with leading zeros, and CRC value equal to "6304": search the terminal label.
for i in range(100000):
    s = seal(static("0708K%07d" % i))
    if s.endswith(("00", "0")) and s[-4:-2] == "00":
        valid.append(("crc-leading-zeros", s))
        break
for i in range(400000):
    s = seal(static("0708K%07d" % i))
    if s.endswith("63046304"):
        valid.append(("crc-equals-6304", s))
        break

# Payment-system templates with data that is not TLV, as issuers in circulation write them
# (issue 19): accepted with a template.opaque warning, the raw value kept.
valid.append(("opaque-62-50-wallet", seal(t(0, "01") + t(1, "11") + KDMP + NAT + TAIL + t(62, t(7, "A01") + t(50, "ID.CO.WALLET.WWW|TRX=7781")))))
valid.append(("opaque-62-60-proprietary", seal(t(0, "01") + t(1, "12") + KDMP + NAT + t(54, "25000") + TAIL + t(62, t(5, "INV-2025-001") + t(60, "PRIV:0A1B2C3D")))))
valid.append(("opaque-27-acquirer", seal(t(0, "01") + t(1, "11") + KDMP + t(27, "ACQ/ID.CO.EXAMPLE/0001") + NAT + TAIL)))
valid.append(("opaque-80-unreserved", seal(t(0, "01") + t(1, "11") + KDMP + NAT + TAIL + t(80, "LOYALTY POINTS X2"))))

invalid = []  # (name, code, payload)
good = seal(static())
invalid.append(("truncated-header-newline", "tlv.truncated_header", good + "\n"))
invalid.append(("bad-tag", "tlv.bad_tag", "0002010A02" + good[6:]))
invalid.append(("bad-length", "tlv.bad_length", "00020101 A11" + good[10:]))
invalid.append(("zero-length", "tlv.zero_length", "0002010100" + good[10:]))
invalid.append(("value-overflow", "tlv.value_overflow", good[:-20]))
# 62 (Additional Data) is defined by EMVCo: its value must be TLV in every mode. (A
# payment-system template such as 26 holding non-TLV data is accepted with a warning:
# see the opaque-* valid vectors.)
invalid.append(("malformed-template", "template.malformed", seal(t(0, "01") + t(1, "11") + KDMP + NAT + TAIL + t(62, "NOT A TEMPLATE"))))
invalid.append(("duplicate-root", "tag.duplicate", seal(t(0, "01") + t(1, "11") + KDMP + NAT + TAIL + t(59, "LAGI"))))
invalid.append(("duplicate-nested", "tag.duplicate", seal(t(0, "01") + t(1, "11") + tpl(26, (0, "ID.CO.BRI.WWW"), (1, "936000021234567890"), (1, "936000021234567890")) + NAT + TAIL)))
invalid.append(("pfi-not-first", "pfi.not_first", seal(t(1, "11") + t(0, "01") + KDMP + NAT + TAIL)))
invalid.append(("crc-missing", "crc.missing", static()))
invalid.append(("crc-not-last", "crc.not_last", good + t(99, "X")))
invalid.append(("crc-format", "crc.format", good[:-4] + "12G4"))
invalid.append(("crc-mismatch", "crc.mismatch", good.replace("SKMJ", "SKMK")))
# rule violations (correct CRC)
invalid.append(("pfi-invalid", "pfi.invalid", seal(t(0, "02") + static()[6:])))
invalid.append(("poi-invalid", "poi.invalid", seal(t(0, "01") + t(1, "13") + KDMP + NAT + TAIL)))
invalid.append(("name-missing", "tag.missing", seal(t(0, "01") + t(1, "11") + KDMP + NAT + t(52, "5411") + t(53, "360") + t(58, "ID") + t(60, "PROBOLINGGO") + t(61, "67219"))))
invalid.append(("mai-missing", "mai.missing", seal(t(0, "01") + t(1, "11") + TAIL)))
invalid.append(("mcc-format", "mcc.format", seal(t(0, "01") + t(1, "11") + KDMP + NAT + t(52, "54A1") + TAIL[8:])))
invalid.append(("qris-currency-usd", "qris.currency", seal(t(0, "01") + t(1, "11") + KDMP + NAT + t(52, "5411") + t(53, "840") + TAIL[15:])))
invalid.append(("amount-thousands-dot", "amount.format", seal(t(0, "01") + t(1, "12") + KDMP + NAT + t(54, "1.000.000") + TAIL)))
invalid.append(("amount-zero", "amount.zero", seal(t(0, "01") + t(1, "12") + KDMP + NAT + t(54, "0.00") + TAIL)))
invalid.append(("amount-decimals", "amount.decimals", seal(t(0, "01") + t(1, "12") + KDMP + NAT + t(54, "1000.005") + TAIL)))
invalid.append(("tip02-no-fee", "tip.fee_missing", seal(t(0, "01") + t(1, "12") + KDMP + NAT + t(54, "5000") + t(55, "02") + TAIL)))
invalid.append(("tip03-out-of-range", "fee.range", seal(t(0, "01") + t(1, "12") + KDMP + NAT + t(54, "5000") + t(55, "03") + t(57, "150") + TAIL)))
invalid.append(("orphan-fee", "tip.orphan_fee", seal(t(0, "01") + t(1, "12") + KDMP + NAT + t(54, "5000") + t(56, "500") + TAIL)))
invalid.append(("tip-invalid", "tip.invalid", seal(t(0, "01") + t(1, "12") + KDMP + NAT + t(54, "5000") + t(55, "04") + TAIL)))
invalid.append(("name-too-long", "length.too_long", seal(t(0, "01") + t(1, "11") + KDMP + NAT + t(52, "5411") + t(53, "360") + t(58, "ID") + t(59, "KOPERASI DESA MERAH PUTIH SUKAMAJU") + t(60, "PROBOLINGGO") + t(61, "67219"))))
invalid.append(("criteria-unknown", "qris.criteria", seal(t(0, "01") + t(1, "11") + mai(26, "ID.CO.BRI.WWW", "936000021234567890", "KDMP00125", "XYZ") + NAT + TAIL)))
invalid.append(("pan-letters", "qris.pan_format", seal(t(0, "01") + t(1, "11") + mai(26, "ID.CO.BRI.WWW", "93600002ABC", "KDMP00125", "UMI") + NAT + TAIL)))
invalid.append(("merchant-id-pipe", "qris.pipe", seal(t(0, "01") + t(1, "11") + mai(26, "ID.CO.BRI.WWW", "936000021234567890", "KDMP|125", "UMI") + NAT + TAIL)))
invalid.append(("language-missing-name", "language.missing_subtag", seal(static() + tpl(64, (0, "EN")))))
invalid.append(("consumer-request-twice", "additional.consumer_request", seal(t(0, "01") + t(1, "11") + KDMP + NAT + TAIL + t(62, "0902MM"))))

with open(os.path.join(HERE, "valid.tsv"), "w", encoding="utf-8") as f:
    f.write("# name<TAB>payload: valid payloads (strict parse succeeds). Generated by generate.py.\n")
    for name, p in valid:
        assert "\t" not in p and "\n" not in p
        f.write("%s\t%s\n" % (name, p))
with open(os.path.join(HERE, "invalid.tsv"), "w", encoding="utf-8") as f:
    f.write("# name<TAB>expected code<TAB>payload (JSON string escapes: \\n). Generated by generate.py.\n")
    for name, code, p in invalid:
        f.write("%s\t%s\t%s\n" % (name, code, p.replace("\\", "\\\\").replace("\n", "\\n")))
print(len(valid), "valid,", len(invalid), "invalid")
