#!/usr/bin/env bash
# Compile `w2s latex --document --claims` with pdflatex and fail on any overfull or underfull-by-
# error box: the document must fit the page. Needs pdflatex (Debian: texlive-latex-base).
# Usage: .ci/check_latex.sh [OUTDIR]   (the PDF and the log are left in OUTDIR)
set -euo pipefail
out="${1:-$(mktemp -d)}"
mkdir -p "$out"
w2s latex --document --claims -o "$out/w2s.tex"
(cd "$out" && pdflatex -interaction=nonstopmode -halt-on-error w2s.tex >/dev/null) || {
    echo "pdflatex failed; see $out/w2s.log" >&2; grep -A3 '^!' "$out/w2s.log" >&2 || true; exit 1; }
test -s "$out/w2s.pdf"
if grep -n "Overfull" "$out/w2s.log" >&2; then
    echo "overfull boxes in the LaTeX document (above); see $out/w2s.log" >&2
    exit 1
fi
echo "LaTeX document: $(grep -c '' "$out/w2s.tex") lines, 0 overfull boxes ($out/w2s.pdf)"
