#!/usr/bin/env python3
"""k-fold cross-validation of a peer model on one CSV file; prints one JSON line.

For benchmarks and reference numbers only: consort never imports or runs this at run time.
Folds come from scikit-learn's KFold(n_splits, shuffle=True, random_state=seed) (StratifiedKFold with
--stratified), so the same seed gives the same folds as any scikit-learn user gets.
Needs Debian's python3-xgboost, python3-sklearn and python3-pandas, run with /usr/bin/python3.
Example (the diabetes reference):
  /usr/bin/python3 bench/peers/cv_peer.py --lib xgboost --data data/diabetes.csv --target target \
      --task regression --folds 5 --seed 0 --rounds 300 --depth 2 --eta 0.03 --subsample 0.8

Per-fold metrics on each held-out fold: regression -> rmse, mae, r2; binary -> auc, logloss;
multiclass -> accuracy, mlogloss. "mean"/"std" summarise the folds (the number SageMaker-style CV
reports); "oof" scores the pooled out-of-fold predictions.
Models: xgboost (xgb.train, hist), sklearn-hgb (HistGradientBoosting*), sklearn-rf (RandomForest*),
sklearn-linear (Ridge / LogisticRegression on standardised features).
"""
import argparse, json, time
import numpy as np, pandas as pd
from common import parse_value


p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
p.add_argument("--lib", choices=["xgboost", "sklearn-hgb", "sklearn-rf", "sklearn-linear"], default="xgboost")
p.add_argument("--data", required=True); p.add_argument("--target", required=True)
p.add_argument("--task", choices=["regression", "binary", "multiclass"], default="regression")
p.add_argument("--folds", type=int, default=5); p.add_argument("--seed", type=int, default=0)
p.add_argument("--stratified", action="store_true", help="StratifiedKFold (classification only)")
p.add_argument("--rounds", type=int, default=100, help="boosting rounds / forest trees")
p.add_argument("--depth", type=int, default=6); p.add_argument("--eta", type=float, default=0.3)
p.add_argument("--subsample", type=float, default=1.0, help="xgboost row subsampling per tree")
p.add_argument("--max-bin", type=int, default=256); p.add_argument("--threads", type=int, default=2)
p.add_argument("--model-seed", type=int, default=0, help="seed of the model's own randomness (subsample, forest)")
p.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
               help="extra parameter passed to the model as is (repeatable), e.g. --set min_child_weight=5")
a = p.parse_args()

extra = {}
for item in a.set:
    name, sep, value = item.partition("=")
    if not sep or not name:
        p.error(f"--set expects NAME=VALUE, got {item!r}")
    extra[name] = parse_value(value)
if a.stratified and a.task == "regression":
    p.error("--stratified needs a classification task")

import os; os.environ.setdefault("OMP_NUM_THREADS", str(a.threads))
import sklearn
from sklearn.model_selection import KFold, StratifiedKFold
from sklearn.metrics import mean_squared_error, mean_absolute_error, r2_score, roc_auc_score, log_loss, accuracy_score

df = pd.read_csv(a.data)
feats = [c for c in df.columns if c != a.target]
X, y = df[feats].to_numpy(np.float64), df[a.target].to_numpy()
n_classes = int(y.max()) + 1 if a.task == "multiclass" else 2


def fit_predict(Xtr, ytr, Xte):
    """Fits the chosen model on one training fold; returns predictions for Xte (probabilities for classifiers)."""
    if a.lib == "xgboost":
        import xgboost as xgb
        obj = {"regression": "reg:squarederror", "binary": "binary:logistic", "multiclass": "multi:softprob"}[a.task]
        params = dict(tree_method="hist", max_depth=a.depth, eta=a.eta, subsample=a.subsample, max_bin=a.max_bin,
                      nthread=a.threads, seed=a.model_seed, objective=obj)
        if a.task == "multiclass": params["num_class"] = n_classes
        params.update(extra)
        booster = xgb.train(params, xgb.DMatrix(Xtr, label=ytr), a.rounds)
        pred = booster.predict(xgb.DMatrix(Xte))
        return pred.reshape(len(Xte), -1) if a.task == "multiclass" else pred
    if a.lib == "sklearn-hgb":
        from sklearn.ensemble import HistGradientBoostingRegressor as R, HistGradientBoostingClassifier as C
        kw = dict(max_iter=a.rounds, learning_rate=a.eta, max_depth=a.depth, max_leaf_nodes=None,
                  max_bins=min(a.max_bin, 255), early_stopping=False, random_state=a.model_seed)
    elif a.lib == "sklearn-rf":
        from sklearn.ensemble import RandomForestRegressor as R, RandomForestClassifier as C
        kw = dict(n_estimators=a.rounds, max_depth=a.depth, n_jobs=a.threads, random_state=a.model_seed)
    else:
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import StandardScaler
        from sklearn.linear_model import Ridge, LogisticRegression
        kw = dict(extra)
        est = Ridge(**kw) if a.task == "regression" else LogisticRegression(max_iter=1000, **kw)
        model = make_pipeline(StandardScaler(), est).fit(Xtr, ytr)
        return model.predict(Xte) if a.task == "regression" else proba(model, Xte)
    kw.update(extra)
    model = (R if a.task == "regression" else C)(**kw).fit(Xtr, ytr)
    return model.predict(Xte) if a.task == "regression" else proba(model, Xte)


def proba(model, Xte):
    pr = model.predict_proba(Xte)
    return pr[:, 1] if a.task == "binary" else pr


def score(yt, pr):
    if a.task == "regression":
        return {"rmse": float(np.sqrt(mean_squared_error(yt, pr))), "mae": float(mean_absolute_error(yt, pr)),
                "r2": float(r2_score(yt, pr))}
    if a.task == "binary":
        return {"auc": float(roc_auc_score(yt, pr)), "logloss": float(log_loss(yt, pr, labels=[0, 1]))}
    return {"accuracy": float(accuracy_score(yt, pr.argmax(1))),
            "mlogloss": float(log_loss(yt, pr, labels=list(range(n_classes))))}


splitter = (StratifiedKFold if a.stratified else KFold)(n_splits=a.folds, shuffle=True, random_state=a.seed)
oof = np.zeros((len(y), n_classes)) if a.task == "multiclass" else np.zeros(len(y))
folds = []
t0 = time.perf_counter()
for train_idx, test_idx in splitter.split(X, y):
    pr = fit_predict(X[train_idx], y[train_idx], X[test_idx])
    oof[test_idx] = pr
    folds.append(score(y[test_idx], pr))
elapsed = time.perf_counter() - t0

names = list(folds[0])
version = sklearn.__version__
if a.lib == "xgboost":
    import xgboost as xgb
    version = xgb.__version__
print(json.dumps({
    "lib": a.lib, "version": version, "data": os.path.basename(a.data), "rows": len(y), "features": len(feats),
    "folds": a.folds, "seed": a.seed, "stratified": a.stratified,
    "params": {"rounds": a.rounds, "depth": a.depth, "eta": a.eta, "subsample": a.subsample,
               "model_seed": a.model_seed, **extra},
    "mean": {m: float(np.mean([f[m] for f in folds])) for m in names},
    "std": {m: float(np.std([f[m] for f in folds])) for m in names},
    "oof": score(y, oof),
    "per_fold": folds,
    "seconds": round(elapsed, 3),
}))
