"""Download the intersphinx inventories the docs link to into this folder (run where there is
network; commit the ``.inv`` files). The docs build reads them from here and never goes online:

    python docs/_intersphinx/fetch.py
"""

from pathlib import Path
from urllib.request import urlopen

# keep in step with INTERSPHINX in docs/conf.py
SITES = {
    "python": "https://docs.python.org/3/",
    "sympy": "https://docs.sympy.org/latest/",
    "mpmath": "https://mpmath.org/doc/current/",
    "numpy": "https://numpy.org/doc/stable/",
    "hypothesis": "https://hypothesis.readthedocs.io/en/latest/",
}

if __name__ == "__main__":
    here = Path(__file__).parent
    for name, url in SITES.items():
        with urlopen(url + "objects.inv", timeout=60) as response:
            (here / f"{name}.inv").write_bytes(response.read())
        print(f"{name}: {url}objects.inv")
