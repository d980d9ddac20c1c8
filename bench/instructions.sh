#!/bin/sh
# The instructions one op of each page benchmark takes, counted by
# valgrind's callgrind, and each as a multiple of the plain typed decode
# (BenchmarkDecodeTaskListBaseline). Run by `make bench-instructions`.
# Instructions do not depend on what else the machine does, unlike time:
# the count of one run moves by well under 1 % (the garbage collector's
# timing), and N ops spread that further.
set -eu
GO=${GO:-go}
N=${N:-200}
command -v valgrind >/dev/null || { echo "bench-instructions: valgrind is not installed" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Without cgo, and without the runtime's preemption signals (which callgrind
# does not survive): valgrind follows a pure Go binary then.
CGO_ENABLED=0 "$GO" test -c -o "$tmp/t.test" .

# count BENCHMARK OPS prints the instructions of one run; valgrind now and
# then aborts on the Go runtime, so a run is tried up to five times.
count() {
	for try in 1 2 3 4 5; do
		n=$(GODEBUG=asyncpreemptoff=1 valgrind --tool=callgrind --callgrind-out-file="$tmp/cg.out" "$tmp/t.test" -test.run '^$' \
			-test.bench "^Benchmark$1\$" -test.benchtime "$2x" -test.cpu 1 2>&1 | awk '/Collected/ {print $4}')
		if [ -n "$n" ]; then
			echo "$n"
			return
		fi
	done
	echo "bench-instructions: valgrind failed five times on $1" >&2
	exit 1
}

perop() { echo $(( ($(count "$1" $((N + 1))) - $(count "$1" 1)) / N )); }

for b in DecodeTaskListBaseline RunTasksPage PeerTallyfyCLIPage PeerReadAllUnmarshal; do
	echo "$b $(perop "$b")"
done | awk '{ per[NR] = $2; name[NR] = $1 } END {
	for (i = 1; i <= NR; i++) printf "%-24s %10d instructions/op  %.3fx the plain decode\n", name[i], per[i], per[i] / per[1] }'
