#!/usr/bin/env python3
# Probe: is OpenBLAS cblas_sgemm bit-identical with 1 and 2 threads? Calls the same libopenblas.so.0
# Gibbs loads, through ctypes, at the model shapes. Run: /usr/bin/python3 bench/peers/openblas_threads.py
import ctypes, numpy as np
lib = ctypes.CDLL("libopenblas.so.0")
lib.openblas_get_config.restype = ctypes.c_char_p
print(lib.openblas_get_config().decode())
P = ctypes.POINTER(ctypes.c_float)
def sgemm(ta, tb, m, n, k, A, B, threads):
    lib.openblas_set_num_threads(threads)
    C = np.zeros((m, n), np.float32)
    lib.cblas_sgemm(101, 112 if ta else 111, 112 if tb else 111, m, n, k, ctypes.c_float(1.0),
        A.ctypes.data_as(P), m if ta else k, B.ctypes.data_as(P), k if tb else n, ctypes.c_float(0.0), C.ctypes.data_as(P), n)
    return C
rng = np.random.default_rng(1)
for (m,n,k,ta,tb) in [(100,500,784,0,0),(1000,700,784,0,0),(1000,400,700,0,0),(100,784,500,0,0),(784,700,1000,1,0),(1000,784,700,0,1),(784,500,100,1,0),(100,784,500,0,1),(500,784,100,1,0),(64,64,64,0,0),(256,256,256,0,0),(200,200,300,0,0)]:
    A = rng.uniform(-1,1,(k,m) if ta else (m,k)).astype(np.float32)
    B = rng.uniform(-1,1,(n,k) if tb else (k,n)).astype(np.float32)
    c1 = sgemm(ta,tb,m,n,k,A,B,1); c2 = sgemm(ta,tb,m,n,k,A,B,2); c1b = sgemm(ta,tb,m,n,k,A,B,1)
    d = (c1 != c2).mean(); print(f"m={m} n={n} k={k} tA={ta} tB={tb}: differ {d*100:.1f}% maxabs {np.abs(c1-c2).max():.2e} rep1 {np.array_equal(c1,c1b)}")
