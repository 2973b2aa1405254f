"""The pure rules of skill ratings: scale, due, change, summary."""

from wagtail_mentoring.skills import rules


def test_levels_and_scale():
    assert [level for level, _label in rules.level_choices()] == [1, 2, 3, 4, 5]
    assert rules.is_level(1) and rules.is_level(5)
    assert not any(rules.is_level(v) for v in (0, 6, True, "3", 3.0, None))


def test_due_and_missing():
    assert rules.missing_skills([3, 4, 5], {4}) == [3, 5]
    assert rules.rating_due(True, [1, 2], [1]) is True
    assert rules.rating_due(True, [1, 2], [1, 2]) is False
    assert rules.rating_due(False, [1, 2], []) is False
    assert rules.rating_due(True, [], []) is False


def test_change_and_summary():
    assert rules.change(2, 4) == 2 and rules.change(None, 4) is None and rules.change(4, None) is None
    summary = rules.summarise([(2, 4), (3, 4)])
    assert (summary.people, summary.before, summary.after, summary.change, summary.reported) == (2, 2.5, 4.0, 1.5, True)
    withheld = rules.summarise([(2, 4)], reportable=False)
    assert withheld.people == 1 and withheld.before is None and not withheld.reported
    assert not rules.summarise([]).reported
    assert rules.bar_percent(5) == 100 and rules.bar_percent(None) == 0 and rules.bar_percent(2.5) == 50
