"""`make bench`: a regional-scale data set and the product measured against baselines."""
