"""A standalone HTML page: the body given, with its styles inline, for a phone, a desk and paper.

Nothing is fetched: no web font, stylesheet, script or picture, and the page's Content-Security-Policy
forbids any (default-src 'none'), so even a link someone manages to slip in cannot load. Fonts are the
reader's own (system fonts with Chinese faces named). Characters XML cannot hold are replaced.
"""

from __future__ import annotations

import html

from shenka_cli.render.svg import xml_safe

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"

STYLE = """
:root { color-scheme: light; --ink: #1d1d1f; --muted: #5b5f66; --rule: #d8dce2; --accent: #1f6fb2; --paper: #fff; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: var(--paper); color: var(--ink); line-height: 1.6;
  font: 16px/1.6 system-ui, -apple-system, "Segoe UI", "Noto Sans CJK SC", "Noto Sans SC", "PingFang SC",
    "Hiragino Sans GB", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif; }
main { max-width: 64rem; margin: 0 auto; padding: 1rem 1rem 3rem; }
h1 { font-size: 1.7rem; line-height: 1.25; margin: 0.5rem 0 1rem; }
h2 { font-size: 1.35rem; margin: 2.5rem 0 0.75rem; padding-bottom: 0.25rem; border-bottom: 2px solid var(--rule); }
h3 { font-size: 1.08rem; margin: 1.6rem 0 0.4rem; }
p { margin: 0.4rem 0 0.8rem; overflow-wrap: anywhere; }
a { color: var(--accent); }
nav { border: 1px solid var(--rule); border-radius: 6px; padding: 0.5rem 1rem; margin: 1rem 0 1.5rem; }
nav ol { margin: 0; padding-left: 1.2rem; columns: 2 14rem; }
.table { overflow-x: auto; margin: 0.5rem 0 1rem; -webkit-overflow-scrolling: touch; }
table { border-collapse: collapse; width: 100%; font-size: 0.92rem; }
th, td { border-bottom: 1px solid var(--rule); padding: 0.35rem 0.5rem; vertical-align: top; text-align: left;
  overflow-wrap: break-word; }
th { background: #f3f5f8; font-weight: 600; white-space: nowrap; }
td { min-width: 5.5rem; max-width: 28rem; }
figure.chart { margin: 1rem 0 1.5rem; overflow-x: auto; }
figure.chart svg { display: block; width: 100%; min-width: 40rem; height: auto; }
figure.chart figcaption { font-size: 0.9rem; color: var(--muted); }
svg text { fill: var(--ink); font-family: inherit; }
svg text.inside { fill: #fff; font-weight: 600; }
svg .year { fill: var(--muted); font-weight: 600; }
svg .grid { stroke: var(--rule); stroke-width: 1; }
svg .bar .fill { fill: var(--accent); }
svg .bar.range .fill { fill: #8a3ffc; fill-opacity: 0.55; }
svg .bar.about .fill { fill-opacity: 0.6; }
svg .bar .open { fill: none; stroke: var(--accent); stroke-width: 2; stroke-dasharray: 4 3; }
svg a.mark:focus { outline: 2px solid var(--accent); }
ul.keys { list-style: none; padding: 0; margin: 0.5rem 0; display: flex; flex-wrap: wrap; gap: 0.25rem 1rem; }
.swatch { display: inline-block; width: 0.8rem; height: 0.8rem; border-radius: 2px; margin-right: 0.35rem;
  vertical-align: -0.05rem; }
.when { color: var(--muted); }
pre { overflow-x: auto; background: #f3f5f8; padding: 0.5rem; }
@media (max-width: 40rem) {
  body { font-size: 15px; }
  main { padding: 0.75rem 0.75rem 2rem; }
  h1 { font-size: 1.4rem; }
}
@media print {
  @page { margin: 1.5cm; }
  body { font-size: 10.5pt; }
  main { max-width: none; padding: 0; }
  nav { display: none; }
  a { color: inherit; text-decoration: none; }
  h2, h3 { break-after: avoid; }
  table, figure, tr { break-inside: avoid; }
  figure.chart { overflow: visible; }
  figure.chart svg { min-width: 0; }
  .table { overflow: visible; }
}
"""


def page(title: str, lang: str, body: str) -> str:
    """The whole page; `title` is data (escaped here), `body` is HTML made by the caller."""
    text = (
        "<!DOCTYPE html>\n"
        f'<html lang="{html.escape(lang, quote=True)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="generator" content="shenka">\n'
        f"<title>{html.escape(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n"
        f"{body}\n</main>\n</body>\n</html>\n"
    )
    return xml_safe(text)
