#!/usr/bin/env python3
"""Train a peer gradient-boosting library on the same CSV files and print one JSON line.

For benchmarks only: consort never imports or runs this at run time.
Needs Debian's python3-xgboost, python3-sklearn and python3-pandas (apt-get install), run with /usr/bin/python3.
Example:
  /usr/bin/python3 bench/peers/gbdt_peer.py --lib xgboost --train train.csv --test test.csv --target y \
      --task regression --rounds 100 --depth 6 --eta 0.1 --max-bin 256 --threads 2

Metrics on the test set: regression -> rmse; binary -> auc, logloss; multiclass -> accuracy, mlogloss.
With --nrepeat N the model is trained (and predicts) N times; train_s and predict_s are the minimum
wall-clock seconds, train_s_all and predict_s_all every run, train_cpu_s the process CPU seconds of the
fastest training run (near threads x train_s when the cores are free; much less when others compete). peak_rss_mb is the process's peak resident set size
(ru_maxrss), CSV reading included.
"""
import argparse, json, resource, sys, time
import numpy as np, pandas as pd
from common import parse_value


p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
p.add_argument("--lib", choices=["xgboost", "sklearn"], default="xgboost")
p.add_argument("--train", required=True); p.add_argument("--test", required=True)
p.add_argument("--target", required=True)
p.add_argument("--task", choices=["regression", "binary", "multiclass"], default="regression")
p.add_argument("--rounds", type=int, default=100); p.add_argument("--depth", type=int, default=6)
p.add_argument("--leaves", type=int, default=0, help="sklearn max_leaf_nodes (0: use depth)")
p.add_argument("--eta", type=float, default=0.1); p.add_argument("--max-bin", type=int, default=256)
p.add_argument("--threads", type=int, default=2)
p.add_argument("--subsample", type=float, default=1.0, help="row subsampling per tree (xgboost only)")
p.add_argument("--seed", type=int, default=0)
p.add_argument("--nrepeat", type=int, default=1, help="train and predict this many times")
p.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
               help="extra parameter passed to the library as is (repeatable), e.g. --set min_child_weight=5")
a = p.parse_args()

extra = {}
for item in a.set:
    name, sep, value = item.partition("=")
    if not sep or not name:
        p.error(f"--set expects NAME=VALUE, got {item!r}")
    extra[name] = parse_value(value)
if a.lib == "sklearn" and a.subsample != 1.0:
    p.error("--subsample is only supported with --lib xgboost")

tr, te = pd.read_csv(a.train), pd.read_csv(a.test)
feats = [c for c in tr.columns if c != a.target]
Xtr, ytr = tr[feats].to_numpy(np.float32), tr[a.target].to_numpy()
Xte, yte = te[feats].to_numpy(np.float32), te[a.target].to_numpy()
del tr, te

# Import before timing: train_s covers building the library's matrix (binning) and training, not imports.
if a.lib == "xgboost":
    import xgboost as xgb
    version = xgb.__version__
else:
    import os; os.environ.setdefault("OMP_NUM_THREADS", str(a.threads))
    import sklearn
    from sklearn.ensemble import HistGradientBoostingRegressor as R, HistGradientBoostingClassifier as C
    version = sklearn.__version__

train_times, predict_times, train_cpu = [], [], []
for _ in range(a.nrepeat):
    c0 = time.process_time()
    t0 = time.perf_counter()
    if a.lib == "xgboost":
        obj = {"regression": "reg:squarederror", "binary": "binary:logistic", "multiclass": "multi:softprob"}[a.task]
        params = dict(tree_method="hist", max_depth=a.depth, eta=a.eta, nthread=a.threads, max_bin=a.max_bin,
                      objective=obj, subsample=a.subsample, seed=a.seed)
        if a.task == "multiclass": params["num_class"] = int(ytr.max()) + 1
        params.update(extra)
        dtr = xgb.DMatrix(Xtr, label=ytr, nthread=a.threads)
        model = xgb.train(params, dtr, a.rounds)
        train_s = time.perf_counter() - t0
        cpu_s = time.process_time() - c0
        t1 = time.perf_counter(); pred = model.predict(xgb.DMatrix(Xte, nthread=a.threads)); predict_s = time.perf_counter() - t1
    else:
        kw = dict(max_iter=a.rounds, learning_rate=a.eta, early_stopping=False, max_bins=min(a.max_bin, 255),
                  random_state=a.seed)
        kw.update(max_leaf_nodes=a.leaves) if a.leaves else kw.update(max_depth=a.depth, max_leaf_nodes=None)
        kw.update(extra)
        model = (R if a.task == "regression" else C)(**kw).fit(Xtr, ytr)
        train_s = time.perf_counter() - t0
        cpu_s = time.process_time() - c0
        t1 = time.perf_counter()
        pred = model.predict(Xte) if a.task == "regression" else model.predict_proba(Xte)
        if a.task == "binary": pred = pred[:, 1]
        predict_s = time.perf_counter() - t1
    train_times.append(train_s); predict_times.append(predict_s); train_cpu.append(cpu_s)

from sklearn.metrics import mean_squared_error, roc_auc_score, log_loss, accuracy_score
if a.task == "regression":
    metric = {"rmse": float(np.sqrt(mean_squared_error(yte, pred)))}
elif a.task == "binary":
    metric = {"auc": float(roc_auc_score(yte, pred)), "logloss": float(log_loss(yte, pred))}
else:
    pred = pred.reshape(len(yte), -1)
    metric = {"accuracy": float(accuracy_score(yte, pred.argmax(1))),
              "mlogloss": float(log_loss(yte, pred, labels=list(range(pred.shape[1]))))}
peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB
print(json.dumps({"lib": a.lib, "version": version, "rows": len(ytr), "features": len(feats),
                  "train_s": round(min(train_times), 3), "predict_s": round(min(predict_times), 3),
                  "train_s_all": [round(t, 3) for t in train_times],
                  "train_cpu_s": round(train_cpu[train_times.index(min(train_times))], 3),
                  "predict_s_all": [round(t, 3) for t in predict_times],
                  "metric": metric, "peak_rss_mb": round(peak_rss_mb, 1),
                  "params": {"rounds": a.rounds, "depth": a.depth, "eta": a.eta, "max_bin": a.max_bin,
                             "threads": a.threads, "subsample": a.subsample, "seed": a.seed, **extra}}))
