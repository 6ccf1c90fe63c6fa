"""`make bench`: the peer-group composer (``cohorts/composer.py``; docs/quality.md, P7) timed on
realistic cohorts of 200, 1,000 and 2,000 members in sets of six (five to seven), mixing places
and keeping places together. Pure Python, no database: each size and mode is composed several
times in this one process and the report gives the median, best and worst time by the clock,
the median CPU time of this process (steadier on a shared machine), the sectors against the
most possible and the score's percent of them, the fewest sectors in a set, the breaches left
and the pairs sharing a place. It prints the load average at its start and end.

The cohort: sectors weighted as the academy's learners are (local government the largest, fire
and rescue the smallest, some not given), about 300 organisations each of one sector and based
in one of 40 places (most of their people there), a few members pinned to sets and a few
pairs kept apart. It reports; it does not fail.

Usage: python bench/composer.py [--runs N] [--seed S]
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cohorts.composer import Brief, Member, Mode, compose, problems

SECTORS = (
    ("Local government", 34),
    ("Health", 24),
    ("Police", 11),
    ("Central government", 10),
    ("Voluntary sector", 9),
    ("Fire and rescue", 6),
    ("Housing", 4),
    (None, 2),  # not given
)
PLACES = 40
ORGANISATIONS = 300
FIRST = ("Ann", "Bo", "Cy", "Dee", "Ed", "Fi", "Gus", "Hal", "Ivy", "Jo", "Kay", "Lee", "Mo")
LAST = ("Lee", "Ray", "Kelly", "Shah", "Jones", "Okafor", "Nowak", "Patel", "Brown", "Evans")


def cohort(members: int, *, seed: int = 1, mode: Mode = Mode.MIX) -> Brief:
    """A believable cohort of ``members``, the same for the same arguments."""
    rng = random.Random(seed)
    places = [f"Place {number}" for number in range(1, PLACES + 1)]
    place_weights = [1 / number**0.7 for number in range(1, PLACES + 1)]  # a few large cities
    names, weights = zip(*SECTORS, strict=True)
    organisations = []
    for number in range(1, ORGANISATIONS + 1):
        sector = rng.choices(names, weights)[0]
        home = rng.choices(places, place_weights)[0]
        organisations.append((f"Organisation {number}", sector, home))
    size_weights = [1 / number**0.8 for number in range(1, ORGANISATIONS + 1)]
    people = []
    for number in range(1, members + 1):
        organisation, sector, home = rng.choices(organisations, size_weights)[0]
        place = home if rng.random() < 0.8 else rng.choices(places, place_weights)[0]
        people.append(
            Member(
                id=1000 + number,
                name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                sector=sector,
                organisation=organisation if rng.random() < 0.97 else None,
                place=place if rng.random() < 0.95 else None,
            )
        )
    ids = [person.id for person in people]
    pins = {member_id: rng.randint(1, max(1, members // 60)) for member_id in rng.sample(ids, 6)}
    apart = frozenset(frozenset(rng.sample(ids, 2)) for _ in range(8))
    return Brief(
        members=tuple(people),
        size=6,
        min_size=5,
        max_size=7,
        apart=apart,
        pins=pins,
        mode=mode,
        seed=seed,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="compositions timed per row")
    parser.add_argument("--seed", type=int, default=1)
    arguments = parser.parse_args()
    print(
        "Peer-group composer (docs/quality.md, P7): sets of 6 (5 to 7); "
        f"load average {os.getloadavg()[0]:.2f} at the start"
    )
    print(
        f"{'members':>8} {'mode':>5} {'sets':>5} {'median s':>9} {'best s':>8} {'worst s':>8}"
        f" {'CPU med s':>9}"
        f" {'sectors':>12} {'percent':>8} {'worst set':>9} {'breaches':>8} {'place pairs':>11}"
    )
    for members in (200, 1_000, 2_000):
        for mode in (Mode.MIX, Mode.SAME):
            brief = cohort(members, seed=arguments.seed, mode=mode)
            for problem in problems(brief):
                print(f"  note: {problem}")
            times, cpu = [], []
            for _ in range(arguments.runs):
                started, started_cpu = time.perf_counter(), time.process_time()
                composition = compose(brief)
                times.append(time.perf_counter() - started)
                cpu.append(time.process_time() - started_cpu)
            score = composition.score
            print(
                f"{members:>8} {mode.value:>5} {len(composition.sets):>5}"
                f" {statistics.median(times):>9.3f} {min(times):>8.3f} {max(times):>8.3f}"
                f" {statistics.median(cpu):>9.3f}"
                f" {f'{score.sectors}/{score.possible}':>12} {score.percent:>7}%"
                f" {score.worst:>9} {len(composition.breaches):>8} {score.same_place_pairs:>11}"
            )
    print(f"Load average {os.getloadavg()[0]:.2f} at the end.")
    print(
        "Target (P7): 2,000 members within 1 s, the mix within 5% of the best a slow search finds"
    )


if __name__ == "__main__":
    main()
