"""Controlled vocabularies of the dataset: units, qualifiers, families, levels, themes.

Each vocabulary maps a stable id (what curators write in the YAML) to its Chinese and
English labels. The ids are part of the data format: never rename one once data uses it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


@dataclass(frozen=True)
class Label:
    """A term in both languages of the dashboard."""

    zh: str
    en: str


class Qualifier(StrEnum):
    """How exactly a reported number is meant."""

    exact = "exact"
    more_than = "more_than"  # 余 / 多 / 超过 / 逾
    at_least = "at_least"  # 以上
    about = "about"  # 左右 / 约
    nearly = "nearly"  # 近


QUALIFIER_LABELS: dict[Qualifier, Label] = {
    Qualifier.exact: Label("确数", "exact"),
    Qualifier.more_than: Label("余", "more than"),
    Qualifier.at_least: Label("以上", "at least"),
    Qualifier.about: Label("左右", "about"),
    Qualifier.nearly: Label("近", "nearly"),
}


@dataclass(frozen=True)
class Unit:
    """A base unit and the Chinese measure words that count in it."""

    label: Label
    measure_words: tuple[str, ...]


# Values are always stored in these base units: 8000余万元 is stored as 80,000,000 yuan.
UNITS: dict[str, Unit] = {
    "person": Unit(Label("人", "persons"), ("人", "名", "位")),
    "person_time": Unit(Label("人次", "person-times"), ("人次",)),
    "item": Unit(Label("个", "items"), ("个", "项", "件", "面", "处", "家", "座", "条", "支")),
    "session": Unit(Label("期", "sessions"), ("期", "场", "次")),
    "lecture": Unit(Label("讲", "lectures"), ("讲",)),
    "copy": Unit(Label("册", "copies"), ("册", "本", "份")),
    "household": Unit(Label("户", "households"), ("户",)),
    "yuan": Unit(Label("元", "yuan"), ("元",)),
    "km": Unit(Label("公里", "km"), ("公里",)),
    "km2": Unit(Label("平方公里", "km²"), ("平方公里",)),
    "percent": Unit(Label("%", "%"), ("%", "％")),
}

MEASURE_WORD_UNIT: dict[str, str] = {
    word: unit_id for unit_id, unit in UNITS.items() for word in unit.measure_words
}


class Family(StrEnum):
    """The kinds of governance work an indicator belongs to."""

    trainees = "trainees"
    grids = "grids"
    problems = "problems"
    projects = "projects"
    investment = "investment"
    cadres = "cadres"
    organizations = "organizations"
    members = "members"
    disputes = "disputes"
    hotline = "hotline"
    services = "services"
    pairing = "pairing"
    systems = "systems"


FAMILY_LABELS: dict[Family, Label] = {
    Family.trainees: Label("教育培训", "Training"),
    Family.grids: Label("网格治理", "Grids"),
    Family.problems: Label("群众诉求", "Problems raised and solved"),
    Family.projects: Label("项目与集体经济", "Projects and collective economy"),
    Family.investment: Label("投资", "Investment"),
    Family.cadres: Label("干部队伍", "Cadres"),
    Family.organizations: Label("基层组织", "Party organisations"),
    Family.members: Label("党员作用", "Party members"),
    Family.disputes: Label("矛盾纠纷化解", "Disputes resolved"),
    Family.hotline: Label("12345热线", "12345 hotline"),
    Family.services: Label("服务阵地", "Service centres"),
    Family.pairing: Label("包联结对", "Pairing schemes"),
    Family.systems: Label("制度建设", "Rules and systems"),
}


class Level(StrEnum):
    """Administrative level of a region, from the top down."""

    province = "province"
    prefecture = "prefecture"
    county = "county"
    township = "township"
    village = "village"


LEVEL_LABELS: dict[Level, Label] = {
    Level.province: Label("省级", "province"),
    Level.prefecture: Label("地级", "prefecture"),
    Level.county: Label("县级", "county"),
    Level.township: Label("乡级", "township"),
    Level.village: Label("村级", "village"),
}

# Rank 0 is the top; a parent must always rank above its child.
LEVEL_RANK: dict[Level, int] = {level: rank for rank, level in enumerate(Level)}


class Theme(StrEnum):
    """Theme tags for named practices."""

    mediation = "mediation"
    grid_governance = "grid_governance"
    cadre_development = "cadre_development"
    supervision = "supervision"
    organisation_building = "organisation_building"
    urban_party_building = "urban_party_building"
    village_self_governance = "village_self_governance"
    public_participation = "public_participation"
    collective_economy = "collective_economy"
    burden_reduction = "burden_reduction"
    digital_platforms = "digital_platforms"
    social_forces = "social_forces"
    services = "services"


THEME_LABELS: dict[Theme, Label] = {
    Theme.mediation: Label("矛盾调解", "Dispute mediation"),
    Theme.grid_governance: Label("网格化治理", "Grid governance"),
    Theme.cadre_development: Label("干部培养", "Cadre development"),
    Theme.supervision: Label("监督", "Supervision"),
    Theme.organisation_building: Label("组织建设", "Organisation building"),
    Theme.urban_party_building: Label("城市基层党建", "Urban party building"),
    Theme.village_self_governance: Label("村民自治", "Village self-governance"),
    Theme.public_participation: Label("群众参与", "Public participation"),
    Theme.collective_economy: Label("集体经济", "Collective economy"),
    Theme.burden_reduction: Label("基层减负", "Reducing red tape"),
    Theme.digital_platforms: Label("智慧平台", "Digital platforms"),
    Theme.social_forces: Label("社会力量", "Social organisations"),
    Theme.services: Label("为民服务", "Services for residents"),
}


class DateBound(StrEnum):
    """How a source's date is known."""

    exact = "exact"
    not_before = "not_before"
    not_after = "not_after"


class RelationKind(StrEnum):
    """Consistency rules between indicators of the same article."""

    sum = "sum"  # total equals the sum of its parts
    at_most = "at_most"  # the parts together are at most the total (subset of a superset)
