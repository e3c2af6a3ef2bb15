#!/usr/bin/env bash
# Render a one-time notice (一次性告知单) the way a person sees it, with headless Chromium.
#
#   scripts/notice_png.sh OUT.png [rsguide notice arguments]
#   scripts/notice_png.sh OUT.pdf [rsguide notice arguments]
#
# OUT.png: a screenshot of the first A4 page (794×1123 CSS pixels, the page at 96 dpi).
# OUT.pdf: the page printed to PDF with its print CSS (@page A4, 15 mm margins), every page.
#
# Examples:
#   scripts/notice_png.sh /tmp/n14.png 14 --missing 身份证复印件 --date 2026-12-01
#   scripts/notice_png.sh /tmp/n4.pdf 失业保险金申领 --when 代办
#
# Environment: RSGUIDE (the rsguide command; default .venv/bin/rsguide of this checkout, then
# rsguide on PATH), CHROMIUM (the browser; default chromium, chromium-browser or google-chrome).
# Exit codes: 0 written; 2 usage; 3 no browser found; otherwise rsguide's or Chromium's code.
set -euo pipefail

if [ $# -lt 2 ] || [ "${1:-}" = "-h" ] || [ "${1:-}" = "--help" ]; then
  sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
fi

out=$1
shift
case "$out" in
  *.png | *.PNG) mode=png ;;
  *.pdf | *.PDF) mode=pdf ;;
  *) echo "notice_png.sh：输出文件须以 .png 或 .pdf 结尾：$out" >&2; exit 2 ;;
esac
case "$out" in
  /*) ;;
  *) out="$PWD/$out" ;;
esac

root=$(cd "$(dirname "$0")/.." && pwd)
rsguide=${RSGUIDE:-}
if [ -z "$rsguide" ]; then
  if [ -x "$root/.venv/bin/rsguide" ]; then
    rsguide="$root/.venv/bin/rsguide"
  else
    rsguide=$(command -v rsguide || true)
  fi
fi
if [ -z "$rsguide" ]; then
  echo "notice_png.sh：找不到 rsguide 命令（可设环境变量 RSGUIDE）" >&2
  exit 3
fi

browser=${CHROMIUM:-}
if [ -z "$browser" ]; then
  for name in chromium chromium-browser google-chrome google-chrome-stable; do
    if command -v "$name" >/dev/null 2>&1; then
      browser=$(command -v "$name")
      break
    fi
  done
fi
if [ -z "$browser" ]; then
  echo "notice_png.sh：没有安装 Chromium（Debian/Ubuntu：apt-get install chromium fonts-noto-cjk），无法截图" >&2
  exit 3
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Our --format and -o come last so that they win over any given in the arguments.
if ! "$rsguide" notice "$@" --format html -o "$tmp/notice.html" --force 2>"$tmp/rsguide.err"; then
  code=$?
  cat "$tmp/rsguide.err" >&2
  exit "$code"
fi

flags=(--headless --no-sandbox --disable-gpu --disable-background-networking --no-first-run
  --no-default-browser-check --disable-extensions --hide-scrollbars --user-data-dir="$tmp/profile"
  --virtual-time-budget=3000)
if [ "$mode" = png ]; then
  "$browser" "${flags[@]}" --screenshot="$out" --window-size=794,1123 "file://$tmp/notice.html" \
    >"$tmp/browser.log" 2>&1 || { cat "$tmp/browser.log" >&2; exit 4; }
else
  "$browser" "${flags[@]}" --no-pdf-header-footer --print-to-pdf="$out" "file://$tmp/notice.html" \
    >"$tmp/browser.log" 2>&1 || { cat "$tmp/browser.log" >&2; exit 4; }
fi
if [ ! -s "$out" ]; then
  cat "$tmp/browser.log" >&2
  echo "notice_png.sh：Chromium 没有写出 $out" >&2
  exit 4
fi
echo "已写入 $out" >&2
