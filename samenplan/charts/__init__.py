"""Server-rendered, accessible SVG charts: the GAS ladder, the T-score and scaling trends.

Every chart is a ``<figure>`` with a ``<figcaption>``, an inline ``<svg role="img">`` labelled by
its own ``<title>`` and ``<desc>`` (ids start with `id_prefix`), and a text alternative that
states the same numbers in words: a ``<table class="sr-only">``. No JavaScript, no chart
library, no inline ``style=`` (the strict CSP forbids it): geometry and colours are SVG
presentation attributes, the rest comes from ``static/css/samenplan.css`` (``/* charts */``).

The markup is well-formed XML (the SVG carries its namespace, void elements are closed), so
it can be checked with ``xml.etree`` and embedded in a PDF renderer later.

All user text (descriptions, names, labels) is escaped by the builder (``svg.py``). The package
is pure: no Flask; Dutch text is marked with ``samenplan.domain.i18n._`` like the domain's.

The modules: ``svg`` (the builder and the accessible wrapper), ``style`` (size, colours),
``text`` (text widths, wrapping, dates), ``axes`` (what the line charts share) and one module
per chart: ``ladder``, ``t_score``, ``scaling``, ``network``.

Usage from a template (the app makes this package the global ``charts``):
``{{ charts.gas_ladder(levels, current, baseline, "doel-7-ladder") }}`` (the result is
``Markup``; do not ``|safe`` or escape it again).
"""
from __future__ import annotations

from samenplan.charts.ladder import gas_ladder
from samenplan.charts.network import MapMember, network_map
from samenplan.charts.scaling import scaling_trends
from samenplan.charts.t_score import t_score_line
from samenplan.charts.text import em_width, wrap

__all__ = ["MapMember", "em_width", "gas_ladder", "network_map", "scaling_trends", "t_score_line", "wrap"]
