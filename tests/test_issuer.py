"""The small facts every document states, each decided once (`fanpin_docs.gongwen.issuer`): the working
year, the township, the issuing body and the signatory."""

from __future__ import annotations

from fanpin_docs.gongwen.issuer import issuing_body, signatory, township_of, working_year
from fanpin_docs.policy import load_policy
from fanpin_docs.settings import DocumentsSection, Settings, SettingsFile, TownshipSection


def _settings(*, township: str = "", year: int | None = None, issuer: str = "", signer: str = "") -> Settings:
    return Settings(
        data=SettingsFile(
            township=TownshipSection(township=township, year=year),
            documents=DocumentsSection(issuing_body=issuer, signatory=signer),
        )
    )


def test_working_year_is_the_settings_year_else_the_policys() -> None:
    policy = load_policy("qianjiang-2023")
    assert working_year(_settings(), policy) == policy.year
    assert working_year(_settings(year=2031), policy) == 2031


def test_township_is_the_settings_else_the_only_one_found() -> None:
    assert township_of(_settings(township="青山镇"), ["白水乡"]) == "青山镇"
    assert township_of(_settings(), ["白水乡", "白水乡"]) == "白水乡"
    assert township_of(_settings(), ["白水乡", "青山镇"]) == ""
    assert township_of(_settings(), []) == ""


def test_issuing_body_and_signatory_default_from_the_township() -> None:
    assert issuing_body(_settings(issuer="青山镇党委"), "青山镇") == "青山镇党委"
    assert issuing_body(_settings(), "青山镇") == "青山镇人民政府"
    assert issuing_body(_settings(), "城关街道") == "城关街道办事处"
    assert issuing_body(_settings(), "") == ""
    assert signatory(_settings(signer="张三"), "青山镇人民政府") == "张三"
    assert signatory(_settings(), "青山镇人民政府") == "青山镇人民政府"
