"""Named checkpoint schedules: the pre-training steps at which a model suite publishes checkpoints.

A schedule is used by the synthetic generator (:func:`numerics.checkpoints.synthesize`) and to check
a data set's coverage (:func:`numerics.checkpoints.integrity.check`): which steps of the schedule
are missing, which steps are not in it.

* ``pythia``: the 154 checkpoints of every Pythia model (Biderman et al. 2023, arXiv 2304.01373):
  ``0, 1, 2, 4, ..., 512``, then every 1000 steps to 143000.
* ``olmo-7b``: the 563 distinct steps of the published checkpoint list of OLMo-7B-0724
  (``configs/official-0724/OLMo-7B-0724.csv`` of github.com/allenai/OLMo, commit ``59a53e3``,
  Apache-2.0; step 557000 is listed twice there and kept once here). It is irregular: ``0, 1000,
  1500, 2000, 2500, 5000, 10000``, then mostly every 500 steps to 558000.
* any user list: :func:`schedule` accepts a sequence of steps or a comma-separated string.

Examples
--------
>>> from numerics.checkpoints.schedules import schedule
>>> len(schedule("pythia")), len(schedule("olmo-7b")), schedule("0, 10, 100").tolist()
(154, 563, [0, 10, 100])
"""

from __future__ import annotations

import numpy as np

from numerics.validation import ParameterError

__all__ = ["SCHEDULES", "INT64_MAX", "pythia_steps", "schedule"]

#: Largest step a schedule or a data set may hold (steps are 64-bit integers).
INT64_MAX = int(np.iinfo(np.int64).max)

_OLMO_7B = (
    0, 1000, 1500, 2000, 2500, 5000, 10000, 10500, 11000, 11500, 12000, 12500, 13000, 13500,
    14000, 14200, 14500, 15000, 15500, 16000, 16500, 17000, 17500, 18000, 18500, 19000, 19500,
    20000, 20500, 21000, 21500, 22000, 22500, 23000, 23500, 24000, 24500, 25000, 25500, 40000,
    41000, 42000, 43000, 44000, 45000, 46000, 47000, 48000, 49000, 50000, 51000, 52000, 53000,
    54000, 55000, 56000, 57000, 58000, 59000, 60000, 61000, 62000, 63000, 64000, 65000, 66000,
    67000, 68000, 69000, 70000, 71000, 72000, 73000, 74000, 75000, 76000, 77000, 78000, 79000,
    80000, 81000, 82000, 83000, 84000, 85000, 86000, 87000, 88000, 89000, 90000, 91000, 92000,
    93000, 94000, 95000, 96000, 97000, 98000, 99000, 100000, 101000, 102000, 103000, 104000,
    104750, 105000, 106000, 107000, 108000, 109000, 110000, 111000, 112000, 113000, 114000,
    115000, 116000, 117000, 118000, 119000, 120000, 121000, 122000, 123000, 124000, 124200,
    125000, 126000, 127000, 128000, 129000, 130000, 131000, 132000, 133000, 134000, 135000,
    136000, 137000, 138000, 139000, 140000, 141000, 142000, 143000, 143850, 144000, 145000,
    146000, 147000, 148000, 149000, 150000, 151000, 152000, 153000, 154000, 155000, 156000,
    157000, 158000, 159000, 160000, 161000, 162000, 163000, 164000, 165000, 166000, 167000,
    168000, 169000, 170000, 171000, 172000, 173000, 174000, 175000, 176000, 177000, 178000,
    179000, 180000, 181000, 182000, 183000, 184000, 185000, 186000, 187000, 188000, 189000,
    190000, 191000, 192000, 193000, 194000, 195000, 196000, 197000, 198000, 199000, 200000,
    201000, 202000, 203000, 204000, 205000, 206000, 207000, 208000, 209000, 210000, 211000,
    212000, 213000, 214000, 215000, 216000, 217000, 218000, 219000, 220000, 220800, 221000,
    222000, 223000, 224000, 225000, 226000, 227000, 228000, 229000, 230000, 231000, 232000,
    233000, 234000, 235000, 236000, 237000, 238000, 239000, 240000, 240300, 241000, 242000,
    243000, 244000, 245000, 246000, 247000, 248000, 249000, 250000, 251000, 252000, 253000,
    254000, 255000, 256000, 257000, 258000, 259000, 260000, 260200, 261000, 262000, 263000,
    264000, 265000, 266000, 267000, 268000, 269000, 270000, 271000, 272000, 273000, 274000,
    275000, 276000, 277000, 278000, 279000, 280000, 281000, 282000, 283000, 284000, 285000,
    286000, 287000, 288000, 289000, 290000, 291000, 292000, 293000, 294000, 295000, 296000,
    297000, 298000, 299000, 300000, 301000, 302000, 303000, 304000, 305000, 306000, 307000,
    308000, 309000, 310000, 311000, 312000, 313000, 314000, 315000, 316000, 317000, 318000,
    319000, 320000, 321000, 322000, 323000, 324000, 325000, 326000, 327000, 328000, 329000,
    330000, 331000, 332000, 333000, 334000, 335000, 336000, 337000, 338000, 339000, 340000,
    341000, 342000, 343000, 344000, 345000, 346000, 347000, 348000, 349000, 350000, 351000,
    352000, 353000, 354000, 355000, 356000, 357000, 358000, 359000, 360000, 361000, 362000,
    363000, 364000, 365000, 366000, 367000, 368000, 369000, 370000, 371000, 372000, 373000,
    374000, 375000, 376000, 377000, 378000, 379000, 380000, 381000, 382000, 383000, 384000,
    385000, 386000, 387000, 387800, 388000, 389000, 390000, 391000, 392000, 393000, 394000,
    395000, 396000, 397000, 398000, 399000, 400000, 401000, 402000, 403000, 404000, 405000,
    406000, 407000, 408000, 409000, 410000, 411000, 412000, 413000, 414000, 415000, 416000,
    417000, 418000, 419000, 420000, 421000, 422000, 423000, 424000, 425000, 426000, 427000,
    428000, 429000, 430000, 431000, 432000, 432410, 433000, 434000, 435000, 436000, 437000,
    438000, 439000, 440000, 441000, 442000, 443000, 444000, 445000, 446000, 447000, 448000,
    449000, 450000, 451000, 452000, 453000, 454000, 455000, 456000, 457000, 458000, 459000,
    460000, 461000, 462000, 463000, 464000, 465000, 466000, 467000, 468000, 469000, 470000,
    471000, 472000, 473000, 474000, 475000, 476000, 477000, 478000, 479000, 480000, 481000,
    482000, 483000, 484000, 485000, 486000, 487000, 488000, 489000, 490000, 491000, 491800,
    492000, 500000, 501000, 501150, 502000, 503000, 504000, 505000, 506000, 507000, 508000,
    509000, 510000, 511000, 512000, 513000, 514000, 515000, 516000, 517000, 518000, 519000,
    520000, 521000, 522000, 523000, 524000, 525000, 526000, 527000, 528000, 529000, 530000,
    531000, 532000, 533000, 534000, 535000, 536000, 537000, 538000, 539000, 540000, 541000,
    542000, 543000, 544000, 545000, 546000, 547000, 548000, 549000, 550000, 551000, 552000,
    553000, 554000, 555000, 556000, 556500, 557000, 557500, 558000,
)


def pythia_steps() -> np.ndarray:
    """Pythia's 154 checkpoint steps: ``0, 1, 2, 4, ..., 512`` then ``1000, 2000, ..., 143000``.

    Examples
    --------
    >>> s = pythia_steps()
    >>> len(s), s[:4].tolist(), int(s[-1])
    (154, [0, 1, 2, 4], 143000)
    """
    return np.array([0] + [2 ** i for i in range(10)] + list(range(1000, 143001, 1000)),
                    dtype=np.int64)


#: Named schedules: name -> function returning the increasing steps.
SCHEDULES = {"pythia": pythia_steps, "olmo-7b": lambda: np.array(_OLMO_7B, dtype=np.int64)}


def schedule(spec) -> np.ndarray:
    """The steps of a named schedule (:data:`SCHEDULES`) or of a user list.

    Parameters
    ----------
    spec : str or sequence of int
        A name (``"pythia"``, ``"olmo-7b"``), a comma-separated list of steps, or a sequence.

    Returns
    -------
    numpy.ndarray
        Strictly increasing int64 steps.

    Raises
    ------
    ParameterError
        An unknown name, a step that is not an integer in ``[0, 2**63 - 1]``, or a list that is
        not strictly increasing.

    Examples
    --------
    >>> schedule([0, 5, 3])
    Traceback (most recent call last):
    ...
    numerics.validation.ParameterError: schedule: steps must be strictly increasing; 3 follows 5
    """
    if isinstance(spec, str) and spec.strip() in SCHEDULES:
        return SCHEDULES[spec.strip()]()
    if isinstance(spec, str):
        if "," not in spec and not spec.strip().isdigit():
            raise ParameterError(f"schedule must be one of {', '.join(SCHEDULES)} or a "
                                 f"comma-separated list of steps; got {spec!r}")
        spec = [s.strip() for s in spec.split(",") if s.strip()]
    steps = []
    for s in spec:
        try:
            value = int(s) if not isinstance(s, float) or float(s).is_integer() else None
        except (TypeError, ValueError):
            value = None
        if value is None or not 0 <= value <= INT64_MAX:
            raise ParameterError(f"schedule: step {s!r} is not an integer in [0, 2**63 - 1]")
        steps.append(value)
    if not steps:
        raise ParameterError("schedule: no steps given")
    for a, b in zip(steps, steps[1:]):
        if b <= a:
            raise ParameterError(f"schedule: steps must be strictly increasing; {b} follows {a}")
    return np.array(steps, dtype=np.int64)
