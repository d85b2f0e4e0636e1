"""`fanpin demo`: a synthetic but realistic township (all fictional), as a workspace ready for every command.

`township` assembles it and writes the workspace; `people` and `roster` draw the households and their
members; `measures`, `training` and `projects` draw the rows of the ledgers; `placement` puts the
files into the folder without overwriting anything that is not the demo's own.
"""

from .township import (
    DEMO_HEADER,
    DEMO_HOUSEHOLDS,
    DEMO_MARK,
    DEMO_POLICY,
    DEMO_SEED,
    DEMO_TOWNSHIP,
    SAMPLE_HOUSEHOLDS,
    DemoTownship,
    DemoWorkspace,
    build_demo_workspace,
    build_township,
    demo_settings,
    write_inputs,
    write_sample_data,
)

__all__ = [
    "DEMO_HEADER",
    "DEMO_HOUSEHOLDS",
    "DEMO_MARK",
    "DEMO_POLICY",
    "DEMO_SEED",
    "DEMO_TOWNSHIP",
    "SAMPLE_HOUSEHOLDS",
    "DemoTownship",
    "DemoWorkspace",
    "build_demo_workspace",
    "build_township",
    "demo_settings",
    "write_inputs",
    "write_sample_data",
]
