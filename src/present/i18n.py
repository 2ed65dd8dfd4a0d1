"""Every text of the dashboard's interface, in Chinese and English.

Pages never hold interface text of their own: they ask for it by key with ``text``.
Names that come from the data (regions, indicators) are shown in the chosen language,
and an English name always keeps its Chinese original beside it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal, TypeVar

from metrics.model.vocab import (
    FAMILY_LABELS,
    LEVEL_LABELS,
    QUALIFIER_LABELS,
    THEME_LABELS,
    Family,
    Label,
    Level,
    Qualifier,
    Theme,
)

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")
DEFAULT_LANG: Lang = "zh"
# The switch shows each language in its own script, whatever the current language.
LANG_NAMES: dict[Lang, str] = {"zh": "中文", "en": "English"}

TEXT: dict[str, Label] = {
    # Frame of every page
    "app.title": Label("基层治理指标", "Reported governance indicators"),
    # The browser tab's title is set before the language is known: both languages.
    "app.browser_title": Label(
        "基层治理指标 · Governance indicators", "基层治理指标 · Governance indicators"
    ),
    "app.language": Label("语言 · Language", "语言 · Language"),
    "app.caption": Label(
        "各地公开报道的党建引领基层治理数字，逐一注明出处与原文。",
        "Numbers that local governments reported about their grassroots governance work, "
        "each with its source and the words it was taken from.",
    ),
    # Login, when the deployment configures it (dashboard.access)
    "access.login_intro": Label(
        "本看板仅对获准的人员开放，请先用单位账号登录。",
        "This dashboard is open to authorised readers only: please log in with your "
        "organisation's account.",
    ),
    "access.login": Label("登录", "Log in"),
    "access.logout": Label("退出登录", "Log out"),
    "access.signed_in": Label("已登录：{who}", "Signed in as {who}"),
    "access.not_listed": Label(
        "账号 {who} 无权查看本看板。如需访问，请联系看板管理员；也可以退出后换一个账号登录。",
        "The account {who} may not view this dashboard. Ask its administrators for "
        "access, or log out and log in with another account.",
    ),
    "access.unverified": Label(
        "登录服务未确认电子邮箱 {who}，无法核对访问权限。"
        "请先在登录服务中验证该邮箱，或退出后换一个账号登录。",
        "The login service has not verified the e-mail address {who}, so access cannot "
        "be checked. Verify it there first, or log out and log in with another account.",
    ),
    "access.no_email": Label(
        "登录服务没有提供账号 {who} 的电子邮箱，无法核对访问权限。"
        "请联系看板管理员，或退出后换一个账号登录。",
        "The login service sent no e-mail address for the account {who}, so access "
        "cannot be checked. Ask the dashboard's administrators, or log out and log in "
        "with another account.",
    ),
    "access.misconfigured": Label(
        "登录设置不完整或有误（{keys}），看板暂不开放。请管理员检查 `.streamlit/secrets.toml`。",
        "The login settings are incomplete or wrong ({keys}), so the dashboard stays "
        "closed. Administrators: check `.streamlit/secrets.toml`.",
    ),
    "page.overview": Label("总览", "Overview"),
    "page.compare": Label("地区比较", "Compare regions"),
    "page.region": Label("地区档案", "Region profile"),
    "page.practices": Label("经验做法", "Practices"),
    "page.sources": Label("来源", "Sources"),
    "page.quality": Label("数据质量", "Data quality"),
    "banner.stale": Label(
        "数据文件有 {count} 个问题，页面仍显示上一次通过校验的数据。详见“数据质量”。",
        "The data file has {count} problem(s); the pages keep showing the last data that "
        "passed the check. See Data quality.",
    ),
    "banner.invalid": Label(
        "数据文件有 {count} 个问题，尚无通过校验的数据；以下仅显示能读取的部分。详见“数据质量”。",
        "The data file has {count} problem(s) and no earlier valid data exists; only what "
        "could be read is shown. See Data quality.",
    ),
    "banner.details": Label("校验信息", "Validation messages"),
    # Shared words
    "word.not_reported": Label("未报告", "not reported"),
    "word.region": Label("地区", "Region"),
    "word.indicator": Label("指标", "Indicator"),
    "word.family": Label("类别", "Family"),
    "word.level": Label("行政级别", "Level"),
    "word.value": Label("数值", "Value"),
    "word.shown_as": Label("原文表述", "As reported"),
    "word.qualifier": Label("限定", "Qualifier"),
    "word.unit": Label("单位", "Unit"),
    "word.period": Label("时期", "Period"),
    "word.source": Label("来源", "Source"),
    "word.quote": Label("原文", "Quote"),
    "word.line": Label("行号", "Line"),
    "word.observation": Label("数据编号", "Observation id"),
    "word.citation": Label("引用", "Citation"),
    "word.name": Label("名称", "Name"),
    "word.summary": Label("简介", "Summary"),
    "word.themes": Label("主题", "Themes"),
    "word.count": Label("条数", "Count"),
    "word.status": Label("结果", "Result"),
    "word.detail": Label("说明", "Detail"),
    "word.relation": Label("校验规则", "Rule"),
    "word.inputs": Label("所用数据", "Numbers used"),
    "word.measure": Label("推算指标", "Derived measure"),
    "word.page_link": Label("地区档案", "Region profile"),
    "word.none": Label("无", "none"),
    "word.sources_of": Label("出处", "Where it comes from"),
    "word.regions": Label("地区", "Regions"),
    "word.observations": Label("数据", "Numbers"),
    "word.practices": Label("经验做法", "Practices"),
    "word.sources": Label("来源", "Sources"),
    "word.approximate": Label("约数", "approximate"),
    "word.exact": Label("确数", "exact"),
    "table.page": Label("页码（共 {pages} 页）", "Page (of {pages})"),
    "table.rows": Label(
        "第 {first}–{last} 行，共 {total} 行；下载文件包含全部行。",
        "Rows {first}–{last} of {total}; the downloads hold every row.",
    ),
    "chart.top": Label(
        "图中只画数值最大的 {shown} 个，共 {total} 个；全部数据见下表及下载文件。",
        "The chart draws the {shown} largest of {total}; the table and downloads hold them all.",
    ),
    "word.names_more": Label("……等 {count} 个", ", … ({count} in all)"),
    "download.csv": Label("下载 CSV", "Download CSV"),
    "download.xlsx": Label("下载 Excel", "Download Excel"),
    "download.package": Label(
        "下载全部数据（数据包 zip）", "Download all data (data package, zip)"
    ),
    "download.package_help": Label(
        "与 metrics export 相同的 Frictionless 数据包：各表 CSV 与 datapackage.json。",
        "The Frictionless data package that metrics export writes: one CSV per table "
        "and datapackage.json.",
    ),
    # Overview
    "overview.headlines": Label("主要指标", "Headline numbers"),
    "overview.card_regions": Label("{count} 个地区报告", "reported by {count} region(s)"),
    "overview.card_highest": Label("最高：{region}", "highest: {region}"),
    "overview.card_none": Label("暂无地区报告", "no region has reported it yet"),
    "overview.counts": Label("数据规模", "What the data holds"),
    "overview.coverage": Label("报告情况", "Who reported what"),
    "overview.coverage_help": Label(
        "每格为该地区在该类别下报告的数字条数；灰色“未报告”表示没有报告，不等于零。",
        "Each cell counts the numbers a region reported in a family; grey 'not reported' "
        "means the articles give no number there, which is not the same as zero.",
    ),
    "overview.map": Label("地区分布", "Where the regions are"),
    "overview.map_help": Label(
        "点位为政府驻地的大致位置；底图随仪表盘一同提供，无需联网。",
        "Points mark the approximate seat of government; the base map is served by the "
        "dashboard itself and needs no internet.",
    ),
    "overview.map_numbers": Label("报告了数字", "reported numbers"),
    "overview.map_practices_only": Label("只有经验做法", "practices only"),
    "overview.map_missing": Label("未标注位置：{names}", "Not on the map (no location): {names}"),
    "overview.map_many": Label(
        "地图上共 {count} 个地点，点太多不逐一标号；把鼠标移到点上可见地名。",
        "{count} places on the map, too many to number; hover over a point for its name.",
    ),
    "overview.derived_from": Label("由以下数字推算：", "Derived from:"),
    "overview.hint_cite": Label("出处与原文", "Source and quote"),
    # Compare
    "compare.choose_indicator": Label("选择指标", "Indicator"),
    "compare.chart": Label("各地区数值", "Values by region"),
    "compare.not_reported": Label(
        "未报告此指标的地区：{names}", "Regions that did not report it: {names}"
    ),
    "compare.all_reported": Label("所有地区均已报告。", "Every region reported it."),
    "compare.nobody": Label("尚无地区报告此指标。", "No region has reported this indicator."),
    "compare.levels_mixed": Label(
        "注意：报告此指标的地区行政级别不同（{levels}），数值不宜直接比较。",
        "Note: the regions that reported this indicator are of different administrative "
        "levels ({levels}); their values are not directly comparable.",
    ),
    "compare.level_filter": Label("只比较同一级别", "Compare within one level"),
    "compare.all_levels": Label("所有级别", "All levels"),
    "compare.per_unit": Label("按{denominator}平均", "Per {denominator}"),
    "compare.per_unit_missing": Label(
        "未报告{denominator}数、无法按{denominator}平均的地区：{names}",
        "Regions with no reported number of {denominator}s, so no value per {denominator}: {names}",
    ),
    "compare.per_unit_none": Label(
        "报告此指标的地区都没有报告{denominator}数。",
        "None of the regions that reported this indicator reported its number of {denominator}s.",
    ),
    "compare.table": Label("数据与出处", "Numbers and sources"),
    "compare.problems": Label(
        "群众诉求：收集 → 现场解决 → 限期解决",
        "Problems: collected → solved on the spot → solved by a deadline",
    ),
    "compare.problems_none": Label(
        "尚无地区报告群众诉求数字。", "No region has reported problem counts."
    ),
    "compare.legend_exact": Label("确数", "exact"),
    "compare.legend_approx": Label(
        "约数（余、以上、左右、近）", "approximate (more than, about, ...)"
    ),
    "compare.period": Label("时期", "Period"),
    "compare.period_all": Label("所有时期", "All periods"),
    "compare.period_latest": Label("各地区最近一期", "Each region's latest period"),
    "compare.period_series": Label("各地区随时间的变化", "Regions over time"),
    "compare.period_series_note": Label(
        "只画报告了两个及以上时期的地区；空心点为约数（余、以上、左右、近），"
        "断开处为该年（月）未报告。",
        "Only regions that reported two periods or more; hollow points are approximate "
        "(more than, at least, about, nearly), and a break in a line is a year (month) "
        "with nothing reported.",
    ),
    # Region profile
    "region.choose": Label("选择地区", "Region"),
    "region.over_time": Label("随时间的变化", "Change over time"),
    "region.over_time_note": Label(
        "每个报告了两个及以上时期的指标一张图。空心点为约数（余、以上、左右、近），"
        "实心点为确数；断开处为该年（月）未报告。同一时期有两篇文章报告时，取日期最晚的一篇。",
        "One chart per indicator reported for two periods or more. Hollow points are "
        "approximate (more than, at least, about, nearly), filled ones exact; a break in "
        "a line is a year (month) with nothing reported. Where two articles report the "
        "same period, the later article's number is drawn.",
    ),
    "region.hierarchy": Label("行政隶属", "Place in the hierarchy"),
    "region.children": Label(
        "下辖（数据中出现的）：{names}", "Below it (as named in the data): {names}"
    ),
    "region.numbers": Label("报告的数字", "Reported numbers"),
    "region.no_numbers": Label("该地区没有报告任何数字。", "This region reported no numbers."),
    "region.family_missing": Label("未报告的类别：{names}", "Families not reported: {names}"),
    "region.derived": Label("推算指标", "Derived measures"),
    "region.no_derived": Label(
        "没有可推算的指标（推算所需数字未全部报告）。",
        "No derived measure: the numbers they need are not all reported.",
    ),
    "region.practices": Label("经验做法", "Named practices"),
    "region.no_practices": Label("没有记录经验做法。", "No named practices recorded."),
    "region.sources": Label("来源文章", "Sources"),
    "region.no_sources": Label("没有以该地区为主题的来源。", "No source is about this region."),
    # Practices
    "practices.search": Label("搜索（名称、简介、原文）", "Search (name, summary, quote)"),
    "practices.themes": Label("主题", "Themes"),
    "practices.regions": Label("地区", "Regions"),
    "practices.found": Label("共 {count} 项做法", "{count} practice(s)"),
    "practices.nothing": Label("没有符合条件的做法。", "No practice matches."),
    # Sources
    "sources.choose": Label("选择来源", "Source"),
    "sources.gbt": Label("GB/T 7714 格式", "GB/T 7714 style"),
    "sources.english": Label("英文格式", "English style"),
    "sources.copy_help": Label(
        "点击代码框右上角的按钮即可复制引用。",
        "Use the button at the top right of each box to copy the citation.",
    ),
    "sources.text": Label("存档原文（已标出收录的数字）", "Archived text, curated numbers marked"),
    "sources.numbers": Label("本文收录的数字", "Numbers taken from this article"),
    "sources.no_numbers": Label("本文没有收录数字。", "No number was taken from this article."),
    "sources.not_located": Label(
        "以下数字在排版中未能定位，请按原文查找：{ids}",
        "These numbers could not be placed in the layout; search for their quotes: {ids}",
    ),
    "sources.list": Label("全部来源", "All sources"),
    "sources.about": Label("来源说明", "About this source"),
    # Citations for reference managers (Sources page)
    "cite.managers": Label("导入文献管理软件", "For reference managers"),
    "cite.download_ris": Label("下载 RIS", "Download RIS"),
    "cite.download_bibtex": Label("下载 BibTeX", "Download BibTeX"),
    "cite.download_csl_json": Label("下载 CSL-JSON", "Download CSL-JSON"),
    "cite.help": Label(
        "RIS 可导入 Zotero、EndNote、NoteExpress；BibTeX 可导入 Zotero、JabRef 或用于 LaTeX；"
        "CSL-JSON 可导入 Zotero 或用于 Pandoc。",
        "RIS imports into Zotero, EndNote and NoteExpress; BibTeX into Zotero and JabRef, "
        "or LaTeX; CSL-JSON into Zotero, or Pandoc.",
    ),
    # Data quality
    "quality.check": Label("数据校验（metrics check）", "Data check (metrics check)"),
    "quality.ok": Label(
        "校验通过：{sources} 个来源、{regions} 个地区、{indicators} 个指标、{observations} 条数据、"
        "{practices} 项做法、{relation_checks} 项一致性校验。",
        "The check passed: {sources} sources, {regions} regions, {indicators} indicators, "
        "{observations} numbers, {practices} practices, {relation_checks} consistency checks.",
    ),
    "quality.problems": Label("校验发现 {count} 个问题：", "The check found {count} problem(s):"),
    "quality.relations": Label("一致性校验", "Consistency rules"),
    "quality.approximate": Label("约数", "Approximate values"),
    "quality.no_approximate": Label("没有约数。", "No approximate values."),
    "quality.missing": Label("各地区未报告的内容", "What each region has not reported"),
    "quality.missing_count": Label("未报告指标数", "Indicators not reported"),
    "quality.missing_families": Label("未报告的类别", "Families not reported"),
    "quality.status.pass": Label("通过", "pass"),
    "quality.status.fail": Label("不通过", "fail"),
    "quality.status.incomplete": Label("数据不全", "incomplete"),
    "quality.download": Label("下载数据", "Download the data"),
    "quality.set_aside": Label("有意未收录的数字", "Numbers set aside on purpose"),
    "word.mention": Label("原文数字", "Mention"),
    "word.marker": Label("标记", "Mark"),
    "word.computed": Label("推算值", "Computed value"),
    "word.any": Label("不限", "Any"),
    "word.numerator": Label("报告值", "Reported value"),
    "word.denominator": Label("除以", "Divided by"),
    "word.problem": Label("问题", "Problem"),
    "word.code": Label("代码", "Code"),
    "word.hint": Label("提示", "Hint"),
    "word.date": Label("日期", "Date"),
    "word.reason": Label("原因", "Reason"),
    # Curate an article (the workbench)
    "page.curate": Label("整理文章", "Curate an article"),
    "curate.intro": Label(
        "粘贴一篇新文章或上传 .txt 文件，逐条核对自动起草的数据，再下载草稿，解压到 data/ 文件夹。"
        "服务器不写入任何数据。",
        "Paste a new article or upload it as a .txt file, review the draft row by row, then "
        "download it and unpack it into the data/ folder. The server writes nothing.",
    ),
    "curate.paste": Label("粘贴文章全文", "Paste the article's full text"),
    "curate.upload": Label(
        "或上传 .txt 文件（UTF-8、GBK 或 GB18030 编码，最大 1 MB；有上传文件时优先使用）",
        "Or upload a .txt file (UTF-8, GBK or GB18030, at most 1 MB; an upload is used "
        "before a paste)",
    ),
    "curate.source_id": Label("来源编号（可选）", "Source id (optional)"),
    "curate.source_id_help": Label(
        "小写字母、数字、- 和 _，如 xinjie-3plus3；不填则按地区和年份生成。",
        "Lower-case letters, digits, - and _, e.g. xinjie-3plus3; left empty, one is made "
        "from the region and the year.",
    ),
    "curate.region": Label("文章的主要地区（可选）", "The article's main region (optional)"),
    "curate.region_auto": Label("自动（按文章判断）", "Automatic (from the article)"),
    "curate.submit": Label("起草", "Draft it"),
    "curate.start": Label(
        "粘贴文章或上传文件，然后点击“起草”。",
        "Paste an article or upload a file, then press Draft it.",
    ),
    "curate.refused.empty": Label(
        "文章是空的：请粘贴文章全文，或上传 .txt 文件。",
        "The article is empty: paste its full text or upload a .txt file.",
    ),
    "curate.refused.too_big": Label(
        "文章有 {size} 字节，最多只读取 {limit} 字节（1 MB）：请只保留文章本身。",
        "The article is {size} bytes; at most {limit} (1 MB) are read: keep only the article "
        "itself.",
    ),
    "curate.refused.binary": Label(
        "这不是文本，而是二进制数据（如 Word、PDF 或图片）：请把文章另存为 .txt 文本文件。",
        "This is binary data, not text (a Word file, PDF or picture?): save the article as "
        "a .txt file.",
    ),
    "curate.refused.encoding": Label(
        "文本编码不是 UTF-8、GBK 或 GB18030：请把文章另存为 UTF-8 文本。",
        "The text is neither UTF-8 nor GBK/GB18030: save the article as UTF-8 text.",
    ),
    "curate.refused.not_txt": Label(
        "只能上传 .txt 文本文件（收到的是 {name}）：Word、PDF 等请先另存为 .txt。",
        "Only .txt files can be uploaded (this is {name}): save a Word file or PDF as .txt first.",
    ),
    "curate.refused.source_id": Label(
        "来源编号只能由小写字母、数字、- 和 _ 组成，并以字母或数字开头（填写的是 {value}）。",
        "A source id holds only lower-case letters, digits, - and _, and starts with a "
        "letter or digit (given: {value}).",
    ),
    "curate.read": Label(
        "已读取 {chars} 个字符（{encoding}），找到 {rows} 个数字。",
        "Read {chars} characters ({encoding}); {rows} quantities found.",
    ),
    "curate.article": Label("文章（数字已标出并编号）", "The article, every quantity marked"),
    "curate.article_help": Label(
        "橙色：收录；蓝色：有意不收录；灰色：删除。方括号内是下表的行号。",
        "Orange: accepted; blue: set aside; grey: dropped. The number in brackets is the "
        "row of the table below.",
    ),
    "curate.rows": Label("拟收录的数字", "Proposed numbers"),
    "curate.rows_help": Label(
        "每行可以收录、有意不收录（须写明原因）或删除，并可修改地区、指标、数值、单位、限定和原文；"
        "“依据”列说明每项为何这样建议，“问题”列是校验结果。",
        "Accept, set aside (with a reason) or drop each row, and change its region, "
        "indicator, value, unit, qualifier or quote; the why columns say why each was "
        "proposed, the problems column what the check says.",
    ),
    "curate.rows_count": Label(
        "收录 {accept} 条，有意不收录 {set_aside} 条，删除 {drop} 条。",
        "{accept} accepted, {set_aside} set aside, {drop} dropped.",
    ),
    "curate.practices": Label("经验做法", "Named practices"),
    "curate.practices_help": Label(
        "收录的做法须有英文名称以及中英文简介。",
        "An accepted practice needs an English name and a summary in both languages.",
    ),
    "curate.no_practices": Label("文中没有发现经验做法。", "No named practice found in the text."),
    "curate.derived": Label("推算指标", "Derived measures"),
    "curate.derived_help": Label(
        "勾选表示这项推算有意义；两个数字说的不是同一件事时请取消勾选（写为 no_derived）。",
        "Ticked: the derived measure means something. Untick it when its numbers are about "
        "different things (written as no_derived).",
    ),
    "curate.derived_item": Label(
        "{name}（{where}）：由 {rows} 计算", "{name} ({where}): from {rows}"
    ),
    "curate.no_derived": Label(
        "收录的数字不会产生推算指标。", "The accepted numbers give no derived measure."
    ),
    "curate.source": Label("来源条目", "Source entry"),
    "curate.regions": Label("新地区", "New regions"),
    "curate.no_regions": Label("不需要新增地区。", "No new region is needed."),
    "curate.indicators": Label("新指标", "New indicators"),
    "curate.no_indicators": Label("不需要新增指标。", "No new indicator is needed."),
    "curate.new_name": Label("{name}（新）", "{name} (new)"),
    "curate.check": Label("与现有数据一起校验", "Checked with the current data"),
    "curate.ok": Label(
        "ok：草稿与现有数据一起通过校验，可以下载。",
        "ok: the draft passes the check together with the current data; ready to download.",
    ),
    "curate.problems": Label(
        "还有 {count} 个问题需要解决。", "{count} problem(s) to fix or settle."
    ),
    "curate.lines_help": Label(
        "每行为“文件:行号: 问题（提示）”；[only you can settle this] 表示只能由您决定，"
        "[to review] 表示请核对。",
        "Each line is file:line: problem (hint); [only you can settle this] is for you to "
        "decide, [to review] to look at.",
    ),
    "curate.download": Label("下载草稿（zip）", "Download the draft (zip)"),
    "curate.download_help": Label(
        "压缩包内有 {file} 和 sources/{archive}：解压到 data/ 文件夹，再运行 metrics check。",
        "The zip holds {file} and sources/{archive}: unpack it into the data/ folder, then "
        "run metrics check.",
    ),
    "curate.yaml": Label("草稿文件（可复制）", "The draft file, to copy"),
    "curate.action.accept": Label("收录", "accept"),
    "curate.action.set_aside": Label("有意不收录", "set aside"),
    "curate.action.drop": Label("删除", "drop"),
    "curate.col.n": Label("行", "Row"),
    "curate.col.action": Label("处理", "Action"),
    "curate.col.problems": Label("问题", "Problems"),
    "curate.col.why_region": Label("地区依据", "Why this region"),
    "curate.col.why_indicator": Label("指标依据", "Why this indicator"),
    "curate.col.why": Label("依据", "Why"),
    "curate.col.period_note": Label("时期说明", "Period note"),
    "curate.col.name_zh": Label("中文名称", "Chinese name"),
    "curate.col.name_en": Label("英文名称", "English name"),
    "curate.col.summary_zh": Label("中文简介", "Chinese summary"),
    "curate.col.summary_en": Label("英文简介", "English summary"),
    "curate.col.id": Label("编号", "Id"),
    "curate.col.parent": Label("上级地区", "Parent region"),
    "curate.col.field": Label("字段", "Field"),
    "curate.col.content": Label("内容", "Value"),
    # Briefs: a region or an indicator as a Word or PDF document for a report
    "brief.region_title": Label("{region}基层治理数据简报", "Brief: {region}"),
    "brief.indicator_title": Label("{indicator}：各地区比较", "{indicator}: regions compared"),
    "brief.dated": Label(
        "所引文章最新日期：{latest} · 生成日期：{made}",
        "Newest source cited: {latest} · Made on {made}",
    ),
    "brief.made_on": Label("生成日期：{made}", "Made on {made}"),
    "brief.page": Label("第 {page} 页", "Page {page}"),
    "brief.references": Label("参考文献", "References"),
    "brief.quotes": Label("所引原文", "Quoted"),
    "brief.quotes_more": Label("另有 {count} 处引文未列出。", "{count} more quotes not listed."),
    "brief.rows_more": Label(
        "另有 {count} 项未列出，完整数据见看板下载。",
        "{count} more not listed; the dashboard's downloads hold them all.",
    ),
    "brief.families_more": Label(
        "另有 {count} 项未列出，属于：{names}。完整数据见看板下载。",
        "{count} more not listed, in: {names}. The dashboard's downloads hold them all.",
    ),
    "brief.more_heading": Label("其他类别", "Other families"),
    "brief.practice_name": Label("{name}（{region}）", "{name} — {region}"),
    "brief.level": Label("行政级别：{level}", "Level: {level}"),
    "brief.col.number": Label("数字（出处）", "Number [source]"),
    "brief.col.how": Label("计算方法", "How it is computed"),
    "brief.derived_note": Label(
        "以下数字由本看板根据同一文章报告的数字计算，并非文章原文。",
        "These numbers are computed here from numbers the same article reported; no "
        "article printed them.",
    ),
    "brief.not_reported_heading": Label("未报告", "Not reported"),
    "brief.not_reported": Label("未报告", "not reported"),
    "brief.hollow": Label(
        "空心点为约数（余、以上、左右、近）；断开处为该时期未报告。",
        "Hollow points are approximate (more than, at least, about, nearly); a break "
        "in a line is a period with nothing reported.",
    ),
    "brief.peers": Label("与同级地区比较", "Among regions of the same level"),
    "brief.peers_note": Label(
        "同为{level}的其他地区报告的同一指标；各地统计口径可能不同。",
        "The same indicators as reported by other regions at {level} level; they may "
        "count differently.",
    ),
    "brief.no_peers": Label(
        "没有其他{level}地区报告这些指标，无法比较。",
        "No other region at {level} level reported these indicators: nothing to compare.",
    ),
    "brief.indicator_about": Label("指标", "The indicator"),
    "brief.indicator_family": Label("类别：{family}", "Family: {family}"),
    "brief.per_unit_heading": Label("按单位平均", "Per unit"),
    "brief.period": Label("时期：{period}", "Period: {period}"),
    "brief.all_periods": Label("所有时期", "All periods"),
    "brief.download_docx": Label("下载简报（Word）", "Download a brief (Word)"),
    "brief.download_pdf": Label("下载简报（PDF）", "Download a brief (PDF)"),
    "brief.download_help": Label(
        "简报中每个数字都带有出处编号，文末列出参考文献及所引原文。",
        "Every number of the brief carries a reference number; the reference list at "
        "the end gives each source and the words quoted from it.",
    ),
}


Choice = TypeVar("Choice")


def by_lang(lang: Lang, zh: Choice, en: Choice) -> Choice:
    """What a reader of ``lang`` gets of two alternatives (texts, columns, functions).

    The one place that tells the languages apart: everything else asks here."""
    return zh if lang == "zh" else en


def pick(label: Label, lang: Lang) -> str:
    """One side of a bilingual label."""
    return by_lang(lang, label.zh, label.en)


def lang_column(stem: str, lang: Lang) -> str:
    """The column that holds ``stem`` in ``lang``: ``name_zh`` or ``name_en``."""
    return f"{stem}_{lang}"


def text(key: str, lang: Lang, **values: Any) -> str:
    """The interface text ``key`` in ``lang``, with ``{placeholders}`` filled in."""
    template = pick(TEXT[key], lang)
    return template.format(**values) if values else template


# Between the items of a list in running text: 甲、乙 or A, B. English items that may
# hold commas of their own (indicator names) are set apart by semicolons instead.
_SEPARATOR = Label("、", ", ")
_PHRASE_SEPARATOR = Label("、", "; ")


def list_separator(lang: Lang, items_hold_commas: bool = False) -> str:
    """What goes between two items of a list as a reader of ``lang`` writes it."""
    return pick(_PHRASE_SEPARATOR if items_hold_commas else _SEPARATOR, lang)


# A list of names in running text stops after this many and says how many there are.
NAMES_SHOWN = 30


def join_names(names: Sequence[str], lang: Lang, limit: int = NAMES_SHOWN) -> str:
    """A list of names as a reader of ``lang`` writes it: ``甲、乙`` or ``A, B``; past
    ``limit`` names, ``甲、乙……等 N 个`` or ``A, B, … (N in all)``."""
    shown = list_separator(lang).join(names[:limit])
    if len(names) <= limit:
        return shown
    return shown + text("word.names_more", lang, count=len(names))


def family_name(family: str, lang: Lang) -> str:
    """A family's name in ``lang``."""
    return pick(FAMILY_LABELS[Family(family)], lang)


def level_name(level: str, lang: Lang) -> str:
    """An administrative level's name in ``lang``."""
    return pick(LEVEL_LABELS[Level(level)], lang)


def qualifier_name(qualifier: str, lang: Lang) -> str:
    """A qualifier's name in ``lang``."""
    return pick(QUALIFIER_LABELS[Qualifier(qualifier)], lang)


def theme_name(theme: str, lang: Lang) -> str:
    """A practice theme's name in ``lang``."""
    return pick(THEME_LABELS[Theme(theme)], lang)


def _present(value: object) -> str | None:
    """``value`` when it is a non-empty text, else None (a missing cell is NaN)."""
    return value if isinstance(value, str) and value else None


def region_name(region: Mapping[str, Any], lang: Lang) -> str:
    """``科左中旗`` in Chinese; ``Horqin Left Middle Banner (科左中旗)`` in English."""
    chinese = _present(region.get("short_zh")) or str(region["name_zh"])
    return _with_original(chinese, str(region["name_en"]), lang)


def bilingual_name(row: Mapping[str, Any], lang: Lang) -> str:
    """An indicator's or practice's name; the English name keeps the Chinese beside it."""
    return _with_original(str(row["name_zh"]), str(row["name_en"]), lang)


def _with_original(chinese: str, english: str, lang: Lang) -> str:
    """``chinese`` for a Chinese reader; ``english (chinese)`` for an English one, who
    can then find the name in the articles."""
    return by_lang(lang, chinese, f"{english} ({chinese})")


# Column id of a shaped table -> key of its title.
COLUMN_TEXT: dict[str, str] = {
    "region": "word.region",
    "indicator": "word.indicator",
    "family": "word.family",
    "shown": "word.shown_as",
    "computed": "word.computed",
    "value": "word.value",
    "qualifier": "word.qualifier",
    "unit": "word.unit",
    "period": "word.period",
    "source": "word.source",
    "quote": "word.quote",
    "observation_id": "word.observation",
    "line": "word.line",
    "citation": "word.citation",
    "name": "word.name",
    "summary": "word.summary",
    "themes": "word.themes",
    "status": "word.status",
    "detail": "word.detail",
    "relation": "word.relation",
    "level": "word.level",
    "measure": "word.measure",
    "inputs": "word.inputs",
    "mention": "word.mention",
    "reason": "word.reason",
    "missing_count": "quality.missing_count",
    "missing_families": "quality.missing_families",
    "missing_indicators": "word.indicator",
    "numerator": "word.numerator",
    "denominator": "word.denominator",
    "marker": "word.marker",
    "date": "word.date",
    "message": "word.problem",
    "code": "word.code",
    "hint": "word.hint",
    "profile": "word.page_link",
    "title": "word.name",
    "source_id": "word.source",
}


def column_title(column: str, lang: Lang) -> str:
    """The title of a table column in ``lang``; unknown columns keep their id."""
    key = COLUMN_TEXT.get(column)
    return text(key, lang) if key else column
