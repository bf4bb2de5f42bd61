"""The expectation parser and comparison themselves (so the harness can fail)."""
from expectations import compare, parse_expectations


def test_parse_markers():
    exp = parse_expectations("a(); /* expect: SSL101, SSL102 */\nb(); // ok: SSL103\n"
                             "c(); /* todo: SSL101 */\nd(); expect: SSL101\n")
    assert exp.expect == {(1, "SSL101"), (1, "SSL102")}
    assert exp.ok == {(2, "SSL103")}
    assert exp.todo == {(3, "SSL101")}  # line 4 has no comment: not a marker


def test_compare_reports_both_directions():
    exp = parse_expectations(
        "x; /* expect: SSL101 */\ny; /* ok: SSL103 */\nz; /* todo: SSL102 */\n")
    assert compare({(1, "SSL101")}, exp) == []
    assert compare(set(), exp) == ["line 1: expected SSL101, not found"]
    assert "unexpected SSL101" in compare({(1, "SSL101"), (5, "SSL101")}, exp)[0]
    assert "marked ok" in compare({(1, "SSL101"), (2, "SSL103")}, exp)[0]
    assert "promote" in compare({(1, "SSL101"), (3, "SSL102")}, exp)[0]
