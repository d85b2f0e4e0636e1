"""PDF through LibreOffice: fonts checked first, a pool of warm instances, previews.

- `fonts`: which fonts a document names, their installed stand-ins, the check before converting;
- `office`: finding soffice and a Python with LibreOffice's UNO bridge; the cold one-call path;
- `pool`: `PdfPool`, N warm instances fed from a queue (hung or crashed ones restarted);
- `outputs`: `--pdf` for any command: a run's documents → PDFs beside them, through `OutputDir`;
  `preview_png`: one document's first page as PNG (for the web workbench).
"""

from .fonts import FONT_SUBSTITUTES, check_fonts, fonts_in_docx, installed_families, resolve_fonts
from .office import OfficeTools, convert_to_pdf, find_soffice, find_uno_python, require_office_tools
from .outputs import (
    ConversionError,
    PdfReport,
    convert_outputs,
    keep_warm,
    preview_png,
    require_pdf_tools,
)
from .pool import Failure, PdfPool

__all__ = [
    "FONT_SUBSTITUTES",
    "ConversionError",
    "Failure",
    "OfficeTools",
    "PdfPool",
    "PdfReport",
    "check_fonts",
    "convert_outputs",
    "convert_to_pdf",
    "find_soffice",
    "find_uno_python",
    "fonts_in_docx",
    "installed_families",
    "keep_warm",
    "preview_png",
    "require_office_tools",
    "require_pdf_tools",
    "resolve_fonts",
]
