"""One data folder per problem the check can report, made from a copy of the seed.

Each case makes one curator's mistake in a copy of ``tests/fixtures/seed`` (the bundled
data as the view tests froze it) and names the problem code the check must report for
it. ``CASES`` holds at least one case for every code of ``metrics.model.problems.CODES``
(``missing_codes`` says which have none), and a few more that were once seen to break
the dashboard (a typo in an indicator's unit, family or id; split files beside a main
file that does not parse).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from metrics.model.problems import CODES

SEED = Path(__file__).parent / "fixtures" / "seed"


class Folder:
    """A writable copy of the seed: its main file, split folder and archives."""

    def __init__(self, folder: Path) -> None:
        shutil.copytree(SEED, folder)
        self.folder = folder
        self.path = folder / "indicators.yaml"
        self.split = folder / "indicators"
        self.sources = folder / "sources"
        self.text = self.path.read_text(encoding="utf-8")

    def replace(self, old: str, new: str) -> Folder:
        """Change the first ``old`` of the main file into ``new``."""
        assert old in self.text, f"{old!r} is not in the seed"
        self.text = self.text.replace(old, new, 1)
        self.path.write_text(self.text, encoding="utf-8")
        return self

    def cut(self, start: str, end: str | None = None) -> str:
        """Remove the main file's text from ``start`` up to ``end`` (or the end); return it."""
        first = self.text.index(start)
        last = self.text.index(end, first) if end else len(self.text)
        removed = self.text[first:last]
        self.text = self.text[:first] + self.text[last:]
        self.path.write_text(self.text, encoding="utf-8")
        return removed

    def write_bytes(self, raw: bytes) -> Folder:
        """Replace the main file's bytes."""
        self.path.write_bytes(raw)
        return self

    def archive(self, name: str) -> Path:
        return self.sources / name


@dataclass(frozen=True)
class ProblemCase:
    """A mistake made in a copy of the seed, and the code the check reports for it."""

    name: str
    code: str
    # Makes the mistake; returns a Path when the main file to check is another one.
    make: Callable[[Folder], object]

    def build(self, folder: Path) -> Path:
        """Make the case in ``folder`` (which must not exist); return its main file."""
        data = Folder(folder)
        made = self.make(data)
        return made if isinstance(made, Path) else data.path


# An observation of the seed, its fields as written, for edits that need one entry.
_TRAINEES = (
    "    indicator: trainees\n    value: 2000\n    unit: person_time\n    qualifier: more_than\n"
)
_GRIDS = "    value: 1900\n    unit: item\n    qualifier: more_than\n"
_FIRST_SOURCE = "    authors: [徐晓东]\n"
_ZHENGLAN = "  - {id: zhenglan, name_zh: 正蓝旗, name_en: Zhenglan Banner, level: county"


def _main_is_a_folder(data: Folder) -> None:
    data.path.unlink()
    data.path.mkdir()


def _main_below_a_file(data: Folder) -> Path:
    # The system refuses even root here: a path that goes on below a regular file.
    return data.path / "indicators.yaml"


def _split_file_is_a_pipe(data: Folder) -> None:
    data.split.mkdir()
    os.mkfifo(data.split / "numbers.yaml")


def _outside(data: Folder, raw: bytes) -> Path:
    """A file beside the data folder, not in it, for links that lead out."""
    target = data.folder.parent / f"{data.folder.name}-outside"
    target.write_bytes(raw)
    return target


def _split_file_links_out(data: Folder) -> None:
    data.split.mkdir()
    os.symlink(_outside(data, b"regions:\n"), data.split / "more.yaml")


_ARCHIVE = "003_2e6890469b97fbf0.txt"


def _archive_is_a_pipe(data: Folder) -> None:
    data.archive(_ARCHIVE).unlink()
    os.mkfifo(data.archive(_ARCHIVE))


def _archive_links_out(data: Folder) -> None:
    moved = _outside(data, data.archive(_ARCHIVE).read_bytes())
    data.archive(_ARCHIVE).unlink()
    os.symlink(moved, data.archive(_ARCHIVE))


def _split_and_broken_main(data: Folder) -> None:
    """The reported case: entries split into indicators/*.yaml, the main file broken."""
    data.split.mkdir()
    observations = data.cut("observations:\n", "practices:\n")
    (data.split / "numbers.yaml").write_text(observations, encoding="utf-8")
    practices = data.cut("practices:\n", "relations:\n")
    (data.split / "practices.yaml").write_text(practices, encoding="utf-8")
    data.replace("    title: 联席会议常态化 干部监督见实效", "    title: [unclosed")


def _table_not_a_list(data: Folder) -> None:
    data.cut("set_aside:\n")
    data.text += "set_aside: none\n"
    data.path.write_text(data.text, encoding="utf-8")


def _unreadable_archive(data: Folder) -> None:
    data.archive(_ARCHIVE).write_bytes("收集问题".encode("gbk"))


def _quote_in_other_unit(data: Folder) -> None:
    # 累计培训2000余人次 counts person-times; the observation says persons.
    data.replace(_TRAINEES, _TRAINEES.replace("person_time", "person"))


def _relation_reversed(data: Folder) -> None:
    # 488 villages cleared, 303 of them with 50,000 yuan: reversed, the bound fails.
    data.replace(
        "    total: villages_zero_income_cleared\n    parts: [villages_income_50k_plus]",
        "    total: villages_income_50k_plus\n    parts: [villages_zero_income_cleared]",
    )


def _region_cycle(data: Folder) -> None:
    # A province whose parent is one of its own counties: the hierarchy is a loop.
    data.replace("level: province}", "level: province, parent: zhenglan}")


def _edit(old: str, new: str) -> Callable[[Folder], object]:
    return lambda data: data.replace(old, new)


def _write(raw: bytes) -> Callable[[Folder], object]:
    return lambda data: data.write_bytes(raw)


def _nested(depth: int) -> str:
    return "[" * depth + "1" + "]" * depth


CASES: tuple[ProblemCase, ...] = (
    # Reading the file
    ProblemCase("file_missing", "file_missing", lambda data: data.path.unlink()),
    ProblemCase("file_unreadable", "file_unreadable", _main_below_a_file),
    ProblemCase("main_is_a_folder", "file_not_regular", _main_is_a_folder),
    ProblemCase("split_file_is_a_pipe", "file_not_regular", _split_file_is_a_pipe),
    ProblemCase("file_outside_data", "file_outside_data", _split_file_links_out),
    ProblemCase("empty_file", "empty_file", _write(b"")),
    ProblemCase(
        "invalid_utf8",
        "invalid_utf8",
        lambda data: data.write_bytes(
            data.text.encode().replace("徐晓东".encode(), "徐晓东".encode("gbk"))
        ),
    ),
    ProblemCase("tab", "tab", _edit(_FIRST_SOURCE, "\tauthors: [徐晓东]\n")),
    ProblemCase("yaml_syntax", "yaml_syntax", _edit(_FIRST_SOURCE, "    authors: [徐晓东\n")),
    ProblemCase(
        "alias",
        "alias",
        _edit(_FIRST_SOURCE, "    authors: &people [徐晓东]\n    url: *people\n"),
    ),
    ProblemCase("too_deep", "too_deep", _edit(_FIRST_SOURCE, f"    authors: {_nested(70)}\n")),
    ProblemCase(
        "duplicate_key", "duplicate_key", _edit(_FIRST_SOURCE, _FIRST_SOURCE + _FIRST_SOURCE)
    ),
    ProblemCase("bad_key", "bad_key", _edit(_FIRST_SOURCE, _FIRST_SOURCE + "    [a, b]: c\n")),
    ProblemCase("not_a_mapping", "not_a_mapping", _write(b"- just\n- a list\n")),
    ProblemCase("unknown_table", "unknown_table", _edit("practices:\n", "practises:\n")),
    ProblemCase("not_a_list", "not_a_list", _table_not_a_list),
    ProblemCase(
        "not_an_entry", "not_an_entry", _edit("set_aside:\n", "set_aside:\n  - just a word\n")
    ),
    # One entry's fields
    ProblemCase("missing_field", "missing_field", _edit("    quote: 累计培训2000余人次\n", "")),
    ProblemCase(
        "unknown_field",
        "unknown_field",
        _edit("    quote: 累计培训2000余人次\n", "    qoute: 累计培训2000余人次\n"),
    ),
    ProblemCase("wrong_type", "wrong_type", _edit(_FIRST_SOURCE, "    authors: 徐晓东\n")),
    ProblemCase(
        "not_a_number", "not_a_number", _edit(_TRAINEES, _TRAINEES.replace("2000", "2000余"))
    ),
    ProblemCase("not_finite", "not_finite", _edit(_TRAINEES, _TRAINEES.replace("2000", ".nan"))),
    ProblemCase(
        "negative_value", "negative_value", _edit(_TRAINEES, _TRAINEES.replace("2000", "-2000"))
    ),
    ProblemCase(
        "number_too_large",
        "number_too_large",
        _edit(_TRAINEES, _TRAINEES.replace("2000", "1.0e+300")),
    ),
    ProblemCase(
        "number_too_small",
        "number_too_small",
        _edit(_TRAINEES, _TRAINEES.replace("2000", "1e-400")),
    ),
    ProblemCase(
        "unknown_unit",
        "unknown_unit",
        _edit(_TRAINEES, _TRAINEES.replace("person_time", "persontime")),
    ),
    ProblemCase(
        "indicator_unit_typo",
        "unknown_unit",
        _edit("    unit: person_time\n    family", "    unit: persontime\n    family"),
    ),
    ProblemCase(
        "unknown_qualifier",
        "unknown_qualifier",
        _edit(_GRIDS, _GRIDS.replace("more_than", "余")),
    ),
    ProblemCase(
        "invalid_choice", "invalid_choice", _edit(_ZHENGLAN, _ZHENGLAN.replace("county", "banner"))
    ),
    ProblemCase(
        "indicator_family_typo",
        "invalid_choice",
        _edit("    unit: item\n    family: grids", "    unit: item\n    family: grid"),
    ),
    ProblemCase("bad_id", "bad_id", _edit("  - id: grid_cells\n", "  - id: Grid cells\n")),
    ProblemCase(
        "region_id_typo", "bad_id", _edit("  - {id: zhenglan,", "  - {id: Zhenglan Banner,")
    ),
    ProblemCase("bad_date", "bad_date", _edit("    date: 2020-01\n", "    date: January 2020\n")),
    ProblemCase(
        "out_of_range", "out_of_range", _edit("lat: 42.24, lon: 116.0", "lat: 95, lon: 116.0")
    ),
    ProblemCase("half_location", "half_location", _edit("lat: 42.24, lon: 116.0", "lat: 42.24")),
    ProblemCase(
        "bad_url", "bad_url", _edit(_FIRST_SOURCE, _FIRST_SOURCE + "    url: javascript:alert(1)\n")
    ),
    ProblemCase(
        "control_character",
        "control_character",
        _edit(_FIRST_SOURCE, '    authors: ["徐晓东\\e[2K\\rok"]\n'),
    ),
    # Across entries
    ProblemCase(
        "duplicate_id",
        "duplicate_id",
        _edit("  - id: party_members_per_grid\n", "  - id: grid_cells\n"),
    ),
    ProblemCase(
        "duplicate_region_id", "duplicate_id", _edit("  - {id: gansu,", "  - {id: nei-mongol,")
    ),
    ProblemCase(
        "duplicate_observation",
        "duplicate_observation",
        _edit(
            "    indicator: training_classes_party_workers\n",
            "    indicator: training_classes_young_cadres\n",
        ),
    ),
    ProblemCase(
        "unknown_region",
        "unknown_region",
        _edit(
            "  - region: kezuozhong\n    indicator: trainees",
            "  - region: kzq\n    indicator: trainees",
        ),
    ),
    ProblemCase(
        "unknown_indicator",
        "unknown_indicator",
        _edit("    indicator: trainees\n", "    indicator: trainee\n"),
    ),
    ProblemCase(
        "unknown_source",
        "unknown_source",
        _edit(
            "    source: kzzq-jiajian\n    quote: 累计培训", "    source: kzzq\n    quote: 累计培训"
        ),
    ),
    ProblemCase("parent_level", "parent_level", _region_cycle),
    ProblemCase(
        "unit_mismatch", "unit_mismatch", _edit(_GRIDS, _GRIDS.replace("item", "household"))
    ),
    ProblemCase(
        "duplicate_alias",
        "duplicate_alias",
        _edit("    name_zh: 网格数\n", "    name_zh: 网格数\n    aliases_zh: [现场解决问题]\n"),
    ),
    ProblemCase(
        "unknown_derived_measure",
        "unknown_derived_measure",
        _edit(_FIRST_SOURCE, _FIRST_SOURCE + "    no_derived: [per_project]\n"),
    ),
    # Archives and quotes
    ProblemCase(
        "archive_outside",
        "archive_outside",
        _edit("    archive: 001_cf6599c7ae723155.txt", "    archive: ../indicators.yaml"),
    ),
    ProblemCase(
        "archive_missing",
        "archive_missing",
        _edit("    archive: 001_cf6599c7ae723155.txt", "    archive: gone.txt"),
    ),
    ProblemCase("archive_not_regular", "archive_not_regular", _archive_is_a_pipe),
    ProblemCase("archive_outside_data", "archive_outside_data", _archive_links_out),
    ProblemCase("archive_unreadable", "archive_unreadable", _unreadable_archive),
    ProblemCase(
        "quote_not_in_archive",
        "quote_not_in_archive",
        _edit("    quote: 累计培训2000余人次", "    quote: 累计培训2000余人次以上"),
    ),
    ProblemCase(
        "quote_across_columns",
        "quote_across_columns",
        # The whole printed line copied: the left column's words run on into the right's.
        _edit(
            "    quote: 宁城县不断完善干部监督联席会议制度\n",
            "    quote: 宁城县不断完善干部监督联席会议制度,增强了干构、村务监督委员会为监督机构\n",
        ),
    ),
    ProblemCase(
        "quote_no_number",
        "quote_no_number",
        _edit("    quote: 累计培训2000余人次", "    quote: 累计培训"),
    ),
    ProblemCase(
        "quote_value_mismatch",
        "quote_value_mismatch",
        _edit(_TRAINEES, _TRAINEES.replace("2000", "200")),
    ),
    ProblemCase(
        "quote_qualifier_mismatch",
        "quote_qualifier_mismatch",
        _edit(_TRAINEES, _TRAINEES.replace("    qualifier: more_than\n", "")),
    ),
    ProblemCase("quote_unit_mismatch", "quote_unit_mismatch", _quote_in_other_unit),
    ProblemCase(
        "set_aside_unused",
        "set_aside_unused",
        _edit("    mention: 五项\n", "    mention: 七项\n"),
    ),
    # Relations between numbers
    ProblemCase("relation_failed", "relation_failed", _relation_reversed),
    # Seen to break the dashboard: split files beside a main file that does not parse.
    ProblemCase("split_files_broken_main", "yaml_syntax", _split_and_broken_main),
)


def missing_codes() -> list[str]:
    """Codes of ``CODES`` that no case makes, sorted."""
    return sorted(set(CODES) - {case.code for case in CASES})


def cases_of(code: str) -> list[ProblemCase]:
    """Every case that makes ``code``."""
    return [case for case in CASES if case.code == code]
