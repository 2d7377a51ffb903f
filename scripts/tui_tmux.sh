#!/usr/bin/env bash
# Drive the real review app in a tmux terminal (100x30) and print what the screen shows at each step.
#
#   scripts/tui_tmux.sh OUTDIR [dedup review arguments...]      (default arguments: samples/)
#
# Steps: wait for the cluster screen, capture it (OUTDIR/1-cluster.txt); Enter opens the diff, capture
# (OUTDIR/2-diff.txt); '/skepticism' Enter searches both sides (OUTDIR/3-search.txt); Esc, then 'd' marks
# the pair as duplicate (OUTDIR/4-marked.txt); 'q' quits (OUTDIR/5-exit.txt shows the exit status).
# Exit 0 when every step showed what it waits for, 1 when one timed out, 2 without tmux.
set -u
out=${1:?usage: scripts/tui_tmux.sh OUTDIR [review args...]}
shift
[ $# -eq 0 ] && set -- samples/
command -v tmux >/dev/null || { echo "tmux not found" >&2; exit 2; }
root=$(cd "$(dirname "$0")/.." && pwd)
dedup=${DEDUP:-$root/.venv/bin/dedup}
session="dedup-review-$$"
tm() { tmux -L "$session" "$@"; }  # a private tmux server: its own size, no other sessions
mkdir -p "$out"
cmd="cd $(printf %q "$root") && TERM=xterm-256color $(printf %q "$dedup") review"
for a in "$@"; do cmd+=" $(printf %q "$a")"; done
tmux -L "$session" -f /dev/null new-session -d -s "$session" -x 100 -y 30 "$cmd; echo EXITED \$?; sleep 30"
trap 'tm kill-server 2>/dev/null' EXIT

wait_for() {  # wait_for TEXT FILE: capture the pane until TEXT shows (up to 60 s)
    for _ in $(seq 1 240); do
        tm capture-pane -p -t "$session" > "$2"
        tr -s ' \n' ' ' < "$2" | grep -qF -- "$1" && return 0  # wrapped lines joined
        sleep 0.25
    done
    echo "timed out waiting for: $1 (screen in $2)" >&2
    return 1
}

wait_for "score with A" "$out/1-cluster.txt" || exit 1
tm send-keys -t "$session" Enter
wait_for "figures" "$out/2-diff.txt" || exit 1
for _ in $(seq 1 120); do  # the current row (marked █ on the left) is where the two stories meet
    tm capture-pane -p -t "$session" > "$out/2-diff.txt"
    grep -q '^█' "$out/2-diff.txt" && break
    sleep 0.25
done
sleep 0.5; tm capture-pane -p -t "$session" > "$out/2-diff.txt"
tm send-keys -t "$session" /
sleep 0.3
tm send-keys -t "$session" -l skepticism
tm send-keys -t "$session" Enter
wait_for "skepticism" "$out/3-search.txt" || exit 1
sleep 0.5; tm capture-pane -p -t "$session" > "$out/3-search.txt"  # the found sentence's marks, drawn with it
tm send-keys -t "$session" Escape
sleep 0.3
tm send-keys -t "$session" d
wait_for "reviewed: duplicate" "$out/4-marked.txt" || exit 1
tm send-keys -t "$session" q
wait_for "EXITED" "$out/5-exit.txt" || exit 1
exit 0
