"""The rendering processes: their failures name the chart, and shared PNGs are drawn once, identically."""

import pytest

from observatory.report.vl_process import ChartProcess, claim


def _bar(label: str) -> dict:
    values = [{"categorie": f"{label} {i}", "valeur": i} for i in range(1, 4)]
    encoding = {
        "y": {"field": "categorie", "type": "nominal"},
        "x": {"field": "valeur", "type": "quantitative"},
    }
    return {"data": {"values": values}, "mark": "bar", "encoding": encoding, "title": f"Graphique {label} 1\u202f999"}


def _draw(tmp_path, names):
    child = ChartProcess(tmp_path, warm=True)
    try:
        for name in names:
            child.draw(_bar(name), tmp_path / f"{name}.svg")
        assert list(child.results()) == [str(tmp_path / f"{name}.svg") for name in names]
    finally:
        child.close()


def test_a_chart_that_fails_is_named_in_the_error(tmp_path):
    child = ChartProcess(tmp_path, warm=False)
    broken = {"data": {"values": [{"a": 1}]}, "mark": "bar", "encoding": {"x": {"field": "a", "type": "nope"}}}
    child.draw(broken, tmp_path / "casse.svg")
    with pytest.raises(RuntimeError, match="casse.svg"):
        list(child.results())
    child.close(kill=True)
    assert not (tmp_path / "casse.svg").exists()


def test_shared_pngs_are_drawn_once_and_the_same_whoever_draws_them(tmp_path):
    names = ["a", "b", "c", "d"]
    _draw(tmp_path, names)
    pairs = [(tmp_path / f"{n}.svg", tmp_path / f"{n}.png") for n in names]

    def share(folder, forwards: int) -> dict[str, bytes]:
        """The second process claims the first `forwards` PNGs before the first one goes backwards."""
        folder.mkdir()
        outputs = [(svg, folder / png.name) for svg, png in pairs]
        backwards, ahead = ChartProcess(tmp_path, warm=False), ChartProcess(tmp_path, warm=False)
        try:
            for rank in range(forwards):
                ahead.rasterise(*outputs[rank], 2, rank, folder)
            list(ahead.results())
            backwards.rasterise_backwards(outputs, 2, folder)
            list(backwards.results())
        finally:
            backwards.close()
            ahead.close()
        # One marker per PNG: each was claimed, hence drawn, by exactly one process.
        assert sorted(p.name for p in folder.iterdir() if p.suffix != ".png") == ["0", "1", "2", "3"]
        return {p.name: p.read_bytes() for p in folder.glob("*.png")}

    by_one, by_both = share(tmp_path / "un", 0), share(tmp_path / "deux", 2)
    assert len(by_one) == 4 and by_one == by_both
    assert all(png.startswith(b"\x89PNG") for png in by_one.values())


def test_a_claim_is_won_once(tmp_path):
    assert claim(tmp_path, 3) is True
    assert claim(tmp_path, 3) is False
    assert claim(tmp_path, 4) is True
