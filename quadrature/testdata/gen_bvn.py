# Reference values of the bivariate normal CDF for bivariate_test.go.
# Run: python3 gen_bvn.py  (needs mpmath; a few minutes).
#
# Route (independent of the package's Plackett/Genz formulas): condition on X,
#   Φ2(h, k; ρ) = ∫_{-∞}^{h} φ(x) Ψ((k - ρx)/√(1-ρ²)) dx,
# by mpmath's tanh-sinh quadrature at 30 digits, with the interval split where
# the inner Ψ switches (x = k/ρ, width √(1-ρ²)/|ρ|), which matters as |ρ| → 1.
# ρ is the exact binary value of the float64 the test passes.
import mpmath as mp

mp.mp.dps = 30

def ncdf(x):
    return mp.ncdf(x)

def bvn(h, k, r):
    h, k, r = mp.mpf(h), mp.mpf(k), mp.mpf(r)
    if r == 0:
        return ncdf(h) * ncdf(k)
    s = mp.sqrt((1 - r) * (1 + r))
    f = lambda x: mp.npdf(x) * ncdf((k - r * x) / s)
    lo = min(-12, h - 1)  # φ(x) < 1e-31 beyond
    pts = [lo]
    c = k / r
    w = s / abs(r)
    for m in [-30, -10, -3, -1, 0, 1, 3, 10, 30]:
        p = c + m * w
        if lo < p < h:
            pts.append(p)
    pts = sorted(set(pts)) + [h]
    if h <= lo:
        return mp.mpf(0)
    return mp.quad(f, pts)

hs = [-8, -5, -3, -2, -1, -0.5, 0, 0.3, 1, 2.5, 4, 8]
rhos = [0.0, 0.1, 0.5, 0.9, 0.92, 0.925, 0.93, 0.95, 0.99]
rhos += [1 - 10.0 ** -j for j in range(1, 16)]
rhos = sorted(set(rhos + [-r for r in rhos]))

with open("bvn.txt", "w") as out:
    out.write("# h k rho Phi2(h,k;rho) to 20 significant digits (h <= k; Phi2 is symmetric)\n")
    for i, h in enumerate(hs):
        for k in hs[i:]:
            for r in rhos:
                v = bvn(h, k, r)
                out.write("%r %r %r %s\n" % (float(h), float(k), r, mp.nstr(v, 20)))
