"""What a user is told when the ledger's database cannot be used: locked by another command, not a
database, written by a newer version, the disk full or read-only — each in Chinese with what to do."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from ..errors import FanpinError, os_reason
from .schema import SCHEMA_VERSION


class LedgerError(FanpinError):
    """The ledger database cannot be used, or holds no period to work with."""


def newer_schema(path: Path, version: int) -> LedgerError:
    return LedgerError(
        f"台账数据库「{path}」是更新版本的程序建立的（结构版本 {version}，本程序只认识到 {SCHEMA_VERSION}）",
        hint="升级 fanpin-docs 后再使用这个台账",
    )


def unusable(path: Path, exc: BaseException) -> LedgerError:
    text = str(exc)
    if "locked" in text or "busy" in text:
        return LedgerError(
            f"动态监测台账「{path}」正被另一个程序写入", hint="等另一个 fanpin ledger 命令结束后重试"
        )
    if isinstance(exc, sqlite3.DatabaseError) and "not a database" in text:
        return LedgerError(
            f"「{path}」不是动态监测台账数据库（文件已损坏，或是别的文件）",
            hint="从工作区备份中恢复这个文件，或用 --db 指定另一个路径",
        )
    if isinstance(exc, OSError):
        reason, hint = os_reason(exc)
        return LedgerError(f"无法打开或写入动态监测台账「{path}」：{reason}", hint=hint)
    if "database or disk is full" in text:
        return LedgerError(
            f"无法写入动态监测台账「{path}」：磁盘已满",
            hint="清理磁盘空间后重试；这一期没有存入，以前各期不变",
        )
    if "readonly" in text:
        return LedgerError(
            f"无法写入动态监测台账「{path}」：文件或文件夹只读",
            hint="检查文件和文件夹的写入权限，或用 --db 指定另一个路径",
        )
    if "unable to open" in text:
        return LedgerError(
            f"无法打开或写入动态监测台账「{path}」",
            hint="检查文件夹是否存在、是否可写，或用 --db 指定另一个路径",
        )
    return LedgerError(
        f"动态监测台账「{path}」无法使用（{type(exc).__name__}）", hint="从工作区备份中恢复这个文件"
    )
