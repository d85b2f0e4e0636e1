"""A township's workspace folder: what `fanpin init` writes, and the input workbooks' shape.

`init` writes fanpin.toml, the blank input workbooks and copies of the templates and policies;
`layout` writes an input workbook in the shape of `fanpin_docs.inputs` (for `fanpin init` and
`fanpin demo`);
`examples` is the one example row of each blank workbook.
"""

from .init import (
    COMMENTS,
    POLICIES_DIR,
    TEMPLATES_DIR,
    InitResult,
    blank_workbook,
    copy_defaults,
    default_files,
    default_settings,
    init_workspace,
    measure_names,
    render_settings,
    toml_value,
    write_blank_inputs,
    write_settings,
)

__all__ = [
    "COMMENTS",
    "POLICIES_DIR",
    "TEMPLATES_DIR",
    "InitResult",
    "blank_workbook",
    "copy_defaults",
    "default_files",
    "default_settings",
    "init_workspace",
    "measure_names",
    "render_settings",
    "toml_value",
    "write_blank_inputs",
    "write_settings",
]
