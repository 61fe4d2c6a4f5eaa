"""Compiling the kernels: the cache folder, the first launch's children, calls by address."""
