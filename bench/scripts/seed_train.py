#!/usr/bin/env python3
"""The seed story's training script, as a SageMaker script-mode user writes it: an XGBoost model
on the diabetes data, hyperparameters as --name value arguments, data from SM_CHANNEL_TRAIN, the
model saved in SM_MODEL_DIR, and the validation RMSE printed as `validation-rmse:<v>;` for the
tuning job's metric regex. Needs Debian's python3-xgboost, python3-sklearn and python3-pandas.
"""
import argparse
import glob
import os

import numpy as np
import pandas as pd
import xgboost as xgb
from sklearn.model_selection import train_test_split

parser = argparse.ArgumentParser()
parser.add_argument("--eta", type=float, default=0.3)
parser.add_argument("--max_depth", type=int, default=5)
parser.add_argument("--num_round", type=int, default=100)
args, _ = parser.parse_known_args()

frame = pd.read_csv(glob.glob(os.path.join(os.environ["SM_CHANNEL_TRAIN"], "*.csv"))[0])
y = frame.pop("target").to_numpy()
x_train, x_valid, y_train, y_valid = train_test_split(frame.to_numpy(), y, test_size=0.2, random_state=0)
booster = xgb.train(
    {"eta": args.eta, "max_depth": int(args.max_depth), "objective": "reg:squarederror", "tree_method": "hist", "nthread": 1},
    xgb.DMatrix(x_train, label=y_train),
    num_boost_round=args.num_round,
)
rmse = float(np.sqrt(np.mean((booster.predict(xgb.DMatrix(x_valid)) - y_valid) ** 2)))
print(f"validation-rmse:{rmse:.6f};")
booster.save_model(os.path.join(os.environ["SM_MODEL_DIR"], "model.json"))
