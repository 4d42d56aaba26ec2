"""The notebooks in notebooks/ run top to bottom on a fresh kernel, and what they draw is really drawn:
the PNG is a picture, and the interactive page shows every node in headless Chromium, offline."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess

import pytest

from tests.conftest import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--disable-extensions", "--window-size=1400,1000"]


def test_there_are_notebooks_and_they_are_committed_without_outputs():
    import nbformat

    assert [p.name for p in NOTEBOOKS] == ["01_build_and_query.ipynb", "02_draw.ipynb", "03_merge_with_ontologies.ipynb"]
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        nbformat.validate(nb)
        code = [c for c in nb.cells if c.cell_type == "code"]
        assert code and all(not c.outputs and c.execution_count is None for c in code), f"{path.name}: strip its outputs"
        imports = {m.group(1).split(".")[0] for c in code
                   for m in re.finditer(r"^\s*(?:from|import)\s+([\w.]+)", c.source, re.M)}
        assert imports <= {"kg", "os", "pathlib", "pandas", "IPython", "rdflib"}, imports


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    """Every notebook executed once on a fresh kernel; their files go to a temporary folder."""
    import nbformat
    from nbclient import NotebookClient

    out = tmp_path_factory.mktemp("notebooks")
    old = os.environ.get("KG_NOTEBOOK_OUT")
    os.environ["KG_NOTEBOOK_OUT"] = str(out)
    results = {}
    try:
        for path in NOTEBOOKS:
            nb = nbformat.read(path, as_version=4)
            client = NotebookClient(nb, timeout=300, kernel_name="python3",
                                    resources={"metadata": {"path": str(path.parent)}})
            try:
                client.execute()
                results[path.name] = (nb, None)
            except Exception as exc:  # CellExecutionError names the cell and the traceback
                results[path.name] = (nb, exc)
    finally:
        if old is None:
            os.environ.pop("KG_NOTEBOOK_OUT", None)
        else:
            os.environ["KG_NOTEBOOK_OUT"] = old
    return out, results


@pytest.mark.parametrize("name", [p.name for p in NOTEBOOKS])
def test_notebook_runs_without_errors(executed, name):
    _, results = executed
    nb, error = results[name]
    assert error is None, f"{name} failed:\n{error}"
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            assert output.output_type != "error", f"{name}: {output.get('ename')}: {output.get('evalue')}"


def test_notebooks_show_their_results(executed):
    out, results = executed
    texts = {}
    for name, (nb, _) in results.items():
        texts[name] = "\n".join(
            o.get("text", "") + o.get("data", {}).get("text/plain", "") + o.get("data", {}).get("text/html", "")
            for c in nb.cells for o in c.get("outputs", []))
    first = texts["01_build_and_query.ipynb"]
    assert "25 entities, 17 claims" in first
    assert "biolink:studied_to_treat" in first and "Acute-On-Chronic Liver Failure" in first and "expected to" in first
    assert "NEGATED_EXISTENCE" in first
    images = [o for c in results["02_draw.ipynb"][0].cells for o in c.get("outputs", []) if "image/png" in o.get("data", {})]
    assert len(images) == 2
    third = texts["03_merge_with_ontologies.ipynb"]
    counts = dict(re.findall(r"\((M[A-Z]+:\w+)\): (\d+) ancestors", third))
    assert int(counts["MONDO:0005155"]) >= 10 and "DOID:409" in third  # cirrhosis: DOID, HP and MeSH parents
    assert int(counts["MESH:D065290"]) >= 5 and "Hepatic Insufficiency" in third  # ACLF: placed by MeSH's tree
    for name in ("seed.ttl", "seed.png", "seed.svg", "seed.html", "hierarchy.png"):
        assert (out / name).stat().st_size > 1000, name


def test_notebook_png_is_not_blank(executed):
    from PIL import Image

    out, _ = executed
    for name in ("seed.png", "hierarchy.png"):
        data = (out / name).read_bytes()
        assert len(data) > 30_000
        img = Image.open(io.BytesIO(data)).convert("L")
        w, h = img.size
        assert w >= 600 and h >= 500
        hist = img.histogram()
        dark = sum(hist[:200]) / (w * h)
        assert 0.01 < dark < 0.6, f"{name}: {dark:.3f} of the pixels drawn"
        assert sum(1 for n in hist if n) > 20  # antialiased lines and text, not one or two flat colours


def _chromium() -> str | None:
    for name in (os.environ.get("KG_CHROMIUM"), "chromium", "chromium-browser", "google-chrome"):
        if name and shutil.which(name):
            return shutil.which(name)
    return None


PROBE = """<script>
(function () {
  function report() {
    if (document.getElementById('kg-probe')) return;
    var out = {nodes: 0, positioned: 0, painted: 0, labels: []};
    try {
      var ids = network.body.data.nodes.getIds();
      out.nodes = ids.length;
      out.labels = network.body.data.nodes.get().map(function (n) { return n.label; });
      var pos = network.getPositions();
      var canvas = document.querySelector('#mynetwork canvas');
      var ctx = canvas.getContext('2d');
      var ratio = canvas.width / canvas.clientWidth;
      ids.forEach(function (id) {
        if (!pos[id]) return;
        out.positioned += 1;
        var p = network.canvasToDOM(pos[id]);
        var px = ctx.getImageData(Math.round(p.x * ratio), Math.round(p.y * ratio), 1, 1).data;
        if (px[3] > 0) out.painted += 1;
      });
    } catch (e) { out.error = String(e); }
    var pre = document.createElement('pre');
    pre.id = 'kg-probe';
    pre.textContent = JSON.stringify(out);
    document.body.appendChild(pre);
  }
  if (typeof network !== 'undefined') { network.once('afterDrawing', function () { setTimeout(report, 0); }); }
  setTimeout(report, 4000);
})();
</script>"""


def test_interactive_page_draws_every_node_in_headless_chromium_offline(executed, tmp_path):
    """The notebook's page, opened from disk with networking off: vis-network must load from the page
    itself, lay out every node and paint it on the canvas (the pixel under each node is not empty)."""
    chromium = _chromium()
    if chromium is None:
        pytest.skip("Chromium is not installed (Debian package `chromium`; .ci/run installs it when run as root)")
    out, _ = executed
    page = (out / "seed.html").read_text(encoding="utf-8")
    probe = tmp_path / "probe.html"
    probe.write_text(page.replace("</body>", PROBE + "\n</body>"), encoding="utf-8")
    cmd = [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}", "--virtual-time-budget=10000",
           "--dump-dom", probe.as_uri()]
    try:
        run = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    except subprocess.TimeoutExpired:
        pytest.fail("headless Chromium did not finish in 120 s")
    m = re.search(r'<pre id="kg-probe">(.*?)</pre>', run.stdout, re.S)
    assert m, f"no probe result; chromium exit {run.returncode}: {run.stderr[-2000:]}"
    import html

    result = json.loads(html.unescape(m.group(1)))
    assert "error" not in result, result
    expected = len(re.search(r"nodes = new vis\.DataSet\((\[.*?\])\);", page, re.S).group(1).split('"id": ')) - 1
    assert expected == 21
    assert result["nodes"] == result["positioned"] == result["painted"] == expected
    labels = {" ".join(label.split()) for label in result["labels"]}
    assert {"mesenchymal stem cell", "cirrhosis of liver", "Acute-On-Chronic Liver Failure"} <= labels
