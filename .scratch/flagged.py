import sys, numpy as np, sympy
from theory.catalogue import load; load()
from theory.registry import names, get
from numerics.evaluate import _compiled
from numerics.float64 import UNIT, TOLERANCE
rng = np.random.default_rng(0)
N=2000
def draw(dom, ext):
    if isinstance(dom, sympy.Union) or (dom.start == -sympy.oo):
        mag = 10 ** rng.uniform(-12, 12, N) if ext else 10 ** rng.uniform(-2, 1, N)
        return rng.choice([-1, 1], N) * mag
    lo, hi = dom.start, dom.end
    if hi == sympy.oo:
        return 10 ** rng.uniform(-20, 20, N) if ext else 10 ** rng.uniform(-2, 1.5, N)
    lo, hi = float(lo), float(hi)
    if ext:
        eps = 10 ** rng.uniform(-15, -3, N)
        return np.where(rng.random(N) < .5, hi - eps*(hi-lo), lo + eps*(hi-lo))
    return rng.uniform(lo, hi, N)
for n in names():
    q = get(n); ps=[p.name for p in q.parameters]
    if "z" in ps: continue
    f, checked = _compiled(q.expr, tuple(ps), "numpy", None, 0)
    if not checked: continue
    res=[]
    for ext in (False, True):
        a = [draw(p.domain, ext) for p in q.parameters]
        with np.errstate(all="ignore"):
            try:
                v, b = f(*a)
            except Exception as e:
                print(n, "skip", type(e).__name__); break
        b = np.broadcast_to(b, (N,))
        res.append(np.mean(~(b*UNIT <= TOLERANCE)))
    if len(res) == 2: print(f"{n}: flagged normal {res[0]:.3f} extreme {res[1]:.3f}")
