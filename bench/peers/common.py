"""Helpers shared by the peer scripts."""


def parse_value(text):
    """'3' -> 3, '0.5' -> 0.5, 'true' -> True, 'none' -> None, anything else stays a string."""
    low = text.lower()
    if low in ("true", "false"):
        return low == "true"
    if low == "none":
        return None
    for cast in (int, float):
        try:
            return cast(text)
        except ValueError:
            pass
    return text


def load_folds(path):
    """The folds a bench script wrote: [(train row ids, test row ids)] as numpy arrays."""
    import json

    import numpy as np

    with open(path) as f:
        return [(np.asarray(fold["train"]), np.asarray(fold["test"])) for fold in json.load(f)["folds"]]
