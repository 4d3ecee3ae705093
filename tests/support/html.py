"""A small DOM for reading pages as a user (or a browser) would: find a card by its heading, the
form behind a button, the values a form would submit. One copy, for every test file."""
from __future__ import annotations

import re
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}


class Node:
    def __init__(self, tag: str, attrs: dict, parent: Node | None = None):
        self.tag, self.attrs, self.parent, self.children = tag, attrs, parent, []

    def iter(self):
        yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.iter()

    def find_all(self, tag: str | None = None, **attrs) -> list[Node]:
        """Elements (this one included) with this tag and these attribute values; a trailing
        underscore is dropped from a name, so `class_="card"` means class="card"."""
        return [n for n in self.iter() if (tag is None or n.tag == tag)
                and all(n.attrs.get(k.rstrip("_")) == v for k, v in attrs.items())]

    def find(self, tag: str | None = None, **attrs) -> Node:
        found = self.find_all(tag, **attrs)
        assert found, f"no <{tag} {attrs}> on the page"
        return found[0]

    def text(self) -> str:
        """The text as it reads: white space collapsed."""
        parts = [c.text() if isinstance(c, Node) else c for c in self.children]
        return re.sub(r"\s+", " ", "".join(parts)).strip()

    def raw_text(self) -> str:
        """The text as it is in the page (a textarea's value, say)."""
        return "".join(c.raw_text() if isinstance(c, Node) else c for c in self.children)

    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())


class _Builder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = self.current = Node("#root", {})

    def handle_starttag(self, tag, attrs):
        node = Node(tag, dict(attrs), self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Node(tag, dict(attrs), self.current))

    def handle_endtag(self, tag):
        node = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def dom(html: str) -> Node:
    builder = _Builder()
    builder.feed(html)
    return builder.root


HEADINGS = ("h2", "h3", "h4")


def cards(html: str, heading: str) -> list[Node]:
    """The cards (any element with class "card": li.card, article.card) whose heading (h2, h3
    or h4) reads `heading`, in page order."""
    return [n for n in dom(html).iter() if "card" in n.classes()
            and any(h.text() == heading for h in n.iter() if h.tag in HEADINGS)]


def card(html: str, heading: str) -> Node:
    """The one card headed `heading`."""
    found = cards(html, heading)
    assert len(found) == 1, f"{len(found)} cards headed {heading!r}"
    return found[0]


def form_with_button(node: Node, label: str) -> Node:
    """The one form in `node` with a button whose text starts with `label`."""
    forms = [f for f in node.find_all("form")
             if any(b.text().startswith(label) for b in f.find_all("button"))]
    assert len(forms) == 1, f"{len(forms)} forms with a button {label!r} in: {node.text()[:300]}"
    return forms[0]


def form_values(html: str, action: str) -> dict[str, list[str]]:
    """What a browser would submit, unchanged and without JavaScript, from the one form that
    posts to `action` (the form's own #fragment aside): checked boxes only, the selected
    option, a textarea's text as the browser reads it (CR LF as LF, one leading LF dropped);
    never the buttons."""
    forms = [f for f in dom(html).find_all("form")
             if (f.attrs.get("method") or "get").lower() == "post"
             and (f.attrs.get("action") or "").split("#")[0] == action]
    assert len(forms) == 1, f"{len(forms)} forms post to {action}"
    values: dict[str, list[str]] = {}
    for node in forms[0].iter():
        name = node.attrs.get("name")
        if not name or node is forms[0]:
            continue
        if node.tag == "input":
            kind = node.attrs.get("type", "text")
            if kind in ("submit", "button") or (kind in ("checkbox", "radio") and "checked" not in node.attrs):
                continue
            values.setdefault(name, []).append(node.attrs.get("value") or "")
        elif node.tag == "select":
            chosen = [o for o in node.find_all("option") if "selected" in o.attrs]
            if chosen:
                values.setdefault(name, []).append(chosen[0].attrs.get("value") or "")
        elif node.tag == "textarea":
            text = node.raw_text().replace("\r\n", "\n").replace("\r", "\n")
            values.setdefault(name, []).append(text[1:] if text.startswith("\n") else text)
    assert values, f"the form posting to {action} sends nothing"
    return values
