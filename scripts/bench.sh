#!/bin/sh
# Benchmarks `transmend check` against `rg -F -f forms.txt` on a generated corpus.
#
#   scripts/bench.sh [WORK_DIR]
#
# Environment (all optional):
#   MB=100              headline corpus size (MiB)
#   CONCEPTS=10000      headline glossary size (synthetic concepts, plus the 67 of labour.csv)
#   CURVE_MB="6.25 12.5 25 50 100"           corpus-size curve (glossary CONCEPTS)
#   CURVE_CONCEPTS="1000 3000 10000 30000 100000"  glossary-size curve (corpus CURVE_FIXED_MB)
#   CURVE_FIXED_MB=25   corpus size for the glossary curve and for --jobs 1 vs 2
#   BIG_CONCEPTS=100000 glossary for the load+build timing
#   BIG_DOC_MB="8 63"   sizes of the single English and single Chinese document whose peak RSS
#                       per input byte is measured (made by joining, and repeating, files of the
#                       fixed corpus; 63 stays under the 64 MiB --max-file-size)
#   RUN_MB="25 100"     corpus sizes `run --out` (fixed/, diff/, report) is measured on
#   REPEAT=2            runs per measurement (each is reported)
#   SEED=1
#
# Prints tab-separated rows: what, corpus MiB, concepts, jobs, run, wall s, MiB/s, peak RSS MiB,
# CPU % (user+sys over wall), load average (1 min) before the run. On a shared machine compare
# the CPU % with the jobs asked for: a process that gets one core's share shows about 100 %. Generated data stays in WORK_DIR (never commit it).
set -eu

WORK=${1:-${TMPDIR:-/tmp}/transmend-bench}
MB=${MB:-100}
CONCEPTS=${CONCEPTS:-10000}
CURVE_MB=${CURVE_MB:-"6.25 12.5 25 50 100"}
CURVE_CONCEPTS=${CURVE_CONCEPTS:-"1000 3000 10000 30000 100000"}
CURVE_FIXED_MB=${CURVE_FIXED_MB:-25}
BIG_CONCEPTS=${BIG_CONCEPTS:-100000}
BIG_DOC_MB=${BIG_DOC_MB:-"8 63"}
RUN_MB=${RUN_MB:-"25 100"}
REPEAT=${REPEAT:-2}
SEED=${SEED:-1}

cd "$(dirname "$0")/.."
need() {
    command -v "$1" >/dev/null 2>&1 && return 0
    echo "installing $2 from Debian" >&2
    apt-get install -y "$2" >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y "$2" >/dev/null; }
}
need rg ripgrep
[ -x /usr/bin/time ] || need /usr/bin/time time

cargo build --release --quiet
cargo build --release --quiet --example gen_corpus --example glossary_build
TARGET=${CARGO_TARGET_DIR:-target}
BIN=$TARGET/release/transmend
GEN=$TARGET/release/examples/gen_corpus
BUILD=$TARGET/release/examples/glossary_build
mkdir -p "$WORK"

# gen MB CONCEPTS -> prints the data folder (generated once per size pair)
gen() {
    dir="$WORK/c$1-g$2-s$SEED"
    [ -f "$dir/.done" ] || { "$GEN" "$dir" "$1" "$2" "$SEED" >&2 && touch "$dir/.done"; }
    echo "$dir"
}

load() { cut -d' ' -f1 /proc/loadavg; }

# measure WHAT DIR MB CONCEPTS JOBS COMMAND... : REPEAT timed runs, one row each
measure() {
    what=$1 dir=$2 mb=$3 concepts=$4 jobs=$5
    shift 5
    bytes=$(du -sb "$dir/corpus" | cut -f1)
    i=1
    while [ "$i" -le "$REPEAT" ]; do
        l=$(load)
        /usr/bin/time -v -o "$WORK/time.txt" "$@" > /dev/null 2>"$WORK/stderr.txt" || true
        wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,t,":"); s=0; for(k=1;k<=n;k++) s=s*60+t[k]; print s}' "$WORK/time.txt")
        rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$WORK/time.txt")
        mbs=$(awk -v b="$bytes" -v w="$wall" 'BEGIN {printf "%.2f", b/1048576/w}')
        cpu=$(awk -F': ' '/Percent of CPU/ {print $2}' "$WORK/time.txt")
        printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$what" "$mb" "$concepts" "$jobs" "$i" "$wall" "$mbs" "$rss" "$cpu" "$l"
        i=$((i + 1))
    done
}

check() { # DIR JOBS
    measure check "$1" "$MB_NOW" "$C_NOW" "$2" "$BIN" check --format json --jobs "$2" --glossary "$1/glossary.csv" "$1/corpus"
}
grep_forms() { # DIR
    measure rg "$1" "$MB_NOW" "$C_NOW" "-" rg -F -f "$1/forms.txt" "$1/corpus"
}

printf 'what\tMiB\tconcepts\tjobs\trun\twall_s\tMiB_per_s\tpeak_rss_MiB\tcpu\tload1\n'

# Headline: check vs rg, same files.
MB_NOW=$MB C_NOW=$CONCEPTS
d=$(gen "$MB" "$CONCEPTS")
cat "$d/corpus"/*/* > /dev/null # warm the page cache for both
grep_forms "$d"
check "$d" 0

# --jobs 1 vs 2.
MB_NOW=$CURVE_FIXED_MB
d=$(gen "$CURVE_FIXED_MB" "$CONCEPTS")
check "$d" 1
check "$d" 2

# Corpus-size curve.
for m in $CURVE_MB; do
    MB_NOW=$m
    d=$(gen "$m" "$CONCEPTS")
    check "$d" 0
done

# Glossary-size curve.
MB_NOW=$CURVE_FIXED_MB
for c in $CURVE_CONCEPTS; do
    C_NOW=$c
    d=$(gen "$CURVE_FIXED_MB" "$c")
    check "$d" 0
    grep_forms "$d"
done

# One big document per language: peak RSS per input byte (the glossary is the fixed one).
MB_NOW=$CURVE_FIXED_MB C_NOW=$CONCEPTS
d=$(gen "$CURVE_FIXED_MB" "$CONCEPTS")
for size in $BIG_DOC_MB; do
    for lang in en zh; do
        big="$WORK/big-$size-$lang"
        if [ ! -f "$big/corpus/doc.$lang.txt" ]; then
            mkdir -p "$big/corpus"
            # The language's files, repeated until there is enough; whole lines only, so the
            # cut never splits a UTF-8 character.
            files=$(find "$d/corpus" -name "*.$lang.txt" | sort)
            while echo "$files" | xargs cat; do :; done 2>/dev/null | head -c $((size * 1048576)) | sed '$d' > "$big/corpus/doc.$lang.txt"
        fi
        MB_NOW=$size
        measure "check-one-$lang-doc" "$big" "$size" "$CONCEPTS" 0 "$BIN" check --format json --glossary "$d/glossary.csv" "$big/corpus/doc.$lang.txt"
    done
done

# `run` (check, repair, fixed/, diff/, report pages) on whole corpora.
for m in $RUN_MB; do
    MB_NOW=$m
    d=$(gen "$m" "$CONCEPTS")
    rm -rf "$WORK/run-out"
    measure run "$d" "$m" "$CONCEPTS" 0 "$BIN" run --glossary "$d/glossary.csv" "$d/corpus" --out "$WORK/run-out"
    rm -rf "$WORK/run-out"
done

# Load + build of a big glossary.
d=$(gen 0.01 "$BIG_CONCEPTS")
printf '# glossary load+build (%s synthetic concepts), load1 %s\n' "$BIG_CONCEPTS" "$(load)"
"$BUILD" "$d/glossary.csv" "$REPEAT"
