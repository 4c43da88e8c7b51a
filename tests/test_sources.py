"""Bad input gets a clear message naming the file: converted where safe, refused where not."""
from __future__ import annotations

import pytest

from tifa.sources import SourceError, decode

SPEECH = "同志们：\n今天我们召开全市经济工作会议，主要任务是贯彻落实中央精神。\n"


def test_utf8_bom_is_removed_and_reported():
    raw = decode(b"\xef\xbb\xbf" + SPEECH.encode(), "a.txt")
    assert raw.text == SPEECH and "byte-order mark" in raw.notes[0]


def test_crlf_becomes_lf():
    raw = decode(SPEECH.replace("\n", "\r\n").encode(), "a.txt")
    assert raw.text == SPEECH and any("CRLF" in n for n in raw.notes)


@pytest.mark.parametrize("codec", ["gbk", "gb18030"])
def test_gb_encodings_are_converted(codec):
    raw = decode(SPEECH.encode(codec), "a.txt")
    assert raw.text == SPEECH and any("GB18030" in n for n in raw.notes)


@pytest.mark.parametrize("data,message", [
    (b"", "a.txt:1: S001 empty file"),
    (b"  \n\n ", "a.txt:1: S001 empty file"),
    (b"\x00\x01\x02binary\x00", "a.txt: S002 binary data"),
    (bytes(range(128, 256)) * 4, "a.txt:1: S002 "),
    ("同志们：".encode() + bytes(range(1, 9)) * 3, "a.txt: S002 binary data"),  # control bytes, no NUL
])
def test_bad_input_is_refused_naming_the_file(data, message):
    with pytest.raises(SourceError) as err:
        decode(data, "a.txt")
    assert str(err.value).startswith(message)


def test_a_few_control_bytes_tabs_and_line_ends_are_text():
    text = "同志们：\t今天开会。\r\n" * 20 + "\x0c"  # a form feed among 840 bytes: under 5 %
    assert decode(text.encode(), "a.txt").text == text.replace("\r\n", "\n")


def test_all_boilerplate_file_is_refused(tmp_path):
    from tifa.pipeline import speech_from_text
    with pytest.raises(SourceError, match=r"^x\.txt: S013 nothing of a speech is left"):
        speech_from_text("手机版\nCopyright © 2015-2024 . 77范文网 版权所有\nTop\n", "x.txt")
