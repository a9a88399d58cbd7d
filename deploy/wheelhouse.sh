#!/bin/sh
# `make wheelhouse`: every wheel Hosakan needs on Linux x86_64 for each supported Python, with the
# hashes of requirements.lock checked, plus Hosakan's own wheel, in one folder; and the one archive
# to carry into a closed network: that folder, deploy/ (the systemd unit, start.sh, the service
# wrapper, nginx.conf), docs/operations.md, which says how to install from it, the maintainers'
# guide and the README.
set -eu
PY=${PY:-.venv/bin/python}
OUT=${OUT:-dist/wheelhouse}
PYTHONS=${PYTHONS:-"3.11 3.12 3.13"}
mkdir -p "$OUT"
rm -rf build  # a stale build/lib of an older layout would go into the wheel
"$PY" -m pip wheel --quiet --no-deps --wheel-dir "$OUT" .
for version in $PYTHONS; do
  "$PY" -m pip download --quiet --require-hashes --no-deps --only-binary=:all: --dest "$OUT" \
    --python-version "$version" --implementation cp --abi "cp$(echo "$version" | tr -d .)" --abi abi3 --abi none \
    --platform manylinux_2_28_x86_64 --platform manylinux_2_17_x86_64 --platform manylinux2014_x86_64 \
    --platform manylinux1_x86_64 --platform linux_x86_64 --platform any \
    -r requirements.lock
done
tar -czf "$OUT.tar.gz" -C "$(dirname "$OUT")" "$(basename "$OUT")" -C "$(pwd)" deploy docs/operations.md docs/maintainers.md README.md
echo "$(ls "$OUT" | wc -l) wheels in $OUT ($(du -sh "$OUT" | cut -f1)); $OUT.tar.gz"
