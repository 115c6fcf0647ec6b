"""Entry point: `python app.py` starts smmbot in the mode the environment selects (DESIGN.md).

The cyclic collector is off while the process starts: imports and set-up build about 180,000
objects that live as long as the process and leave about a thousand in cycles, so the
collections they triggered only rescanned survivors, a fifth of the start's time. `run` freezes
what start-up built and turns the collector back on before the first request
(`smmbot.bootstrap.context.start_collecting`).
"""

import gc

gc.disable()

from smmbot.bootstrap import run  # noqa: E402  # after gc.disable(): the imports are the start
from smmbot.config import load_settings  # noqa: E402

if __name__ == "__main__":
    raise SystemExit(run(load_settings()))
