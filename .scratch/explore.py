import sys, time, math, warnings
import numpy as np
from theory.catalogue import load
load()
from theory.registry import names, get
from numerics import evaluate, vectorize, ParameterError
import sympy

rng = np.random.default_rng(int(sys.argv[2]) if len(sys.argv) > 2 else 0)
N = int(sys.argv[1]) if len(sys.argv) > 1 else 30

def draw(dom, extreme):
    if isinstance(dom, sympy.Union):
        mag = 10 ** rng.uniform(-12, 12) if extreme else 10 ** rng.uniform(-2, 1)
        return float(rng.choice([-1, 1]) * mag)
    lo, hi = dom.start, dom.end
    if lo == -sympy.oo and hi == sympy.oo:
        mag = 10 ** rng.uniform(-12, 12) if extreme else 10 ** rng.uniform(-2, 1)
        return float(rng.choice([-1, 1]) * mag)
    if isinstance(dom, sympy.Union):
        mag = 10 ** rng.uniform(-12, 12) if extreme else 10 ** rng.uniform(-2, 1)
        return float(rng.choice([-1, 1]) * mag)
    if hi == sympy.oo:
        if extreme:
            r = rng.random()
            if r < 0.15 and not dom.left_open: return 0.0
            return float(10 ** rng.uniform(-20, 20))
        return float(10 ** rng.uniform(-2, 1.5))
    lo, hi = float(lo), float(hi)
    if extreme:
        r = rng.random()
        eps = 10 ** rng.uniform(-15, -3)
        if r < 0.3: return hi if not dom.right_open else hi - eps*(hi-lo)
        if r < 0.6: return lo if not dom.left_open else lo + eps*(hi-lo)
        if r < 0.8: return hi - eps*(hi-lo)
        return lo + eps*(hi-lo)
    return float(rng.uniform(lo, hi))

only = sys.argv[3] if len(sys.argv) > 3 else ""
for n in names():
    if only and not n.startswith(only): continue
    q = get(n)
    ps = [p.name for p in q.parameters]
    if "z" in ps: continue
    t0 = time.time()
    try:
        f = vectorize(n)
    except Exception as e:
        print(f"{n}: VECTORIZE FAILS {type(e).__name__}: {str(e)[:100]}"); continue
    worst, wp, nbad, nneg, nzero, nerr, nref = 0, None, 0, 0, 0, 0, 0
    for i in range(N):
        ext = i % 5 == 0
        pt = {p.name: draw(p.domain, ext) for p in q.parameters}
        try:
            ref = evaluate(n, pt, dps=60)
        except ParameterError as e:
            nref += 1
            continue
        except Exception as e:
            print("  evaluate internal", type(e).__name__, str(e)[:100], pt); continue
        if hasattr(ref, "imag") and getattr(ref, "imag", 0) != 0: nref+=1; continue
        ref = float(ref.real) if hasattr(ref, "real") else float(ref)
        if not math.isfinite(ref): continue
        try:
            v = float(f(**pt))
        except ParameterError as e:
            nerr += 1; continue
        except Exception as e:
            print("  vectorize internal", type(e).__name__, str(e)[:100], pt); continue
        err = abs(v - ref) / max(abs(ref), 1e-300)
        if ref > 0 and v <= 0: nneg += 1
        if err > worst: worst, wp = err, (pt, v, ref)
        if err > 1e-10: nbad += 1
    print(f"{n}: worst {worst:.2g} bad {nbad} sign {nneg} raised {nerr} refnone {nref} ({time.time()-t0:.1f}s)", wp if worst > 1e-10 else "")
    sys.stdout.flush()
