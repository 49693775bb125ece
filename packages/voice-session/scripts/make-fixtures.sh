#!/usr/bin/env bash
# Regenerates the committed WAV fixtures (16 kHz mono PCM16) with espeak-ng and sox.
# Each phrase is synthesised, resampled and trimmed of espeak's leading/trailing silence,
# so scenarios composed in the tests put speech exactly where they say.
# Needs: apt-get install espeak-ng sox. Run from anywhere: bash scripts/make-fixtures.sh
set -euo pipefail
out="$(cd "$(dirname "$0")/.." && pwd)/fixtures"
mkdir -p "$out"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

phrase() { # name text
  espeak-ng -v en-us -s 175 -w "$tmp/$1.raw.wav" "$2"
  sox "$tmp/$1.raw.wav" -r 16000 -c 1 -b 16 "$out/$1.wav" \
    silence 1 0.02 0.5% reverse silence 1 0.02 0.5% reverse
}

phrase weather 'what is the weather in Paris'
phrase tomorrow 'no wait I meant tomorrow'
phrase hmm 'hmmmm'
phrase uh 'uh'
phrase stop 'stop'
phrase hello 'hello how are you today'
phrase book-a 'please book a table'
phrase book-b 'for two at seven'
# Noise beds: no speech in them, a VAD must not fire.
sox -n -r 16000 -c 1 -b 16 "$out/white-noise.wav" synth 1 whitenoise vol 0.3
sox -n -r 16000 -c 1 -b 16 "$out/pink-noise.wav" synth 3 pinknoise vol 0.3
for f in "$out"/*.wav; do printf '%s %ss\n' "$(basename "$f")" "$(soxi -D "$f")"; done
