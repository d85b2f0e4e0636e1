"""One `fanpin cards` run: check the template, read the inputs, compute, write every file.

    明白卡/<乡镇>/<行政村>/<户编号>_<户主姓名>.docx     one card per household
    明白卡/<乡镇>/<行政村>_全村明白卡.docx              the village's print file (and .pdf with --pdf)
    明白卡/明白卡清单.xlsx                             one row per household

A run over the whole roster (no --village or --household) also removes what an earlier run wrote
under 明白卡/ and this one did not (the card of a household that moved or left, the print file of a
village no longer in the roster), unless a user edited it since.

Nothing is written when the template, the inputs or the policy have a problem: all of that is
checked first. As a library::

    from fanpin_docs.context import resolve
    from fanpin_docs.cards import make_cards

    report = make_cards(resolve(roster=Path("名单.xlsx"), measures=Path("台账.xlsx"), policy="qianjiang-2023"))
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path, PurePosixPath
from typing import Any

from ..context import RunContext
from ..documents import Report, writing
from ..errors import SettingsError
from ..gongwen.issuer import working_year
from ..models import IncomeHistory, MeasureRecord, Roster
from ..money import ZERO
from ..output import Outdated
from ..pdf import check_fonts, convert_outputs, require_pdf_tools
from ..policy import Policy
from ..readers.gcpause import without_gc
from ..readers.together import load_roster_and_measures
from ..templating import BODY_PART, TagNote, find_template, load_docx_template
from .batch import Progress, RenderSettings, VillageJob, choose_workers, write_cards
from .data import Card, build_cards
from .fields import VILLAGE_FIELDS
from .paths import FOLDER, CardPaths, card_paths
from .trend import EARLIER_QUARTERS, IncomeHistorySource
from .trial import TEMPLATE_NAME, check_card_tags, trial_render

MANIFEST = f"{FOLDER}/明白卡清单.xlsx"
PARTIAL_MANIFEST = f"{FOLDER}/明白卡清单（本次选定）.xlsx"


@dataclass(frozen=True)
class CardsReport:
    """What a run produced, for the summary."""

    households: int
    cards: int
    print_files: int
    pdfs: int
    manifest: str
    total: Decimal
    below_line: int
    warnings: int
    seconds: float
    workers: int
    template: str
    repairs: tuple[TagNote, ...] = ()
    notes: tuple[str, ...] = field(default=())
    timings: dict[str, float] = field(default_factory=dict)  # 读取 / 计算 / 写出 / PDF, seconds
    outdated: Outdated = Outdated()  # an earlier run's files this whole-roster run no longer makes


@dataclass(frozen=True)
class CardsOptions:
    """What `fanpin cards` is asked for."""

    villages: Sequence[str] = ()  # --village
    households: Sequence[str] = ()  # --household
    pdf: bool = False  # --pdf
    workers: int | None = None  # --workers
    template: Path | None = None  # --template
    # where the households' quarters in the 动态监测台账 come from (`ledger.income_source`), for the
    # income trend line
    income_source: IncomeHistorySource | None = None
    # told the name of a step after the cards (「转换 PDF」), whose progress then counts its files: a
    # display of the run's progress (the 工作台's) says what the run is doing meanwhile
    phase: Callable[[str], None] | None = None


def run(context: RunContext, options: CardsOptions, progress: Progress | None = None) -> Report[CardsReport]:
    """The cards family's entry point (`make_cards`); counts, timings and template repairs in `detail`."""
    report = make_cards(
        context,
        villages=options.villages,
        households=options.households,
        pdf=options.pdf,
        workers=options.workers,
        template=options.template,
        progress=progress,
        income_source=options.income_source,
        phase=options.phase,
    )
    return Report(
        files=tuple(context.output.path(relative) for relative in sorted(context.output.written)),
        notes=report.notes,
        outdated=report.outdated,
        totals={"households": report.households, "total": report.total},
        detail=report,
    )


def make_cards(
    context: RunContext,
    *,
    villages: Sequence[str] = (),
    households: Sequence[str] = (),
    pdf: bool = False,
    workers: int | None = None,
    template: Path | None = None,
    progress: Progress | None = None,
    income_source: IncomeHistorySource | None = None,
    phase: Callable[[str], None] | None = None,
) -> CardsReport:
    """Everything `fanpin cards` does, from the inputs in `context` to the written files."""
    started = time.perf_counter()
    policy = context.require_policy()
    roster_path = context.require("roster")
    template_path = find_template(TEMPLATE_NAME, context.settings, template)
    source = load_docx_template(template_path)
    repairs = check_card_tags(source)
    if pdf:
        _check_pdf_tools(template_path)

    measures_path = context.inputs.get("measures")
    roster, measures = load_roster_and_measures(roster_path, measures_path)
    records = measures or []
    timings = {"读取": time.perf_counter() - started}
    notes = list(context.notes)
    if measures_path is None:
        notes.append("没有提供帮扶措施台账（--measures），明白卡的政策落实栏为空")
    history: IncomeHistory = {}
    if income_source is not None:
        history, trouble = income_source(roster, EARLIER_QUARTERS)
        notes += [trouble] if trouble else []
    if history and "income.trend" not in source.parts[BODY_PART].source:
        notes.append(
            f"动态监测台账中有往期的人均纯收入，但所用的明白卡模板「{template_path.name}」没有「收入变化」一行"
            "（字段 income.trend），明白卡上不印；内置模板有这一行，可照它在模板的收入表中加上"
        )
    year = working_year(context.settings, policy)
    paths, cards = _cards(
        roster,
        records,
        policy,
        year=year,
        on=context.settings.documents.date,
        measures_file=measures_path.name if measures_path else "",
        villages=villages,
        households=households,
        income_history=history,
    )
    if not cards:
        raise SettingsError(
            "没有符合条件的户，没有生成任何文件",
            hint="核对 --village（行政村名称）和 --household（户编号）是否与名单一致",
        )

    trial_render(source, cards, context.output.timestamp)  # before anything is written
    timings["计算"] = time.perf_counter() - started - timings["读取"]
    notes += paths.notes()
    jobs = _jobs(cards, paths, roster_households=_village_sizes(roster))
    if households and not all(job.print_path for job in jobs):
        notes.append(
            "只生成了指定户的明白卡；这些户所在村的全村打印文件没有更新（不带 --household 重新生成全村）"
        )
    manifest = PARTIAL_MANIFEST if (villages or households) else MANIFEST
    print_paths = [job.print_path for job in jobs if job.print_path]
    pdf_targets = _pdf_targets(print_paths or [card.path for card in cards]) if pdf else {}
    output = context.output
    planned = [card.path for card in cards] + print_paths + [manifest] + list(pdf_targets.values())

    workers_used = choose_workers(workers, len(cards))
    settings = RenderSettings(
        source=source, timestamp=output.timestamp, shared_fields=VILLAGE_FIELDS, root=output.root
    )
    townships = "、".join(dict.fromkeys(card.household.township for card in cards))
    workbook: list[bytes] = []

    def build_workbook(poll) -> None:
        workbook.append(
            manifest_bytes(
                cards,
                policy,
                title=f"{townships}{year}年明白卡清单",
                notes=notes,
                timestamp=output.timestamp,
                poll=poll,
            )
        )

    pdfs = 0
    outdated = Outdated()
    with writing(output, planned):
        write_cards(
            jobs, settings, output, workers=workers_used, progress=progress, while_waiting=build_workbook
        )
        output.write_bytes(manifest, workbook[0])
        timings["写出"] = time.perf_counter() - started - timings["读取"] - timings["计算"]
        if pdf:
            if phase is not None:
                phase("转换 PDF")
            pdfs = _write_pdfs(output, pdf_targets, progress)
            timings["PDF"] = time.perf_counter() - started - sum(timings.values())
        if not (villages or households):
            outdated = output.remove_outdated(FOLDER)
            notes += outdated.notes()
    return CardsReport(
        households=len(cards),
        cards=len(cards),
        print_files=len(print_paths),
        pdfs=pdfs,
        manifest=manifest,
        total=sum((card.total for card in cards), ZERO),
        below_line=sum(1 for card in cards if card.below_line),
        warnings=sum(len(card.warnings) for card in cards),
        seconds=time.perf_counter() - started,
        workers=workers_used,
        template=str(template_path),
        repairs=tuple(repairs),
        notes=tuple(notes),
        timings=timings,
        outdated=outdated,
    )


def manifest_bytes(*args: Any, **kwargs: Any) -> bytes:
    """`manifest.manifest_bytes`, imported when the list workbook is built, while the workers render
    (its writer, `sheetxml`, is not needed before the first card is written)."""
    from .manifest import manifest_bytes as list_workbook

    return list_workbook(*args, **kwargs)


@without_gc
def _cards(
    roster: Roster, records: Sequence[MeasureRecord], policy: Policy, **options: Any
) -> tuple[CardPaths, list[Card]]:
    """The roster's card paths and the batch's cards. The collector is paused meanwhile: each of its
    full passes would walk the whole roster just read (every household and person) and free nothing."""
    paths = card_paths(roster.households)
    return paths, build_cards(roster, records, policy, paths=paths, **options)


def _village_sizes(roster) -> dict[tuple[str, str], int]:
    sizes: dict[tuple[str, str], int] = defaultdict(int)
    for household in roster.households:
        sizes[(household.township, household.village)] += 1
    return sizes


def _jobs(
    cards: Sequence[Card], paths: CardPaths, *, roster_households: dict[tuple[str, str], int]
) -> list[VillageJob]:
    """One job per village; its print file only when every household of the village is in the batch."""
    by_village: dict[tuple[str, str], list[Card]] = defaultdict(list)
    for card in cards:
        by_village[card.village_key].append(card)
    return [
        VillageJob(
            township,
            village,
            tuple(village_cards),
            paths.print_file(township, village)
            if len(village_cards) == roster_households[(township, village)]
            else None,
        )
        for (township, village), village_cards in by_village.items()
    ]


def _check_pdf_tools(template_path: Path) -> None:
    """Before anything is written: LibreOffice, its bridge and the template's fonts (or stand-ins)."""
    require_pdf_tools()
    check_fonts([template_path], what="模板")


def _pdf_targets(documents: Sequence[str]) -> dict[str, str]:
    return {document: str(PurePosixPath(document).with_suffix(".pdf")) for document in documents}


def _write_pdfs(output, targets: dict[str, str], done: Progress | None) -> int:
    """Every document through the warm LibreOffice pool; each PDF moved into place through OutputDir;
    `done(converted, all)` after each."""
    return len(convert_outputs(output, list(targets), done=done).pdfs)
