"""Own data: engine.load_csv's edge cases, limits and messages (file, line, column)."""

import numpy as np
import pytest

from descentlab.engine.data import DatasetProblem, load_csv
from descentlab.engine.data.datasets import CSV_MAX_ROWS, standardised


def write(tmp_path, text, name="data.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("text, message", [
    ("", "data.csv: the file is empty (no data rows)"),
    ("\n\n# only a comment\n", "data.csv: the file is empty"),
    ("height,weight,label\n", "data.csv: only a header, no data rows"),
    ("a,b,label\n1,2,0\n3,4\n", "data.csv, line 3: 2 columns, expected 3"),
    ("a,b,label\n1,2,0\n3,4,1,5\n", "data.csv, line 3: 4 columns, expected 3"),
    ("a,b\n1,2\nnan,3\n", "data.csv, line 3, column 'a': 'nan' is not allowed (a NaN or infinite"),
    ("a,b\n1,2\n2,inf\n", "data.csv, line 3, column 'b': 'inf' is not allowed"),
    ("a,b\n1,2\n2,-Infinity\n", "column 'b': '-Infinity' is not allowed"),
    ("height,weight,label\n1,2,0\n3,oops,1\n", "data.csv, line 3, column 'weight': 'oops' is not a number"),
    ("height,weight,label\n1,,0\n", "data.csv, line 2, column 'weight': an empty cell"),
    ("1,2,0\n3,oops,1\n", "data.csv, line 2, column 2: 'oops' is not a number"),
    ("a,b\n# a comment\n\n1,2\nx,3\n", "data.csv, line 5, column 'a': 'x' is not a number"),
    ("1\n2\n", "need at least 2 columns"),
    ("a,b\n1,cat\n2,cat\n", "classification needs at least 2 classes"),
])
def test_a_bad_file_is_refused_with_its_line_and_column(tmp_path, text, message):
    with pytest.raises(ValueError) as err:
        load_csv(write(tmp_path, text))
    assert message in str(err.value)
    assert "\n" not in str(err.value)  # one line


def test_a_missing_file_and_a_binary_file_are_named(tmp_path):
    with pytest.raises(ValueError, match=r"^gone.csv: cannot read the file"):
        load_csv(tmp_path / "gone.csv")
    binary = tmp_path / "blob.csv"
    binary.write_bytes(b"a,b\n1,2\n\xff\xfe\x00\n")
    with pytest.raises(ValueError, match=r"blob.csv: not a UTF-8 text file \(line 3\)"):
        load_csv(binary)


def test_two_classes_as_text_become_class_names(tmp_path):
    path = write(tmp_path, "height,weight,label\n170,60,light\n180,95,heavy\n160,50,light\n"
                           "175,100,heavy\n165,55,light\n185,110,heavy\n")
    ds = load_csv(path, test_fraction=0.0)
    assert ds.task == "classification" and ds.n_classes == 2
    assert ds.class_names == ("heavy", "light")
    assert ds.feature_names == ("height", "weight")
    assert ds.y.tolist() == [1, 0, 1, 0, 1, 0]
    assert DatasetProblem(ds, "logistic").n_params == 2


def test_the_target_is_the_column_named_label_target_or_y_else_the_last(tmp_path):
    ds = load_csv(write(tmp_path, "Label,a,b\n0,1,2\n1,2,3\n0,3,3\n1,4,1\n"), test_fraction=0.0)
    assert ds.feature_names == ("a", "b") and ds.y.tolist() == [0, 1, 0, 1]
    assert np.array_equal(ds.X[:, 0], [1, 2, 3, 4])
    ds = load_csv(write(tmp_path, "x,y,z\n1,2.5,9\n2,3.1,9\n3,4.4,9\n"), test_fraction=0.0)
    assert ds.task == "regression" and ds.feature_names == ("x", "z")
    ds = load_csv(write(tmp_path, "p,q\n1,0.5\n2,1.7\n3,2.2\n"), test_fraction=0.0)
    assert ds.feature_names == ("p",) and ds.y.tolist() == [0.5, 1.7, 2.2]


def test_no_header_text_labels_and_integer_classes(tmp_path):
    ds = load_csv(write(tmp_path, "1,2,cat\n2,3,dog\n3,3,cat\n4,1,dog\n"), test_fraction=0.0)
    assert ds.class_names == ("cat", "dog") and ds.feature_names == ()
    ds = load_csv(write(tmp_path, "1;2;3\n2;3;7\n3;3;3\n4;1;7\n"), test_fraction=0.0)
    assert ds.task == "classification" and ds.class_names == ("3", "7")


def test_many_integer_values_mean_regression_and_many_text_values_are_refused(tmp_path):
    rows = "".join(f"{i},{i}\n" for i in range(30))
    assert load_csv(write(tmp_path, "a,b\n" + rows)).task == "regression"
    rows = "".join(f"{i},name{i}\n" for i in range(21))
    with pytest.raises(ValueError, match="21 distinct text values"):
        load_csv(write(tmp_path, "a,b\n" + rows))


def test_more_than_two_features_are_allowed(tmp_path):
    rows = "".join(f"{i},{i % 3},{i % 5},{i % 7},{i % 2}\n" for i in range(40))
    ds = load_csv(write(tmp_path, "a,b,c,d,label\n" + rows))
    assert ds.dim == 4


def test_the_limits_rows_columns_and_size(tmp_path):
    ok = "a,b\n" + "".join(f"{i},{i % 2}\n" for i in range(CSV_MAX_ROWS))
    assert load_csv(write(tmp_path, ok), test_fraction=0.0).n_train == CSV_MAX_ROWS
    too_many = ok + "1,1\n"
    with pytest.raises(ValueError, match=r"data.csv: 100,001 data rows \(at most 100,000\)"):
        load_csv(write(tmp_path, too_many))
    wide = ",".join(f"c{i}" for i in range(65)) + "\n" + ",".join("1" for _ in range(65)) + "\n"
    with pytest.raises(ValueError, match=r"65 columns \(at most 64\)"):
        load_csv(write(tmp_path, wide))
    big = tmp_path / "big.csv"
    with big.open("w") as f:
        f.write("a,b\n")
        f.write("1.000000000000000,2.000000000000000\n" * 600_000)
    with pytest.raises(ValueError, match=r"big.csv: too large \(.* MB; a CSV file is at most 20 MB\)"):
        load_csv(big)


def test_standardised_features_have_mean_0_and_sd_1_on_the_training_set(tmp_path):
    rows = "".join(f"{100 + i},{0.01 * i},{i % 2}\n" for i in range(50)) + "5,5,0\n5,5,1\n"
    ds = standardised(load_csv(write(tmp_path, "a,b,label\n" + rows)))
    assert np.allclose(ds.X.mean(axis=0), 0) and np.allclose(ds.X.std(axis=0), 1)
    assert ds.params["standardised"] and len(ds.params["scale"]) == 2
    const = standardised(load_csv(write(tmp_path, "a,b,label\n1,7,0\n2,7,1\n3,7,0\n4,7,1\n")))
    assert np.all(np.isfinite(const.X)) and np.allclose(const.X[:, 1], 0)
