"""primaryLocationLineHash agrees with github/codeql-action's published test vectors."""
import pytest

from sslint.output.fingerprint import line_hashes

# Inputs and expected hashes from codeql-action src/fingerprints.test.ts (facts, not code).
VECTORS = [
    ("", ["c129715d7a2bc9a3:1"]),
    (" a\nb\n  \t\tc\n d",
     ["271789c17abda88f:1", "54703d4cd895b18:1", "180aee12dab6264:1", "a23a3dc5e078b07b:1"]),
    (" hello; \t\nworld!!!\n\n\n  \t\tGreetings\n End",
     ["8b7cf3e952e7aeb2:1", "b1ae1287ec4718d9:1", "bff680108adb0fcc:1",
      "c6805c5e1288b612:1", "b86d3392aea1be30:1", "e6ceba753e1a442:1"]),
]
TRAILING_NEWLINE = ["e9496ae3ebfced30:1", "fb7c023a8b9ccb3f:1", "ce8ba1a563dcdaca:1",
                    "e20e36e16fcb0cc8:1", "b3edc88f2938467e:1", "c8e28b0b4002a3a0:1",
                    "c129715d7a2bc9a3:1"]


@pytest.mark.parametrize(("text", "expected"), VECTORS)
def test_codeql_action_vectors(text, expected):
    assert line_hashes(text) == expected


@pytest.mark.parametrize("text", [
    " hello; \t\nworld!!!\n\n\n  \t\tGreetings\n End\n",
    " hello; \t\nworld!!!\r\r\r  \t\tGreetings\r End\r",
    " hello; \t\r\nworld!!!\r\n\r\n\r\n  \t\tGreetings\r\n End\r\n",
    " hello; \t\nworld!!!\r\n\n\r  \t\tGreetings\r End\r\n",
])
def test_line_endings_are_normalised(text):
    assert line_hashes(text) == TRAILING_NEWLINE


def test_repeated_lines_count_occurrences():
    hashes = line_hashes("Lorem ipsum dolor sit amet.\n" * 10)
    assert hashes[:6] == [f"a7f2ff13bc495cf2:{n}" for n in range(1, 7)]
    assert hashes[6:] == ["a7f2ff1481e87703:1", "a9cf91f7bbf1862b:1", "55ec222b86bcae53:1",
                          "cc97dc7b1d7d8f7b:1", "c129715d7a2bc9a3:1"]


def test_window_reaches_past_long_lines():
    # Only the first 100 non-blank characters from the line start count.
    assert line_hashes("x" * 100 + "A\n")[0] == line_hashes("x" * 100 + "B\n")[0]
    assert line_hashes("x" * 99 + "A\n")[0] != line_hashes("x" * 99 + "B\n")[0]
    # ... and lines further down are part of a short line's window.
    assert line_hashes("a\nb\n")[0] != line_hashes("a\nc\n")[0]


def test_inserting_a_line_above_keeps_the_hash_of_moved_lines():
    body = "SSL_free(ssl);\nSSL_free(ssl);\nreturn 0;\n}\n"
    before = line_hashes("int f(SSL *ssl) {\n" + body)
    after = line_hashes("int f(SSL *ssl) {\n  /* new comment */\n" + body)
    assert after[2:] == before[1:]
    assert after[1] not in before


def test_upto_gives_the_same_first_lines():
    text = "Lorem ipsum dolor sit amet.\n" * 10 + "x\n" * 5
    whole = line_hashes(text)
    for upto in (1, 6, 12, len(whole), len(whole) + 3):
        assert line_hashes(text, upto) == whole[:upto]
