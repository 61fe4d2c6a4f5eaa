"""Scenes keep every kind of problem: a typed formula, a CSV file (relative to the scene)."""

import pytest

from descentlab import engine
from descentlab.engine.files.scene import (
    CSV,
    DataConfig,
    FormulaConfig,
    Scene,
    SceneError,
    load_scene,
    loads_scene,
    save_scene,
    scene_to_dict,
)

PEOPLE = "height,weight,label\n" + "".join(
    f"{150 + i},{45 + (i * 7) % 60},{'heavy' if (i * 7) % 60 > 30 else 'light'}\n" for i in range(40))


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "people.csv").write_text(PEOPLE)
    return tmp_path


def csv_scene_text(path="data/people.csv", extra=""):
    return (f'title = "own data"\n[problem]\ndataset = "csv"\ncsv = "{path}"\nmodel = "logistic"\n{extra}'
            '[[runs]]\noptimizer = "adam"\nlr = 0.05\nbatch_size = 8\n')


def test_a_csv_scene_reads_its_file_relative_to_the_scene(folder):
    (folder / "s.toml").write_text(csv_scene_text())
    scene = load_scene(folder / "s.toml")
    assert scene.data.dataset == CSV and scene.data.csv == str((folder / "data" / "people.csv").resolve())
    assert scene.data.standardises  # on by default for a CSV file
    problem = scene.build_problem()
    assert problem.dataset.class_names == ("heavy", "light")
    assert problem.dataset.params["standardised"] and problem.n_params == 2


def test_a_csv_scene_round_trips_and_saves_the_path_relative_to_where_it_is_saved(folder):
    (folder / "s.toml").write_text(csv_scene_text(extra="standardise = false\ntest_fraction = 0.2\n"))
    scene = load_scene(folder / "s.toml")
    assert scene.data.standardise is False and not scene.build_problem().dataset.params.get("standardised")
    save_scene(scene, folder / "again.toml")
    assert 'csv = "data/people.csv"' in (folder / "again.toml").read_text()
    assert load_scene(folder / "again.toml") == scene
    (folder / "sub").mkdir()
    save_scene(scene, folder / "sub" / "deeper.toml")
    assert 'csv = "../data/people.csv"' in (folder / "sub" / "deeper.toml").read_text()
    assert load_scene(folder / "sub" / "deeper.toml") == scene


def test_a_scene_built_in_memory_saves_its_csv(folder):
    scene = Scene(data=DataConfig(dataset=CSV, csv=str(folder / "data" / "people.csv"), model="logistic"))
    save_scene(scene, folder / "mine.toml")
    again = load_scene(folder / "mine.toml")
    assert again.data == scene.data
    assert scene_to_dict(scene)["problem"]["csv"].endswith("data/people.csv")


@pytest.mark.parametrize("csv_text, needle", [
    (None, "s.toml: problem.csv: people.csv: cannot read the file"),
    ("height,weight,label\n1,2,a\n3,oops,b\n", "s.toml: problem.csv: people.csv, line 3, column 'weight': "
                                               "'oops' is not a number"),
    ("", "s.toml: problem.csv: people.csv: the file is empty"),
])
def test_a_scene_whose_csv_is_missing_or_broken_is_refused_naming_file_line_and_column(folder, csv_text, needle):
    target = folder / "data" / "people.csv"
    if csv_text is None:
        target.unlink()
    else:
        target.write_text(csv_text)
    (folder / "s.toml").write_text(csv_scene_text())
    with pytest.raises(SceneError) as err:
        load_scene(folder / "s.toml")
    assert needle in str(err.value) and "\n" not in str(err.value)


@pytest.mark.parametrize("problem, needle", [
    ('dataset = "csv"\n', "problem.csv: missing"),
    ('dataset = "csv"\ncsv = 3\n', "problem.csv: expected a string"),
    ('dataset = "csv"\ncsv = "data/people.csv"\nn_points = 10\n', "problem.n_points: unknown key"),
    ('dataset = "moons"\ncsv = "data/people.csv"\n', "problem.csv: unknown key"),
    ('dataset = "csv"\ncsv = "data/people.csv"\nstandardise = 1\n', "problem.standardise: expected true or false"),
    ('dataset = "csv"\ncsv = "data/people.csv"\nmodel = "linear"\n', "problem: Invalid model"),
    ('dataset = "moons"\nformula = "x"\n', "give a dataset or a formula, not both"),
    ('dataset = "cvs"\n', "unknown dataset 'cvs'; choose one of: line, "),
])
def test_csv_keys_are_checked_field_by_field(folder, problem, needle):
    with pytest.raises(SceneError) as err:
        loads_scene(f"[problem]\n{problem}", "s.toml", base_dir=folder)
    assert needle in str(err.value)


def test_generated_datasets_can_be_standardised_too():
    scene = loads_scene('[problem]\ndataset = "line"\nmodel = "linear"\nstandardise = true\n')
    assert scene.data.standardises and scene.build_problem().dataset.params["standardised"]
    assert loads_scene('[problem]\ndataset = "line"\nmodel = "linear"\n').data.standardises is False


@pytest.mark.parametrize("problem, needle", [
    ('formula = 3\n', "problem.formula: expected a string"),
    ('formula = "x"\ndomain = [1, 2, 3]\n', "problem.domain: expected four numbers"),
    ('formula = "x"\ndomain = [1, -1, 0, 1]\n', "problem.domain: the first number must be below"),
    ('formula = "x"\nsurface = "beale"\n', "problem.surface: unknown key"),
    ('formula = "x"\nstart = [1]\n', "problem.start: expected two numbers"),
])
def test_formula_keys_are_checked_field_by_field(problem, needle):
    with pytest.raises(SceneError) as err:
        loads_scene(f"[problem]\n{problem}", "f.toml")
    assert needle in str(err.value)


def test_a_formula_scene_round_trips(tmp_path):
    text = ('[problem]\nformula = "x**2 + 3*y**2"\ndomain = [-2.0, 4.0, -1.0, 3.0]\nstart = [3.0, 2.0]\n'
            'noise = 0.1\n[[runs]]\noptimizer = "momentum"\nlr = 0.01\n')
    scene = loads_scene(text, "f.toml")
    assert scene.formula == FormulaConfig("x**2 + 3*y**2", (-2.0, 4.0, -1.0, 3.0))
    assert scene.start == (3.0, 2.0) and scene.noise == 0.1
    surface = scene.build_problem()
    assert surface.text == "x**2 + 3*y**2" and tuple(surface.domain) == (-2.0, 4.0, -1.0, 3.0)
    save_scene(scene, tmp_path / "f.toml")
    again = load_scene(tmp_path / "f.toml")
    assert again == scene
    path = engine.trajectory(again.build_problem(), "gd", again.start_point, 5, lr=0.1)
    assert path[0].tolist() == [3.0, 2.0] and path[1][0] < 3.0


def test_a_formula_scene_without_start_starts_at_the_domain_centre():
    scene = loads_scene('[problem]\nformula = "(x - 1)^2 + y^2"\ndomain = [-1, 3, -2, 0]\n')
    assert scene.start_point == (1.0, -1.0)
    assert loads_scene('[problem]\nformula = "x*y"\n').formula.domain == (-3.0, 3.0, -3.0, 3.0)


def test_a_formula_that_does_not_parse_is_refused_with_its_position():
    with pytest.raises(SceneError) as err:
        loads_scene('[problem]\nformula = "x + * y"\n', "f.toml")
    assert str(err.value).startswith("f.toml: problem.formula: ") and "column" in str(err.value)
