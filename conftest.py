"""Session set-up shared by the notebook runs (nbmake) and the tests.

Figures made during tests go to a temporary folder, never over the committed ones in
figures/, and a missing glyph is an error inside the notebook kernels too.
"""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("DXANALYSIS_FIGURES", str(Path(tempfile.mkdtemp(prefix="dxanalysis-figures-"))))
os.environ.setdefault("DXANALYSIS_REPORTS", str(Path(tempfile.mkdtemp(prefix="dxanalysis-reports-"))))
os.environ["DXANALYSIS_STRICT_GLYPHS"] = "1"
