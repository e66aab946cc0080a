"""``symequiv search FILE``: search a template's free symbols for counterexamples."""

from __future__ import annotations

import os
import signal
import sys
import time

from symequiv.cli.common import print_error, print_json
from symequiv.errors import SymequivError
from symequiv.search.spec import Question, Strategy

CHECKPOINT_NAME = "checkpoint.jsonl"


def add_parser(subparsers):
    parser = subparsers.add_parser(
        "search", help="search a template's free symbols for counterexamples",
        description="Search the free symbols of a theory file (a template) for networks that "
        "answer the question: by default, end-to-end equivariant but not layerwise "
        "equivariant. Each counterexample is minimized, written to the output directory as "
        "a theory file and verified. Settings default to the file's [search] table. Exit 0 "
        "when a counterexample was found and proved, 1 when none was, 2 for bad input, 130 "
        "when interrupted by Ctrl-C and 143 by SIGTERM (run the same command again to "
        "resume).")
    parser.add_argument("file", metavar="FILE", help="a theory file with free symbols (TOML)")

    parser.add_argument("--question", choices=[member.value for member in Question],
                        help="what makes a counterexample (default: the file's, else "
                        "not_layerwise)")
    parser.add_argument("--strategy", choices=[member.value for member in Strategy],
                        help="which grid points to visit (default: the file's, else "
                        "exhaustive)")
    parser.add_argument("--budget", type=int, metavar="N",
                        help="visit at most N candidates (default: the file's, else 100000)")
    parser.add_argument("--seed", type=int, metavar="N",
                        help="seed of the random strategy (default: the file's, else 0)")
    parser.add_argument("--stop-after", type=int, metavar="N", dest="stop_after",
                        help="stop after N counterexamples; 0 visits the whole budget "
                        "(default: the file's, else 1)")

    parser.add_argument("--workers", type=int, metavar="N",
                        help="worker processes (default: the available CPUs; 1 runs in "
                        "this process; at most 4 per available CPU)")
    parser.add_argument("--dask", nargs="?", const="local", metavar="ADDRESS",
                        help="evaluate on Dask: a LocalCluster on 127.0.0.1 started for the "
                        "run, or the scheduler at ADDRESS such as tcp://127.0.0.1:8786 "
                        "(needs the dask extra)")

    parser.add_argument("--out", metavar="DIR",
                        help="directory for the counterexample theory files and the "
                        "checkpoint (default: STEM-search in the current directory, where STEM "
                        "is the template's file name without .toml)")
    parser.add_argument("--checkpoint", metavar="FILE",
                        help=f"checkpoint file (default: DIR/{CHECKPOINT_NAME}); an existing "
                        "one for the same search is resumed")
    parser.add_argument("--restart", action="store_true",
                        help="discard an existing checkpoint, remove the counterexample "
                        "files an earlier search of the template left in DIR, and search from "
                        "the start")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument("--no-progress", action="store_true", dest="no_progress",
                        help="do not draw the progress bar on standard error")
    parser.set_defaults(run=run)


class Terminated(Exception):
    """SIGTERM received; unwinds the search like Ctrl-C so that its workers are stopped."""


def _raise_terminated(signum, frame):
    raise Terminated()


def _template(arguments):
    from symequiv.search.template import Template

    template = Template.from_file(arguments.file)
    settings = template.settings.overridden(arguments.question, arguments.strategy,
                                            arguments.budget, arguments.seed,
                                            arguments.stop_after)
    return template.with_settings(settings)


def run(arguments):
    from symequiv.search.executors import make_executor
    from symequiv.search.output import prepare_output_directory
    from symequiv.search.runner import run_search
    from symequiv.search.summary import format_search_result, search_result_to_dict

    try:
        template = _template(arguments)
    except SymequivError as error:
        print_error(error)
        return 2
    stem = os.path.splitext(os.path.basename(arguments.file))[0]
    out_dir = arguments.out or f"{stem}-search"
    checkpoint = arguments.checkpoint or os.path.join(out_dir, CHECKPOINT_NAME)
    show_progress = not arguments.no_progress and sys.stderr.isatty()
    progress = ProgressBar(sys.stderr) if show_progress else None
    executor = None
    interrupted = False
    previous_handler = signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        prepare_output_directory(out_dir)
        executor = make_executor(arguments.workers, arguments.dask)
        result = run_search(template, executor, checkpoint, arguments.restart, out_dir,
                            progress)
    except SymequivError as error:
        if progress is not None:
            progress.finish()
        print_error(error)
        return 2
    except (KeyboardInterrupt, Terminated) as error:
        interrupted = True
        if progress is not None:
            progress.finish()
        print(f"symequiv: search interrupted; finished chunks are recorded in {checkpoint}; "
              "run the same command again to resume", file=sys.stderr)
        return 143 if isinstance(error, Terminated) else 130
    finally:
        if executor is not None:
            # An interrupted search stops its workers at once instead of letting them
            # finish the chunks they hold.
            executor.close(terminate=interrupted)
        signal.signal(signal.SIGTERM, previous_handler)
    if progress is not None:
        progress.finish()
    if arguments.json:
        data = search_result_to_dict(result, template)
        data["checkpoint"] = checkpoint
        print_json(data)
    else:
        lines = format_search_result(result, template)
        lines.append(f"  checkpoint: {checkpoint} (run the same command again to reuse it)")
        print("\n".join(lines))
    return 0 if result.proved else 1


class ProgressBar:
    """A one-line progress bar, redrawn in place on a terminal."""

    WIDTH = 30

    def __init__(self, stream, interval=0.1):
        self.stream = stream
        self.interval = interval
        self.last = 0.0
        self.drawn = False

    def __call__(self, progress):
        now = time.monotonic()
        if now - self.last < self.interval:
            return
        self.last = now
        total = progress.total
        if total:
            filled = min(self.WIDTH, self.WIDTH * progress.visited // total)
            bar = "[" + "#" * filled + "." * (self.WIDTH - filled) + "] "
            count = f"{progress.visited:,}/{total:,}"
        else:
            bar = ""
            count = f"{progress.visited:,}"
        rate = (progress.evaluated_this_run / progress.elapsed if progress.elapsed > 0
                else 0.0)
        line = (f"{bar}{count} candidates, {progress.evaluated:,} evaluated, "
                f"{progress.counterexamples} counterexample(s), {rate:,.0f}/s")
        self.stream.write("\r" + line + "\x1b[K")
        self.stream.flush()
        self.drawn = True

    def finish(self):
        if self.drawn:
            self.stream.write("\n")
            self.stream.flush()
            self.drawn = False
