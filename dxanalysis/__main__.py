"""``python -m dxanalysis``."""

from .cli import main

raise SystemExit(main())
