"""Check that `preflight diff --format markdown` renders on GitHub as intended.

Usage: check_markdown_diff.py RENDERED.html DIFF.json
RENDERED.html is the Markdown rendered by cmark-gfm (GitHub's own CommonMark fork) with the
table and strikethrough extensions; DIFF.json is `preflight diff --format json` of the same
change. The rendering must have one table with a row per changed checklist, a heading and a
bulleted list per changed checklist with one entry per change, word diffs as <del>/<strong>,
and the text of every item exactly as in the JSON (so escaping neither added nor lost
characters, and no content turned into markup).
"""

import json
import sys
from html.parser import HTMLParser


class Outline(HTMLParser):
    def __init__(self):
        super().__init__()
        self.stack = []
        self.tables = 0
        self.header_cells = []
        self.body_rows = 0
        self.headings = {"h3": 0, "h4": 0}
        self.lists = []
        self.tags = {"del": 0, "strong": 0, "em": 0, "code": 0}
        self.text = []

    def handle_starttag(self, tag, attrs):
        self.stack.append(tag)
        if tag == "table":
            self.tables += 1
        elif tag == "tr" and "tbody" in self.stack:
            self.body_rows += 1
        elif tag in self.headings:
            self.headings[tag] += 1
        elif tag == "ul":
            self.lists.append(0)
        elif tag == "li" and self.lists:
            self.lists[-1] += 1
        elif tag in self.tags:
            self.tags[tag] += 1
        elif tag not in ("thead", "tbody", "tr", "th", "td", "p", "li", "h3", "h4"):
            raise SystemExit(f"unexpected element <{tag}> in the rendered diff")

    def handle_endtag(self, tag):
        while self.stack and self.stack.pop() != tag:
            pass

    def handle_data(self, data):
        if "th" in self.stack:
            self.header_cells.append(data.strip())
        if "code" not in self.stack:
            self.text.append(data)


def main(argv):
    html = open(argv[1], encoding="utf-8").read()
    diff = json.load(open(argv[2], encoding="utf-8"))
    outline = Outline()
    outline.feed(html)
    problems = []
    changed = [c for c in diff["checklists"] if c["status"] == "changed"]
    if outline.tables != 1:
        problems.append(f"{outline.tables} tables, expected 1")
    expected_header = ["Checklist", "Status", "Items added", "Removed", "Changed", "Moved"]
    if outline.header_cells != expected_header:
        problems.append(f"table header {outline.header_cells}")
    if outline.body_rows != len(diff["checklists"]):
        problems.append(f"{outline.body_rows} table rows, expected {len(diff['checklists'])}")
    if outline.headings["h3"] != 1 or outline.headings["h4"] != len(changed):
        problems.append(f"headings {outline.headings}, expected one h3 and {len(changed)} h4")
    entries = [
        int(bool(c.get("old_id") or c.get("old_path")))
        + len(c.get("meta", []))
        + len(c.get("sections", []))
        + len(c.get("items", []))
        for c in changed
    ]
    if outline.lists != entries:
        problems.append(f"list entries {outline.lists}, expected {entries}")
    reworded = sum(1 for c in changed for i in c.get("items", []) if i.get("words"))
    if outline.tags["del"] < reworded:
        problems.append(f"{outline.tags['del']} <del>, expected at least {reworded}")
    text = " ".join("".join(outline.text).split())
    for c in changed:
        for item in c.get("items", []):
            pieces = [item["text"]]
            if item.get("words"):
                pieces = [w["text"] for w in item["words"] if w["op"] != "delete"]
            for piece in pieces:
                piece = " ".join(piece.split())
                if piece and piece not in text:
                    problems.append(f"item text {piece!r} is not in the rendered text")
    if problems:
        print("Markdown diff renders wrongly:\n  " + "\n  ".join(problems), file=sys.stderr)
        return 1
    print(f"Markdown diff renders as intended: 1 table, {len(changed)} lists, {sum(entries)} entries")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
