#!/usr/bin/env python3
"""Cross-validation of scikit-learn's forests on folds given by the caller; prints one JSON line.

For benchmarks and reference numbers only: consort never imports or runs this at run time.
The folds file is JSON, {"folds": [{"train": [row ids], "test": [row ids]}, ...]}, written by
bench/forest-quality.ts so both sides train and score on the same rows. The model is
RandomForest{Regressor,Classifier} (--model rf) or ExtraTrees{Regressor,Classifier} (--model et)
with scikit-learn's defaults plus any --set NAME=VALUE. Needs Debian's python3-sklearn and
python3-pandas, run with /usr/bin/python3.
Example:
  /usr/bin/python3 bench/peers/sklearn_cv_peer.py --data data/diabetes.csv --target target \
      --task regression --folds-file /tmp/diabetes-folds.json --set n_estimators=100

Per-fold metric on each held-out fold: regression -> rmse; classification -> accuracy.
With --fit-only the folds file is not read: one model is fitted on all rows and timed.
"""
import argparse, json, time
import numpy as np, pandas as pd
from common import load_folds, parse_value


p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
p.add_argument("--data", required=True); p.add_argument("--target", required=True)
p.add_argument("--task", choices=["regression", "binary", "multiclass"], required=True)
p.add_argument("--model", choices=["rf", "et"], default="rf")
p.add_argument("--folds-file", help="JSON folds (required unless --fit-only)")
p.add_argument("--fit-only", action="store_true", help="time one fit on all rows instead of cross-validating")
p.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
               help="parameter passed to the model as is (repeatable), e.g. --set n_jobs=2")
a = p.parse_args()
if not a.fit_only and not a.folds_file:
    p.error("--folds-file is required unless --fit-only")

params = {"random_state": 0}
for item in a.set:
    name, sep, value = item.partition("=")
    if not sep or not name:
        p.error(f"--set expects NAME=VALUE, got {item!r}")
    params[name] = parse_value(value)

import sklearn
from sklearn.ensemble import ExtraTreesClassifier, ExtraTreesRegressor, RandomForestClassifier, RandomForestRegressor
from sklearn.metrics import accuracy_score, mean_squared_error

df = pd.read_csv(a.data)
feats = [c for c in df.columns if c != a.target]
X, y = df[feats].to_numpy(np.float64), df[a.target].to_numpy()
regression = a.task == "regression"
Model = {("rf", True): RandomForestRegressor, ("rf", False): RandomForestClassifier,
         ("et", True): ExtraTreesRegressor, ("et", False): ExtraTreesClassifier}[(a.model, regression)]

if a.fit_only:
    t0 = time.perf_counter()
    Model(**params).fit(X, y)
    print(json.dumps({"lib": "sklearn", "version": sklearn.__version__, "model": Model.__name__,
                      "rows": len(y), "features": len(feats), "params": params,
                      "train_s": round(time.perf_counter() - t0, 3)}))
    raise SystemExit(0)

folds = load_folds(a.folds_file)
scores = []
t0 = time.perf_counter()
for tr, te in folds:
    model = Model(**params).fit(X[tr], y[tr])
    pred = model.predict(X[te])
    scores.append(float(np.sqrt(mean_squared_error(y[te], pred))) if regression else float(accuracy_score(y[te], pred)))
metric = "rmse" if regression else "accuracy"
print(json.dumps({"lib": "sklearn", "version": sklearn.__version__, "model": Model.__name__,
                  "rows": len(y), "features": len(feats), "folds": len(folds), "params": params,
                  "metric": metric, "mean": float(np.mean(scores)), "std": float(np.std(scores)),
                  "per_fold": scores, "seconds": round(time.perf_counter() - t0, 3)}))
