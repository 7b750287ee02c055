#!/usr/bin/env python3
"""Cross-validation of scikit-learn's linear models on folds given by the caller; prints one JSON line.

For benchmarks and reference numbers only: consort never imports or runs this at run time.
The folds file is JSON, {"folds": [{"train": [row ids], "test": [row ids]}, ...]}, written by
bench/linear-quality.ts so both sides train and score on the same rows. The model is
make_pipeline(StandardScaler(), Ridge(alpha)) for regression and
make_pipeline(StandardScaler(), LogisticRegression(C=C, max_iter=1000)) for classification
(lbfgs, multinomial for more than two classes). Needs Debian's python3-sklearn and python3-pandas,
run with /usr/bin/python3.
Example:
  /usr/bin/python3 bench/peers/linear_cv_peer.py --data data/diabetes.csv --target target \
      --task regression --folds-file /tmp/diabetes-folds.json

Per-fold metric on each held-out fold: regression -> rmse; classification -> accuracy.
"""
import argparse, json, os, time
import numpy as np, pandas as pd
from common import load_folds

p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
p.add_argument("--data", required=True); p.add_argument("--target", required=True)
p.add_argument("--task", choices=["regression", "binary", "multiclass"], required=True)
p.add_argument("--folds-file", required=True)
p.add_argument("--alpha", type=float, default=1.0, help="Ridge alpha (regression)")
p.add_argument("--C", type=float, default=1.0, help="LogisticRegression C (classification)")
a = p.parse_args()

import sklearn
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.metrics import accuracy_score, mean_squared_error
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

df = pd.read_csv(a.data)
feats = [c for c in df.columns if c != a.target]
X, y = df[feats].to_numpy(np.float64), df[a.target].to_numpy()
folds = load_folds(a.folds_file)

scores = []
t0 = time.perf_counter()
for tr, te in folds:
    est = Ridge(alpha=a.alpha) if a.task == "regression" else LogisticRegression(C=a.C, max_iter=1000)
    model = make_pipeline(StandardScaler(), est).fit(X[tr], y[tr])
    pred = model.predict(X[te])
    if a.task == "regression":
        scores.append(float(np.sqrt(mean_squared_error(y[te], pred))))
    else:
        scores.append(float(accuracy_score(y[te], pred)))
elapsed = time.perf_counter() - t0

print(json.dumps({
    "lib": "sklearn", "version": sklearn.__version__, "data": os.path.basename(a.data),
    "metric": "rmse" if a.task == "regression" else "accuracy",
    "params": {"alpha": a.alpha} if a.task == "regression" else {"C": a.C, "max_iter": 1000},
    "per_fold": scores, "mean": float(np.mean(scores)), "std": float(np.std(scores)),
    "seconds": round(elapsed, 3),
}))
