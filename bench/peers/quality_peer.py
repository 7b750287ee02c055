#!/usr/bin/env python3
"""XGBoost, RandomForest and Ridge and their blends on repeated k-fold CV with folds given by the caller; prints one JSON line.

For benchmarks and reference numbers only: consort never imports or runs this at run time.
The folds file is JSON, {"k": 5, "seeds": [0, 1, 2], "folds": [{"train": [row ids], "test": [row ids]}, ...]},
written by bench/quality-ensemble.ts: len(seeds) repeats of k folds, in order, each repeat holding out
every row once, so both sides train and score on the same rows.

Models, each fitted on a fold's training rows and predicting its held-out rows:
  xgb    xgboost.train (tree_method hist, max_bin 256), --xgb NAME=VALUE parameters, --rounds rounds
  rf     RandomForestRegressor with --rf NAME=VALUE parameters
  ridge  make_pipeline(StandardScaler(), Ridge(alpha=--alpha))
The model seeds (xgboost's seed, the forest's random_state) are the repeat's fold seed.
Blends of the three models' out-of-fold (OOF) predictions, as consort's blenders:
  mean      the plain mean
  weighted  non-negative least squares of y on the predictions, no intercept (scipy's nnls)
  stack     make_pipeline(StandardScaler(), Ridge(alpha=--stack-alpha)) on the predictions
Each blend is scored twice: fitted and scored on the same OOF rows ("fit_on_oof", what a training
job reports), and fitted on the other folds' OOF rows and scored on the held-out fold ("other_folds").
Every score is the RMSE of the pooled OOF predictions of one repeat.
Needs Debian's python3-xgboost, python3-sklearn and python3-pandas, run with /usr/bin/python3.
Example:
  /usr/bin/python3 bench/peers/quality_peer.py --data data/diabetes.csv --target target \
      --folds-file /tmp/diabetes-quality-folds.json --rounds 300 --xgb max_depth=2 --xgb eta=0.02 \
      --rf n_estimators=300 --rf min_samples_leaf=10 --rf max_features=0.33 --alpha 1
"""
import argparse, json, os, time
import numpy as np, pandas as pd
from common import parse_value


def name_values(items, flag):
    out = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name:
            p.error(f"{flag} expects NAME=VALUE, got {item!r}")
        out[name] = parse_value(value)
    return out


p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
p.add_argument("--data", required=True); p.add_argument("--target", required=True)
p.add_argument("--folds-file", required=True)
p.add_argument("--rounds", type=int, default=100, help="xgboost boosting rounds")
p.add_argument("--xgb", action="append", default=[], metavar="NAME=VALUE", help="xgboost parameter (repeatable)")
p.add_argument("--rf", action="append", default=[], metavar="NAME=VALUE", help="RandomForestRegressor parameter (repeatable)")
p.add_argument("--alpha", type=float, default=1.0, help="Ridge alpha of the ridge model")
p.add_argument("--stack-alpha", type=float, default=1.0, help="Ridge alpha of the stack blend's meta-model")
p.add_argument("--threads", type=int, default=2)
a = p.parse_args()
xgb_params = name_values(a.xgb, "--xgb")
rf_params = name_values(a.rf, "--rf")

os.environ.setdefault("OMP_NUM_THREADS", str(a.threads))
import sklearn, xgboost as xgb
from scipy.optimize import nnls
from sklearn.ensemble import RandomForestRegressor
from sklearn.linear_model import Ridge
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

df = pd.read_csv(a.data)
feats = [c for c in df.columns if c != a.target]
X, y = df[feats].to_numpy(np.float64), df[a.target].to_numpy(np.float64)
with open(a.folds_file) as f:
    spec = json.load(f)
k, seeds, all_folds = spec["k"], spec["seeds"], spec["folds"]
if len(all_folds) != k * len(seeds):
    p.error(f"{len(all_folds)} folds for {len(seeds)} repeats of {k}")


def fit_predict(model, seed, tr, te):
    if model == "xgb":
        params = dict(tree_method="hist", max_bin=256, nthread=a.threads, seed=seed, objective="reg:squarederror")
        params.update(xgb_params)
        booster = xgb.train(params, xgb.DMatrix(X[tr], label=y[tr]), a.rounds)
        return booster.predict(xgb.DMatrix(X[te]))
    if model == "rf":
        params = dict(random_state=seed, n_jobs=a.threads)
        params.update(rf_params)
        return RandomForestRegressor(**params).fit(X[tr], y[tr]).predict(X[te])
    return make_pipeline(StandardScaler(), Ridge(alpha=a.alpha)).fit(X[tr], y[tr]).predict(X[te])


def blend_fit(method, P, t):
    """A function of member predictions (rows x members), fitted on P -> t."""
    if method == "mean":
        return lambda Q: Q.mean(axis=1)
    if method == "weighted":
        w, _ = nnls(P, t)
        return lambda Q: Q @ w
    meta = make_pipeline(StandardScaler(), Ridge(alpha=a.stack_alpha)).fit(P, t)
    return meta.predict


def rmse(t, pred):
    return float(np.sqrt(np.mean((t - pred) ** 2)))


MODELS = ["xgb", "rf", "ridge"]
BLENDS = ["mean", "weighted", "stack"]
models = {m: [] for m in MODELS}
blends = {b: {"fit_on_oof": [], "other_folds": []} for b in BLENDS}
weights = []
t0 = time.perf_counter()
for r, seed in enumerate(seeds):
    folds = [(np.asarray(f["train"]), np.asarray(f["test"])) for f in all_folds[r * k:(r + 1) * k]]
    oof = np.full((len(y), len(MODELS)), np.nan)
    for j, m in enumerate(MODELS):
        for tr, te in folds:
            oof[te, j] = fit_predict(m, seed, tr, te)
    if np.isnan(oof).any():
        p.error(f"the folds of repeat {r} do not hold out every row")
    for j, m in enumerate(MODELS):
        models[m].append(rmse(y, oof[:, j]))
    weights.append(nnls(oof, y)[0].tolist())
    for b in BLENDS:
        blends[b]["fit_on_oof"].append(rmse(y, blend_fit(b, oof, y)(oof)))
        nested = np.empty(len(y))
        for tr, te in folds:
            nested[te] = blend_fit(b, oof[tr], y[tr])(oof[te])
        blends[b]["other_folds"].append(rmse(y, nested))

print(json.dumps({
    "sklearn_version": sklearn.__version__, "xgboost_version": xgb.__version__, "data": os.path.basename(a.data),
    "rows": len(y), "k": k, "seeds": seeds,
    "params": {"xgb": {"rounds": a.rounds, **xgb_params}, "rf": rf_params, "ridge": {"alpha": a.alpha},
               "stack": {"alpha": a.stack_alpha}},
    "models": models, "blends": blends, "nnls_weights": weights,
    "seconds": round(time.perf_counter() - t0, 3),
}))
