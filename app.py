"""Entry point: `python app.py` starts smmbot in the mode the environment selects (DESIGN.md)."""

from smmbot.bootstrap import run
from smmbot.config import load_settings

if __name__ == "__main__":
    raise SystemExit(run(load_settings()))
