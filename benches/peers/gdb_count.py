"""A gdb script that counts calls of named functions in one run of a program:

  COUNT_FUNCS="name1;name2;re:REGEX" gdb -q -batch -x gdb_count.py --args PROGRAM ARGS...

prints one line `COUNTS {"name1": k1, ...}` when the program exits. A plain name is a gdb
location (a C++ function of a shared library loaded later: the breakpoint stays pending until
then); `re:REGEX` is every function `info functions REGEX` lists once the program is mapped
(Rust's symbols carry a hash suffix). Calls through a PLT stub are counted once, at the
function: a call reaches both the stub and the function when the library calls its own exported
functions (pygambit's gametracer does). work.py runs this on both sides of the ipa comparison.
"""

import json
import os
import re

import gdb


class Counter(gdb.Breakpoint):
    """A breakpoint that never stops the program and counts its hits outside PLT stubs."""

    def __init__(self, spec):
        super().__init__(spec, internal=True)
        self.hits = 0

    def stop(self):
        if not (gdb.selected_frame().name() or "").endswith("@plt"):
            self.hits += 1
        return False


def locations(name):
    """gdb locations for a name: itself, or the addresses of the functions a regex matches."""
    if not name.startswith("re:"):
        return [name]
    listing = gdb.execute(f"info functions {name[3:]}", to_string=True)
    return ["*" + m.group(1) for m in re.finditer(r"^(0x[0-9a-f]+)\s", listing, re.M)]


names = os.environ["COUNT_FUNCS"].split(";")
gdb.execute("set breakpoint pending on")
gdb.execute("set pagination off")
gdb.execute("starti", to_string=True)  # mapped (and relocated) before `info functions`
counters = [[Counter(spec) for spec in locations(name)] for name in names]
gdb.execute("continue")
print("COUNTS " + json.dumps({name: sum(c.hits for c in group)
                              for name, group in zip(names, counters)}))
